/**
 * `npm run emulator -- [--port N] [--key K] [--secret-stdin] [--auth basic|signed|any]`
 * The secret comes from SINCH_EMULATOR_SECRET or, with --secret-stdin, the first line of stdin; never from
 * argv, which every local user can read (ps, /proc/PID/cmdline).
 * Prints the listening line, then one line per message sent (the demo user reads the code there).
 */
import { parseArgs } from 'node:util';
import { startSinchEmulator } from './server';
import type { EmulatorAuth } from './server';

export const SECRET_ENV = 'SINCH_EMULATOR_SECRET';

function fail(message: string): never {
  console.error(`sinch-emulator: ${message}`);
  process.exit(2);
}

async function firstStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').trim();
}

if (process.argv.some((arg) => arg === '--secret' || arg.startsWith('--secret='))) {
  fail(
    `--secret is not accepted (argv is visible to every local user); set ${SECRET_ENV} or use --secret-stdin`,
  );
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    key: { type: 'string' },
    'secret-stdin': { type: 'boolean', default: false },
    auth: { type: 'string', default: 'any' },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be a number from 0 to 65535');
if (values.auth !== 'basic' && values.auth !== 'signed' && values.auth !== 'any')
  fail('--auth must be basic, signed or any');
const auth: EmulatorAuth = values.auth;

const secret = values['secret-stdin'] ? await firstStdinLine() : process.env[SECRET_ENV];
if (secret !== undefined && secret.length === 0) fail('the secret is empty');

const emulator = await startSinchEmulator({
  port,
  auth,
  ...(values.key !== undefined ? { key: values.key } : {}),
  ...(secret !== undefined ? { secret } : {}),
  log: (line) => console.log(line),
});
console.log(`Sinch Verification API emulator listening on ${emulator.url}`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
