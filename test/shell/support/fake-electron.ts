/**
 * A stand-in for the parts of the `electron` module the shell uses. It records what the shell sets
 * (window options, handlers, protocol handlers, permission handlers, dialogs) so tests can assert on it
 * and call the handlers as Electron would. Use with `vi.mock('electron', () => import('./support/fake-electron'))`
 * and call `resetFakeElectron()` before each test.
 */
import { AUTH_INITIAL_STATE } from '../../../main/contract/channel-names';

type Listener = (...args: never[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
  /** Calls every listener as Electron would; returns their results. */
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((listener) =>
      (listener as (...a: unknown[]) => unknown)(...args),
    );
  }
  clearListeners(): void {
    this.listeners.clear();
  }
}

/** An event with preventDefault, as Electron passes to will-navigate and friends. */
export function fakeEvent(fields: Record<string, unknown> = {}) {
  return {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export interface FakeFrame {
  origin: string;
  url: string;
  parent: FakeFrame | null;
}

export class FakeWebContents extends Emitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: [string, unknown][] = [];
  readonly mainFrame: FakeFrame = {
    origin: 'app://system-configurator',
    url: 'app://system-configurator/index.html',
    parent: null,
  };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
}

export class FakeSession extends Emitter {
  permissionRequestHandler: ((...args: never[]) => void) | null = null;
  permissionCheckHandler: ((...args: never[]) => boolean) | null = null;
  devicePermissionHandler: ((...args: never[]) => boolean) | null = null;
  spellCheckerEnabled = true;
  beforeRequest:
    ((details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void) | null = null;
  readonly protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
      if (this.protocolHandlers.has(scheme)) throw new Error(`${scheme} is already handled`);
      this.protocolHandlers.set(scheme, handler);
    },
  };
  readonly webRequest = {
    onBeforeRequest: (listener: FakeSession['beforeRequest']) => {
      this.beforeRequest = listener;
    },
  };
  /** What `ses.fetch` was asked, and what it answers (a stand-in for Chromium's network stack). */
  readonly fetched: { input: string | Request; init: RequestInit | undefined }[] = [];
  fetchAnswer: (input: string | Request, init?: RequestInit) => Promise<Response> = async () =>
    new Response('{}', { status: 200 });
  constructor(
    readonly partition: string,
    readonly options: { cache?: boolean } = {},
  ) {
    super();
  }
  fetch(input: string | Request, init?: RequestInit): Promise<Response> {
    this.fetched.push({ input, init });
    return this.fetchAnswer(input, init);
  }
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['devicePermissionHandler']): void {
    this.devicePermissionHandler = handler;
  }
  setSpellCheckerEnabled(enabled: boolean): void {
    this.spellCheckerEnabled = enabled;
  }
  /** What Electron's network stack would decide for a request from a page. */
  decide(url: string): 'allowed' | 'cancelled' {
    let cancel: boolean | undefined;
    this.beforeRequest?.({ url }, (response) => {
      cancel = response.cancel;
    });
    return cancel ? 'cancelled' : 'allowed';
  }
}

const sessions = new Map<string, FakeSession>();

export const session = {
  defaultSession: new FakeSession(''),
  fromPartition(partition: string, options?: { cache?: boolean }): FakeSession {
    let existing = sessions.get(partition);
    if (!existing) sessions.set(partition, (existing = new FakeSession(partition, options)));
    return existing;
  },
};

class FakeApp extends Emitter {
  isPackaged = false;
  ready = false;
  sandboxEnabledBeforeReady = false;
  lockGranted = true;
  quitCalls = 0;
  exitCode: number | null = null;
  readonly paths: Record<string, string> = {};
  readonly calls: string[] = [];
  /** Chromium's parse of the command line: the switch names a test puts here. */
  readonly commandLine = {
    switches: new Set<string>(),
    hasSwitch(name: string): boolean {
      return this.switches.has(name);
    },
  };
  async whenReady(): Promise<void> {
    this.calls.push('app.whenReady');
    this.ready = true;
  }
  isReady(): boolean {
    return this.ready;
  }
  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() must be called before ready');
    this.sandboxEnabledBeforeReady = true;
  }
  getPath(name: string): string {
    const value = this.paths[name];
    if (!value) throw new Error(`fake app: no path for ${name}`);
    return value;
  }
  setPath(name: string, value: string): void {
    this.calls.push(`app.setPath(${name})`);
    this.paths[name] = value;
  }
  setAppLogsPath(value: string): void {
    this.paths.logs = value;
  }
  requestSingleInstanceLock(): boolean {
    this.calls.push('app.requestSingleInstanceLock');
    return this.lockGranted;
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

export const app = new FakeApp();

export class BrowserWindow extends Emitter {
  static readonly instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  contentProtection = false;
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
    app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  setContentProtection(enabled: boolean): void {
    this.contentProtection = enabled;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

export const protocol = {
  privileged: null as unknown[] | null,
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (app.ready) throw new Error('registerSchemesAsPrivileged must be called before ready');
    if (this.privileged) throw new Error('registerSchemesAsPrivileged may be called only once');
    app.calls.push('protocol.registerSchemesAsPrivileged');
    this.privileged = schemes;
  },
};

export const ipcMain = {
  handlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
  handle(channel: string, handler: (event: unknown, payload: unknown) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`a handler for ${channel} already exists`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
  /** Synchronous messages (ipcRenderer.sendSync): the preload's start state, and nothing else. */
  syncListeners: new Map<string, (event: { returnValue?: unknown }) => void>(),
  on(channel: string, listener: (event: { returnValue?: unknown }) => void): void {
    if (channel !== AUTH_INITIAL_STATE)
      throw new Error(
        `the shell must not use ipcMain.on for ${channel}: every call is an invoke through the gateway`,
      );
    if (this.syncListeners.has(channel)) throw new Error(`a listener for ${channel} already exists`);
    this.syncListeners.set(channel, listener);
  },
  removeListener(channel: string, listener: unknown): void {
    if (this.syncListeners.get(channel) === listener) this.syncListeners.delete(channel);
  },
  /** What ipcRenderer.sendSync gets: the value the listener sets as `returnValue`, once it has set it. */
  async sendSync(channel: string, event: object): Promise<unknown> {
    const listener = this.syncListeners.get(channel);
    if (!listener) throw new Error(`no listener for ${channel}`);
    return new Promise((resolve) => {
      const withReply = Object.defineProperty({ ...event }, 'returnValue', { set: resolve });
      listener(withReply);
    });
  },
};

export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  },
};

export interface MessageBoxOptions {
  type?: string;
  title?: string;
  message: string;
  detail?: string;
  buttons?: string[];
  cancelId?: number;
}

export const dialog = {
  errorBoxes: [] as { title: string; content: string }[],
  messageBoxes: [] as MessageBoxOptions[],
  /** The button index to answer with, by message-box order; unanswered boxes are cancelled. */
  answers: [] as number[],
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  },
  async showMessageBox(options: MessageBoxOptions): Promise<{ response: number; checkboxChecked: boolean }> {
    this.messageBoxes.push(options);
    return { response: this.answers.shift() ?? options.cancelId ?? 0, checkboxChecked: false };
  },
};

/** The renderer side, for running the bundled preload. */
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  },
};

export const ipcRenderer = {
  invoked: [] as [string, unknown][],
  subscribed: [] as string[],
  sentSync: [] as string[],
  /** Main's answer to the start-state question is not part of these tests: none. */
  sendSync(channel: string): unknown {
    this.sentSync.push(channel);
    return undefined;
  },
  async invoke(channel: string, payload: unknown): Promise<unknown> {
    this.invoked.push([channel, payload]);
    return { ok: true, value: null };
  },
  on(channel: string): unknown {
    this.subscribed.push(channel);
    return this;
  },
  removeListener(): unknown {
    return this;
  },
};

export function resetFakeElectron(): void {
  contextBridge.exposed.clear();
  ipcRenderer.invoked.length = 0;
  ipcRenderer.subscribed.length = 0;
  ipcRenderer.sentSync.length = 0;
  app.clearListeners();
  Object.assign(app, {
    isPackaged: false,
    ready: false,
    sandboxEnabledBeforeReady: false,
    lockGranted: true,
    quitCalls: 0,
    exitCode: null,
  });
  for (const key of Object.keys(app.paths)) delete app.paths[key];
  app.calls.length = 0;
  app.commandLine.switches.clear();
  sessions.clear();
  session.defaultSession = new FakeSession('');
  BrowserWindow.instances.length = 0;
  protocol.privileged = null;
  ipcMain.handlers.clear();
  ipcMain.syncListeners.clear();
  shell.opened.length = 0;
  dialog.errorBoxes.length = 0;
  dialog.messageBoxes.length = 0;
  dialog.answers.length = 0;
}
