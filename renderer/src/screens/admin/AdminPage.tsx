import type { ReactNode } from 'react';
import { useT } from '../../i18n/react';

/** The frame of every administration screen: its heading, a line saying what it is for, the content. */
export function AdminPage({
  title,
  testId,
  intro,
  children,
  actions,
}: {
  title: string;
  testId: string;
  intro: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="admin-page" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <header className="page-header">
        <div>
          <h1 id={`${testId}-title`}>{title}</h1>
          <p className="page-intro">{intro}</p>
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function ReadOnlyNotice() {
  const { t } = useT();
  return (
    <p className="notice notice-info" data-testid="readonly-notice">
      {t('admin.readOnly')}
    </p>
  );
}
