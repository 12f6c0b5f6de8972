/**
 * sc-admin in this process (runCli with captured output), for tests that give it a managed policy
 * source of their own: the file a test writes is owned by the test's user, which only root is as root.
 */
import { PassThrough } from 'node:stream';
import { runCli } from '../../main/cli/cli';
import type { Input } from '../../main/cli/stdin';
import type { ManagedPolicySource } from '../../main/core/policy/managed-policy';
import type { CliResult } from './sc-admin';

/** A pipe on stdin holding `lines` (none: end of input at once), as `printf '%s\n' … | sc-admin …` gives. */
function pipedInput(lines: readonly string[]): Input {
  const left = [...lines];
  return {
    isTTY: false,
    readLine: () => Promise.resolve(left.shift() ?? null),
    readHidden: () => Promise.resolve(null),
    close: () => {},
  };
}

export async function scAdminInProcess(
  args: readonly string[],
  options: { managedPolicy?: ManagedPolicySource; stdinLines?: readonly string[] } = {},
): Promise<CliResult> {
  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    return { stream, text: () => text };
  };
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    input: pipedInput(options.stdinLines ?? []),
    env: {},
    ...(options.managedPolicy ? { managedPolicy: options.managedPolicy } : {}),
  });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
