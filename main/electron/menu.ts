// The application menu. "Add Folder…" opens the OS picker and hands the folders to the window, whose Import screen
// takes them as it takes a drop; with no window, it starts the import directly.
import { app, dialog, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Dispatcher } from '../api/dispatch.js';
import type { EventHub } from '../api/events.js';

export interface MenuOptions {
  getWindow(): BrowserWindow | null;
  dispatcher: Dispatcher;
  /** Where the window hears of folders chosen from the menu ('import.requested'). */
  events: EventHub;
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
      const window = options.getWindow();
      const paths = await chooseFolders(window);
      if (paths.length === 0) return;
      // The window imports them as it does a drop: now, or after the import running (it keeps them waiting, where
      // the engine refuses a second import), and says there what is wrong with them rather than in a box.
      if (window && !window.isDestroyed()) return options.events.emit('import.requested', { paths });
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
