import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformDataDir, resolveDataDir } from '../../main/core/data-dir';

describe('data dir (the same folder as Electron userData)', () => {
  it('Linux: $XDG_CONFIG_HOME/System Configurator, else ~/.config/System Configurator', () => {
    expect(platformDataDir({ platform: 'linux', home: '/home/ann', env: { XDG_CONFIG_HOME: '/cfg' } })).toBe(
      '/cfg/System Configurator',
    );
    expect(platformDataDir({ platform: 'linux', home: '/home/ann', env: {} })).toBe(
      '/home/ann/.config/System Configurator',
    );
    expect(platformDataDir({ platform: 'linux', home: '/home/ann', env: { XDG_CONFIG_HOME: '' } })).toBe(
      '/home/ann/.config/System Configurator',
    );
  });

  it('macOS: ~/Library/Application Support/System Configurator', () => {
    expect(
      platformDataDir({ platform: 'darwin', home: '/Users/ann', env: { XDG_CONFIG_HOME: '/ignored' } }),
    ).toBe('/Users/ann/Library/Application Support/System Configurator');
  });

  it('Windows: %APPDATA%\\System Configurator, else ~\\AppData\\Roaming\\System Configurator', () => {
    expect(
      platformDataDir({ platform: 'win32', home: 'C:\\Users\\ann', env: { APPDATA: 'D:\\Roaming' } }),
    ).toBe('D:\\Roaming\\System Configurator');
    expect(platformDataDir({ platform: 'win32', home: 'C:\\Users\\ann', env: {} })).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\System Configurator',
    );
  });

  it('--data-dir wins over SC_DATA_DIR, which wins over the platform folder; relative paths resolve', () => {
    const context = { platform: 'linux' as const, home: '/home/ann', env: { SC_DATA_DIR: '/srv/sc' } };
    expect(resolveDataDir('/tmp/flag', context)).toBe('/tmp/flag');
    expect(resolveDataDir(undefined, context)).toBe('/srv/sc');
    expect(resolveDataDir(undefined, { ...context, env: {} })).toBe('/home/ann/.config/System Configurator');
    expect(resolveDataDir('relative/dir', context)).toBe(path.resolve('relative/dir'));
  });
});
