/**
 * A stand-in `electron` for running the built main bundle (dist/main/index.js) in plain Node: it records
 * what the app does as JSON lines on stdout ("sc-stub <json>") and exits once the window has loaded.
 * Message boxes answer with the button index in SC_STUB_ANSWER (default: the cancel button).
 */
import { EventEmitter } from 'node:events';

const report = (event, data = {}) => process.stdout.write(`sc-stub ${JSON.stringify({ event, ...data })}\n`);

class App extends EventEmitter {
  isPackaged = true;
  // Chromium's parse, roughly: --name or --name=value before a bare --
  commandLine = {
    hasSwitch: (name) => {
      const args = process.argv.slice(2);
      const end = args.indexOf('--');
      return (end < 0 ? args : args.slice(0, end)).some(
        (a) => a === `--${name}` || a.startsWith(`--${name}=`),
      );
    },
  };
  paths = { userData: process.env.SC_STUB_USER_DATA, logs: `${process.env.SC_STUB_USER_DATA}/logs` };
  enableSandbox() {
    report('app.enableSandbox');
  }
  async whenReady() {
    report('app.whenReady');
  }
  isReady() {
    return true;
  }
  // The language of a machine set to US English (main/shell/locale.ts asks for both).
  getPreferredSystemLanguages() {
    return ['en-US'];
  }
  getLocale() {
    return 'en-US';
  }
  getPath(name) {
    return this.paths[name];
  }
  setPath(name, value) {
    report('app.setPath', { name, value });
    this.paths[name] = value;
  }
  setAppLogsPath(value) {
    this.paths.logs = value;
  }
  requestSingleInstanceLock() {
    report('app.requestSingleInstanceLock');
    return true;
  }
  quit() {
    report('app.quit');
    process.exit(0);
  }
  exit(code) {
    report('app.exit', { code });
    process.exit(code);
  }
}

export const app = new App();

class Session extends EventEmitter {
  constructor(partition) {
    super();
    this.protocol = { handle: (scheme) => report('session.protocol.handle', { partition, scheme }) };
    this.webRequest = { onBeforeRequest: () => report('session.webRequest.onBeforeRequest', { partition }) };
    this.partition = partition;
  }
  setPermissionRequestHandler() {
    report('session.setPermissionRequestHandler', { partition: this.partition });
  }
  setPermissionCheckHandler() {}
  setDevicePermissionHandler() {}
  setSpellCheckerEnabled() {}
}

export const session = {
  defaultSession: new Session(''),
  fromPartition: (partition) => new Session(partition),
};

let nextId = 1;
const handled = [];
const listened = [];

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.webContents = Object.assign(new EventEmitter(), {
      id: nextId++,
      setWindowOpenHandler() {},
      send() {},
    });
    app.emit('web-contents-created', {}, this.webContents);
    report('BrowserWindow', { webPreferences: options.webPreferences });
  }
  async loadURL(url) {
    report('BrowserWindow.loadURL', { url });
    setTimeout(() => {
      report('ipcMain.handled', { channels: handled, listened });
      process.exit(0);
    }, 100);
  }
  setContentProtection() {}
  isDestroyed() {
    return false;
  }
}

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => report('protocol.registerSchemesAsPrivileged', { schemes }),
};
// `handle` for the contract's channels, `on` for the one synchronous message (the start state).
export const ipcMain = {
  handle: (channel) => handled.push(channel),
  removeHandler() {},
  on: (channel) => listened.push(channel),
  removeListener() {},
};
export const shell = { openExternal: async () => {} };
export const dialog = {
  showErrorBox: (title, content) => report('dialog.showErrorBox', { title, content }),
  async showMessageBox(options) {
    report('dialog.showMessageBox', { message: options.message });
    const answer = process.env.SC_STUB_ANSWER;
    return { response: answer === undefined ? options.cancelId : Number(answer) };
  },
};
