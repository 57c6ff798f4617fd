// The application menu. "Add Folder…" opens the OS picker and starts an import directly; the renderer learns
// about it from the job events like any other import.
import { app, dialog, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Dispatcher } from '../api/dispatch.js';

export interface MenuOptions {
  getWindow(): BrowserWindow | null;
  dispatcher: Dispatcher;
  libraryDir: string;
  isMac: boolean;
  devTools: boolean;
}

export async function chooseFolders(window: BrowserWindow | null): Promise<string[]> {
  const options = { title: 'Add photos from folders', properties: ['openDirectory', 'multiSelections'] as Array<'openDirectory' | 'multiSelections'> };
  const answer = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return answer.canceled ? [] : answer.filePaths;
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const addFolder: MenuItemConstructorOptions = {
    label: 'Add Folder…',
    accelerator: 'CmdOrCtrl+O',
    click: async () => {
      const paths = await chooseFolders(options.getWindow());
      if (paths.length === 0) return;
      const answer = await options.dispatcher.call('import.start', { paths });
      if (answer.error !== undefined) dialog.showErrorBox('Familiar could not start the import', answer.error);
    },
  };
  const openLibrary: MenuItemConstructorOptions = {
    label: 'Show Library Folder',
    click: () => void shell.openPath(options.libraryDir),
  };
  return [
    ...(options.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [addFolder, openLibrary, { type: 'separator' }, options.isMac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(options.devTools ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: `About Familiar ${app.getVersion()}`,
          click: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'Familiar',
              message: `Familiar ${app.getVersion()}`,
              detail: 'Organizes your photos by the people in them. Everything stays on this computer.',
            }),
        },
      ],
    },
  ];
}

export function installMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options)));
}
