/**
 * The app's life with a stand-in `electron`: one instance per data dir (a second launch focuses the first
 * window), the data dir moved by --data-dir / SC_DATA_DIR before the lock, the core opened there, windows
 * disconnected when closed, idle sessions swept, start-up problems explained, everything closed on quit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScError } from '../../main/core/errors';
import { IDLE_SWEEP_MS } from '../../main/shell/lifecycle';
import { clientIdOf } from '../../main/shell/ipc';
import { SESSION_PARTITION } from '../../main/shell/window';
import { tempDir } from '../support/temp-dir';
import { BrowserWindow, app, dialog, ipcMain, resetFakeElectron, session } from './support/fake-electron';
import { startTestShell, stubCore } from './support/shell-fixture';

vi.mock('electron', () => import('./support/fake-electron'));

beforeEach(() => resetFakeElectron());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('single instance', () => {
  it('a second instance quits at once: no core, no window, no handlers', async () => {
    app.lockGranted = false;
    const { running, openCore } = await startTestShell();
    expect(running).toBeNull();
    expect(app.quitCalls).toBe(1);
    expect(openCore).not.toHaveBeenCalled();
    expect(BrowserWindow.instances).toHaveLength(0);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('a second launch brings the first window back (restored, shown, focused)', async () => {
    await startTestShell();
    const window = BrowserWindow.instances[0]!;
    window.minimized = true;
    app.emit('second-instance', {}, ['system-configurator'], '/home/ada');
    expect(window.minimized).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.focused).toBe(true);
    expect(BrowserWindow.instances).toHaveLength(1);
  });

  it('registers the scheme and enables the sandbox before ready, and takes the lock before ready', async () => {
    await startTestShell();
    expect(app.calls.indexOf('protocol.registerSchemesAsPrivileged')).toBe(0);
    expect(app.calls.indexOf('app.requestSingleInstanceLock')).toBeLessThan(
      app.calls.indexOf('app.whenReady'),
    );
    expect(app.sandboxEnabledBeforeReady).toBe(true);
  });
});

describe('data folder', () => {
  it('opens the core in Electron userData by default', async () => {
    const { openCore, userData } = await startTestShell();
    expect(openCore.mock.calls[0]![0]).toBe(userData);
    expect(app.calls).not.toContain('app.setPath(userData)');
  });

  it('--data-dir moves userData and the logs before the single-instance lock, so each data dir has its own instance', async () => {
    const dir = tempDir('sc-data-dir-');
    const { openCore } = await startTestShell({ argv: ['system-configurator', '--data-dir', dir] });
    expect(openCore.mock.calls[0]![0]).toBe(dir);
    expect(app.paths.logs).toBe(path.join(dir, 'logs'));
    expect(app.calls.indexOf('app.setPath(userData)')).toBeLessThan(
      app.calls.indexOf('app.requestSingleInstanceLock'),
    );
  });

  it('SC_DATA_DIR does the same when no flag is given', async () => {
    const dir = tempDir('sc-env-dir-');
    const { openCore } = await startTestShell({ env: { SC_DATA_DIR: dir } });
    expect(openCore.mock.calls[0]![0]).toBe(dir);
  });

  it('a data folder that cannot be created is explained before the lock, and the app exits non-zero', async () => {
    const blocker = path.join(tempDir('sc-blocked-'), 'a-file');
    fs.writeFileSync(blocker, 'a file where the data folder should be');
    const { running, openCore } = await startTestShell({
      argv: ['system-configurator', '--data-dir', path.join(blocker, 'data')],
    });
    expect(running).toBeNull();
    expect(dialog.messageBoxes[0]?.title).toBe('Data folder not writable');
    expect(dialog.messageBoxes[0]?.detail).toContain(path.join(blocker, 'data'));
    // never mistaken for "another instance runs" (which quits with 0 and no word)
    expect(app.calls).not.toContain('app.requestSingleInstanceLock');
    expect(app.exitCode).toBe(1);
    expect(openCore).not.toHaveBeenCalled();
    expect(BrowserWindow.instances).toHaveLength(0);
  });

  it('"Try again" after the folder is fixed creates it, takes the lock and starts', async () => {
    const parent = tempDir('sc-fixed-');
    const blocker = path.join(parent, 'a-file');
    fs.writeFileSync(blocker, 'in the way');
    const dataDir = path.join(blocker, 'data');
    vi.spyOn(dialog, 'showMessageBox').mockImplementationOnce(async () => {
      fs.rmSync(blocker); // the administrator fixes it while the dialog is open
      return { response: 0, checkboxChecked: false }; // Try again
    });
    const { running, openCore } = await startTestShell({
      argv: ['system-configurator', '--data-dir', dataDir],
    });
    expect(running).not.toBeNull();
    expect(fs.statSync(dataDir).isDirectory()).toBe(true);
    expect(app.calls).toContain('app.requestSingleInstanceLock');
    expect(openCore.mock.calls[0]![0]).toBe(dataDir);
  });

  it('creates a missing data folder before taking the lock', async () => {
    const dataDir = path.join(tempDir('sc-new-'), 'nested', 'data');
    await startTestShell({ argv: ['system-configurator', '--data-dir', dataDir] });
    expect(fs.statSync(dataDir).isDirectory()).toBe(true);
  });

  it('a --data-dir without a folder is explained and the app quits', async () => {
    const { running, openCore } = await startTestShell({ argv: ['system-configurator', '--data-dir'] });
    expect(running).toBeNull();
    expect(openCore).not.toHaveBeenCalled();
    expect(dialog.errorBoxes[0]?.content).toContain('--data-dir needs a folder');
    expect(app.quitCalls).toBe(1);
  });
});

describe('window, gateway and core', () => {
  it('opens one window on the app session, serves app:// there, and wires every channel', async () => {
    await startTestShell();
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(BrowserWindow.instances[0]!.options.webPreferences?.partition).toBe(SESSION_PARTITION);
    expect(session.fromPartition(SESSION_PARTITION).protocolHandlers.has('app')).toBe(true);
    expect(ipcMain.handlers.size).toBeGreaterThan(10);
  });

  it('devtools only in an unpackaged development run', async () => {
    await startTestShell({ env: { SC_DEV: '1' } });
    expect(BrowserWindow.instances[0]!.options.webPreferences?.devTools).toBe(true);
    resetFakeElectron();
    await startTestShell();
    expect(BrowserWindow.instances[0]!.options.webPreferences?.devTools).toBe(false);
    resetFakeElectron();
    app.isPackaged = true;
    await startTestShell({ env: { SC_DEV: '1' } });
    expect(BrowserWindow.instances[0]!.options.webPreferences?.devTools).toBe(false);
  });

  it('closing a window ends its login session in the gateway', async () => {
    const { gateway, running } = await startTestShell();
    const window = BrowserWindow.instances[0]!;
    window.close();
    expect(gateway.disconnect).toHaveBeenCalledWith(clientIdOf(window.webContents));
    expect(running!.windows.size).toBe(0);
  });

  it('sweeps idle sessions on an interval', async () => {
    vi.useFakeTimers();
    const { core } = await startTestShell();
    vi.advanceTimersByTime(IDLE_SWEEP_MS * 3);
    expect(core.auth.sweepIdle).toHaveBeenCalledTimes(3);
  });

  it('on quit: stops the sweep, removes the handlers and closes the core', async () => {
    vi.useFakeTimers();
    const { core } = await startTestShell();
    app.emit('will-quit', {});
    expect(core.close).toHaveBeenCalledTimes(1);
    expect(ipcMain.handlers.size).toBe(0);
    vi.advanceTimersByTime(IDLE_SWEEP_MS * 3);
    expect(core.auth.sweepIdle).not.toHaveBeenCalled();
  });

  it('quits when the last window closes', async () => {
    await startTestShell();
    app.emit('window-all-closed');
    expect(app.quitCalls).toBe(1);
  });
});

describe('start-up problems', () => {
  it('a keychain that cannot be reached is explained; "Try again" checks it again and then starts', async () => {
    const checkKeychain = vi
      .fn<() => Promise<void>>()
      .mockRejectedValueOnce(
        new ScError('keychain-unavailable', 'OS keychain unavailable: the keychain is locked'),
      )
      .mockResolvedValueOnce(undefined);
    dialog.answers.push(0); // Try again
    const { running } = await startTestShell({ checkKeychain });
    expect(dialog.messageBoxes[0]?.message).toContain('keychain');
    expect(checkKeychain).toHaveBeenCalledTimes(2);
    expect(running).not.toBeNull();
  });

  it('"Continue without the keychain" starts without checking it again', async () => {
    const checkKeychain = vi.fn(async () => {
      throw new ScError('keychain-unavailable', 'OS keychain unavailable: no D-Bus session');
    });
    dialog.answers.push(1); // Continue without the keychain
    const { running } = await startTestShell({ checkKeychain });
    expect(checkKeychain).toHaveBeenCalledTimes(1);
    expect(running).not.toBeNull();
  });

  it('a database from a newer version shows an error box and quits without a window', async () => {
    const openCore = vi.fn(() => {
      throw new ScError('database-newer-schema', 'The database was written by a newer version (schema 9).');
    });
    const { running } = await startTestShell({ openCore });
    expect(running).toBeNull();
    expect(dialog.errorBoxes[0]?.content).toContain('newer version');
    expect(BrowserWindow.instances).toHaveLength(0);
    expect(app.quitCalls).toBe(1);
  });

  it('a damaged database, once moved aside, is replaced by a new one on the retry', async () => {
    const core = stubCore();
    const openCore = vi
      .fn()
      .mockImplementationOnce(() => {
        throw new ScError('database-unreadable', 'The database is damaged.');
      })
      .mockImplementationOnce(() => core);
    dialog.answers.push(0, 0); // Move aside and start fresh; OK
    const { running } = await startTestShell({ openCore });
    expect(openCore).toHaveBeenCalledTimes(2);
    expect(running?.core).toBe(core);
  });
});
