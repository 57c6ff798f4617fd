// A stand-in for the 'electron' module (the binary cannot be downloaded here and is never launched): records
// what main/electron does with it — windows created and their options, handlers registered, protocol and
// session settings — so tests can assert the secure configuration.
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  sent: Array<{ channel: string; payload: unknown }> = [];
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  maximized = false;
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return this.maximized;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  show() {
    this.shown = true;
  }
  isDestroyed() {
    return false;
  }
  getNormalBounds() {
    const o = this.options as { x?: number; y?: number; width: number; height: number };
    return { x: o.x ?? 0, y: o.y ?? 0, width: o.width, height: o.height };
  }
}

export class FakeSession extends EventEmitter {
  permissionRequestHandler: Listener | undefined;
  permissionCheckHandler: Listener | undefined;
  devicePermissionHandler: Listener | undefined;
  beforeRequest: { filter: unknown; listener: Listener } | undefined;
  setPermissionRequestHandler(handler: Listener) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Listener) {
    this.devicePermissionHandler = handler;
  }
  webRequest = {
    onBeforeRequest: (filter: unknown, listener: Listener) => {
      this.beforeRequest = { filter, listener };
    },
  };
}

export function electronMock() {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    calls: [] as string[],
    paths: new Map<string, string>([['userData', '/tmp/familiar-electron-test-user-data']]),
    singleInstance: true,
    enableSandbox() {
      app.calls.push('enableSandbox');
    },
    requestSingleInstanceLock() {
      app.calls.push('requestSingleInstanceLock');
      return app.singleInstance;
    },
    quit() {
      app.calls.push('quit');
    },
    exit(code: number) {
      app.calls.push(`exit:${code}`);
    },
    disableHardwareAcceleration() {
      app.calls.push('disableHardwareAcceleration');
    },
    /** macOS's Dock: absent elsewhere, as in Electron. */
    dock: undefined as { hide(): void } | undefined,
    whenReady() {
      app.calls.push('whenReady');
      return Promise.resolve();
    },
    getPath(name: string) {
      return app.paths.get(name) ?? `/tmp/familiar-electron-test-${name}`;
    },
    setPath(name: string, value: string) {
      app.paths.set(name, value);
    },
    getVersion() {
      return '0.0.0-test';
    },
  });
  const protocol = {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      app.calls.push('registerSchemesAsPrivileged');
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      protocol.handlers.set(scheme, handler);
    },
  };
  const ipcMain = {
    handlers: new Map<string, Listener>(),
    handle(channel: string, listener: Listener) {
      ipcMain.handlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      ipcMain.handlers.delete(channel);
    },
  };
  const defaultSession = new FakeSession();
  return {
    app,
    protocol,
    ipcMain,
    session: { defaultSession },
    BrowserWindow: FakeBrowserWindow,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] as string[] }), showErrorBox: (_title: string, _body: string) => {}, showMessageBox: async () => ({}) },
    Menu: { setApplicationMenu: () => {}, buildFromTemplate: (t: unknown) => t },
    shell: { openPath: async () => '', shown: [] as string[], showItemInFolder(path: string) { this.shown.push(path); } },
  };
}
