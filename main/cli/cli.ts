/** Command dispatch, help and the mapping of errors to messages and exit codes. */
import { isScError } from '../core/errors';
import { escapeControlCharacters } from '../core/audit/untrusted-text';
import { resolveDataDir } from '../core/data-dir';
import { managedPolicySource, type ManagedPolicySource } from '../core/policy/managed-policy';
import { GLOBAL_OPTIONS, UsageError, parseOptions, splitCommandWords, wantsHelp } from './args';
import { createContext, type Command } from './command';
import { auditCommands } from './commands/audit';
import { dbCommands } from './commands/db';
import { initCommand } from './commands/init';
import { policyCommands } from './commands/policy';
import { secretCommands } from './commands/secret';
import { ssoCommands } from './commands/sso';
import { userCommands } from './commands/user';
import { userFileCommands } from './commands/user-file';
import { verifyTestCommand } from './commands/verify-test';
import { lazyOsKeychain } from './keychain';
import { EXIT, EXIT_CODE_OF } from './exit-codes';
import { Output } from './output';
import { Interrupted, type Input } from './stdin';

const COMMANDS: readonly Command[] = [
  initCommand,
  ...userCommands,
  ...userFileCommands,
  ...policyCommands,
  ...auditCommands,
  ...secretCommands,
  ...ssoCommands,
  verifyTestCommand,
  ...dbCommands,
];

// Validation fields (the core's names) → the flag the admin typed, so the message points at it.
const FIELD_FLAGS: Record<string, string> = {
  username: 'NAME',
  displayName: '--display-name',
  email: '--email',
  mobile: '--mobile',
  roles: '--role',
  newPassword: 'password',
  confirmPassword: 'password',
  'twoFactor.enabled': '--2fa',
  'twoFactor.primaryMethod': '--primary',
  'twoFactor.fallbackMethod': '--fallback',
  'twoFactor.validMinutes': '--valid-minutes',
  'twoFactor.maxAttempts': '--max-attempts',
  'twoFactor.lockMinutes': '--lock-minutes',
  'sinch.endpoint': '--endpoint',
  'sinch.authMethod': '--auth',
  'sinch.emailSenderAddress': '--email-sender-address',
  'sinch.emailSenderName': '--email-sender-name',
  authId: '--auth-id',
};

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  input: Input;
  env: Readonly<Record<string, string | undefined>>;
  /** The managed policy to apply; the OS location (and SC_MANAGED_POLICY) unless a test gives one. */
  managedPolicy?: ManagedPolicySource;
}

/** Runs one sc-admin invocation and returns its exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string, code: number) => {
    io.stderr.write(`sc-admin: ${escapeControlCharacters(message.replace(/\s*\n\s*/g, ' '))}\n`);
    return code;
  };
  let close = () => {};
  try {
    const { leading, words, rest } = splitCommandWords(argv);
    const found = findCommand(words);
    if (wantsHelp(argv)) {
      io.stdout.write(help(found.command ?? null, words[0]) + '\n');
      return EXIT.ok;
    }
    if (words.length === 0) throw new UsageError('no command given (see sc-admin --help)');
    if (!found.command) throw new UsageError(found.problem);
    const command = found.command;
    const args = parseOptions(
      [...leading, ...found.extra, ...rest],
      { ...GLOBAL_OPTIONS, ...command.options },
      command.name,
    );
    const dataDirFlag = args.string('data-dir');
    if (args.has('data-dir') && dataDirFlag?.trim() === '') throw new UsageError('--data-dir needs a value');
    const context = createContext({
      dataDir: resolveDataDir(dataDirFlag, { env: io.env }),
      out: new Output(args.flag('json'), io.stdout),
      input: io.input,
      err: io.stderr,
      keychain: lazyOsKeychain,
      managedPolicy: io.managedPolicy ?? managedPolicySource(process.platform, io.env),
    });
    close = () => context.close();
    return (await command.run(context, args)) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message, EXIT.usage);
    if (error instanceof Interrupted) return fail('interrupted; nothing was changed', EXIT.interrupted);
    if (isScError(error)) {
      const field = typeof error.details.field === 'string' ? error.details.field : '';
      const flag = FIELD_FLAGS[field] ?? FIELD_FLAGS[field.replace(/\.\d+$/, '')];
      const prefix = error.code === 'validation' && flag ? `${flag}: ` : '';
      return fail(prefix + error.message, EXIT_CODE_OF[error.code]);
    }
    // Not an ScError: a bug or an environment problem; the message only (a stack helps nobody here).
    return fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`, EXIT.failure);
  } finally {
    close();
  }
}

function findCommand(words: readonly string[]): { command?: Command; extra: string[]; problem: string } {
  const [group, verb] = words;
  const single = COMMANDS.find((c) => c.name === group);
  // A one-word command: a second word is its (unexpected) argument, not part of the name.
  if (single) return { command: single, extra: verb === undefined ? [] : [verb], problem: '' };
  const inGroup = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  if (inGroup.length === 0) return { extra: [], problem: `unknown command "${group}" (see sc-admin --help)` };
  const verbs = inGroup.map((c) => c.name.split(' ')[1]).join(', ');
  if (verb === undefined) return { extra: [], problem: `"${group}" needs one of: ${verbs}` };
  const command = inGroup.find((c) => c.name === `${group} ${verb}`);
  if (!command) return { extra: [], problem: `unknown ${group} command "${verb}"; one of: ${verbs}` };
  return { command, extra: [], problem: '' };
}

function help(command: Command | null, group: string | undefined): string {
  if (command)
    return [`Usage: sc-admin [--data-dir DIR] [--json] ${command.usage}`, '', command.summary].join('\n');
  const shown = group ? COMMANDS.filter((c) => c.name.startsWith(`${group} `)) : [];
  const list = shown.length > 0 ? shown : COMMANDS;
  return [
    'Usage: sc-admin [--data-dir DIR] [--json] <command> [options]',
    '',
    'Commands:',
    ...list.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'Global options:',
    '  --data-dir DIR   the data folder (else SC_DATA_DIR, else the app-data folder of System Configurator)',
    '  --json           machine-readable output (one JSON line per result)',
    "  --help, -h       this help, or a command's help after the command",
    '',
    'Passwords, secrets and codes are read from stdin, never from arguments.',
    'Exit codes: 0 done, 1 runtime failure, 2 bad input (nothing written), 130 interrupted.',
  ].join('\n');
}
