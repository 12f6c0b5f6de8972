import { UsageError } from './args';

/** Ctrl-C at a hidden prompt: exit 130 as a shell would, nothing written. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

/** What sc-admin reads: passwords, secrets and codes come from here, never from argv. */
export interface Input {
  readonly isTTY: boolean;
  /** One line without its line ending; null at end of input. */
  readLine(): Promise<string | null>;
  /** On a terminal: prompt on stderr and read without echo. */
  readHidden(prompt: string): Promise<string | null>;
  close(): void;
}

type TtyStream = NodeJS.ReadStream & { setRawMode?: (mode: boolean) => unknown };

const MAX_LINE = 64 * 1024;

export function stdinInput(stdin: TtyStream, prompts: NodeJS.WritableStream): Input {
  let buffer = '';
  let ended = false;
  let listening = false;
  let wake: (() => void) | null = null;

  const listen = () => {
    if (listening) return;
    listening = true;
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      buffer += chunk;
      wake?.();
    });
    stdin.on('end', () => {
      ended = true;
      wake?.();
    });
    stdin.on('error', () => {
      ended = true;
      wake?.();
    });
    stdin.resume();
  };

  return {
    isTTY: stdin.isTTY === true,
    async readLine() {
      listen();
      for (;;) {
        const newline = buffer.indexOf('\n');
        if (newline >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          return line.replace(/\r$/, '');
        }
        if (buffer.length > MAX_LINE) throw new UsageError('the line on stdin is too long');
        if (ended) {
          const rest = buffer;
          buffer = '';
          return rest === '' ? null : rest.replace(/\r$/, '');
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    },
    async readHidden(prompt) {
      if (!stdin.isTTY || !stdin.setRawMode) return this.readLine();
      return readRaw(stdin, prompts, prompt);
    },
    close() {
      stdin.removeAllListeners('data');
      stdin.pause();
      // A paused pipe can still hold the event loop open; sc-admin reads nothing after this.
      stdin.destroy();
    },
  };
}

function readRaw(stdin: TtyStream, prompts: NodeJS.WritableStream, prompt: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let value = '';
    // Echo off before the prompt shows, so nothing typed right after it can appear on screen.
    stdin.setRawMode!(true);
    prompts.write(prompt);
    stdin.setEncoding('utf8');
    const finish = (result: string | null | Error) => {
      stdin.off('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      prompts.write('\n');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: string) => {
      // Drop terminal escape sequences (arrow keys and the like) rather than taking them as characters.
      // eslint-disable-next-line no-control-regex -- matching the ESC byte is the point
      for (const char of chunk.replace(/\x1b\[[0-9;]*[A-Za-z~]/g, '')) {
        if (char === '\r' || char === '\n') return finish(value);
        if (char === '\u0003') return finish(new Interrupted('interrupted'));
        if (char === '\u0004') {
          if (value === '') return finish(null);
          continue;
        }
        if (char === '\u007f' || char === '\b') {
          value = [...value].slice(0, -1).join('');
          continue;
        }
        if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
