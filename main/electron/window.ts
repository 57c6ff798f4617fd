// The one main window: a sandboxed, context-isolated renderer without Node, loaded from the app protocol, with
// the bounds the user left it at. The webPreferences are written out literally in the constructor call so a
// reader (and electronegativity's static analysis) sees every security setting where the window is made.
import { BrowserWindow, screen } from 'electron';
import { APP_ENTRY } from './csp.js';
import { hardenWebContents } from './hardening.js';
import { DEFAULT_SIZE, MIN_SIZE, readWindowState, restorableBounds, writeWindowState } from './window-state.js';

export interface MainWindowOptions {
  preloadPath: string;
  stateFile: string;
  iconPath?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = readWindowState(options.stateFile);
  const bounds = restorableBounds(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...(bounds ?? DEFAULT_SIZE),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Familiar',
    backgroundColor: '#1b1b1f',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
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
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenWebContents(window.webContents);
  if (saved?.maximized && bounds) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    if (window.isDestroyed()) return;
    // Normal bounds: a maximized window reopens maximized over the size the user had chosen before.
    void writeWindowState(options.stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }).catch(() => {});
  });
  void window.loadURL(APP_ENTRY);
  return window;
}
