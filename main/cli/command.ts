import fs from 'node:fs';
import { systemClock } from '../core/clock';
import { createCore, type Core } from '../core/create-core';
import { databasePath } from '../core/db/database';
import type { ManagedPolicySource } from '../core/policy/managed-policy';
import type { KeychainBackend } from '../core/secrets/keychain';
import { UsageError, type OptionSpecs, type ParsedArgs } from './args';
import type { Output } from './output';
import type { Input } from './stdin';

/** Who every change made through the CLI is audited as. */
export const ACTOR = 'sc-admin';

export interface Command {
  /** The command words: `user add`, `init`. */
  name: string;
  /** One line: arguments and options, as --help shows them. */
  usage: string;
  summary: string;
  options: OptionSpecs;
  /** Returns the exit code (0 unless the command says otherwise). */
  run(context: CommandContext, args: ParsedArgs): Promise<number | void>;
}

export interface CommandContext {
  dataDir: string;
  out: Output;
  input: Input;
  /** Progress and prompts: stderr, so stdout stays the result. */
  err: NodeJS.WritableStream;
  hasDatabase(): boolean;
  /**
   * The core over the data dir. Only `init` and `secret set` may create a database: for anything else a
   * missing one means a mistyped --data-dir, and creating an empty database there would hide it.
   */
  core(options?: { create?: boolean }): Core;
}

export function createContext(options: {
  dataDir: string;
  out: Output;
  input: Input;
  err: NodeJS.WritableStream;
  keychain: () => KeychainBackend;
  managedPolicy: ManagedPolicySource;
}): CommandContext & { close(): void } {
  let core: Core | undefined;
  const hasDatabase = () => fs.existsSync(databasePath(options.dataDir));
  return {
    dataDir: options.dataDir,
    out: options.out,
    input: options.input,
    err: options.err,
    hasDatabase,
    core({ create = false } = {}) {
      if (core) return core;
      if (!create && !hasDatabase()) {
        throw new UsageError(
          `there is no System Configurator database in ${options.dataDir}; check --data-dir (or SC_DATA_DIR), or create one with "sc-admin init --admin NAME"`,
        );
      }
      core = createCore({
        dataDir: options.dataDir,
        clock: systemClock,
        keychain: options.keychain(),
        managedPolicy: options.managedPolicy,
      });
      return core;
    },
    close() {
      core?.close();
    },
  };
}
