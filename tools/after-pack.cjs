// @ts-check
/**
 * electron-builder afterPack hook: flips Electron's fuses in the packaged binary, before signing.
 *
 * release (default): no ELECTRON_RUN_AS_NODE, cookies encrypted, NODE_OPTIONS and --inspect ignored, the
 *   embedded ASAR integrity checked (macOS, Windows), the app loaded only from app.asar, no extra
 *   privileges for file:// (the app never uses it).
 * test (SC_BUILD_FLAVOR=test): the same, except EnableNodeCliInspectArguments stays on, because
 *   Playwright's `_electron.launch` starts the app with `--inspect=0` and drives the main process through
 *   the Node inspector it announces ("Debugger listening on ws://..."). NODE_OPTIONS is not needed
 *   (Playwright removes it) and RunAsNode is not needed (it launches the app binary itself).
 */

/** @typedef {'release' | 'test'} Flavor */

/** @returns {Flavor} */
function buildFlavor(env = process.env) {
  const flavor = env.SC_BUILD_FLAVOR ?? 'release';
  if (flavor !== 'release' && flavor !== 'test') {
    throw new Error(`SC_BUILD_FLAVOR must be "release" or "test", not "${flavor}"`);
  }
  return flavor;
}

/**
 * The fuse states by @electron/fuses option name (FuseV1Options keys).
 * @param {Flavor} flavor
 */
function fuseStates(flavor) {
  return {
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: flavor === 'test',
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
    GrantFileProtocolExtraPrivileges: false,
  };
}

/**
 * @param {Flavor} flavor
 * @param {string} platformName electron platform name: darwin, mas, win32, linux
 */
async function fuseConfig(flavor, platformName) {
  const { FuseV1Options, FuseVersion } = await import('@electron/fuses');
  /** @type {Record<string, unknown>} */
  const config = {
    version: FuseVersion.V1,
    // flipping fuses invalidates the ad-hoc signature of an arm64 macOS app; electron-builder signs after this
    resetAdHocDarwinSignature: platformName === 'darwin' || platformName === 'mas',
  };
  for (const [name, enabled] of Object.entries(fuseStates(flavor))) {
    config[FuseV1Options[/** @type {keyof typeof FuseV1Options} */ (name)]] = enabled;
  }
  return config;
}

/**
 * The flavour tools/build-main.ts baked into dist/main/index.js (its first line), or null.
 * @param {string} entrySource
 * @returns {Flavor | null}
 */
function bundledFlavor(entrySource) {
  const match = /^\/\/ sc-build-flavor: (release|test)\r?$/.exec(entrySource.split('\n', 1)[0] ?? '');
  return match ? /** @type {Flavor} */ (match[1]) : null;
}

/**
 * The entry decides at run time whether debugging switches are refused, by the flavour it was built
 * with; the fuses are flipped by the flavour packed. They must agree, or a release package could carry a
 * test-flavour entry.
 * @param {string} asarFile
 * @param {Flavor} flavor
 */
async function assertBundleFlavor(asarFile, flavor) {
  const { extractFile } = await import('@electron/asar');
  const baked = bundledFlavor(extractFile(asarFile, 'dist/main/index.js').toString('utf8'));
  if (baked !== flavor) {
    throw new Error(
      `dist/main/index.js was built as ${baked ?? 'an unknown flavour'} but is packed as ${flavor}: ` +
        'build and pack with the same SC_BUILD_FLAVOR (npm run dist* does both).',
    );
  }
}

/** @param {import('app-builder-lib').AfterPackContext} context */
async function afterPack(context) {
  const flavor = buildFlavor();
  const path = await import('node:path');
  await assertBundleFlavor(
    path.join(context.packager.getResourcesDir(context.appOutDir), 'app.asar'),
    flavor,
  );
  const config = await fuseConfig(flavor, context.electronPlatformName);
  console.log(`  • after-pack: flipping fuses for a ${flavor} build`);
  await context.packager.addElectronFuses(context, /** @type {never} */ (config));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.buildFlavor = buildFlavor;
module.exports.fuseStates = fuseStates;
module.exports.fuseConfig = fuseConfig;
module.exports.bundledFlavor = bundledFlavor;
module.exports.assertBundleFlavor = assertBundleFlavor;
