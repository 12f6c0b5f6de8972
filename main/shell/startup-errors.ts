/**
 * Start-up failures shown as a dialog that says what happened and what to do: a damaged database (move it
 * aside, kept as a backup, and start fresh), one from a newer version, a data folder that cannot be
 * written, an unreachable OS keychain. Each ends in a decision: retry, continue or quit.
 */
import { dialog } from 'electron';
import { moveDatabaseAside } from '../core/db/database';
import { isScError } from '../core/errors';

type StartupAction = 'move-aside' | 'retry' | 'continue' | 'quit';
export type StartupDecision = Exclude<StartupAction, 'move-aside'>;

export interface StartupProblem {
  title: string;
  message: string;
  detail: string;
  /** In dialog order; the last one is what closing the dialog means. */
  buttons: readonly { label: string; action: StartupAction }[];
}

const QUIT = { label: 'Quit', action: 'quit' } as const;
const RETRY = { label: 'Try again', action: 'retry' } as const;

const KEYCHAIN_HELP: Readonly<Partial<Record<NodeJS.Platform, string>>> = {
  linux:
    'On Linux the keychain is a Secret Service (GNOME Keyring, KWallet or KeePassXC) reached through libsecret ' +
    'and D-Bus. Start it in your desktop session and unlock the login keyring, then choose Try again.',
  darwin: 'Unlock your login keychain (Keychain Access), then choose Try again.',
  win32: 'Check that Windows Credential Manager is available for your account, then choose Try again.',
};

export function describeStartupError(
  error: unknown,
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): StartupProblem {
  const reason = isScError(error) ? error.message : 'An unexpected error stopped System Configurator.';
  const code = isScError(error) ? error.code : 'internal';
  switch (code) {
    case 'database-unreadable':
      return {
        title: 'Database cannot be opened',
        message: 'System Configurator cannot open its database.',
        detail:
          `${reason}\n\n"Move aside and start fresh" renames the file to a backup next to it (it is never ` +
          'deleted) and starts with a new, empty database, where you set up the first administrator again. ' +
          'To recover the data instead, quit and restore a backup.',
        buttons: [{ label: 'Move aside and start fresh', action: 'move-aside' }, RETRY, QUIT],
      };
    case 'database-newer-schema':
      return {
        title: 'Newer database',
        message: 'This database was written by a newer version of System Configurator.',
        detail: `${reason}\n\nInstall the newer version of System Configurator. Nothing was changed.`,
        buttons: [QUIT],
      };
    case 'database-not-writable':
      return {
        title: 'Data folder not writable',
        message: 'System Configurator cannot write to its data folder.',
        detail:
          `${reason}\n\nData folder: ${dataDir}\nFix its permissions and choose Try again, or start ` +
          'System Configurator with --data-dir <folder> (or SC_DATA_DIR) to use another folder.',
        buttons: [RETRY, QUIT],
      };
    case 'data-dir-insecure':
      return {
        title: 'Data folder not private',
        message: "Other users of this computer could change System Configurator's data folder.",
        detail: `${reason}\n\nFix its permissions and choose Try again, or quit.`,
        buttons: [RETRY, QUIT],
      };
    case 'keychain-unavailable':
      return {
        title: 'Keychain unavailable',
        message: "System Configurator cannot reach the operating system's keychain.",
        detail:
          `${reason}\n\nSecrets, such as the one for the Sinch Verification API, are kept only in the OS ` +
          `keychain, never in a file. ${KEYCHAIN_HELP[platform] ?? 'Make the keychain available, then choose Try again.'}\n\n` +
          'If you continue without it, verification codes cannot be sent until the keychain works.',
        buttons: [RETRY, { label: 'Continue without the keychain', action: 'continue' }, QUIT],
      };
    case 'managed-policy-refused':
      return {
        title: 'Managed policy refused',
        message:
          'System Configurator will not start: the policy your organisation manages for this computer is refused.',
        detail:
          `${reason}\n\nFile: ${String(isScError(error) ? error.details.path : '')}\n` +
          'System Configurator does not fall back to this computer’s own settings. Ask your IT administrator ' +
          'to correct the file (it must be owned by an administrator and writable only by them), then choose Try again.',
        buttons: [RETRY, QUIT],
      };
    default:
      return {
        title: 'System Configurator could not start',
        message: 'System Configurator could not start.',
        detail: `${reason}\n\nData folder: ${dataDir}\nThe log file has the details.`,
        buttons: [QUIT],
      };
  }
}

/** Shows the problem and carries out the choice; "move aside" moves the database and retries. */
export async function explainStartupError(
  error: unknown,
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): Promise<StartupDecision> {
  const problem = describeStartupError(error, dataDir, platform);
  if (problem.buttons.length === 1) {
    dialog.showErrorBox(problem.title, `${problem.message}\n\n${problem.detail}`);
    return 'quit';
  }
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: problem.title,
    message: problem.message,
    detail: problem.detail,
    buttons: problem.buttons.map((b) => b.label),
    defaultId: 0,
    cancelId: problem.buttons.length - 1,
    noLink: true,
  });
  const action = problem.buttons[response]?.action ?? 'quit';
  if (action !== 'move-aside') return action;

  let backup: string | null;
  try {
    backup = moveDatabaseAside(dataDir);
  } catch (moveError) {
    const why = moveError instanceof Error ? moveError.message : String(moveError);
    dialog.showErrorBox('Database not moved', `The database could not be moved aside: ${why}`);
    return 'quit';
  }
  await dialog.showMessageBox({
    type: 'info',
    title: 'Database moved aside',
    message: 'System Configurator will start with a new, empty database.',
    detail: backup ? `The previous database is kept as:\n${backup}` : 'There was no database file to move.',
    buttons: ['OK'],
    noLink: true,
  });
  return 'retry';
}
