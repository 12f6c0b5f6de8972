import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal question (the native <dialog>: focus stays inside, Esc cancels). Focus starts on the safe answer
 * and returns to what opened it.
 */
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
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    element?.querySelector<HTMLButtonElement>('[data-safe-choice]')?.focus();
    return () => {
      if (element?.open) element.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="dialog"
      data-testid={testId}
      aria-labelledby={`${testId}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
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
          Cancel
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
    </dialog>
  );
}
