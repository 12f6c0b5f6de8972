import fs from 'node:fs';
import { AUDIT_ACTIONS, type AuditQuery } from '../../core/audit/audit-log';
import { exportAuditToFile, streamAuditCsv, type ExportProgress } from '../../core/audit/csv-export';
import { UsageError, expectPositionals, wholeNumber, type ParsedArgs } from '../args';
import { ACTOR, type Command } from '../command';
import { isoTime, table } from '../output';

const FILTER_OPTIONS = { from: 'string', to: 'string', user: 'string', action: 'string' } as const;
const MAX_LIMIT = 500;

function instant(value: string, flag: string): number {
  // Date-only or date-time ISO 8601; Date.parse alone would also take "March 3".
  const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())
    ? Date.parse(value.trim())
    : NaN;
  if (Number.isNaN(ms))
    throw new UsageError(
      `--${flag} needs an ISO 8601 time like 2026-01-15 or 2026-01-15T09:00:00Z, not "${value}"`,
    );
  return ms;
}

function filters(args: ParsedArgs): Omit<AuditQuery, 'limit' | 'beforeId'> {
  const query: Omit<AuditQuery, 'limit' | 'beforeId'> = {};
  const from = args.string('from');
  const to = args.string('to');
  const user = args.string('user');
  const action = args.string('action');
  if (from !== undefined) query.from = instant(from, 'from');
  if (to !== undefined) query.to = instant(to, 'to');
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new UsageError('--from is later than --to');
  }
  if (user !== undefined) query.user = user;
  if (action !== undefined) {
    const match = AUDIT_ACTIONS.find((known) => known === action.trim());
    if (!match) throw new UsageError(`unknown --action "${action}"; one of: ${AUDIT_ACTIONS.join(', ')}`);
    query.action = match;
  }
  return query;
}

const list: Command = {
  name: 'audit list',
  usage: 'audit list [--from ISO] [--to ISO] [--user NAME] [--action ACTION] [--limit 1-500]',
  summary: 'Show audit entries, newest first (--user matches who did it or whom it concerns)',
  options: { ...FILTER_OPTIONS, limit: 'string' },
  async run(context, args) {
    expectPositionals(args, [], 'audit list');
    const query: AuditQuery = filters(args);
    const limit = args.string('limit');
    if (limit !== undefined) {
      query.limit = wholeNumber(limit, 'limit');
      if (query.limit < 1 || query.limit > MAX_LIMIT)
        throw new UsageError(`--limit must be 1 to ${MAX_LIMIT}`);
    }
    const page = context.core().audit.query(query);
    context.out.result(page, () => {
      if (page.entries.length === 0) return 'No audit entries match.';
      const lines = table(
        ['TIME', 'ACTOR', 'ACTION', 'TARGET', 'OUTCOME', 'DETAILS'],
        page.entries.map((e) => [
          isoTime(e.at),
          e.actor,
          e.action,
          e.target ?? '-',
          e.outcome,
          Object.keys(e.details).length ? JSON.stringify(e.details) : '',
        ]),
      );
      if (page.nextBeforeId !== null) lines.push('(more entries: narrow with --from/--to or raise --limit)');
      return lines;
    });
  },
};

const exportCsv: Command = {
  name: 'audit export',
  usage: 'audit export --csv [--out FILE] [--from ISO] [--to ISO] [--user NAME] [--action ACTION]',
  summary: 'Export audit entries as CSV to stdout or a new file (progress on a terminal)',
  options: { ...FILTER_OPTIONS, csv: 'boolean', out: 'string' },
  async run(context, args) {
    expectPositionals(args, [], 'audit export');
    if (!args.flag('csv')) throw new UsageError('"audit export" needs --csv (the only format)');
    const query = filters(args);
    const out = args.string('out');
    if (out !== undefined && out.trim() === '') throw new UsageError('--out needs a file name');
    if (out !== undefined && fs.existsSync(out))
      throw new UsageError(`${out} already exists; choose a new file name`);
    const core = context.core();
    // A progress line only for a person at a terminal, and not over CSV printed to that same terminal.
    const toTerminal = out === undefined && isTerminal(context.out.writable);
    const progress = isTerminal(context.err) && !toTerminal ? progressLine(context.err) : null;
    let rows: number;
    if (out === undefined) {
      let estimate = 0;
      rows = await streamAuditCsv(context.out.writable, {
        audit: core.audit,
        dataDir: context.dataDir,
        query,
        onStart: (matching) => (estimate = matching),
        onProgress: (written) => progress?.({ rows: written, estimate: Math.max(estimate, written) }),
      });
    } else {
      ({ rows } = await exportAuditToFile({
        audit: core.audit,
        dataDir: context.dataDir,
        query,
        file: out,
        onProgress: (p) => progress?.(p),
      }));
    }
    progress?.done();
    core.audit.append({
      actor: ACTOR,
      action: 'audit.exported',
      target: out === undefined ? 'stdout' : 'file',
      outcome: 'success',
      details: { rows },
    });
    if (out !== undefined)
      context.out.result({ file: out, rows }, () => `${formatCount(rows)} rows written to ${out}.`);
  },
};

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

const formatCount = (n: number) => n.toLocaleString('en-US');

/** One line on the terminal, rewritten in place: "Exporting: 120,000 of 1,000,000 rows (12 %)". */
function progressLine(err: NodeJS.WritableStream) {
  let last = 0;
  const show = ({ rows, estimate }: ExportProgress) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const percent = estimate > 0 ? ` (${Math.min(100, Math.floor((rows / estimate) * 100))} %)` : '';
    err.write(`\rExporting: ${formatCount(rows)} of ${formatCount(estimate)} rows${percent}\u001b[K`);
  };
  return Object.assign(show, { done: () => last > 0 && err.write('\r\u001b[K') });
}

export const auditCommands: readonly Command[] = [list, exportCsv];
