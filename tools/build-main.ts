/**
 * Bundles the Electron main process and the preload with esbuild.
 *
 * - main/shell/main.ts → dist/main/index.js: ESM (package.json has "type": "module"; Electron ≥ 28 loads an
 *   ESM main). Everything is bundled except `electron` and the Node-API modules, which stay in
 *   node_modules (unpacked from the asar). A `require` is provided for bundled CommonJS code.
 * - preload/index.ts → dist/preload/index.cjs: CommonJS, because a sandboxed preload cannot load ESM and may
 *   `require` nothing but `electron`.
 *
 * Usage: tsx tools/build-main.ts [--out <dir>]   (default: dist)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Node-API modules loaded from node_modules at run time (never bundled, never rebuilt). */
export const NATIVE_MODULES = ['better-sqlite3', 'keytar', '@node-rs/argon2'] as const;
/** Electron 45 runs Node 22 and Chromium 140. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome140';

const ESM_REQUIRE_BANNER = [
  "import { createRequire as __scCreateRequire } from 'node:module';",
  "import { fileURLToPath as __scFileURLToPath } from 'node:url';",
  'const require = __scCreateRequire(import.meta.url);',
  'const __filename = __scFileURLToPath(import.meta.url);',
  "const __dirname = __scFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

export function mainBuildOptions(outDir: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: ['main/shell/main.ts'],
    outfile: path.join(outDir, 'main', 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: NODE_TARGET,
    external: ['electron', ...NATIVE_MODULES],
    banner: { js: ESM_REQUIRE_BANNER },
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
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
    target: CHROME_TARGET,
    external: ['electron'],
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

export async function buildMain(outDir = path.join(ROOT, 'dist')): Promise<void> {
  await Promise.all([build(mainBuildOptions(outDir)), build(preloadBuildOptions(outDir))]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outFlag = process.argv.indexOf('--out');
  const outDir =
    outFlag > 0 && process.argv[outFlag + 1] ? path.resolve(process.argv[outFlag + 1]!) : undefined;
  buildMain(outDir).then(
    () =>
      console.log(
        `build-main: ${path.relative(ROOT, outDir ?? path.join(ROOT, 'dist')) || '.'}/{main/index.js,preload/index.cjs}`,
      ),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
