import { useEffect, useState, type FormEvent } from 'react';
import type { AuditAction } from '@contract/domain';
import { EmptyRow, LiveMessage, SelectField, TextField } from '../../components/ui';
import { admin, useAdmin, type AuditFilter } from '../../store/admin-store';
import { fromLocalInput, toLocalInput } from '../../time';
import { AdminPage } from './AdminPage';
import { ACTION_LABELS, actionLabel, detailItems, outcomeLabel } from './audit-labels';
import { AuditExport } from './AuditExport';
import { useT } from '../../i18n/react';

const ACTIONS = Object.entries(ACTION_LABELS);

interface FilterDraft {
  from: string;
  to: string;
  user: string;
  action: string;
}
const emptyDraft: FilterDraft = { from: '', to: '', user: '', action: '' };

function toFilter(draft: FilterDraft): AuditFilter {
  const from = fromLocalInput(draft.from);
  // "To 10:15" includes the whole minute.
  const to = fromLocalInput(draft.to);
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to: to + 59_999 } : {}),
    ...(draft.user.trim() ? { user: draft.user.trim() } : {}),
    ...(draft.action ? { action: draft.action as AuditAction } : {}),
  };
}

function fromFilter(filter: AuditFilter): FilterDraft {
  return {
    from: filter.from !== undefined ? toLocalInput(filter.from) : '',
    to: filter.to !== undefined ? toLocalInput(filter.to) : '',
    user: filter.user ?? '',
    action: filter.action ?? '',
  };
}

export function AuditScreen() {
  const audit = useAdmin((s) => s.audit);
  const state = useAdmin((s) => s.auditState);
  const [draft, setDraft] = useState<FilterDraft>(() => fromFilter(useAdmin.getState().audit.filter));
  const [rangeError, setRangeError] = useState<string | null>(null);
  const { t, format } = useT();

  useEffect(() => {
    void admin.loadAudit();
  }, []);

  function apply(event: FormEvent) {
    event.preventDefault();
    const filter = toFilter(draft);
    if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
      setRangeError(t('audit.filter.rangeReversed'));
      document.getElementById('audit-to')?.focus();
      return;
    }
    setRangeError(null);
    void admin.loadAudit(filter);
  }

  return (
    <AdminPage title={t('nav.audit')} testId="screen-audit" intro={t('audit.intro')}>
      <form className="filters panel" onSubmit={apply} noValidate aria-label={t('audit.filters')}>
        <TextField
          id="audit-from"
          label={t('audit.filter.from')}
          testId="audit-from"
          type="datetime-local"
          value={draft.from}
          onValue={(v) => setDraft((d) => ({ ...d, from: v }))}
        />
        <TextField
          id="audit-to"
          label={t('audit.filter.to')}
          testId="audit-to"
          type="datetime-local"
          value={draft.to}
          onValue={(v) => setDraft((d) => ({ ...d, to: v }))}
          error={rangeError}
        />
        <TextField
          id="audit-user"
          label={t('audit.filter.user')}
          testId="audit-user"
          placeholder={t('logon.username')}
          autoCapitalize="off"
          spellCheck={false}
          value={draft.user}
          onValue={(v) => setDraft((d) => ({ ...d, user: v }))}
        />
        <SelectField
          id="audit-action"
          label={t('audit.filter.action')}
          testId="audit-action"
          value={draft.action}
          onValue={(v) => setDraft((d) => ({ ...d, action: v }))}
          options={[
            { value: '', label: t('audit.filter.action.all') },
            ...ACTIONS.map(([value, label]) => ({ value, label: t(label) })),
          ]}
        />
        <div className="filter-actions">
          <button type="submit" className="button button-primary" data-testid="audit-apply">
            {t('audit.apply')}
          </button>
          <button
            type="button"
            className="button button-quiet"
            data-testid="audit-clear"
            onClick={() => {
              setDraft(emptyDraft);
              setRangeError(null);
              void admin.loadAudit({});
            }}
          >
            {t('audit.clear')}
          </button>
        </div>
      </form>
      <AuditExport />
      <LiveMessage testId="audit-error" message={state.error?.message} />
      <p className="muted" data-testid="audit-count" aria-live="polite">
        {state.loading
          ? t('app.loading')
          : t(audit.nextBeforeId !== null ? 'audit.count.more' : 'audit.count', {
              count: audit.entries.length,
            })}
      </p>
      <div className="table-wrap">
        <table className="table table-dense" data-testid="audit-table">
          <caption className="visually-hidden">{t('audit.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.column.time')}</th>
              <th scope="col">{t('audit.column.actor')}</th>
              <th scope="col">{t('audit.filter.action')}</th>
              <th scope="col">{t('audit.column.target')}</th>
              <th scope="col">{t('audit.column.outcome')}</th>
              <th scope="col">{t('audit.column.details')}</th>
            </tr>
          </thead>
          <tbody>
            {audit.entries.map((entry) => (
              <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-id={entry.id}>
                <td className="nowrap">{format.dateTime(entry.at)}</td>
                <td>{entry.actor}</td>
                <td>{actionLabel(t, entry.action)}</td>
                <td>{entry.target ?? <span className="muted">—</span>}</td>
                <td>
                  <span className={`badge badge-${outcomeTone(entry.outcome)}`}>
                    {outcomeLabel(t, entry.outcome)}
                  </span>
                </td>
                <td className="details">
                  {Object.keys(entry.details).length ? (
                    <dl className="detail-list">
                      {detailItems(t, format, entry.details).map((item) => (
                        <div key={item.key}>
                          <dt>{item.label}</dt>
                          <dd>{item.value}</dd>
                        </div>
                      ))}
                    </dl>
                  ) : null}
                </td>
              </tr>
            ))}
            {audit.entries.length === 0 && !state.loading ? (
              <EmptyRow columns={6} testId="audit-empty">
                {t('audit.empty')}
              </EmptyRow>
            ) : null}
          </tbody>
        </table>
      </div>
      {audit.nextBeforeId !== null ? (
        <div className="actions">
          <button
            type="button"
            className="button button-secondary"
            data-testid="audit-more"
            onClick={() => void admin.loadOlderAudit()}
          >
            {t('audit.more')}
          </button>
        </div>
      ) : null}
    </AdminPage>
  );
}

function outcomeTone(outcome: string): string {
  if (outcome === 'success') return 'ok';
  if (outcome === 'failure' || outcome === 'denied') return 'warn';
  if (outcome === 'error') return 'danger';
  return 'muted';
}
