/** `user import FILE` and `user export`: provisioning users from a file, and the file back out. */
import path from 'node:path';
import {
  USER_FILE_MAX_BYTES,
  UserFileError,
  parseUserFile,
  writeUsersCsv,
  writeUsersJson,
  type UserFileFormat,
} from '../../core/users/user-file';
import type { Core } from '../../core/create-core';
import { startBackgroundBuild } from '../../core/users/background-build';
import type { ImportResult } from '../../core/users/user-import';
import { UsageError, expectPositionals, oneOf, type ParsedArgs } from '../args';
import { ACTOR, type Command } from '../command';
import { readInputFile } from '../input-file';

const FORMATS = ['csv', 'json'] as const;
/** Enough bad rows to fix a file by; the count says how many more there are. */
const MAX_PROBLEMS_SHOWN = 200;

/** --format, else the file's extension, else what the text starts with. */
function formatOf(args: ParsedArgs, file: string, text: string): UserFileFormat {
  const flag = args.string('format');
  if (flag !== undefined) return oneOf(flag, FORMATS, 'format');
  const extension = path.extname(file).slice(1).toLowerCase();
  if (extension === 'csv' || extension === 'json') return extension;
  return /^\uFEFF?\s*[{[]/.test(text) ? 'json' : 'csv';
}

function resultLines(result: ImportResult): string[] {
  const { created, updated, unchanged } = result;
  if (!result.dryRun) {
    return [
      `Created ${created}, updated ${updated}, ${unchanged} unchanged.`,
      ...(created > 0 ? [NEW_USERS_NOTE] : []),
    ];
  }
  return [
    ...result.changes.map((c) =>
      c.kind === 'create'
        ? `create ${c.username}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`
        : `update ${c.username}: ${c.fields.join(', ')}`,
    ),
    `Dry run: would create ${created}, update ${updated}, leave ${unchanged} unchanged; nothing was written.`,
  ];
}

const NEW_USERS_NOTE =
  'New users have no password (a file never carries one): they log on with SSO, and are flagged to ' +
  'change any password they are later given unless the file set mustChangePassword to false.';

const importUsers: Command = {
  name: 'user import',
  usage: 'user import FILE [--dry-run] [--format csv|json]',
  summary:
    'Create or update users from a CSV (with a header) or JSON file; every row is checked first and nothing is written if any is bad',
  options: { 'dry-run': 'boolean', format: 'string' },
  async run(context, args) {
    const [file] = expectPositionals(args, ['FILE'], 'user import') as [string];
    const text = readInputFile(file, USER_FILE_MAX_BYTES);
    const format = formatOf(args, file, text);
    let parsed: ReturnType<typeof parseUserFile>;
    try {
      parsed = parseUserFile(text, format);
    } catch (error) {
      if (error instanceof UserFileError)
        throw new UsageError(`${file}: ${error.message}; nothing was written`);
      throw error;
    }
    if (parsed.problems.length > 0) {
      const shown = parsed.problems.slice(0, MAX_PROBLEMS_SHOWN);
      for (const problem of shown) context.err.write(`${file}: ${problem.where}: ${problem.reason}\n`);
      const more = parsed.problems.length - shown.length;
      throw new UsageError(
        `${parsed.problems.length} bad row${parsed.problems.length > 1 ? 's' : ''} in ${file}` +
          `${more > 0 ? ` (the first ${shown.length} listed)` : ''}; nothing was written`,
      );
    }
    const core = context.core();
    const result = core.userImport.run(parsed.rows, ACTOR, { dryRun: args.flag('dry-run') });
    context.out.result(result, () => resultLines(result));
    if (!result.dryRun && !core.searchIndex.isComplete()) await buildSearchIndex(core, context.err);
  },
};

/**
 * An import of thousands of users leaves them to the search index's build (user-import.ts). sc-admin does
 * that build itself, at once, so a search answers from the index straight after the import, whether or not
 * the app runs: in the app's short steps (each its own transaction, the app's log-ons fit between them;
 * while the app holds the write lock, the step is tried again). Interrupted, the app's next start or the
 * next import goes on from there, and search answers the same meanwhile.
 */
async function buildSearchIndex(core: Core, err: NodeJS.WritableStream): Promise<void> {
  err.write('Building the search index for the new users ...\n');
  const build = startBackgroundBuild(core.db, core.searchIndex, { startAfterMs: 0, pauseMs: 2 });
  try {
    await build.idle();
  } finally {
    build.stop();
  }
  err.write('Search index built.\n');
}

const exportUsers: Command = {
  name: 'user export',
  usage: 'user export [--format csv|json]',
  summary: 'Print every user as CSV (default) or JSON, the format user import reads; no password hashes',
  options: { format: 'string' },
  async run(context, args) {
    expectPositionals(args, [], 'user export');
    const flag = args.string('format');
    const format = flag === undefined ? 'csv' : oneOf(flag, FORMATS, 'format');
    const users = context.core().users.all();
    await context.out.stream(format === 'csv' ? writeUsersCsv(users) : writeUsersJson(users));
  },
};

export const userFileCommands: readonly Command[] = [importUsers, exportUsers];
