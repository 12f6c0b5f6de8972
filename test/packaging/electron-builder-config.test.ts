/**
 * electron-builder.yml as electron-builder reads it: it passes electron-builder's own schema validation
 * (app-builder-lib's validateConfiguration against its scheme.json), it says what the issue asks, and the
 * afterPack hook's fuse flavours are what release and Playwright builds need.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FuseState, FuseV1Options, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';
import { createPackage } from '@electron/asar';
import { AppInfo } from 'app-builder-lib/out/appInfo';
import FpmTarget from 'app-builder-lib/out/targets/FpmTarget';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';
import { ELECTRON_RUNTIME, buildMain } from '../../tools/build-main';
import { createFakeElectronDist } from './support/fake-electron-dist';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

type Flavor = 'release' | 'test';
const afterPack = createRequire(import.meta.url)('../../tools/after-pack.cjs') as {
  bundledFlavor(source: string): Flavor | null;
  assertBundleFlavor(asarFile: string, flavor: Flavor): Promise<void>;
  buildFlavor(env: Record<string, string | undefined>): Flavor;
  fuseStates(flavor: Flavor): Record<string, boolean>;
  fuseConfig(flavor: Flavor, platformName: string): Promise<FuseConfig>;
};

/** electron-builder's own package.json checks (internal: no type declarations). */
const { checkMetadata, readPackageJson } = createRequire(import.meta.url)(
  'app-builder-lib/out/util/packageMetadata',
) as {
  checkMetadata(metadata: object, devMetadata: object, appFile: string, devAppFile: string): void;
  readPackageJson(file: string): Promise<Record<string, unknown>>;
};

const beforePack = createRequire(import.meta.url)('../../tools/before-pack.cjs') as {
  default(
    context: never,
    host: { platform: string; arch: string },
    env: Record<string, string>,
  ): Promise<void>;
  crossBuildProblem(
    target: { platform: string; arch: string },
    host: { platform: string; arch: string },
  ): string | null;
  macSigningNote(env: Record<string, string>): string | null;
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

  it('unpacks only the .node binaries (no smartUnpack), never rebuilds them (all Node-API), checks before packing and flips fuses after', async () => {
    const config = await loadConfig();
    expect(config.asar).toEqual({ smartUnpack: false });
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(false);
    expect(config.beforePack).toBe('tools/before-pack.cjs');
    expect(config.afterPack).toBe('tools/after-pack.cjs');
    for (const hook of ['tools/before-pack.cjs', 'tools/after-pack.cjs'])
      expect(fs.existsSync(path.join(ROOT, hook))).toBe(true);
    expect(config).not.toHaveProperty('electronFuses');
  });

  it("the AppImage uses electron-builder's static runtime (FUSE 3 or none), not the libfuse2 one", async () => {
    const config = await loadConfig();
    // "0.0.0" (the default) is the legacy runtime that needs libfuse2; 1.0.x is the static type-2 runtime
    expect(config.toolsets?.appimage).toMatch(/^1\.\d+\.\d+$/);
  });

  it('macOS: hardened runtime, notarised when the environment has the credentials', async () => {
    const config = await loadConfig();
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.notarize).toBe(true);
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

describe('package metadata every target needs', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  > & {
    author?: { name?: string; email?: string };
  };

  it("passes electron-builder's own package.json check (name, version, description, author)", async () => {
    await expect(readPackageJson(path.join(ROOT, 'package.json'))).resolves.toMatchObject({ name: pkg.name });
    expect(() => checkMetadata(pkg, pkg, 'package.json', 'package.json')).not.toThrow();
    for (const field of ['name', 'version', 'description'])
      expect(String(pkg[field] ?? '').trim(), field).not.toBe('');
    expect(pkg.author?.name).toBeTruthy();
  });

  /** electron-builder's deb/rpm step (FpmTarget) reads these before building; run its own check. */
  async function debMetaInfo(metadata: Record<string, unknown>, linux: Configuration['linux']) {
    const config = await loadConfig();
    const info = { metadata, devMetadata: metadata, config, repositoryInfo: Promise.resolve(null) };
    const appInfo = new AppInfo(info as never, null, linux as never);
    const target = { packager: { appInfo, info }, options: { ...linux, ...config.deb } };
    return (
      FpmTarget.prototype as unknown as {
        computeFpmMetaInfoOptions(): Promise<{ url: string; maintainer: string }>;
      }
    ).computeFpmMetaInfoOptions.call(target);
  }

  it('the deb has the homepage and a maintainer with an e-mail address', async () => {
    const config = await loadConfig();
    const meta = await debMetaInfo(pkg, config.linux);
    expect(meta.url).toBe(pkg.homepage);
    expect(meta.maintainer).toMatch(/<[^@\s]+@[^@\s]+>$/);
  });

  it('the check is real: without homepage, or without a maintainer and an author e-mail, the deb fails', async () => {
    const config = await loadConfig();
    const { homepage: _homepage, ...withoutHomepage } = pkg;
    await expect(debMetaInfo(withoutHomepage, config.linux)).rejects.toThrow(/homepage/);
    const { maintainer: _maintainer, ...linuxWithoutMaintainer } = config.linux ?? {};
    await expect(debMetaInfo(pkg, linuxWithoutMaintainer)).resolves.toMatchObject({
      maintainer: `${pkg.author!.name} <${pkg.author!.email}>`,
    });
    await expect(debMetaInfo({ ...pkg, author: { name: 'x' } }, linuxWithoutMaintainer)).rejects.toThrow(
      /email/i,
    );
  });
});

describe('build targets follow the Electron in use', () => {
  it('the esbuild targets name the Electron major that is installed', () => {
    const electron = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8'),
    ) as { version: string };
    expect(Number(electron.version.split('.')[0])).toBe(ELECTRON_RUNTIME.electronMajor);
    expect(ELECTRON_RUNTIME.node).toBe('node24');
  });
});

describe('beforePack: installers only for this machine; macOS signing said out loud', () => {
  const host = { platform: 'linux', arch: 'x64' };
  it('the same platform and CPU pass', () => {
    expect(beforePack.crossBuildProblem({ platform: 'linux', arch: 'x64' }, host)).toBeNull();
    expect(
      beforePack.crossBuildProblem({ platform: 'mas', arch: 'arm64' }, { platform: 'darwin', arch: 'arm64' }),
    ).toBeNull();
  });

  it.each([
    [{ platform: 'win32', arch: 'x64' }, /win32-x64 on a linux-x64 machine/],
    [{ platform: 'linux', arch: 'arm64' }, /linux-arm64 on a linux-x64 machine/],
    [{ platform: 'darwin', arch: 'universal' }, /darwin-universal/],
  ])('%o is refused before packing, naming the native modules', async (target, message) => {
    const problem = beforePack.crossBuildProblem(target, host);
    expect(problem).toMatch(message);
    expect(problem).toMatch(/@node-rs\/argon2, better-sqlite3, keytar/);
    const archIndex = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'].indexOf(target.arch);
    await expect(
      beforePack.default({ electronPlatformName: target.platform, arch: archIndex } as never, host, {}),
    ).rejects.toThrow(message);
  });

  it('a macOS build without signing or notarisation credentials gets a loud note; with them, none', () => {
    expect(beforePack.macSigningNote({})).toMatch(/WITHOUT signing .* and WITHOUT notarisation/);
    expect(beforePack.macSigningNote({ CSC_LINK: 'cert.p12', CSC_KEY_PASSWORD: 'x' })).toMatch(
      /WITHOUT notarisation/,
    );
    expect(
      beforePack.macSigningNote({
        CSC_LINK: 'cert.p12',
        CSC_KEY_PASSWORD: 'x',
        APPLE_API_KEY: 'key.p8',
        APPLE_API_KEY_ID: 'ABC',
        APPLE_API_ISSUER: 'issuer',
      }),
    ).toBeNull();
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

  it('refuses to pack an entry built for another flavour (a release package must not carry a test entry)', async () => {
    const archive = path.join(tempDir('sc-flavour-'), 'app.asar');
    const source = tempDir('sc-flavour-src-');
    await buildMain(path.join(source, 'dist'), 'test');
    await createPackage(source, archive);
    expect(afterPack.bundledFlavor(fs.readFileSync(path.join(source, 'dist/main/index.js'), 'utf8'))).toBe(
      'test',
    );
    await expect(afterPack.assertBundleFlavor(archive, 'release')).rejects.toThrow(
      /built as test but is packed as release/,
    );
    await expect(afterPack.assertBundleFlavor(archive, 'test')).resolves.toBeUndefined();
  }, 60_000);

  it('resets the ad-hoc signature only for macOS builds', async () => {
    expect((await afterPack.fuseConfig('release', 'darwin')).resetAdHocDarwinSignature).toBe(true);
    expect((await afterPack.fuseConfig('release', 'linux')).resetAdHocDarwinSignature).toBe(false);
    expect((await afterPack.fuseConfig('release', 'win32')).resetAdHocDarwinSignature).toBe(false);
  });
});
