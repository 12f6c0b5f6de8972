/**
 * dist/main/index.js: the entry Electron runs. The app itself is the second bundle, dist/main/app.js
 * (main.ts), loaded by runEntry once the start-up checks pass.
 */
import { runEntry, type BuildFlavor } from './entry';

/** Defined by tools/build-main.ts from SC_BUILD_FLAVOR; checked against the fuses by tools/after-pack.cjs. */
declare const __SC_BUILD_FLAVOR__: BuildFlavor | undefined;

void runEntry({
  argv: process.argv,
  platform: process.platform,
  flavor: typeof __SC_BUILD_FLAVOR__ === 'string' ? __SC_BUILD_FLAVOR__ : 'release',
  async loadApp() {
    // A URL, not a module name: esbuild leaves it to run time, so app.js stays its own bundle.
    const loaded: unknown = await import(new URL('./app.js', import.meta.url).href);
    const runApp = (loaded as { runApp?: unknown }).runApp;
    if (typeof runApp !== 'function') throw new Error('dist/main/app.js does not export runApp');
    await (runApp as () => Promise<unknown>)();
  },
});
