import { parseArgs } from 'node:util';

/** Bad input on the command line: reported as `sc-admin: <message>`, exit code 2, nothing written. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `string`: one value; `strings`: repeatable (`--role a --role b`); `boolean`: a switch without a value. */
type OptionKind = 'string' | 'strings' | 'boolean';
export type OptionSpecs = Readonly<Record<string, OptionKind>>;

/** Options every command accepts, before or after the command words. */
export const GLOBAL_OPTIONS = {
  'data-dir': 'string',
  json: 'boolean',
  help: 'boolean',
} as const satisfies OptionSpecs;

// Whatever their spelling, these never come from argv: it ends up in shell history and `ps`.
const SENSITIVE_OPTION = /^(password|passwd|pw|secret|code|otp|pin|token)$/i;
const STDIN_ONLY_MESSAGE =
  'sc-admin never takes a password, secret or code on the command line; it reads them from stdin';

export interface ParsedArgs {
  positionals: readonly string[];
  has(name: string): boolean;
  string(name: string): string | undefined;
  required(name: string): string;
  flag(name: string): boolean;
  strings(name: string): string[];
}

/**
 * Parses the options of one command with node:util parseArgs, then checks what parseArgs in non-strict mode
 * lets through, to give one specific message per mistake: unknown option, missing value, a value given to a
 * switch, a repeated option. Messages never echo a positional argument (it could be a mistyped password).
 */
export function parseOptions(args: readonly string[], specs: OptionSpecs, command: string): ParsedArgs {
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, kind] of Object.entries(specs)) {
    config[name] = {
      type: kind === 'boolean' ? 'boolean' : 'string',
      ...(kind === 'strings' ? { multiple: true } : {}),
    };
  }
  if ('help' in config) config.help = { type: 'boolean', short: 'h' };

  const { tokens } = parseArgs({
    args: [...args],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<string, string | boolean | string[]>();
  const positionals: string[] = [];

  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    // Own keys only: `--constructor=x` must not pass as an option because every object has one.
    const kind = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (SENSITIVE_OPTION.test(token.name)) throw new UsageError(`${token.rawName}: ${STDIN_ONLY_MESSAGE}`);
    if (kind === undefined)
      throw new UsageError(
        `unknown option ${token.rawName} for "${command}" (see sc-admin ${command} --help)`,
      );
    if (kind === 'boolean') {
      if (token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
      if (values.has(token.name)) throw new UsageError(`${token.rawName} is given more than once`);
      values.set(token.name, true);
      continue;
    }
    // parseArgs takes the next word as the value even when it is another option: `--email --json`.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UsageError(`${token.rawName} needs a value`);
    }
    if (kind === 'strings') {
      const list = values.get(token.name);
      values.set(token.name, [...(Array.isArray(list) ? list : []), token.value]);
    } else {
      if (values.has(token.name)) throw new UsageError(`${token.rawName} is given more than once`);
      values.set(token.name, token.value);
    }
  }

  return {
    positionals,
    has: (name) => values.has(name),
    string: (name) => {
      const value = values.get(name);
      return typeof value === 'string' ? value : undefined;
    },
    required(name) {
      const value = this.string(name);
      if (value === undefined || value.trim() === '') throw new UsageError(`"${command}" needs --${name}`);
      return value;
    },
    flag: (name) => values.get(name) === true,
    strings: (name) => {
      const value = values.get(name);
      return Array.isArray(value) ? value : [];
    },
  };
}

/** The exact number of positional arguments a command takes, named for the message. */
export function expectPositionals(args: ParsedArgs, names: readonly string[], command: string): string[] {
  if (args.positionals.length < names.length) {
    throw new UsageError(`"${command}" needs ${names.slice(args.positionals.length).join(' ')}`);
  }
  if (args.positionals.length > names.length) {
    throw new UsageError(
      `unexpected extra argument for "${command}" (passwords, secrets and codes are read from stdin, never from arguments)`,
    );
  }
  return [...args.positionals];
}

/** A whole number given as a flag's value; the range is the core's to check, with its own message. */
export function wholeNumber(value: string, flag: string): number {
  if (!/^\d{1,9}$/.test(value.trim())) throw new UsageError(`--${flag} needs a whole number, not "${value}"`);
  return Number(value.trim());
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  const match = allowed.find((candidate) => candidate === value.trim().toLowerCase());
  if (match === undefined) throw new UsageError(`--${flag} must be ${allowed.join(' or ')}, not "${value}"`);
  return match;
}

export function trueFalse(value: string, flag: string): boolean {
  return oneOf(value, ['true', 'false'], flag) === 'true';
}

/** Splits leading global options from the command words: `--json --data-dir D user add ...`. */
export function splitCommandWords(argv: readonly string[]): {
  leading: string[];
  words: string[];
  rest: string[];
} {
  const leading: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg === '--') {
      i++;
      break;
    }
    const name = arg.replace(/^--?/, '').split('=')[0]!;
    const known = name === 'h' || Object.hasOwn(GLOBAL_OPTIONS, name);
    if (!known) {
      if (SENSITIVE_OPTION.test(name)) throw new UsageError(`--${name}: ${STDIN_ONLY_MESSAGE}`);
      throw new UsageError(
        `unknown option ${arg.split('=')[0]} (global options before the command: --data-dir DIR, --json, --help)`,
      );
    }
    leading.push(arg);
    if (name === 'data-dir' && !arg.includes('=')) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError('--data-dir needs a value');
      leading.push(value);
      i++;
    }
  }
  const words: string[] = [];
  // At most two command words (group + verb); the rest belongs to the command.
  for (; i < argv.length && words.length < 2 && !argv[i]!.startsWith('-'); i++) words.push(argv[i]!);
  return { leading, words, rest: argv.slice(i) };
}

/** True when -h/--help appears before a `--` terminator. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
