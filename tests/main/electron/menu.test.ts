// File › Add Folder…: the folders chosen go to the window, whose Import screen imports them as a drop (now, or after the
// import running); with no window, the import starts directly, and a refusal is said in a box.
import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({ chosen: [] as string[], errorBoxes: [] as string[] }));
vi.mock('electron', async () => {
  const mock = (await import('./electron-mock.js')).electronMock();
  mock.dialog.showOpenDialog = async () => ({ canceled: electron.chosen.length === 0, filePaths: electron.chosen });
  mock.dialog.showErrorBox = (_title: string, body: string) => void electron.errorBoxes.push(body);
  return mock;
});

const { menuTemplate } = await import('../../../main/electron/menu.js');
const { EventHub } = await import('../../../main/api/events.js');
const { createDispatcher } = await import('../../../main/api/dispatch.js');
const { ApiError } = await import('../../../main/api/errors.js');
const { FakeBrowserWindow } = await import('./electron-mock.js');

/** The menu over an engine that records import.start and answers `busy` while `running`. */
function menuWith(window: unknown, running = false) {
  const events = new EventHub();
  const heard: unknown[] = [];
  events.subscribe((name, payload) => heard.push({ name, payload }));
  const started: string[][] = [];
  const dispatcher = createDispatcher({
    'import.start': async ({ paths }: { paths: string[] }) => {
      if (running) throw new ApiError('busy', 'An import is already running; wait for it or cancel it.');
      started.push(paths);
      return { jobId: 'job-1', folders: paths };
    },
  } as never);
  const template = menuTemplate({ getWindow: () => window as never, dispatcher, events, libraryDir: '/library', isMac: false, devTools: false });
  const file = template.find((item) => item.label === 'File')!.submenu as Array<{ label?: string; click?: () => Promise<void> }>;
  const addFolder = file.find((item) => item.label === 'Add Folder…')!;
  return { addFolder: () => addFolder.click!(), heard, started };
}

describe('File › Add Folder…', () => {
  it('hands the folders chosen to the window, which imports them as a drop', async () => {
    electron.chosen = ['/photos/trips', '/photos/school'];
    const menu = menuWith(new FakeBrowserWindow({}), true);
    await menu.addFolder();
    expect(menu.heard).toEqual([{ name: 'import.requested', payload: { paths: ['/photos/trips', '/photos/school'] } }]);
    // Not refused in a box while an import runs: the window keeps them for after it.
    expect(menu.started).toEqual([]);
    expect(electron.errorBoxes).toEqual([]);
  });

  it('starts the import itself with no window, and says a refusal in a box', async () => {
    electron.chosen = ['/photos/trips'];
    const idle = menuWith(null);
    await idle.addFolder();
    expect(idle.started).toEqual([['/photos/trips']]);
    expect(idle.heard).toEqual([]);
    const busy = menuWith(null, true);
    await busy.addFolder();
    expect(electron.errorBoxes).toEqual(['An import is already running; wait for it or cancel it.']);
  });

  it('does nothing when the picker is cancelled', async () => {
    electron.chosen = [];
    const menu = menuWith(new FakeBrowserWindow({}));
    await menu.addFolder();
    expect(menu.heard).toEqual([]);
    expect(menu.started).toEqual([]);
  });
});
