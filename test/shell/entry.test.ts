/**
 * An error before the shell is up (the app bundle or a native module failing to load, or anything thrown
 * while starting) ends in the start-up error box and exit code 1, instead of Electron's generic box and a
 * process left without a window.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runEntry } from '../../main/shell/entry';
import { FATAL_TITLE } from '../../main/shell/fatal';
import { app, dialog, resetFakeElectron } from './support/fake-electron';

vi.mock('electron', () => import('./support/fake-electron'));

beforeEach(() => resetFakeElectron());

const ENTRY = { argv: ['/opt/sc/system-configurator'], platform: 'linux', flavor: 'release' } as const;

describe('errors before the shell is up', () => {
  it('the app failing to load (a native module for another platform) shows the error box and exits 1', async () => {
    await runEntry({
      ...ENTRY,
      loadApp: async () => {
        throw new Error("Cannot find module '@node-rs/argon2-win32-x64-msvc'");
      },
    });
    expect(dialog.errorBoxes).toEqual([
      { title: FATAL_TITLE, content: "Cannot find module '@node-rs/argon2-win32-x64-msvc'" },
    ]);
    expect(app.exitCode).toBe(1);
    expect(app.ready).toBe(true); // shown once ready: before that, Linux would print it to stderr only
  });

  it('while the app starts, an uncaught exception or rejection anywhere is fatal; once it is up, the handlers are gone', async () => {
    const before = {
      exception: process.listeners('uncaughtException'),
      rejection: process.listeners('unhandledRejection'),
    };
    let ours: ((error: unknown) => void)[] = [];
    await runEntry({
      ...ENTRY,
      loadApp: async () => {
        ours = [
          ...process.listeners('uncaughtException').filter((l) => !before.exception.includes(l)),
          ...process.listeners('unhandledRejection').filter((l) => !before.rejection.includes(l)),
        ] as ((error: unknown) => void)[];
        expect(ours).toHaveLength(2);
        ours[1]!(new Error('the keychain probe rejected'));
      },
    });
    await vi.waitFor(() => expect(app.exitCode).toBe(1));
    expect(dialog.errorBoxes[0]).toEqual({ title: FATAL_TITLE, content: 'the keychain probe rejected' });
    expect(process.listeners('uncaughtException')).toEqual(before.exception);
    expect(process.listeners('unhandledRejection')).toEqual(before.rejection);
  });

  it('a normal start shows nothing and exits nothing', async () => {
    await runEntry({ ...ENTRY, loadApp: async () => {} });
    expect(dialog.errorBoxes).toEqual([]);
    expect(app.exitCode).toBeNull();
  });
});
