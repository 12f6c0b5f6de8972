/**
 * A stand-in for an unpacked Linux Electron distribution, enough for electron-builder's `electronDist`
 * (an already-unpacked folder is copied as is): the `electron` executable (renamed to the app's
 * executableName), `resources/`, `locales/`, Electron's LICENSE and version. The executable carries a
 * real fuse wire after the sentinel @electron/fuses looks for, in Electron's default states, so the
 * afterPack hook flips fuses on it as it would on the real binary.
 */
import fs from 'node:fs';
import path from 'node:path';

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults, in FuseV1Options order: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on, ... */
export const DEFAULT_FUSE_WIRE = '101100011';

export function createFakeElectronDist(dir: string, version: string): string {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'locales'), { recursive: true });
  const wire = Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, DEFAULT_FUSE_WIRE.length]),
    Buffer.from(DEFAULT_FUSE_WIRE, 'latin1'),
  ]);
  const script = Buffer.from(
    '#!/bin/sh\necho "stand-in Electron: the real binary is not installed here" >&2\nexit 1\n# ',
  );
  fs.writeFileSync(path.join(dir, 'electron'), Buffer.concat([script, wire, Buffer.from('\n')]), {
    mode: 0o755,
  });
  fs.writeFileSync(path.join(dir, 'locales', 'en-US.pak'), '');
  fs.writeFileSync(path.join(dir, 'LICENSE'), "stand-in for Electron's LICENSE\n");
  fs.writeFileSync(path.join(dir, 'version'), `${version}\n`);
  return dir;
}
