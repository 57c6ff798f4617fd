// Start-up order of the desktop app: sandbox and scheme before ready, single-instance lock before the library is
// opened, models folder announced before the engine (in its worker thread) loads; a second instance leaves without touching the library.
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock());

const startApiWorker = vi.fn();
vi.mock('../../../main/api/remote.js', async (original) => ({ ...(await original<typeof import('../../../main/api/remote.js')>()), startApiWorker }));

const electron = (await import('electron')) as unknown as ReturnType<(typeof import('./electron-mock.js'))['electronMock']>;
const { startApp, announceModelsDir } = await import('../../../main/electron/app.js');
const { FakeBrowserWindow } = await import('./electron-mock.js');
const { EventHub } = await import('../../../main/api/events.js');

beforeEach(() => {
  electron.app.calls.length = 0;
  electron.app.removeAllListeners();
  electron.ipcMain.handlers.clear();
  FakeBrowserWindow.created.length = 0;
  startApiWorker.mockReset();
});

describe('desktop start-up', () => {
  it('a second instance quits without opening the library or a window', async () => {
    electron.app.singleInstance = false;
    await startApp();
    expect(electron.app.calls).toEqual(['enableSandbox', 'registerSchemesAsPrivileged', 'requestSingleInstanceLock', 'quit']);
    expect(startApiWorker).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toHaveLength(0);
    electron.app.singleInstance = true;
  });

  it('registers the secure scheme, hardens the session, wires IPC and the protocol, then opens one window', async () => {
    startApiWorker.mockResolvedValue({ dispatcher: { call: vi.fn(), available: () => [] }, events: new EventHub(), images: { get: async () => undefined }, close: vi.fn() });
    await startApp();
    expect(electron.app.calls.slice(0, 4)).toEqual(['enableSandbox', 'registerSchemesAsPrivileged', 'requestSingleInstanceLock', 'whenReady']);
    expect(electron.protocol.privileged).toContainEqual(expect.objectContaining({ scheme: 'familiar', privileges: expect.objectContaining({ standard: true, secure: true }) }));
    expect(electron.session.defaultSession.permissionRequestHandler).toBeTypeOf('function');
    expect(electron.protocol.handlers.has('familiar')).toBe(true);
    expect(electron.ipcMain.handlers.size).toBeGreaterThan(30);
    expect(startApiWorker).toHaveBeenCalledWith(expect.objectContaining({ mode: 'electron' }));
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(String((FakeBrowserWindow.created[0].options.webPreferences as { preload: string }).preload)).toMatch(/preload[\\/]index\.cjs$/);
    // Chromium's own files stay out of the library folder's documents.
    expect(electron.app.getPath('sessionData')).toMatch(/chromium$/);
  });

  it('shows the window while the library opens, and its calls wait for the engine', async () => {
    let open: (api: unknown) => void = () => {};
    const call = vi.fn(async () => ({ result: { ok: true } }));
    startApiWorker.mockReturnValue(new Promise((resolve) => (open = resolve)));
    await startApp();
    expect(FakeBrowserWindow.created).toHaveLength(1);
    const [, handler] = [...electron.ipcMain.handlers.entries()].find(([channel]) => channel.endsWith('people.list'))!;
    const answer = (handler as (event: unknown, args: unknown) => Promise<unknown>)({ senderFrame: { parent: null, url: 'familiar://app/index.html' } }, {});
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(call).not.toHaveBeenCalled();
    open({ dispatcher: { call, available: () => [] }, events: new EventHub(), images: { get: async () => undefined }, close: vi.fn() });
    await answer;
    expect(call).toHaveBeenCalledWith('people.list', expect.anything());
  });

  it('opens the file manager on a photo the window names by id, at the path the engine holds for it', async () => {
    const file = fileURLToPath(import.meta.url);
    const call = vi.fn(async (name: string) => (name === 'photos.get' ? { result: { paths: [file] } } : { error: 'unexpected', code: 'failed' }));
    startApiWorker.mockResolvedValue({ dispatcher: { call, available: () => [] }, events: new EventHub(), images: { get: async () => undefined }, close: vi.fn() });
    await startApp();
    const { localHandlers } = startApiWorker.mock.calls[0][0] as { localHandlers: Record<string, (args: unknown) => Promise<unknown>> };
    electron.shell.shown.length = 0;
    expect(await localHandlers['photos.showInFolder']({ photoId: 'a'.repeat(64) })).toEqual({ path: file });
    expect(call).toHaveBeenCalledWith('photos.get', { photoId: 'a'.repeat(64) });
    expect(electron.shell.shown).toEqual([file]);
  });

  it('says why in one sentence and exits when the library cannot be opened', async () => {
    const shown: string[] = [];
    electron.dialog.showErrorBox = (title: string, body: string) => void shown.push(`${title}: ${body}`);
    startApiWorker.mockRejectedValue(new Error('The library was written by a newer Familiar.'));
    await startApp();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown[0]).toMatch(/cannot open its library.*newer Familiar/s);
    expect(electron.app.calls).toContain('exit:1');
  });

  it('points the engine at the packaged model weights, and leaves development and explicit settings alone', () => {
    const env: NodeJS.ProcessEnv = {};
    announceModelsDir(true, '/opt/Familiar/resources', env);
    expect(env.FAMILIAR_MODELS_DIR).toBe('/opt/Familiar/resources/models');
    const dev: NodeJS.ProcessEnv = {};
    announceModelsDir(false, '/x', dev);
    expect(dev.FAMILIAR_MODELS_DIR).toBeUndefined();
    const explicit: NodeJS.ProcessEnv = { FAMILIAR_MODELS_DIR: '/my/models' };
    announceModelsDir(true, '/x', explicit);
    expect(explicit.FAMILIAR_MODELS_DIR).toBe('/my/models');
  });
});
