import fs from 'node:fs';
import { AUDIT_ACTIONS, type AuditQuery } from '../../core/audit/audit-log';
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
  summary: 'Export audit entries as CSV to stdout or a new file',
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
    let rows = -1; // the header line is not a row
    const counted = function* (chunks: Iterable<string>) {
      for (const chunk of chunks) {
        rows++;
        yield chunk;
      }
    };
    if (out === undefined) {
      await context.out.stream(counted(core.audit.exportCsv(query)));
    } else {
      // The audit log names people: readable by the owner only, and never over an existing file.
      const fd = fs.openSync(out, 'wx', 0o600);
      try {
        for (const chunk of counted(core.audit.exportCsv(query))) fs.writeSync(fd, chunk);
      } finally {
        fs.closeSync(fd);
      }
    }
    core.audit.append({
      actor: ACTOR,
      action: 'audit.exported',
      target: out === undefined ? 'stdout' : 'file',
      outcome: 'success',
      details: { rows },
    });
    if (out !== undefined)
      context.out.result({ file: out, rows }, () => `Exported ${rows} audit entries to ${out}.`);
  },
};

export const auditCommands: readonly Command[] = [list, exportCsv];
