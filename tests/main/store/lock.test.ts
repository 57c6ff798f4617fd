// The library lock on file systems without hard links (FAT32, exFAT, some SMB shares), across hostname changes
// (macOS renames the host with the network it joins), and left by a process that is gone though its pid answers.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, open, readdir, readFile, realpath, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LibraryLockedError } from '../../../main/store/errors.js';
import { Library } from '../../../main/store/library.js';
import { LibraryLock, readLock } from '../../../main/store/lock.js';
import { machineId } from '../../../main/store/machine-id.js';
import { addPhotos } from '../../helpers/store-records.js';

/** The error link() gives, or null for the real link; and who hears of each stat() (the lock's age being read). */
const linkFails = vi.hoisted(() => ({ code: null as string | null, calls: 0, onStat: null as ((path: string) => void) | null }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const wrapped = {
    ...real,
    async link(from: string, to: string) {
      linkFails.calls++;
      if (linkFails.code) throw Object.assign(new Error(`${linkFails.code}: injected, link '${from}' -> '${to}'`), { code: linkFails.code });
      return real.link(from, to);
    },
    async stat(...args: Parameters<typeof real.stat>) {
      linkFails.onStat?.(String(args[0]));
      return real.stat(...args);
    },
  };
  return { ...wrapped, default: wrapped };
});

/** A pid no process has (far above pid_max on Linux). */
const DEAD_PID = 2 ** 30;

let dir: string;
beforeEach(async () => {
  linkFails.code = null;
  linkFails.calls = 0;
  linkFails.onStat = null;
  dir = await mkdtemp(join(tmpdir(), 'familiar-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the lock without hard links', () => {
  for (const code of ['EPERM', 'ENOTSUP', 'EXDEV', 'ENOSYS', 'EINVAL']) {
    it(`is created exclusively when link fails with ${code}`, async () => {
      linkFails.code = code;
      const lock = await LibraryLock.acquire(dir);
      expect(linkFails.calls).toBeGreaterThan(0);
      const held = await readLock(dir);
      expect(held).toMatchObject({ state: 'held', holder: { pid: process.pid, host: hostname() }, alive: true });
      await expect(LibraryLock.acquire(dir)).rejects.toThrow(LibraryLockedError);
      await lock.release();
      expect(await readdir(dir)).toEqual([]); // neither the lock nor its temp file is left
    });
  }

  it('opens, refuses a second writer and takes over a dead process’s lock', async () => {
    linkFails.code = 'EPERM';
    const library = await Library.open(dir);
    await expect(Library.open(dir)).rejects.toThrow(/in use by another Familiar process/);
    await addPhotos(library, 1, 2); // backups kept by copy, not by link
    await addPhotos(library, 3, 2);
    await library.close();
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: DEAD_PID, host: hostname(), startedAt: new Date().toISOString() }));
    const takeover = await Library.open(dir);
    expect(takeover.repairs.map((r) => r.part)).toEqual(['.lock']);
    expect(takeover.faces).toHaveLength(8);
    await takeover.close();
  });

  it('does not take a lock another process is writing right now (empty for a moment) for a stale one', async () => {
    linkFails.code = 'EPERM';
    const lockFile = join(dir, '.lock');
    await writeFile(lockFile, ''); // created by an exclusive create, its text not written yet
    // The text is written once the second process has found the file empty and asks how old it is: not after a fixed
    // time, which a loaded machine could stretch past the grace that process gives a lock being written.
    const lockAgeRead = new Promise<void>((done) => (linkFails.onStat = (path) => path === lockFile && done()));
    const writing = (async () => {
      await lockAgeRead;
      const handle = await open(lockFile, 'r+');
      await handle.writeFile(JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: new Date().toISOString() }));
      await handle.close();
    })();
    await expect(LibraryLock.acquire(dir)).rejects.toThrow(LibraryLockedError);
    await writing;
    expect(JSON.parse(await readFile(lockFile, 'utf8')).pid).toBe(process.ppid);
  });

  it('gives the exclusive create’s error when the file system refuses that too', async () => {
    linkFails.code = 'ENOTSUP';
    await writeFile(join(dir, 'not-a-folder'), 'x');
    await expect(LibraryLock.acquire(join(dir, 'not-a-folder'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('a stale lock several Familiars find at once', () => {
  /** How many rounds of `contenders` opening together after a crash let more than one in. */
  async function roundsWithTwoWriters(rounds: number, contenders: number): Promise<number> {
    let twice = 0;
    for (let round = 0; round < rounds; round++) {
      await writeFile(join(dir, '.lock'), JSON.stringify({ pid: DEAD_PID, host: hostname(), startedAt: new Date().toISOString() }));
      const opened = await Promise.allSettled(Array.from({ length: contenders }, () => LibraryLock.acquire(dir)));
      const held = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      if (held.length !== 1) twice++;
      for (const o of opened) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(LibraryLockedError);
      await Promise.all(held.map((lock) => lock.release()));
    }
    return twice;
  }

  // QA: an app and a script started together after a crash both "took over" the lock; both wrote, one change was lost.
  it('is taken over by one of them; the others are refused', async () => {
    expect(await roundsWithTwoWriters(80, 4)).toBe(0);
    linkFails.code = 'EPERM';
    expect(await roundsWithTwoWriters(30, 4)).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  }, 120_000);

  it('is taken over though a takeover was cut short by a crash, and waits for one a live process is in', async () => {
    const stale = { pid: DEAD_PID, host: hostname(), startedAt: new Date().toISOString() };
    await writeFile(join(dir, '.lock'), JSON.stringify(stale));
    await writeFile(join(dir, '.lock.takeover'), JSON.stringify(stale));
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(join(dir, '.lock.takeover'), longAgo, longAgo);
    const lock = await LibraryLock.acquire(dir);
    expect(lock.tookOverFrom).toMatchObject({ pid: DEAD_PID });
    expect((await readdir(dir)).sort()).toEqual(['.lock']);
    await lock.release();

    // A live process's turn: this one waits for it to end, then finds the lock as that one left it; however old its
    // file looks (a NAS's clock behind this machine's, review).
    await writeFile(join(dir, '.lock'), JSON.stringify(stale));
    await writeFile(join(dir, '.lock.takeover'), JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: new Date().toISOString() }));
    await utimes(join(dir, '.lock.takeover'), longAgo, longAgo);
    const waiting = LibraryLock.acquire(dir);
    await new Promise((done) => setTimeout(done, 150));
    expect(await readdir(dir)).toContain('.lock.takeover');
    await rm(join(dir, '.lock.takeover'));
    const taken = await waiting;
    expect(taken.tookOverFrom).toMatchObject({ pid: DEAD_PID });
    await taken.release();
  });
});

describe('the lock across hostname changes', () => {
  it('records this machine’s id beside its hostname', async () => {
    const lock = await LibraryLock.acquire(dir);
    const id = await machineId();
    expect(id).toBeTruthy(); // this test machine has one (/etc/machine-id, or the id kept for it)
    expect(JSON.parse(await readFile(join(dir, '.lock'), 'utf8'))).toMatchObject({ host: hostname(), machine: id });
    await lock.release();
  });

  it('takes over a dead process’s lock written under another hostname of this machine', async () => {
    const id = await machineId();
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: DEAD_PID, host: 'MacBook-Pro-2.local', machine: id, startedAt: new Date().toISOString() }));
    expect(await readLock(dir)).toMatchObject({ state: 'held', alive: false });
    const library = await Library.open(dir);
    expect(library.repairs).toContainEqual({ part: '.lock', problem: `left by process ${DEAD_PID} on MacBook-Pro-2.local, which is no longer running`, action: 'taken over' });
    await library.close();
  });

  it('still refuses a live process of this machine under its old hostname', async () => {
    const id = await machineId();
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: process.ppid, host: 'MacBook-Pro-2.local', machine: id, startedAt: new Date().toISOString() }));
    expect(await readLock(dir)).toMatchObject({ state: 'held', alive: true });
    await expect(Library.open(dir)).rejects.toThrow(LibraryLockedError);
  });

  it('reads older locks without an id, and cannot tell about another machine’s', async () => {
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: DEAD_PID, host: 'other-host', startedAt: new Date().toISOString() }));
    expect(await readLock(dir)).toMatchObject({ state: 'held', alive: null });
    await expect(Library.open(dir)).rejects.toThrow(LibraryLockedError);
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: DEAD_PID, host: 'other-host', machine: 'linux:0123456789abcdef', startedAt: new Date().toISOString() }));
    expect(await readLock(dir)).toMatchObject({ state: 'held', alive: null });
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: DEAD_PID, host: hostname(), startedAt: 'earlier' }));
    expect(await readLock(dir)).toMatchObject({ state: 'held', alive: false });
  });
});

/** A process's state letter and start (clock ticks since boot), from Linux's /proc. */
async function procStat(pid: number): Promise<{ state: string; ticks: number }> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ticks: Number(fields[19]) };
}

describe.runIf(process.platform === 'linux')('the lock of a process that is gone though its pid answers (Linux)', () => {
  it('takes over the lock of a process killed and not yet collected by its parent (a zombie)', async () => {
    // `sleep` never collects its children: the one started before the exec stays a zombie once killed, as
    // `familiar serve` did under a supervisor that had not collected it yet (restart refused for seconds).
    const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const pid = Number(await new Promise<string>((done) => parent.stdout.once('data', (data: Buffer) => done(data.toString()))));
      // Kill the child only once the shell has become `sleep`: a shell still running would collect it (bash does
      // at once), and the zombie would be gone before it could be looked at.
      // Waited for by a deadline, not a count of short sleeps, which a loaded machine can outlast.
      const execDeadline = Date.now() + 30_000;
      while (Date.now() < execDeadline && (await readFile(`/proc/${parent.pid}/comm`, 'utf8')).trim() !== 'sleep') {
        await new Promise((done) => setTimeout(done, 20));
      }
      expect((await readFile(`/proc/${parent.pid}/comm`, 'utf8')).trim()).toBe('sleep');
      process.kill(pid, 'SIGKILL');
      const zombieDeadline = Date.now() + 30_000;
      while (Date.now() < zombieDeadline && (await procStat(pid)).state !== 'Z') await new Promise((done) => setTimeout(done, 20));
      expect((await procStat(pid)).state).toBe('Z');
      expect(() => process.kill(pid, 0)).not.toThrow(); // why the old check counted it alive
      await writeFile(join(dir, '.lock'), JSON.stringify({ pid, host: hostname(), startedAt: new Date().toISOString(), program: 'familiar serve' }));
      expect(await readLock(dir)).toMatchObject({ state: 'held', alive: false });
      const library = await Library.open(dir);
      expect(library.repairs).toContainEqual(expect.objectContaining({ part: '.lock', action: 'taken over' }));
      await library.close();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('records which process holds it, and does not take another process that has its pid now for it', async () => {
    const lock = await LibraryLock.acquire(dir);
    const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    const own = JSON.parse(await readFile(join(dir, '.lock'), 'utf8'));
    expect(own.processStart).toEqual({ boot, ticks: (await procStat(process.pid)).ticks });
    await lock.release();
    // A live process (the test runner's parent) under the pid the lock names.
    const live = { pid: process.ppid, host: hostname(), startedAt: new Date().toISOString() };
    const { ticks } = await procStat(process.ppid);
    await writeFile(join(dir, '.lock'), JSON.stringify({ ...live, processStart: { boot, ticks } }));
    expect(await readLock(dir)).toMatchObject({ state: 'held', alive: true });
    await expect(Library.open(dir)).rejects.toThrow(LibraryLockedError);
    await writeFile(join(dir, '.lock'), JSON.stringify(live)); // an older lock: the pid alone
    expect(await readLock(dir)).toMatchObject({ state: 'held', alive: true });
    // The holder started at another time, or in another boot: that process is gone, whoever has its pid now.
    await writeFile(join(dir, '.lock'), JSON.stringify({ ...live, processStart: { boot, ticks: ticks + 1 } }));
    expect(await readLock(dir)).toMatchObject({ state: 'held', alive: false });
    await writeFile(join(dir, '.lock'), JSON.stringify({ ...live, processStart: { boot: '00000000-0000-0000-0000-000000000000', ticks } }));
    expect(await readLock(dir)).toMatchObject({ state: 'held', alive: false });
    const library = await Library.open(dir);
    expect(library.repairs).toContainEqual(expect.objectContaining({ part: '.lock', action: 'taken over' }));
    await library.close();
  });
});

describe('a library copied while in use', () => {
  it('opens the copy (the lock it carries is the original’s) and still refuses a second writer of the original, moved or not', async () => {
    const original = join(dir, 'original');
    const library = await Library.open(original);
    const ours = JSON.parse(await readFile(join(original, '.lock'), 'utf8'));
    expect(ours.folder).toMatchObject({ path: await realpath(original), ino: (await stat(original)).ino });
    // Held by another live process of this machine (the test runner's parent), as `familiar serve` would hold it.
    const held = { ...ours, pid: process.ppid, processStart: undefined };
    await library.close();
    await writeFile(join(original, '.lock'), JSON.stringify(held));
    await expect(Library.open(original)).rejects.toThrow(LibraryLockedError);

    const copy = join(dir, 'copy');
    await cp(original, copy, { recursive: true });
    expect(await readLock(copy)).toMatchObject({ state: 'held', alive: false, copiedFrom: await realpath(original) });
    const opened = await Library.open(copy);
    expect(opened.repairs).toContainEqual({
      part: '.lock',
      problem: `copied with the library from ${await realpath(original)}, where process ${process.ppid} held it: it is no lock of this copy`,
      action: 'taken over',
    });
    await opened.close();

    // A rename keeps the folder (its inode): still the holder's library, still refused.
    const moved = join(dir, 'moved');
    await rename(original, moved);
    await expect(Library.open(moved)).rejects.toThrow(LibraryLockedError);
    expect(await readLock(moved)).toMatchObject({ state: 'held', alive: true });
  });
});
