/** --data-dir / SC_DATA_DIR / SC_DEV as the shell reads them. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isScError } from '../../main/core/errors';
import { parseShellArgs } from '../../main/shell/args';

const CWD = path.resolve('/home/ada/work');

describe('parseShellArgs', () => {
  it('takes --data-dir <folder> and --data-dir=<folder>, resolved against the working folder', () => {
    expect(parseShellArgs(['sc', '--data-dir', 'data'], {}, CWD).dataDir).toBe(path.join(CWD, 'data'));
    expect(parseShellArgs(['sc', '--data-dir=/srv/sc'], {}, CWD).dataDir).toBe(path.resolve('/srv/sc'));
    expect(parseShellArgs(['sc', '--data-dir=My Data'], {}, CWD).dataDir).toBe(path.join(CWD, 'My Data'));
  });

  it('finds the flag among Chromium switches and after the app path (unpackaged runs)', () => {
    const argv = ['/usr/lib/electron', '/opt/sc', '--no-sandbox', '--data-dir', '/tmp/sc-1', '--inspect=0'];
    expect(parseShellArgs(argv, {}, CWD).dataDir).toBe(path.resolve('/tmp/sc-1'));
  });

  it('the flag wins over SC_DATA_DIR; SC_DATA_DIR is used without it; neither gives null (Electron userData)', () => {
    expect(parseShellArgs(['sc', '--data-dir', '/a'], { SC_DATA_DIR: '/b' }, CWD).dataDir).toBe(
      path.resolve('/a'),
    );
    expect(parseShellArgs(['sc'], { SC_DATA_DIR: '/b' }, CWD).dataDir).toBe(path.resolve('/b'));
    expect(parseShellArgs(['sc'], { SC_DATA_DIR: '' }, CWD).dataDir).toBeNull();
    expect(parseShellArgs(['sc'], {}, CWD).dataDir).toBeNull();
  });

  it('the last --data-dir counts, and nothing after -- is read', () => {
    expect(parseShellArgs(['sc', '--data-dir', '/a', '--data-dir=/c'], {}, CWD).dataDir).toBe(
      path.resolve('/c'),
    );
    expect(parseShellArgs(['sc', '--', '--data-dir', '/a'], {}, CWD).dataDir).toBeNull();
  });

  it.each([
    [['sc', '--data-dir']],
    [['sc', '--data-dir=']],
    [['sc', '--data-dir', '--no-sandbox']],
    [['sc', '--data-dir', '']],
  ])('refuses a --data-dir without a folder: %j', (argv) => {
    let error: unknown;
    try {
      parseShellArgs(argv, {}, CWD);
    } catch (caught) {
      error = caught;
    }
    expect(isScError(error, 'validation')).toBe(true);
    expect((error as Error).message).toContain('--data-dir needs a folder');
  });

  it('SC_DEV=1 marks a development run', () => {
    expect(parseShellArgs(['sc'], { SC_DEV: '1' }, CWD).dev).toBe(true);
    expect(parseShellArgs(['sc'], { SC_DEV: 'yes' }, CWD).dev).toBe(false);
    expect(parseShellArgs(['sc'], {}, CWD).dev).toBe(false);
  });
});
