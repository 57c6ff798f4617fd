// Single-writer lock: `.lock` holds { pid, host, machine, startedAt }. It is created atomically (written to a temp
// file, then hard-linked into place, which fails if a lock exists), so a reader never sees a half-written lock; on a
// file system without hard links (FAT32, exFAT, some SMB shares) it is created exclusively instead. A lock left by a
// dead process on this machine is taken over, by one of the Familiars that find it at once (inTakeoverTurn); a live
// one (or one from another machine) refuses with a clear message.
// On Linux "dead" includes a zombie (killed, its exit not yet collected by its parent: kill(pid, 0) still succeeds,
// so a `familiar serve` restarted right after a `kill -9` was refused) and a pid now used by another process.
// The lock also names the folder it was taken in (device and inode): a library copied while in use carries the
// original's lock, which is no lock of the copy's (QA: a copy was refused "in use by familiar serve").
import { randomBytes } from 'node:crypto';
import { hostname, uptime } from 'node:os';
import { link, open, readFile, realpath, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LibraryLockedError } from './errors.js';
import { machineId } from './machine-id.js';

export const LOCK_FILE = '.lock';

export interface LockHolder {
  pid: number;
  host: string;
  /** This computer's stable id (main/store/machine-id.ts): hostnames change with the network on macOS. Absent in older locks and where there is none. */
  machine?: string;
  startedAt: string;
  /** What holds it, in words ("familiar serve", "the Familiar app"): the refusal names it. Absent in older locks. */
  program?: string;
  /**
   * Linux only: the boot it ran in (/proc/sys/kernel/random/boot_id) and its start in clock ticks since that boot
   * (/proc/<pid>/stat): which process the pid was, so a pid reused by another process is not taken for the holder.
   * Absent elsewhere and in older locks.
   */
  processStart?: { boot: string; ticks: number };
  /**
   * The library folder the lock was taken in: its real path (for messages) and its device and inode, which a rename
   * keeps and a copy does not. Absent in older locks.
   */
  folder?: { path: string; dev: number; ino: number };
}

/** What this thread's opens will say holds the lock (set once by the CLI, `serve` and the app's library worker). */
let programName: string | undefined;
export function setLockHolderName(name: string): void {
  programName = name;
}

export type LockState =
  | { state: 'free' }
  /** copiedFrom: the lock came with a copy of the library from that folder, where it may still be held (not here). */
  | { state: 'held'; holder: LockHolder; alive: boolean | null; copiedFrom?: string }
  | { state: 'unreadable'; detail: string };

/** What Linux's /proc says of a process: its state letter and start (ticks since boot), or null (no /proc: macOS, Windows; or no such process). */
async function procStat(pid: number | 'self'): Promise<{ state: string; ticks: number } | null> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (command) state ppid …": the command may hold spaces and parentheses; field 22 is the start time.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return fields[0] ? { state: fields[0], ticks: Number.isFinite(ticks) ? ticks : NaN } : null;
}

async function bootId(): Promise<string | null> {
  return readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((text) => text.trim() || null, () => null);
}

let ownStart: Promise<LockHolder['processStart']> | undefined;
/** This process's LockHolder.processStart (undefined where there is no /proc). */
function thisProcessStart(): Promise<LockHolder['processStart']> {
  ownStart ??= Promise.all([bootId(), procStat('self')]).then(([boot, stat]) => (boot && stat && Number.isFinite(stat.ticks) ? { boot, ticks: stat.ticks } : undefined));
  return ownStart;
}

/** Whether the lock's process (on this machine) still runs. */
async function processAlive(holder: LockHolder): Promise<boolean> {
  const stat = await procStat(holder.pid);
  if (stat) {
    // Z: killed, waiting for its parent to collect its exit (a supervisor or script may take seconds); X: dead.
    if (stat.state === 'Z' || stat.state === 'X') return false;
    const recorded = holder.processStart;
    if (recorded && typeof recorded.boot === 'string' && typeof recorded.ticks === 'number') {
      // Another boot's process is gone, and a process of this boot with another start is someone else under its pid.
      const boot = await bootId();
      if (boot !== null && (recorded.boot !== boot || recorded.ticks !== stat.ticks)) return false;
    }
  }
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The folder's identity for LockHolder.folder, or undefined where the disk gives none. */
async function folderIdentity(dir: string): Promise<LockHolder['folder']> {
  try {
    const [path, info] = await Promise.all([realpath(dir), stat(dir)]);
    return info.ino > 0 ? { path, dev: info.dev, ino: info.ino } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a lock of this computer was taken in another folder than `dir`: a copy of the library made while it was
 * in use. Told by the inode (a rename or a second path to the same folder keep it, a copy does not): the device
 * differs for one folder seen through two mounts, so it alone would let two writers in.
 */
async function takenInAnotherFolder(dir: string, holder: LockHolder): Promise<boolean> {
  const recorded = holder.folder;
  if (!recorded || typeof recorded.ino !== 'number' || recorded.ino <= 0) return false;
  const here = await folderIdentity(dir);
  return here !== undefined && here.ino !== recorded.ino;
}

/** Whether the lock was taken on this computer (then whether its process lives can be told): same id or same hostname. */
async function isThisMachine(holder: LockHolder): Promise<boolean> {
  if (holder.host === hostname()) return true;
  const id = typeof holder.machine === 'string' ? await machineId() : undefined;
  return id !== undefined && holder.machine === id;
}

/**
 * link() errors that mean "this file system has no hard links" rather than "a lock is already there" (EISDIR is what
 * libuv makes of the ERROR_INVALID_FUNCTION Windows gives on FAT). Any of them may also be a real refusal: the
 * exclusive create then fails with it too.
 */
const NO_HARD_LINKS = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EPERM', 'EXDEV', 'ENOSYS', 'EINVAL', 'EMLINK', 'EISDIR', 'EACCES']);
/** How long a lock file that cannot be parsed yet may still be being written by an exclusive create. */
const LOCK_WRITE_GRACE_MS = 2000;

/**
 * Creates `lockPath` holding `text`, failing with EEXIST if it exists. A hard link of the complete temp file is
 * atomic; without hard links an exclusive create is, though a reader may see the file empty for a moment (see
 * readSettledLock). A file system that refuses both gives the exclusive create's error.
 */
async function createLockFile(temp: string, lockPath: string, text: string): Promise<void> {
  try {
    await link(temp, lockPath);
    return;
  } catch (err) {
    if (!NO_HARD_LINKS.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  }
  const handle = await open(lockPath, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(lockPath).catch(() => {}); // ours, and unusable half-written
    throw err;
  }
}

/**
 * readLock, but a lock file that cannot be parsed and is only moments old is read again until it can be or the grace
 * runs out: another process may be writing it right now by exclusive create, and removing it would give two writers.
 */
async function readSettledLock(dir: string): Promise<LockState> {
  const waitUntil = Date.now() + LOCK_WRITE_GRACE_MS;
  for (;;) {
    const current = await readLock(dir);
    if (current.state !== 'unreadable' || Date.now() >= waitUntil) return current;
    const modified = await stat(join(dir, LOCK_FILE)).then((info) => info.mtimeMs, () => 0);
    if (Date.now() - modified > LOCK_WRITE_GRACE_MS) return current;
    await new Promise((done) => setTimeout(done, 50));
  }
}

export async function readLock(dir: string): Promise<LockState> {
  let text: string;
  try {
    text = await readFile(join(dir, LOCK_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'free' };
    return { state: 'unreadable', detail: (err as Error).message };
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (typeof holder.pid !== 'number' || typeof holder.host !== 'string') throw new Error('missing pid or host');
    // A holder that started before this machine booted is gone, whatever process has its pid now (pids are
    // reused after a reboot: without this a lock left by a power cut could block the library for good).
    const startedAt = typeof holder.startedAt === 'string' ? Date.parse(holder.startedAt) : NaN;
    const beforeBoot = Number.isFinite(startedAt) && startedAt < Date.now() - uptime() * 1000 - 60_000;
    if (!(await isThisMachine(holder))) return { state: 'held', holder, alive: null };
    // A copy's lock says nothing of this folder, whether its process still runs (on the original) or not.
    if (await takenInAnotherFolder(dir, holder)) return { state: 'held', holder, alive: false, copiedFrom: holder.folder!.path };
    return { state: 'held', holder, alive: !beforeBoot && (await processAlive(holder)) };
  } catch (err) {
    return { state: 'unreadable', detail: `unparseable lock file (${(err as Error).message})` };
  }
}

/** Throws LibraryLockedError when `current` is a lock held by a live process, or by this one. */
async function refuseLiveHolder(dir: string, current: LockState): Promise<void> {
  if (current.state !== 'held') return;
  if (current.holder.pid === process.pid && !current.copiedFrom && (await isThisMachine(current.holder))) throw new LibraryLockedError(dir, current.holder);
  if (current.alive !== false) throw new LibraryLockedError(dir, current.holder);
}

/** Where the one process taking over a stale lock says so (inTakeoverTurn). */
const TAKEOVER_FILE = '.lock.takeover';
/** A takeover turn takes milliseconds: one older than this, whose holder cannot be asked, was left by a crash. */
const TAKEOVER_STALE_MS = 10_000;

/**
 * Whether the takeover turn `turn` was left by a process that died in it: its holder, on this machine, no longer runs;
 * one that cannot be asked (another machine's, or being written) by its age. A live holder's turn is waited for
 * however long it takes (review: judged by age alone, a turn whose file a NAS's clock dated back was another's).
 */
async function turnLeftBehind(turn: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(turn, 'utf8');
  } catch {
    return false; // gone: the next try creates it
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (typeof holder.pid === 'number' && typeof holder.host === 'string' && (await isThisMachine(holder))) return !(await processAlive(holder));
  } catch {
    // being written, or damaged: its age tells
  }
  const modified = await stat(turn).then((info) => info.mtimeMs, () => null);
  return modified !== null && Date.now() - modified > TAKEOVER_STALE_MS;
}

/**
 * Runs `takeOver` while this process alone may remove a stale lock: the turn is a file created exclusively (written
 * now, holding `text`: this process), removed after. Waits for another process's turn; one left by a crash
 * (turnLeftBehind) is removed. Two processes finding the same dead turn at once could still both remove it: that needs a
 * crash inside a turn of milliseconds, and two Familiars starting together after it.
 */
async function inTakeoverTurn(dir: string, text: string, takeOver: () => Promise<void>): Promise<void> {
  const turn = join(dir, TAKEOVER_FILE);
  const giveUpAt = Date.now() + 6 * TAKEOVER_STALE_MS;
  for (;;) {
    try {
      await writeFile(turn, text, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await turnLeftBehind(turn)) await unlink(turn).catch(() => {});
    else if (Date.now() > giveUpAt) throw new Error(`Could not take over the stale lock of ${dir}: another Familiar has been taking it over for a minute.`);
    else await new Promise((done) => setTimeout(done, 20));
  }
  try {
    await takeOver();
  } finally {
    await unlink(turn).catch(() => {});
  }
}

export class LibraryLock {
  private released = false;
  private constructor(
    private readonly dir: string,
    readonly holder: LockHolder,
    /** Set when a stale lock of a dead process, or one copied with the library, was taken over. */
    readonly tookOverFrom: LockHolder | null,
    /** With tookOverFrom: the folder the library was copied from, when that is why the lock was stale. */
    readonly copiedFrom: string | null = null,
  ) {}

  static async acquire(dir: string): Promise<LibraryLock> {
    const [machine, processStart, folder] = await Promise.all([machineId(), thisProcessStart(), folderIdentity(dir)]);
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      ...(machine && { machine }),
      startedAt: new Date().toISOString(),
      ...(programName && { program: programName }),
      ...(processStart && { processStart }),
      ...(folder && { folder }),
    };
    const lockPath = join(dir, LOCK_FILE);
    // Its own name for each open: two opens at once in one process (threads share the pid) must not remove each other's.
    const temp = join(dir, `.lock.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const text = JSON.stringify(holder);
    await writeFile(temp, text);
    let tookOverFrom: LockHolder | null = null;
    let copiedFrom: string | null = null;
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await createLockFile(temp, lockPath, text);
          return new LibraryLock(dir, holder, tookOverFrom, copiedFrom);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        await refuseLiveHolder(dir, await readSettledLock(dir));
        // Dead holder, or a lock file that cannot be parsed (a crash between the exclusive create and its write, or
        // inside this function's old non-atomic predecessor, leaves one): remove it and retry the atomic create. Two
        // Familiars started together after a crash both found it stale, and the second removed the lock the first had
        // just taken: both wrote, and one's change was lost (QA). So it is removed only in a turn no other takeover
        // shares, and only if it is still stale once the turn is ours.
        await inTakeoverTurn(dir, text, async () => {
          const current = await readSettledLock(dir);
          if (current.state === 'free') return;
          await refuseLiveHolder(dir, current);
          if (current.state === 'held') {
            tookOverFrom = current.holder;
            copiedFrom = current.copiedFrom ?? null;
          }
          await unlink(lockPath).catch(() => {});
        });
      }
      throw new Error(`Could not take the lock of ${dir} after removing a stale lock three times.`);
    } finally {
      await unlink(temp).catch(() => {});
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const current = await readLock(this.dir);
    if (current.state === 'held' && current.holder.pid === this.holder.pid && current.holder.startedAt === this.holder.startedAt) {
      await unlink(join(this.dir, LOCK_FILE)).catch(() => {});
    }
  }
}
