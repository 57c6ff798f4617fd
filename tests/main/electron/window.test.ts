// The main window's security settings and handlers, with 'electron' replaced at its module boundary.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock());

const { createMainWindow } = await import('../../../main/electron/window.js');
const { FakeBrowserWindow } = await import('./electron-mock.js');
const { APP_ENTRY } = await import('../../../main/electron/csp.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-window-'));
  FakeBrowserWindow.created.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(stateJson?: unknown) {
  const stateFile = join(dir, 'window-state.json');
  if (stateJson !== undefined) writeFileSync(stateFile, JSON.stringify(stateJson));
  createMainWindow({ preloadPath: '/app/dist/preload/index.cjs', stateFile });
  expect(FakeBrowserWindow.created).toHaveLength(1);
  return FakeBrowserWindow.created[0];
}

describe('main window', () => {
  it('is sandboxed, context-isolated, without Node, and loads only the app page', () => {
    const window = open();
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
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
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(window.loadedUrl).toBe(APP_ENTRY);
    expect(APP_ENTRY).toBe('familiar://app/index.html');
  });

  it('denies new windows, navigation away from the app, redirects and webviews', () => {
    const { webContents } = open();
    for (const url of ['https://evil.example', 'familiar://app/index.html', 'file:///etc/passwd']) {
      expect(webContents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    const navigate = (event: string, url: string) => {
      const e = { prevented: false, preventDefault() { this.prevented = true; } };
      webContents.emit(event, e, url);
      return e.prevented;
    };
    for (const url of ['https://evil.example/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'familiar://files/thumb/a', 'javascript:alert(1)', 'data:text/html,hi']) {
      expect(navigate('will-navigate', url), url).toBe(true);
      expect(navigate('will-redirect', url), url).toBe(true);
    }
    expect(navigate('will-navigate', 'familiar://app/index.html#/people')).toBe(false);
    expect(navigate('will-attach-webview', 'familiar://app/x')).toBe(true);
  });

  it('reopens at the remembered bounds, maximized if it was, and saves them on close', async () => {
    const window = open({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
    expect(window.options).toMatchObject({ x: 100, y: 50, width: 1000, height: 700 });
    expect(window.maximized).toBe(true);
    window.emit('close');
    await vi.waitFor(() => {
      const saved = JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8'));
      expect(saved).toEqual({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
    }, { timeout: 15_000 }); // vi.waitFor's default 1 s is short for a file written on a loaded machine
  });

  it('ignores remembered bounds that are off every screen or unreadable', () => {
    expect(open({ bounds: { x: 5000, y: 5000, width: 800, height: 600 }, maximized: false }).options).not.toHaveProperty('x');
    FakeBrowserWindow.created.length = 0;
    writeFileSync(join(dir, 'window-state.json'), '{not json');
    createMainWindow({ preloadPath: '/p.cjs', stateFile: join(dir, 'window-state.json') });
    expect(FakeBrowserWindow.created[0].options).toMatchObject({ width: 1280, height: 820 });
  });
});
