// The installed app started with a command runs the CLI instead of opening a window (main/electron/terminal.ts): the
// deb's /usr/bin/familiar, an AppImage or Familiar.app's binary answers `familiar people`. A dropped folder, Chromium's
// switches or no argument at all still open the window.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock());

const electron = (await import('electron')) as unknown as ReturnType<(typeof import('./electron-mock.js'))['electronMock']>;
const { runInTerminal, terminalArguments } = await import('../../../main/electron/terminal.js');
const { LOCK_FILE } = await import('../../../main/store/lock.js');

const packaged = { defaultApp: false, platform: 'linux' } as const;

describe('telling a command from a start of the window', () => {
  it("takes what follows the packaged binary, or `electron .`'s folder, as the command line", () => {
    expect(terminalArguments(['/opt/Familiar/familiar', 'import', '/home/ada/Pictures', '--no-watch'], packaged)).toEqual(['import', '/home/ada/Pictures', '--no-watch']);
    expect(terminalArguments(['/usr/bin/electron', '.', 'people', '--json'], { defaultApp: true, platform: 'darwin' })).toEqual(['people', '--json']);
    expect(terminalArguments(['/opt/Familiar/familiar', 'train', 'embedder'], packaged)).toEqual(['train', 'embedder']);
    expect(terminalArguments(['/opt/Familiar/familiar', 'help', 'import'], packaged)).toEqual(['help', 'import']);
  });

  it("keeps the CLI's own options before the command and leaves out Chromium's", () => {
    expect(terminalArguments(['familiar', '--no-sandbox', '--library', '/data/lib', '--json', 'people'], packaged)).toEqual(['--library', '/data/lib', '--json', 'people']);
    expect(terminalArguments(['familiar', '--library=/data/lib', '--enable-features=UseOzonePlatform', 'undo'], packaged)).toEqual(['--library=/data/lib', 'undo']);
    expect(terminalArguments(['familiar', '--no-sandbox', '--version'], packaged)).toEqual(['--version']);
    expect(terminalArguments(['familiar', '-h'], packaged)).toEqual(['-h']);
  });

  it('opens the window for no argument, switches alone, a dropped folder or file, and a word that is no command', () => {
    expect(terminalArguments(['/opt/Familiar/familiar'], packaged)).toBeNull();
    expect(terminalArguments(['/opt/Familiar/familiar', '--no-sandbox'], packaged)).toBeNull();
    expect(terminalArguments(['/opt/Familiar/familiar', '--library', '/data/lib'], packaged)).toBeNull();
    expect(terminalArguments(['/opt/Familiar/familiar', '/home/ada/Pictures/import'], packaged)).toBeNull();
    expect(terminalArguments(['/opt/Familiar/familiar', 'Pictures'], packaged)).toBeNull();
    expect(terminalArguments(['/usr/bin/electron', '.'], { defaultApp: true, platform: 'linux' })).toBeNull();
  });

  it("opens the window on Windows, whose app has no console to write to", () => {
    expect(terminalArguments(['C:\\Familiar\\Familiar.exe', 'people'], { defaultApp: false, platform: 'win32' })).toBeNull();
  });
});

describe('a command run by the app', () => {
  it('runs the CLI without any of the window, then ends the app with the exit code once the output has left', async () => {
    electron.app.calls.length = 0;
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    });
    try {
      await runInTerminal(['--version']);
      await vi.waitFor(() => expect(electron.app.calls).toContain('exit:0'));
    } finally {
      write.mockRestore();
    }
    expect(written.join('')).toMatch(/^familiar \d+\.\d+\.\d+/);
    // On Linux also no display: Chromium's headless platform, so a command works over SSH too.
    expect(electron.app.calls).toEqual(['disableHardwareAcceleration', ...(process.platform === 'linux' ? ['appendSwitch:ozone-platform=headless'] : []), 'exit:0']);
  });

  it('ends the app with the usage code for a command line the CLI refuses', async () => {
    electron.app.calls.length = 0;
    const said: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      said.push(String(chunk));
      (rest.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
      return true;
    });
    try {
      await runInTerminal(['people', '--frobnicate']);
      await vi.waitFor(() => expect(electron.app.calls).toContain('exit:2'));
    } finally {
      write.mockRestore();
    }
    expect(said.join('')).toMatch(/--frobnicate/);
  });

  it("turns Chromium's quit on Ctrl-C into the command's own stop: the library is closed, the code said", async () => {
    electron.app.calls.length = 0;
    electron.app.removeAllListeners();
    const library = mkdtempSync(join(tmpdir(), 'familiar-terminal-'));
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      (rest.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
      return true;
    });
    const said = vi.spyOn(process.stderr, 'write').mockImplementation((_chunk: string | Uint8Array, ...rest: unknown[]) => {
      (rest.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
      return true;
    });
    try {
      const running = runInTerminal(['serve', '--library', library, '--port', '0']);
      await vi.waitFor(() => expect(written.join('')).toMatch(/http:\/\/127\.0\.0\.1:\d+/), { timeout: 60_000 });
      // What Electron does on Ctrl-C in the terminal: app.quit(), which asks every before-quit listener first.
      const quit = { preventDefault: vi.fn() };
      electron.app.emit('before-quit', quit);
      expect(quit.preventDefault).toHaveBeenCalled();
      await running;
      // `familiar serve` stops on a signal as asked: code 0, its library closed (its lock released).
      await vi.waitFor(() => expect(electron.app.calls).toContain('exit:0'));
      expect(said.mock.calls.map(([chunk]) => String(chunk)).join('')).toMatch(/Ctrl-C/);
      expect(existsSync(join(library, LOCK_FILE))).toBe(false);
      // Once the command has finished, a quit is a quit.
      const after = { preventDefault: vi.fn() };
      electron.app.emit('before-quit', after);
      expect(after.preventDefault).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
      said.mockRestore();
      rmSync(library, { recursive: true, force: true });
    }
  }, 120_000);
});
