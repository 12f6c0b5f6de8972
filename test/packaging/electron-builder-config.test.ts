/**
 * electron-builder.yml as electron-builder reads it: it passes electron-builder's own schema validation
 * (app-builder-lib's validateConfiguration against its scheme.json), it says what the issue asks, and the
 * afterPack hook's fuse flavours are what release and Playwright builds need.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FuseState, FuseV1Options, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';
import { createFakeElectronDist } from './support/fake-electron-dist';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

type Flavor = 'release' | 'test';
const afterPack = createRequire(import.meta.url)('../../tools/after-pack.cjs') as {
  buildFlavor(env: Record<string, string | undefined>): Flavor;
  fuseStates(flavor: Flavor): Record<string, boolean>;
  fuseConfig(flavor: Flavor, platformName: string): Promise<FuseConfig>;
};

async function loadConfig(): Promise<Configuration> {
  return getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null);
}

function targetsOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map((t) =>
    typeof t === 'string' ? t : (t as { target: string }).target,
  );
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the validation is real: a misspelt option is refused', async () => {
    const config = await loadConfig();
    const broken = { ...config, linux: { ...config.linux, tagret: 'AppImage' } } as Configuration;
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(
      /configuration.linux/,
    );
  });

  it('names the app and builds what fleets install: AppImage + deb + rpm, NSIS + MSI, dmg + pkg', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('com.systemconfigurator.desktop');
    expect(config.productName).toBe('System Configurator');
    expect(targetsOf(config.linux?.target)).toEqual(['AppImage', 'deb', 'rpm']);
    expect(targetsOf(config.win?.target)).toEqual(['nsis', 'msi']);
    expect(targetsOf(config.mac?.target)).toEqual(['dmg', 'pkg']);
  });

  it('Windows installs per machine (silent /S, msiexec /qn) and locks the managed policy folder', async () => {
    const config = await loadConfig();
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, include: 'build/installer.nsh' });
    expect(config.msi).toMatchObject({ perMachine: true });
    const include = fs.readFileSync(path.join(ROOT, 'build/installer.nsh'), 'utf8');
    expect(include).toContain('!macro customInstall');
    // SYSTEM and Administrators full control, Users read only, nothing inherited.
    expect(include).toMatch(
      /icacls "\$APPDATA\\System Configurator" \/inheritance:r \/grant:r \*S-1-5-18:\(OI\)\(CI\)F \*S-1-5-32-544:\(OI\)\(CI\)F \*S-1-5-32-545:\(OI\)\(CI\)RX/,
    );
    expect(config.pkg).toMatchObject({ installLocation: '/Applications', isRelocatable: false });
  });

  it('unpacks native modules, never rebuilds them (all Node-API), and flips fuses after packing', async () => {
    const config = await loadConfig();
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(false);
    expect(config.afterPack).toBe('tools/after-pack.cjs');
    expect(fs.existsSync(path.join(ROOT, 'tools/after-pack.cjs'))).toBe(true);
    expect(config).not.toHaveProperty('electronFuses');
  });

  it('has a 512×512 PNG icon for every platform', async () => {
    const config = await loadConfig();
    for (const platform of [config.linux, config.win, config.mac])
      expect(platform?.icon).toBe('build/icon.png');
    const png = fs.readFileSync(path.join(ROOT, 'build/icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});

describe('afterPack fuse flavours', () => {
  it('release is the default flavour; test is chosen with SC_BUILD_FLAVOR=test; anything else is refused', () => {
    expect(afterPack.buildFlavor({})).toBe('release');
    expect(afterPack.buildFlavor({ SC_BUILD_FLAVOR: 'test' })).toBe('test');
    expect(() => afterPack.buildFlavor({ SC_BUILD_FLAVOR: 'debug' })).toThrow(/SC_BUILD_FLAVOR/);
  });

  it("the test flavour differs from release only in keeping --inspect (Playwright's _electron needs it)", () => {
    const release = afterPack.fuseStates('release');
    const test = afterPack.fuseStates('test');
    expect(test).toEqual({ ...release, EnableNodeCliInspectArguments: true });
    expect(release.EnableNodeCliInspectArguments).toBe(false);
  });

  it.each(['release', 'test'] as const)(
    'the %s flavour flips a binary that carries the fuse wire',
    async (flavor) => {
      const dist = createFakeElectronDist(tempDir('sc-fuses-'), '45.0.0');
      const binary = path.join(dist, 'electron');
      await flipFuses(binary, await afterPack.fuseConfig(flavor, 'linux'));
      const wire = await getCurrentFuseWire(binary);
      const expected = afterPack.fuseStates(flavor);
      for (const [name, enabled] of Object.entries(expected)) {
        const index = FuseV1Options[name as keyof typeof FuseV1Options];
        expect(wire[index], name).toBe(enabled ? FuseState.ENABLE : FuseState.DISABLE);
      }
    },
  );

  it('resets the ad-hoc signature only for macOS builds', async () => {
    expect((await afterPack.fuseConfig('release', 'darwin')).resetAdHocDarwinSignature).toBe(true);
    expect((await afterPack.fuseConfig('release', 'linux')).resetAdHocDarwinSignature).toBe(false);
    expect((await afterPack.fuseConfig('release', 'win32')).resetAdHocDarwinSignature).toBe(false);
  });
});
