// The Electron main process (started by main.ts): one secure window over the shared API. Only this folder
// imports 'electron'.
// Order matters: the custom scheme is registered and the models folder announced before anything awaits,
// the single-instance lock is taken before the library is opened, and the engine is loaded only after
// FAMILIAR_MODELS_DIR points into the packaged resources.
import { app, dialog, ipcMain, protocol, session, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultLibraryDir } from '../library-location.js';
import { chooseFolders, installMenu } from './menu.js';
import { createProtocolHandler, schemePrivileges, SCHEME } from './protocol.js';
import { hardenSession, hardenWebContents } from './hardening.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { showPhotoInFolder } from './show-in-folder.js';
import { createMainWindow } from './window.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Packaged: face-api's weights ship as extra resources (electron-builder.yml); models/backend.ts reads this. */
export function announceModelsDir(isPackaged: boolean, resourcesPath: string, env: NodeJS.ProcessEnv = process.env): void {
  if (isPackaged && !env.FAMILIAR_MODELS_DIR) env.FAMILIAR_MODELS_DIR = join(resourcesPath, 'models');
}

export async function startApp(): Promise<void> {
  announceModelsDir(app.isPackaged, process.resourcesPath);
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([schemePrivileges]);

  if (!app.requestSingleInstanceLock()) {
    // Another Familiar owns the library: it comes to the front (second-instance below) and this one leaves.
    app.quit();
    return;
  }
  const libraryDir = defaultLibraryDir(process.env, process.platform);
  // Chromium's caches go beside the library, not among its documents.
  app.setPath('sessionData', join(app.getPath('userData'), 'chromium'));

  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  hardenSession(session.defaultSession);

  // The engine runs in a worker thread (main/api/remote.ts): clustering, decoding, studio and JSON writes never
  // hold up this thread, which draws the window and routes input. Only the OS folder picker and the file manager
  // answer here. The window shows while the library opens (seconds at 100,000 faces); its first calls wait for the engine.
  const { startApiWorker, openingApi } = await import('../api/remote.js');
  const { rendererDir } = await import('../api/paths.js');
  const opening = startApiWorker({
    libraryDir,
    mode: 'electron',
    localHandlers: {
      'dialog.chooseFolders': async () => ({ paths: await chooseFolders(window) }),
      // Called from the window, which exists only once `api` does.
      'photos.showInFolder': ({ photoId }) => showPhotoInFolder(api.dispatcher, photoId, (path) => shell.showItemInFolder(path)),
    },
  });
  opening.catch((err: unknown) => {
    // A locked (familiar serve has it), damaged or newer library: say so in one sentence, not an empty window.
    dialog.showErrorBox('Familiar cannot open its library', `${libraryDir}\n\n${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });
  const api = openingApi(libraryDir, opening);

  protocol.handle(SCHEME, createProtocolHandler({ rendererDir: rendererDir(), images: api.images }));
  registerIpc(ipcMain, api.dispatcher);
  installMenu({ getWindow: () => window, dispatcher: api.dispatcher, events: api.events, libraryDir, isMac: process.platform === 'darwin', devTools: !app.isPackaged });

  window = createMainWindow({
    preloadPath: join(here, '..', '..', 'preload', 'index.cjs'),
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    // Linux takes the window's icon from the window (macOS and Windows from the app bundle electron-builder makes).
    ...(process.platform === 'linux' ? { iconPath: join(here, '..', '..', '..', 'assets', 'icon.png') } : {}),
  });
  forwardEvents(api.events, window.webContents);
  window.on('closed', () => {
    window = null;
  });

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    // Stop jobs between steps and release the library lock before the process goes.
    event.preventDefault();
    closing = true;
    void api.close().finally(() => app.quit());
  });
}
