import type { ReactNode } from 'react';
import { Modal } from './Modal';
import { useT } from '../i18n/react';

/** A modal question (Esc cancels). Focus starts on the safe answer and returns to what opened it. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  testId,
  onConfirm,
  onCancel,
  danger,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  testId: string;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean;
}) {
  const { t } = useT();
  return (
    <Modal testId={testId} initialFocus="[data-safe-choice]" onCancel={onCancel}>
      <h2 id={`${testId}-title`}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="actions actions-end">
        <button
          type="button"
          className="button button-secondary"
          data-testid={`${testId}-cancel`}
          data-safe-choice
          onClick={onCancel}
        >
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className={`button ${danger ? 'button-danger' : 'button-primary'}`}
          data-testid={`${testId}-confirm`}
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
