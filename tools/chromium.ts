/**
 * Debian's Chromium as every browser run here launches it: the e2e suite, the SSO browser test and the
 * benchmark. The machines have no other network than the package registries, so background traffic is off.
 */
export const CHROMIUM_EXECUTABLE = process.env.SC_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
