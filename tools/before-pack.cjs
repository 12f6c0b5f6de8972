// @ts-check
/**
 * electron-builder beforePack hook: refuses, before anything is packed, what would make a broken or
 * blocked installer.
 *
 * - Another OS or CPU than the build machine's. The native modules come from `npm ci` on this machine:
 *   @node-rs/argon2's per-platform package, better-sqlite3's prebuild (the `files` filter keeps this
 *   machine's) and keytar's binary. An installer for another platform or arch would carry none of them and
 *   fail at the first import. Build each installer on its own platform and CPU (a CI matrix).
 * - macOS without signing or notarisation credentials: the hardened-runtime app would be blocked by
 *   Gatekeeper. electron-builder reads them from the environment (CSC_LINK + CSC_KEY_PASSWORD or a
 *   keychain identity; APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER, or APPLE_ID +
 *   APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or APPLE_KEYCHAIN_PROFILE). Without them the build goes on
 *   (for local tries) and says so loudly.
 */

/** electron-builder's Arch enum values, by name. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];
/** Electron platform names (context.electronPlatformName) as Node's process.platform calls them. */
const NODE_PLATFORM = { darwin: 'darwin', mas: 'darwin', linux: 'linux', win32: 'win32' };

/**
 * @param {{ platform: string, arch: string }} target Electron platform name and arch name
 * @param {{ platform: string, arch: string }} host the build machine (process.platform, process.arch)
 * @returns {string | null} why this build cannot work, or null
 */
function crossBuildProblem(target, host) {
  const platform =
    NODE_PLATFORM[/** @type {keyof typeof NODE_PLATFORM} */ (target.platform)] ?? target.platform;
  if (platform === host.platform && target.arch === host.arch) return null;
  return (
    `Refusing to build for ${platform}-${target.arch} on a ${host.platform}-${host.arch} machine: the native ` +
    'modules (@node-rs/argon2, better-sqlite3, keytar) installed here are for this machine, so the app ' +
    'would fail at its first start. Build each installer on its own platform and CPU ' +
    `(here: npm run dist${host.platform === 'linux' ? ':linux' : host.platform === 'win32' ? ':win' : ':mac'} ` +
    `without --${target.arch === 'universal' ? 'universal' : target.arch}).`
  );
}

/**
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {{ signing: boolean, notarisation: boolean }}
 */
function macCredentials(env) {
  const has = (/** @type {string[]} */ ...names) => names.every((name) => Boolean(env[name]));
  return {
    signing: has('CSC_LINK', 'CSC_KEY_PASSWORD') || has('CSC_NAME'),
    notarisation:
      has('APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER') ||
      has('APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID') ||
      has('APPLE_KEYCHAIN_PROFILE'),
  };
}

/**
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {string | null} the loud note for a macOS build without credentials, or null
 */
function macSigningNote(env) {
  const { signing, notarisation } = macCredentials(env);
  const missing = [
    ...(signing ? [] : ['signing (CSC_LINK + CSC_KEY_PASSWORD, or CSC_NAME)']),
    ...(notarisation
      ? []
      : [
          'notarisation (APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER, or APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID)',
        ]),
  ];
  if (missing.length === 0) return null;
  return [
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    `!! macOS build WITHOUT ${missing.join(' and WITHOUT ')}.`,
    '!! Gatekeeper blocks this app on other Macs: use it only on this machine. Not for release.',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  ].join('\n');
}

/** @param {import('app-builder-lib').BeforePackContext} context */
async function beforePack(
  context,
  host = { platform: process.platform, arch: process.arch },
  env = process.env,
) {
  const target = {
    platform: context.electronPlatformName,
    arch: ARCH_NAMES[context.arch] ?? String(context.arch),
  };
  const problem = crossBuildProblem(target, host);
  if (problem) throw new Error(problem);
  if (target.platform === 'darwin' || target.platform === 'mas') {
    const note = macSigningNote(env);
    if (note) console.warn(note);
  }
}

module.exports = beforePack;
module.exports.default = beforePack;
module.exports.crossBuildProblem = crossBuildProblem;
module.exports.macCredentials = macCredentials;
module.exports.macSigningNote = macSigningNote;
