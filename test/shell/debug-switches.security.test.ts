/**
 * Issue 12, "Debugging switches in release builds": a packaged release build refuses to start with
 * --remote-debugging-port, --remote-debugging-pipe, --inspect* or --js-flags (each would let another
 * program drive the app). The real entry (main/shell/entry.ts) runs against the stand-in electron; the app
 * itself is never loaded when it refuses. The built bundle is checked the same way in
 * test/packaging/main-bundle.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { findDebugSwitches } from '../../main/shell/debug-switches';
import { runEntry, type EntryOptions } from '../../main/shell/entry';
import { app, dialog, resetFakeElectron } from './support/fake-electron';

vi.mock('electron', () => import('./support/fake-electron'));

beforeEach(() => resetFakeElectron());

const EXE = '/opt/System Configurator/system-configurator';

async function start(argv: readonly string[], overrides: Partial<EntryOptions> = {}) {
  const loadApp = vi.fn(async () => {});
  await runEntry({ argv: [EXE, ...argv], platform: 'linux', flavor: 'release', loadApp, ...overrides });
  return { loadApp };
}

describe('a packaged release build refuses debugging switches', () => {
  it.each([
    ['--remote-debugging-port=9222'],
    ['--remote-debugging-pipe'],
    ['--inspect'],
    ['--inspect=0.0.0.0:9229'],
    ['--inspect-brk=9229'],
    ['--inspect-port=9229'],
    ['--js-flags=--allow-natives-syntax'],
    ['-remote-debugging-port=9222'], // Chromium also reads a single dash
  ])('%s: an error box that names it, exit 1, the app never loaded', async (flag) => {
    app.isPackaged = true;
    const { loadApp } = await start(['--data-dir', '/tmp/sc', flag]);
    expect(loadApp).not.toHaveBeenCalled();
    expect(app.exitCode).toBe(1);
    expect(dialog.errorBoxes).toHaveLength(1);
    expect(dialog.errorBoxes[0]!.title).toBe('Debugging options are not allowed');
    expect(dialog.errorBoxes[0]!.content).toContain(`--${/^-+([\w-]+)/.exec(flag)![1]}`);
  });

  it('a switch only Chromium saw (app.commandLine) is refused too', async () => {
    app.isPackaged = true;
    app.commandLine.switches.add('remote-debugging-port');
    const { loadApp } = await start([]);
    expect(loadApp).not.toHaveBeenCalled();
    expect(app.exitCode).toBe(1);
  });

  it('on Windows /switch and any letter case count as well', () => {
    const none = { hasSwitch: () => false };
    expect(findDebugSwitches([EXE, '/Remote-Debugging-Port=9222'], none, 'win32')).toEqual([
      '--remote-debugging-port',
    ]);
    expect(findDebugSwitches([EXE, '--JS-FLAGS=--expose-gc'], none, 'win32')).toEqual(['--js-flags']);
    // a POSIX path is not a switch
    expect(findDebugSwitches([EXE, '/inspect'], none, 'linux')).toEqual([]);
  });

  it('arguments after a bare -- are not switches, and look-alikes are not refused', () => {
    const none = { hasSwitch: () => false };
    expect(findDebugSwitches([EXE, '--', '--inspect'], none, 'linux')).toEqual([]);
    expect(
      findDebugSwitches([EXE, '--data-dir', '/tmp/inspect', '--remote-debugging'], none, 'linux'),
    ).toEqual([]);
  });
});

describe('where the switches stay allowed', () => {
  it('a packaged build without them starts the app', async () => {
    app.isPackaged = true;
    const { loadApp } = await start(['--data-dir', '/tmp/sc']);
    expect(loadApp).toHaveBeenCalledTimes(1);
    expect(dialog.errorBoxes).toEqual([]);
    expect(app.exitCode).toBeNull();
  });

  it('an unpackaged run (npm start, the Electron e2e suite) keeps them', async () => {
    app.isPackaged = false;
    const { loadApp } = await start(['--inspect=0', '--remote-debugging-port=0']);
    expect(loadApp).toHaveBeenCalledTimes(1);
  });

  it("the packaged test flavour keeps them: Playwright's _electron launches with --inspect=0 --remote-debugging-port=0", async () => {
    app.isPackaged = true;
    const { loadApp } = await start(['--inspect=0', '--remote-debugging-port=0'], { flavor: 'test' });
    expect(loadApp).toHaveBeenCalledTimes(1);
  });
});
