/**
 * Every native module must be Node-API: one binary then loads in Node and in Electron without a rebuild.
 * A Node-API addon exports `napi_register_module_v1`; an addon built against Node's own ABI exports
 * `node_register_module_v<ABI>` instead and would break in Electron. ELF files' exports are read with
 * `nm -D --defined-only` (when nm is installed); other files (Mach-O, PE prebuilds shipped for other
 * platforms) and ELF without nm are scanned for the symbol name, which export tables hold as plain text.
 * Each test's failure message says which method it used.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isElf } from '../packaging/support/elf';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const NODE_API_SYMBOL = 'napi_register_module_v1';
const NODE_ABI_SYMBOL = /node_register_module_v\d+/;

/** Symlinks are not followed (no loops; a linked package is found where it really lives, if inside). */
function findNativeModules(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findNativeModules(full, found);
    else if (entry.isFile() && entry.name.endsWith('.node')) found.push(full);
  }
  return found;
}

const nmAvailable = spawnSync('nm', ['--version'], { stdio: 'ignore' }).status === 0;

interface Exports {
  method: 'nm -D' | 'byte scan';
  nodeApi: boolean;
  nodeAbi: boolean;
}

function exportsOf(file: string): Exports {
  // GNU nm reads ELF dynamic symbols; on PE and Mach-O files it may exit 0 with no symbols at all.
  if (nmAvailable && isElf(file)) {
    const nm = spawnSync('nm', ['-D', '--defined-only', file], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (nm.status === 0) {
      const symbols = nm.stdout.split('\n').map((line) => line.trim().split(/\s+/).at(-1) ?? '');
      return {
        method: 'nm -D',
        nodeApi: symbols.includes(NODE_API_SYMBOL),
        nodeAbi: symbols.some((symbol) => NODE_ABI_SYMBOL.test(symbol)),
      };
    }
  }
  const bytes = fs.readFileSync(file).toString('latin1');
  return {
    method: 'byte scan',
    nodeApi: bytes.includes(NODE_API_SYMBOL),
    nodeAbi: NODE_ABI_SYMBOL.test(bytes),
  };
}

const modules = findNativeModules(path.join(REPO_ROOT, 'node_modules')).map((file) =>
  path.relative(REPO_ROOT, file),
);

describe('native modules are Node-API only', () => {
  it('finds the native modules the app depends on (better-sqlite3, keytar, @node-rs/argon2)', () => {
    expect(modules.some((file) => file.startsWith('node_modules/better-sqlite3/'))).toBe(true);
    expect(modules.some((file) => file.startsWith('node_modules/keytar/'))).toBe(true);
    expect(modules.some((file) => /node_modules\/@node-rs\/argon2-/.test(file))).toBe(true);
  });

  const cases = modules.map((file) => ({
    file,
    method: nmAvailable && isElf(path.join(REPO_ROOT, file)) ? 'nm -D' : 'byte scan',
  }));
  it.each(cases)('$file exports napi_register_module_v1 ($method)', ({ file }) => {
    const found = exportsOf(path.join(REPO_ROOT, file));
    expect(found.nodeApi, `${file}: no ${NODE_API_SYMBOL} (${found.method}): not a Node-API module`).toBe(
      true,
    );
    expect(
      found.nodeAbi,
      `${file}: exports node_register_module_v* (${found.method}): built for one Node ABI`,
    ).toBe(false);
  });

  it('the byte scan is not vacuous: no symbol, or a Node-ABI symbol, is caught', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-native-'));
    try {
      const plain = path.join(dir, 'plain.node');
      fs.writeFileSync(
        plain,
        Buffer.from('MZ\0\0 an export table without the Node-API entry point', 'latin1'),
      );
      expect(exportsOf(plain)).toEqual({ method: 'byte scan', nodeApi: false, nodeAbi: false });
      const abi = path.join(dir, 'abi.node');
      fs.writeFileSync(abi, Buffer.from('MZ\0\0 ... node_register_module_v137 ... ', 'latin1'));
      expect(exportsOf(abi)).toEqual({ method: 'byte scan', nodeApi: false, nodeAbi: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(process.platform === 'linux' && nmAvailable)(
    'nm is not vacuous: an ELF that is no addon is caught',
    () => {
      expect(exportsOf('/bin/true')).toEqual({ method: 'nm -D', nodeApi: false, nodeAbi: false });
    },
  );
});
