/**
 * The real packaging, offline: `npm run build:main` (and the renderer build), then electron-builder with
 * electron-builder.yml for an unpacked Linux `--dir` target against a stand-in Electron distribution
 * (`electronDist`, `electronVersion` given, so nothing is downloaded; any HTTP request fails the test).
 * Then the output is opened: app.asar holds exactly the expected files, every `.node` file (and nothing
 * else) is unpacked and is a Node-API module, and the afterPack hook flipped the release fuses on the
 * executable.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { extractFile, getRawHeader } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Arch, Platform, build } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportedFunctions } from './support/elf';
import { ENTRY_PAGES } from '../../main/contract/entry-page';
import { DEFAULT_FUSE_WIRE, createFakeElectronDist } from './support/fake-electron-dist';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BUILD_TIMEOUT_MS = 180_000;
const arch = process.arch;

/** What app.asar must hold besides the renderer build, for a Linux build on this machine's architecture. */
const EXPECTED_FILES = [
  'package.json',
  'dist/main/index.js',
  'dist/main/app.js',
  'dist/preload/index.cjs',
  'node_modules/@node-rs/argon2/LICENSE',
  'node_modules/@node-rs/argon2/index.js',
  'node_modules/@node-rs/argon2/package.json',
  `node_modules/@node-rs/argon2-linux-${arch}-gnu/argon2.linux-${arch}-gnu.node`,
  `node_modules/@node-rs/argon2-linux-${arch}-gnu/package.json`,
  'node_modules/better-sqlite3/LICENSE',
  'node_modules/better-sqlite3/package.json',
  ...['binding', 'database', 'index', 'sqlite-error', 'util'].map(
    (f) => `node_modules/better-sqlite3/lib/${f}.js`,
  ),
  ...[
    'darwin-arm64',
    'darwin-x64',
    'linux-arm64',
    'linux-x64',
    'linuxmusl-arm64',
    'linuxmusl-x64',
    'win32-arm64',
    'win32-x64',
  ].map((f) => `node_modules/better-sqlite3/lib/${f}.js`),
  ...[
    'aggregate',
    'backup',
    'explain',
    'function',
    'inspect',
    'pragma',
    'serialize',
    'table',
    'transaction',
    'wrappers',
  ].map((f) => `node_modules/better-sqlite3/lib/methods/${f}.js`),
  `node_modules/better-sqlite3/prebuilds/linux-${arch}.node`,
  `node_modules/better-sqlite3/prebuilds/linuxmusl-${arch}.node`,
  'node_modules/keytar/LICENSE.md',
  'node_modules/keytar/build/Release/keytar.node',
  'node_modules/keytar/lib/keytar.js',
  'node_modules/keytar/package.json',
];

interface AsarEntry {
  files?: Record<string, AsarEntry>;
  unpacked?: boolean;
}

function asarFiles(archive: string): Map<string, AsarEntry> {
  const files = new Map<string, AsarEntry>();
  const walk = (entry: AsarEntry, prefix: string) => {
    for (const [name, child] of Object.entries(entry.files ?? {})) {
      const relative = prefix ? `${prefix}/${name}` : name;
      if (child.files) walk(child, relative);
      else files.set(relative, child);
    }
  };
  walk(getRawHeader(archive).header as AsarEntry, '');
  return files;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

function npmRun(script: string): void {
  // a release build, whatever the caller's shell has (after-pack.cjs checks the two agree)
  const { SC_BUILD_FLAVOR: _flavor, ...env } = process.env;
  const result = spawnSync('npm', ['run', '--silent', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) throw new Error(`npm run ${script} failed:\n${result.stdout}\n${result.stderr}`);
}

/** The renderer build, when its script exists; until then whatever dist/renderer holds (a placeholder if empty). */
function buildRenderer(): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  if (pkg.scripts['build:renderer']) return npmRun('build:renderer');
  const index = path.join(ROOT, 'dist', 'renderer', 'index.html');
  console.warn(
    'packaging test: package.json has no build:renderer script yet; packaging dist/renderer as it is',
  );
  if (!fs.existsSync(index)) {
    fs.mkdirSync(path.dirname(index), { recursive: true });
    fs.writeFileSync(
      index,
      '<!doctype html><title>System Configurator (placeholder: no renderer build yet)</title>\n',
    );
  }
}

/** Folders that live for the whole file (test/support/temp-dir removes its folders after each test). */
const folders: string[] = [];
function folder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

let appOutDir = '';
let resources = '';
let rendererFiles: string[] = [];
const httpCalls: string[] = [];

beforeAll(async () => {
  if (process.platform !== 'linux') {
    throw new Error(
      'The offline packaging test builds the Linux layout and reads ELF binaries: run it on Linux.',
    );
  }
  npmRun('build:main');
  buildRenderer();
  rendererFiles = filesUnder(path.join(ROOT, 'dist', 'renderer')).filter((f) => !f.endsWith('.map'));

  const electronVersion = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const electronDist = createFakeElectronDist(folder('sc-electron-dist-'), electronVersion);
  const output = folder('sc-release-');
  const offline =
    (name: string) =>
    (...args: unknown[]) => {
      httpCalls.push(`${name} ${String(args[0])}`);
      throw new Error(`the packaging test is offline: ${name} was called`);
    };
  vi.spyOn(https, 'request').mockImplementation(offline('https.request'));
  vi.spyOn(https, 'get').mockImplementation(offline('https.get'));
  vi.spyOn(http, 'request').mockImplementation(offline('http.request'));
  vi.spyOn(globalThis, 'fetch').mockImplementation(offline('fetch'));
  const flavor = process.env.SC_BUILD_FLAVOR;
  delete process.env.SC_BUILD_FLAVOR;
  try {
    // electron-builder.yml is read from the project as `npm run dist` reads it; only these are added
    await build({
      projectDir: ROOT,
      targets: Platform.LINUX.createTarget('dir', arch === 'arm64' ? Arch.arm64 : Arch.x64),
      publish: 'never',
      config: { directories: { output }, electronDist, electronVersion },
    });
  } finally {
    if (flavor !== undefined) process.env.SC_BUILD_FLAVOR = flavor;
    vi.restoreAllMocks();
  }
  appOutDir = path.join(output, arch === 'arm64' ? 'linux-arm64-unpacked' : 'linux-unpacked');
  resources = path.join(appOutDir, 'resources');
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  vi.restoreAllMocks();
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('unpacked Linux build (offline, stand-in Electron)', () => {
  it('completes without a network request and lays out the app: executable, app.asar, no loose app folder', () => {
    expect(httpCalls).toEqual([]);
    expect(fs.statSync(path.join(appOutDir, 'system-configurator')).mode & 0o111).not.toBe(0);
    expect(fs.existsSync(path.join(resources, 'app.asar'))).toBe(true);
    expect(fs.existsSync(path.join(resources, 'app'))).toBe(false);
  });

  it('app.asar holds exactly the expected files: the bundles, the renderer build, package.json and the native modules', () => {
    const expected = [...EXPECTED_FILES, ...rendererFiles.map((f) => `dist/renderer/${f}`)].sort();
    // Every page main's app:// handler may serve (main/contract/entry-page.ts).
    expect(rendererFiles).toEqual(expect.arrayContaining([...ENTRY_PAGES]));
    expect([...asarFiles(path.join(resources, 'app.asar')).keys()].sort()).toEqual(expected);
  });

  it('every .node file is unpacked next to the asar and is a Node-API module (exports napi_register_module_v1)', () => {
    const nodeFiles = [...asarFiles(path.join(resources, 'app.asar'))].filter(([name]) =>
      name.endsWith('.node'),
    );
    expect(nodeFiles.map(([name]) => name).sort()).toEqual(
      EXPECTED_FILES.filter((f) => f.endsWith('.node')).sort(),
    );
    for (const [name, entry] of nodeFiles) {
      expect(entry.unpacked, name).toBe(true);
      const file = path.join(resources, 'app.asar.unpacked', name);
      expect(fs.existsSync(file), file).toBe(true);
      expect(exportedFunctions(file), name).toContain('napi_register_module_v1');
    }
  });

  it('only the .node binaries are unpacked: no JavaScript outside the asar (and its integrity check)', () => {
    const unpacked = filesUnder(path.join(resources, 'app.asar.unpacked'));
    expect(unpacked.length).toBeGreaterThan(0);
    expect(unpacked.filter((f) => !f.endsWith('.node'))).toEqual([]);
  });

  it('the entry loads only electron and Node built-ins; the app also the native modules; the preload only electron', () => {
    const archive = path.join(resources, 'app.asar');
    // esbuild writes module specifiers in double quotes (JSDoc `import('...')` types in comments use single ones)
    const specifiersOf = (file: string) =>
      new Set(
        [
          ...extractFile(archive, file)
            .toString('utf8')
            .matchAll(/(?:^import [^;]* from |\bimport\(|\b__require\()"([^"]+)"/gm),
        ].map((m) => m[1]!),
      );
    const unexpectedIn = (specifiers: Set<string>, allowed: readonly string[]) =>
      [...specifiers].filter((s) => !new Set([...allowed, ...builtinModules]).has(s.replace(/^node:/, '')));
    const entry = specifiersOf('dist/main/index.js');
    expect(unexpectedIn(entry, ['electron'])).toEqual([]);
    expect(entry).toContain('electron');
    const specifiers = specifiersOf('dist/main/app.js');
    expect(unexpectedIn(specifiers, ['electron', 'better-sqlite3', 'keytar', '@node-rs/argon2'])).toEqual([]);
    expect(specifiers).toContain('electron');
    const preload = extractFile(archive, 'dist/preload/index.cjs').toString('utf8');
    expect([...preload.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('the afterPack hook flipped the release fuses on the packaged executable', async () => {
    const wire = await getCurrentFuseWire(path.join(appOutDir, 'system-configurator'));
    const on = FuseState.ENABLE;
    const off = FuseState.DISABLE;
    expect(wire[FuseV1Options.RunAsNode]).toBe(off);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(on);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(off);
    // fuses the app does not set keep Electron's default
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(DEFAULT_FUSE_WIRE.charCodeAt(6));
  });
});
