/**
 * Bundles the Electron main process and the preload with esbuild.
 *
 * - main/shell/index.ts → dist/main/index.js: the entry (ESM; package.json has "type": "module"). It checks
 *   the command line and loads the app bundle at run time, so a failure to load the app is shown in a dialog.
 * - main/shell/main.ts → dist/main/app.js: the app (ESM). Everything is bundled except `electron` and the
 *   Node-API modules, which stay in node_modules (unpacked from the asar). A `require` is provided for
 *   bundled CommonJS code.
 * - preload/index.ts → dist/preload/index.cjs: CommonJS, because a sandboxed preload cannot load ESM and may
 *   `require` nothing but `electron`.
 *
 * The build flavour (SC_BUILD_FLAVOR: release, the default, or test) is baked into the entry and named in
 * its first line, which tools/after-pack.cjs compares with the flavour it packs.
 *
 * Usage: tsx tools/build-main.ts [--out <dir>]   (default: dist)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Node-API modules loaded from node_modules at run time (never bundled, never rebuilt). */
export const NATIVE_MODULES = ['better-sqlite3', 'keytar', '@node-rs/argon2'] as const;
/**
 * The runtime the bundles are compiled for: Electron 45 ships Node 24 (24.18 on its 45 nightlies) and
 * Chromium 153 or later (153 on the nightlies of August 2026, electron/electron DEPS). Lower targets than
 * the runtime are safe (esbuild only down-levels more); test/packaging checks the Electron major.
 */
export const ELECTRON_RUNTIME = { electronMajor: 45, node: 'node24', chrome: 'chrome153' } as const;

export type BuildFlavor = 'release' | 'test';

/** SC_BUILD_FLAVOR, read the one way tools/after-pack.cjs reads it. */
export const buildFlavor = (
  createRequire(import.meta.url)('./after-pack.cjs') as {
    buildFlavor(env?: Readonly<Record<string, string | undefined>>): BuildFlavor;
  }
).buildFlavor;

/** The first line of dist/main/index.js, which after-pack.cjs reads back. */
export function flavorBanner(flavor: BuildFlavor): string {
  return `// sc-build-flavor: ${flavor}`;
}

const ESM_REQUIRE_BANNER = [
  "import { createRequire as __scCreateRequire } from 'node:module';",
  "import { fileURLToPath as __scFileURLToPath } from 'node:url';",
  'const require = __scCreateRequire(import.meta.url);',
  'const __filename = __scFileURLToPath(import.meta.url);',
  "const __dirname = __scFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

const NODE_ESM: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ELECTRON_RUNTIME.node,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

export function entryBuildOptions(outDir: string, flavor: BuildFlavor = buildFlavor()): BuildOptions {
  return {
    ...NODE_ESM,
    entryPoints: ['main/shell/index.ts'],
    outfile: path.join(outDir, 'main', 'index.js'),
    external: ['electron'],
    define: { __SC_BUILD_FLAVOR__: JSON.stringify(flavor) },
    banner: { js: flavorBanner(flavor) },
  };
}

export function mainBuildOptions(outDir: string): BuildOptions {
  return {
    ...NODE_ESM,
    entryPoints: ['main/shell/main.ts'],
    outfile: path.join(outDir, 'main', 'app.js'),
    external: ['electron', ...NATIVE_MODULES],
    banner: { js: ESM_REQUIRE_BANNER },
  };
}

export function preloadBuildOptions(outDir: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: ['preload/index.ts'],
    outfile: path.join(outDir, 'preload', 'index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: ELECTRON_RUNTIME.chrome,
    external: ['electron'],
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

export async function buildMain(
  outDir = path.join(ROOT, 'dist'),
  flavor: BuildFlavor = buildFlavor(),
): Promise<void> {
  await Promise.all([
    build(entryBuildOptions(outDir, flavor)),
    build(mainBuildOptions(outDir)),
    build(preloadBuildOptions(outDir)),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outFlag = process.argv.indexOf('--out');
  const outDir =
    outFlag > 0 && process.argv[outFlag + 1] ? path.resolve(process.argv[outFlag + 1]!) : undefined;
  buildMain(outDir).then(
    () =>
      console.log(
        `build-main: ${path.relative(ROOT, outDir ?? path.join(ROOT, 'dist')) || '.'}/{main/index.js,main/app.js,preload/index.cjs} (${buildFlavor()})`,
      ),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
