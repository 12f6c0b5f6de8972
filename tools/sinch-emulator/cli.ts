/**
 * `npm run emulator -- [--port N] [--key K] [--secret S] [--auth basic|signed|any]`
 * Prints the listening line, then one line per message sent (the demo user reads the code there).
 */
import { parseArgs } from 'node:util';
import { startSinchEmulator } from './server';
import type { EmulatorAuth } from './server';

function fail(message: string): never {
  console.error(`sinch-emulator: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    key: { type: 'string' },
    secret: { type: 'string' },
    auth: { type: 'string', default: 'any' },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be a number from 0 to 65535');
if (values.auth !== 'basic' && values.auth !== 'signed' && values.auth !== 'any')
  fail('--auth must be basic, signed or any');
const auth: EmulatorAuth = values.auth;

const emulator = await startSinchEmulator({
  port,
  auth,
  ...(values.key !== undefined ? { key: values.key } : {}),
  ...(values.secret !== undefined ? { secret: values.secret } : {}),
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
