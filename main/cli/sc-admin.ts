/**
 * sc-admin: System Configurator's administration CLI. `npm run sc-admin -- [--data-dir DIR] <command> ...`
 * Exit codes: 0 done, 1 runtime failure (damaged database, keychain, provider), 2 bad input (nothing
 * written), 130 interrupted at a prompt. Passwords, secrets and codes are read from stdin only.
 */
import { runCli } from './cli';
import { stdinInput } from './stdin';

const input = stdinInput(process.stdin, process.stderr);
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  input,
  env: process.env,
});
input.close();
process.exitCode = code;
// Nothing should keep the process alive now; if something does (a stray socket), do not hang a script.
setTimeout(() => process.exit(code), 2000).unref();
