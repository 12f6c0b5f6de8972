/**
 * Debugging switches a release build refuses: each hands whoever can start the app a way into its
 * processes (Chromium's DevTools protocol, the Node inspector, arbitrary V8 flags). The fuses already make
 * Node ignore --inspect*; Chromium's own switches have no fuse, so the entry refuses to start with any of
 * them. Unpackaged runs and the packaged test flavour (Playwright's `_electron` needs --inspect and
 * --remote-debugging-port) keep them.
 */

/** Switch names as Chromium and Node spell them; `inspect` also covers inspect-brk, inspect-port, … */
const REFUSED_SWITCHES = ['remote-debugging-port', 'remote-debugging-pipe', 'js-flags'] as const;
const REFUSED_PREFIX = 'inspect';

/** Chromium reads `--name`, `-name` and, on Windows, `/name`; everything after a bare `--` is an argument. */
const SWITCH_PATTERN = /^(?:--|-)([A-Za-z][\w-]*)(?:=|$)/;
const WINDOWS_SWITCH_PATTERN = /^(?:--|-|\/)([A-Za-z][\w-]*)(?:=|$)/;

export interface CommandLineView {
  /** Electron's `app.commandLine.hasSwitch`: Chromium's own parse of the command line. */
  hasSwitch(name: string): boolean;
}

function isRefused(name: string): boolean {
  return (REFUSED_SWITCHES as readonly string[]).includes(name) || name.startsWith(REFUSED_PREFIX);
}

/** The refused switches present, as `--name`, in the order found (each once). */
export function findDebugSwitches(
  argv: readonly string[],
  commandLine: CommandLineView,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const found = new Set<string>();
  const pattern = platform === 'win32' ? WINDOWS_SWITCH_PATTERN : SWITCH_PATTERN;
  for (const arg of argv.slice(1)) {
    if (arg === '--') break;
    const name = pattern.exec(arg)?.[1];
    // Windows switch names are case-insensitive
    const normalised = platform === 'win32' ? name?.toLowerCase() : name;
    if (normalised && isRefused(normalised)) found.add(`--${normalised}`);
  }
  // What Chromium itself parsed, in case it saw a spelling the scan above did not.
  for (const name of [...REFUSED_SWITCHES, 'inspect', 'inspect-brk', 'inspect-port', 'inspect-wait']) {
    if (commandLine.hasSwitch(name)) found.add(`--${name}`);
  }
  return [...found];
}

export function debugSwitchRefusal(found: readonly string[]): { title: string; message: string } {
  return {
    title: 'Debugging options are not allowed',
    message:
      `System Configurator was started with ${found.join(', ')}. A release build does not start with ` +
      'debugging options, because they would let other programs control it.\n\n' +
      'Start System Configurator without them. For debugging, use a development build (npm run dev).',
  };
}
