// The one main window: the secure webPreferences (sandboxed renderer, isolated context, no Node, no remote
// content), the remembered bounds, and the app page loaded from the app protocol.
import { BrowserWindow, screen, type BrowserWindowConstructorOptions, type WebPreferences } from 'electron';
import { APP_ENTRY } from './csp.js';
import { hardenWebContents } from './hardening.js';
import { DEFAULT_SIZE, MIN_SIZE, readWindowState, restorableBounds, writeWindowState } from './window-state.js';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    disableBlinkFeatures: 'Auxclick',
  };
}

export interface MainWindowOptions {
  preloadPath: string;
  stateFile: string;
  iconPath?: string;
}

export function mainWindowOptions(options: MainWindowOptions): BrowserWindowConstructorOptions {
  const saved = readWindowState(options.stateFile);
  const bounds = restorableBounds(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  return {
    ...(bounds ?? DEFAULT_SIZE),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Familiar',
    backgroundColor: '#1b1b1f',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: secureWebPreferences(options.preloadPath),
  };
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = readWindowState(options.stateFile);
  const window = new BrowserWindow(mainWindowOptions(options));
  hardenWebContents(window.webContents);
  if (saved?.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  const remember = () => {
    if (window.isDestroyed()) return;
    // Normal bounds: a maximized window reopens maximized over the size the user had chosen before.
    void writeWindowState(options.stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }).catch(() => {});
  };
  window.on('close', remember);
  void window.loadURL(APP_ENTRY);
  return window;
}
