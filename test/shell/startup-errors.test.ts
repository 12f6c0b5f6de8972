/**
 * Start-up problems as dialogs that say what to do: a damaged database (moved aside, the backup kept), one
 * from a newer version, a data folder that cannot be written, an unreachable keychain, a refused managed
 * policy, anything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../main/core/db/database';
import { createCore } from '../../main/core/create-core';
import { ScError } from '../../main/core/errors';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { managedSource, writeManagedPolicy } from '../support/managed-policy';
import { describeStartupError, explainStartupError } from '../../main/shell/startup-errors';
import { tempDir } from '../support/temp-dir';
import { dialog, resetFakeElectron } from './support/fake-electron';

vi.mock('electron', () => import('./support/fake-electron'));

beforeEach(() => resetFakeElectron());

function damagedDataDir(): string {
  const dir = tempDir('sc-damaged-');
  fs.writeFileSync(path.join(dir, DATABASE_FILE), 'this is not a database, it only has a name like one');
  return dir;
}

function openError(dataDir: string): unknown {
  try {
    openDatabase({ dataDir }).close();
  } catch (error) {
    return error;
  }
  throw new Error('expected the database to be refused');
}

describe('start-up error dialogs', () => {
  it('a damaged database: "Move aside and start fresh" keeps the old file as a backup and the next open starts empty', async () => {
    const dataDir = damagedDataDir();
    const error = openError(dataDir);
    dialog.answers.push(0, 0);

    expect(await explainStartupError(error, dataDir)).toBe('retry');
    expect(dialog.messageBoxes[0]).toMatchObject({
      type: 'error',
      message: 'System Configurator cannot open its database.',
      buttons: ['Move aside and start fresh', 'Try again', 'Quit'],
      cancelId: 2,
    });
    const backups = fs.readdirSync(dataDir).filter((name) => name.startsWith(`${DATABASE_FILE}.damaged.`));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, backups[0]!), 'utf8')).toContain('not a database');
    expect(dialog.messageBoxes[1]?.detail).toContain(backups[0]);
    openDatabase({ dataDir }).close();
  });

  it('a damaged database: "Quit" (or closing the dialog) leaves the file as it was', async () => {
    const dataDir = damagedDataDir();
    expect(await explainStartupError(openError(dataDir), dataDir)).toBe('quit');
    expect(fs.readdirSync(dataDir)).toEqual([DATABASE_FILE]);
  });

  it('a database from a newer version: an error box that says to install the newer version, then quit', async () => {
    const dataDir = tempDir('sc-newer-');
    const db = openDatabase({ dataDir });
    db.pragma('user_version = 999');
    db.close();
    expect(await explainStartupError(openError(dataDir), dataDir)).toBe('quit');
    expect(dialog.errorBoxes).toHaveLength(1);
    expect(dialog.errorBoxes[0]!.title).toBe('Newer database');
    expect(dialog.errorBoxes[0]!.content).toContain('Install the newer version');
  });

  it('a data folder that cannot be written: names the folder and --data-dir, offers Try again', () => {
    const problem = describeStartupError(
      new ScError('database-not-writable', 'System Configurator cannot write to its data folder /srv/sc.'),
      '/srv/sc',
    );
    expect(problem.detail).toContain('/srv/sc');
    expect(problem.detail).toContain('--data-dir');
    expect(problem.buttons.map((b) => b.action)).toEqual(['retry', 'quit']);
  });

  it.each([
    ['linux', 'GNOME Keyring'],
    ['darwin', 'login keychain'],
    ['win32', 'Credential Manager'],
  ] as const)(
    'an unreachable keychain on %s: says how to make it available, offers retry, continue, quit',
    (platform, hint) => {
      const problem = describeStartupError(
        new ScError('keychain-unavailable', 'OS keychain unavailable: the keychain is locked'),
        '/data',
        platform,
      );
      expect(problem.detail).toContain('the keychain is locked');
      expect(problem.detail).toContain(hint);
      expect(problem.detail).toContain('never in a file');
      expect(problem.buttons.map((b) => b.action)).toEqual(['retry', 'continue', 'quit']);
    },
  );

  it('a refused managed policy: says what is wrong and which file, never continues on local settings', async () => {
    const file = writeManagedPolicy({ version: 1, twoFactor: { maxAttempts: 0 } });
    const dataDir = tempDir('sc-managed-');
    let error: unknown;
    try {
      createCore({ dataDir, keychain: new InMemoryKeychain(), managedPolicy: managedSource(file) });
    } catch (thrown) {
      error = thrown;
    }
    const problem = describeStartupError(error, dataDir);
    expect(problem.title).toBe('Managed policy refused');
    expect(problem.detail).toContain(`File: ${file}`);
    expect(problem.detail).toContain('twoFactor.maxAttempts: Allow at least 1 attempt.');
    expect(problem.buttons.map((b) => b.action)).toEqual(['retry', 'quit']);
    dialog.answers.push(1);
    expect(await explainStartupError(error, dataDir)).toBe('quit');
    expect(dialog.messageBoxes[0]).toMatchObject({ title: 'Managed policy refused' });
  });

  it('anything else: a generic error box without internals, then quit', async () => {
    expect(await explainStartupError(new TypeError('x is undefined at secret.ts:12'), '/data')).toBe('quit');
    expect(dialog.errorBoxes[0]!.content).toContain('An unexpected error stopped System Configurator.');
    expect(dialog.errorBoxes[0]!.content).not.toContain('secret.ts');
  });
});
