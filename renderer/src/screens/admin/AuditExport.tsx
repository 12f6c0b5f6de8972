/**
 * Export CSV: main asks where to save (a native save dialog) and writes the file itself; this window sends
 * the filters, then follows the export: a progress bar with rows written and the estimate, Cancel, and
 * the result ("1,000,000 rows written to …").
 */
import { useEffect, useRef, useState } from 'react';
import type { ExportJobView } from '../../../../main/contract/ipc';
import { LiveMessage } from '../../components/ui';
import { toWindowError } from '../../api';
import { admin } from '../../store/admin-store';
import { useT, type Translate } from '../../i18n/react';

const POLL_MS = 250;

function resultOf(t: Translate, job: ExportJobView): { tone: 'success' | 'error'; text: string } | null {
  if (job.state === 'done')
    return { tone: 'success', text: t('auditExport.done', { count: job.rows, file: job.file }) };
  if (job.state === 'cancelled')
    return { tone: 'success', text: t('auditExport.cancelled', { count: job.rows }) };
  if (job.state === 'failed') return { tone: 'error', text: job.message ?? t('auditExport.failed') };
  return null;
}

export function AuditExport() {
  const [job, setJob] = useState<ExportJobView | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const running = job?.state === 'running';
  const { t, format } = useT();

  useEffect(() => {
    if (!job || job.state !== 'running') return;
    const timer = window.setTimeout(() => {
      admin.auditExportStatus(job.id).then(setJob, (e: unknown) => setError(toWindowError(e).message));
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [job]);

  async function start() {
    setError(null);
    setJob(null);
    setStarting(true);
    try {
      const started = await admin.startAuditExport();
      setJob(started);
      if (started) window.setTimeout(() => cancelButton.current?.focus(), 0);
    } catch (e) {
      setError(toWindowError(e).message);
    } finally {
      setStarting(false);
    }
  }

  async function cancel() {
    if (!job) return;
    try {
      setJob(await admin.cancelAuditExport(job.id));
    } catch (e) {
      setError(toWindowError(e).message);
    }
  }

  const result = job ? resultOf(t, job) : null;
  return (
    <section className="export-bar" aria-label={t('auditExport.label')}>
      <button
        type="button"
        className="button button-secondary"
        data-testid="audit-export"
        disabled={running || starting}
        onClick={() => void start()}
      >
        {t('auditExport.start')}
      </button>
      {running ? (
        <div className="export-progress" data-testid="audit-export-progress">
          <label htmlFor="audit-export-bar">
            {t('auditExport.progress', { done: format.number(job.rows), count: job.estimate })}
          </label>
          <progress id="audit-export-bar" max={Math.max(job.estimate, 1)} value={job.rows} />
          <button
            ref={cancelButton}
            type="button"
            className="button button-small button-quiet"
            data-testid="audit-export-cancel"
            onClick={() => void cancel()}
          >
            {t('common.cancel')}
          </button>
        </div>
      ) : (
        <span className="hint">{t('auditExport.hint')}</span>
      )}
      <LiveMessage testId="audit-export-message" tone={result?.tone ?? 'success'} message={result?.text} />
      <LiveMessage testId="audit-export-error" message={error} />
    </section>
  );
}
