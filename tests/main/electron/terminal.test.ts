// The installed app started with a command runs the CLI instead of opening a window (main/electron/terminal.ts): the
// deb's /usr/bin/familiar, an AppImage or Familiar.app's binary answers `familiar people`. A dropped folder, Chromium's
// switches or no argument at all still open the window.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';

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

  it('gives a mistyped or unfinished command line to the CLI, which says what it meant, not the window', () => {
    expect(terminalArguments(['/opt/Familiar/familiar', 'peple'], packaged)).toEqual(['peple']);
    expect(terminalArguments(['/opt/Familiar/familiar', 'Pictures'], packaged)).toEqual(['Pictures']);
    expect(terminalArguments(['/opt/Familiar/familiar', '--json'], packaged)).toEqual(['--json']);
    expect(terminalArguments(['/opt/Familiar/familiar', '--library', '/data/lib'], packaged)).toEqual(['--library', '/data/lib']);
  });

  it("keeps the CLI's own options before the command and leaves out Chromium's", () => {
    expect(terminalArguments(['familiar', '--no-sandbox', '--library', '/data/lib', '--json', 'people'], packaged)).toEqual(['--library', '/data/lib', '--json', 'people']);
    expect(terminalArguments(['familiar', '--library=/data/lib', '--ozone-platform=headless', 'undo'], packaged)).toEqual(['--library=/data/lib', 'undo']);
    expect(terminalArguments(['familiar', '--no-sandbox', '--version'], packaged)).toEqual(['--version']);
    expect(terminalArguments(['familiar', '-h'], packaged)).toEqual(['-h']);
    // An AppImage's launcher may add it anywhere.
    expect(terminalArguments(['familiar', 'people', '--no-sandbox'], packaged)).toEqual(['people']);
  });

  it("opens the window for no argument, Chromium's switches alone, and files dropped on the app's icon", () => {
    expect(terminalArguments(['/opt/Familiar/familiar'], packaged)).toBeNull();
    expect(terminalArguments(['/opt/Familiar/familiar', '--no-sandbox'], packaged)).toBeNull();
    expect(terminalArguments(['/opt/Familiar/familiar', '--enable-features=UseOzonePlatform'], packaged)).toBeNull();
    expect(terminalArguments(['/opt/Familiar/familiar', '/home/ada/Pictures/import'], packaged)).toBeNull();
    expect(terminalArguments(['/opt/Familiar/familiar', '--no-sandbox', 'file:///home/ada/Pictures/people'], packaged)).toBeNull();
    expect(terminalArguments(['/usr/bin/electron', '.'], { defaultApp: true, platform: 'linux' })).toBeNull();
  });

  it('opens the window on Windows, whose app has no console to write to', () => {
    expect(terminalArguments(['C:\\Familiar\\Familiar.exe', 'people'], { defaultApp: false, platform: 'win32' })).toBeNull();
  });
});

describe('a command run by the app', () => {
  let stdout: string[];
  let stderr: string[];
  let spies: MockInstance[];
  /** Collects what a stream is written, calling back at once as a flushed stream does. */
  const capture = (stream: NodeJS.WriteStream, into: string[]) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(String(chunk));
      (rest.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
      return true;
    });

  beforeEach(() => {
    electron.app.calls.length = 0;
    electron.app.removeAllListeners();
    stdout = [];
    stderr = [];
    spies = [capture(process.stdout, stdout), capture(process.stderr, stderr)];
  });
  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });

  it('runs the CLI without any of the window, then ends the app with the exit code once the output has left', async () => {
    await runInTerminal(['--version']);
    await vi.waitFor(() => expect(electron.app.calls).toContain('exit:0'));
    expect(stdout.join('')).toMatch(/^familiar \d+\.\d+\.\d+/);
    expect(electron.app.calls).toEqual(['disableHardwareAcceleration', 'exit:0']);
  });

  it('ends the app with the usage code for a command line the CLI refuses, saying what it meant', async () => {
    await runInTerminal(['peple']);
    await vi.waitFor(() => expect(electron.app.calls).toContain('exit:2'));
    expect(stderr.join('')).toMatch(/did you mean "familiar people"/);
  });

  it("says an error no command caught in one line and ends, where Electron's own handler would show a dialog box and stay", async () => {
    const before = new Set(process.listeners('uncaughtException'));
    await runInTerminal(['--version']);
    const ours = process.listeners('uncaughtException').filter((listener) => !before.has(listener));
    expect(ours).toHaveLength(1);
    electron.app.calls.length = 0;
    (ours[0] as (err: Error) => void)(new Error('ENOSPC: no space left on device, write'));
    expect(stderr.join('')).toContain('familiar: ENOSPC: no space left on device, write\n');
    expect(electron.app.calls).toEqual(['exit:1']);
    for (const listener of ours) process.off('uncaughtException', listener);
    for (const listener of process.listeners('unhandledRejection').slice(-1)) process.off('unhandledRejection', listener);
  });

  it("turns Chromium's quit on Ctrl-C into the command's own stop: the library is closed, the code said", async () => {
    const library = mkdtempSync(join(tmpdir(), 'familiar-terminal-'));
    try {
      const running = runInTerminal(['serve', '--library', library, '--port', '0']);
      await vi.waitFor(() => expect(stdout.join('')).toMatch(/http:\/\/127\.0\.0\.1:\d+/), { timeout: 60_000 });
      // What Electron does on Ctrl-C in the terminal: app.quit(), which asks every before-quit listener first.
      const quit = { preventDefault: vi.fn() };
      electron.app.emit('before-quit', quit);
      expect(quit.preventDefault).toHaveBeenCalled();
      await running;
      // `familiar serve` stops on a signal as asked: code 0, its library closed (its lock released).
      await vi.waitFor(() => expect(electron.app.calls).toContain('exit:0'));
      expect(stderr.join('')).toMatch(/Ctrl-C/);
      expect(existsSync(join(library, LOCK_FILE))).toBe(false);
      // Once the command has finished, a quit ends the app with the command's code.
      electron.app.calls.length = 0;
      const after = { preventDefault: vi.fn() };
      electron.app.emit('before-quit', after);
      expect(after.preventDefault).toHaveBeenCalled();
      expect(electron.app.calls).toEqual(['exit:0']);
    } finally {
      rmSync(library, { recursive: true, force: true });
    }
  }, 120_000);

  it('ends the app as stopped when Ctrl-C comes before the command listens for it: nothing has started', async () => {
    // The CLI is still loading: the quit comes at once.
    const running = runInTerminal(['--version']);
    const quit = { preventDefault: vi.fn() };
    electron.app.emit('before-quit', quit);
    expect(quit.preventDefault).toHaveBeenCalled();
    expect(electron.app.calls).toEqual(['disableHardwareAcceleration', 'exit:130']);
    await running;
  });
});
