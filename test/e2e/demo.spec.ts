/**
 * `npm run demo` without a display: it seeds its data dir, serves the built renderer, opens Log on in
 * headless Chromium through the browser host, saves a screenshot and shuts down cleanly (exit 0, nothing
 * left listening). The suite's global setup has built the renderer, as the npm script does first.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { createAppCore } from '../../main/core/app-core';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function runDemo(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['tools/demo.ts', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

test('the demo starts on a seeded data dir, serves Log on, says how to get a window, and shuts down', async () => {
  test.setTimeout(120_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-demo-test-'));
  try {
    const { DISPLAY: _x, WAYLAND_DISPLAY: _w, ...env } = process.env;
    const { code, out } = await runDemo(['--data-dir', dataDir], env);
    expect(out).toContain('no display here');
    expect(out).toMatch(/Log on screen is up; screenshot: .*log-on\.png/);
    expect(out).toMatch(/admin\s+demo-Admin-Password-1/);
    expect(out).toContain('shut down');
    expect(code, out).toBe(0);
    expect(fs.statSync(path.join(dataDir, 'screenshots', 'log-on.png')).size).toBeGreaterThan(1000);

    // The data dir holds the seeded people and the policy, as the demo printed them.
    const core = createAppCore({ dataDir, keychain: new InMemoryKeychain() });
    try {
      expect(
        core.users
          .list()
          .map((u) => u.username)
          .sort(),
      ).toEqual(['admin', 'anna', 'bo', 'reader']);
      expect(core.policy.get().twoFactor.enabled).toBe(true);
    } finally {
      core.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
