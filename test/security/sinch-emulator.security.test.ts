/**
 * The Sinch emulator's attackers: a web page in any browser on this machine that rebinds its own DNS name
 * to 127.0.0.1 (and would then read the outbox, i.e. every code), and another local user reading argv.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../main/core/verify/signing';
import { EMULATOR_DEFAULT_KEY, startSinchEmulator } from '../../tools/sinch-emulator/server';
import type { SinchEmulator } from '../../tools/sinch-emulator/server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OWN_SECRET = Buffer.from('emulator-secret-from-env-QUUX').toString('base64');

let emulators: SinchEmulator[] = [];
const children: Array<ReturnType<typeof spawn>> = [];

afterEach(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  emulators = [];
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function get(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sinch emulator: DNS rebinding', () => {
  it('refuses a request whose Host is not loopback, hooks and API alike, and answers loopback names', async () => {
    const emu = await startSinchEmulator({ port: 0 });
    emulators.push(emu);
    const rebound = [
      'attacker.example',
      `attacker.example:${emu.port}`,
      `127.0.0.1.nip.io:${emu.port}`,
      '0x7f000001',
    ];
    for (const host of rebound) {
      const outbox = await get(emu.port, '/_emulator/outbox', { Host: host });
      expect(outbox.status, host).toBe(403);
      expect(outbox.body, host).not.toContain('code');
      const api = await get(emu.port, '/verification/v1/verifications/id/x', { Host: host });
      expect(api.status, host).toBe(403);
    }
    for (const host of [`127.0.0.1:${emu.port}`, `localhost:${emu.port}`, 'LOCALHOST', `[::1]:${emu.port}`]) {
      expect((await get(emu.port, '/_emulator/outbox', { Host: host })).status, host).toBe(200);
    }
  });
});

function runCli(args: string[], env: Record<string, string>, stdin?: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tools/sinch-emulator/cli.ts', '--port', '0', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  if (stdin !== undefined) child.stdin.end(stdin);
  else child.stdin.end();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  port.catch(() => undefined); // awaited only by the tests that expect it to listen
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  return { port, exit };
}

async function acceptsSecret(port: number, secret: string): Promise<boolean> {
  const answer = await get(port, '/verification/v1/verifications/id/unknown', {
    Host: `127.0.0.1:${port}`,
    Authorization: basicAuthorization(EMULATOR_DEFAULT_KEY, secret),
  });
  return answer.status === 404; // authenticated, then "no such id"; a wrong secret is 401
}

describe('sinch emulator: the secret never travels in argv', { tags: ['child-process'] }, () => {
  it('refuses --secret on the command line with a message naming the alternatives', async () => {
    const { exit } = runCli(['--secret', OWN_SECRET], {});
    const { code, stderr } = await exit;
    expect(code).toBe(2);
    expect(stderr).toContain('SINCH_EMULATOR_SECRET');
    expect(stderr).toContain('--secret-stdin');
  });

  it('takes the secret from SINCH_EMULATOR_SECRET', async () => {
    const { port } = runCli([], { SINCH_EMULATOR_SECRET: OWN_SECRET });
    const p = await port;
    expect(await acceptsSecret(p, OWN_SECRET)).toBe(true);
    expect(await acceptsSecret(p, 'd3Jvbmc=')).toBe(false);
  });

  it('takes the secret from the first line of stdin with --secret-stdin', async () => {
    const { port } = runCli(['--secret-stdin'], {}, `${OWN_SECRET}\n`);
    expect(await acceptsSecret(await port, OWN_SECRET)).toBe(true);
  });
});
