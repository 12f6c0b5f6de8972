import { databasePath, moveDatabaseAside, openDatabase } from '../../core/db/database';
import { isScError } from '../../core/errors';
import { UsageError, expectPositionals } from '../args';
import type { Command } from '../command';

const recover: Command = {
  name: 'db recover',
  usage: 'db recover [--force]',
  summary: 'Move a damaged database aside (kept as a backup) so the next start creates a new one',
  options: { force: 'boolean' },
  async run(context, args) {
    expectPositionals(args, [], 'db recover');
    const file = databasePath(context.dataDir);
    if (!context.hasDatabase()) {
      context.out.result(
        { moved: false, backup: null },
        () => `There is no database at ${file}; nothing to recover.`,
      );
      return;
    }
    if (!args.flag('force')) {
      // Only a database that does not open is damaged; a healthy one is moved aside only when asked to.
      let problem: string | null = null;
      try {
        openDatabase({ dataDir: context.dataDir }).close();
      } catch (error) {
        if (!isScError(error, 'database-unreadable')) throw error;
        problem = error.message;
      }
      if (problem === null) {
        throw new UsageError(
          `the database at ${file} opens without problems; nothing to recover (add --force to move it aside anyway)`,
        );
      }
    }
    const backup = moveDatabaseAside(context.dataDir);
    context.out.result({ moved: backup !== null, backup }, () =>
      backup === null
        ? `There is no database at ${file}; nothing to recover.`
        : [
            `Moved the database aside; it is kept as ${backup}`,
            'The next start creates a new, empty database: run "sc-admin init --admin NAME" to add the first administrator.',
          ],
    );
  },
};

export const dbCommands: readonly Command[] = [recover];
