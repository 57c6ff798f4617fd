// Single-writer lock: `.lock` holds { pid, host, startedAt }. It is created atomically (written to a temp file, then
// hard-linked into place, which fails if a lock exists), so a reader never sees a half-written lock. A lock left by
// a dead process on this host is taken over; a live one (or one from another host) refuses with a clear message.
import { hostname, uptime } from 'node:os';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LibraryLockedError } from './errors.js';

export const LOCK_FILE = '.lock';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** What holds it, in words ("familiar serve", "the Familiar app"): the refusal names it. Absent in older locks. */
  program?: string;
}

/** What this thread's opens will say holds the lock (set once by the CLI, `serve` and the app's library worker). */
let programName: string | undefined;
export function setLockHolderName(name: string): void {
  programName = name;
}

export type LockState =
  | { state: 'free' }
  | { state: 'held'; holder: LockHolder; alive: boolean | null }
  | { state: 'unreadable'; detail: string };

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
    const alive = holder.host === hostname() ? !beforeBoot && processAlive(holder.pid) : null;
    return { state: 'held', holder, alive };
  } catch (err) {
    return { state: 'unreadable', detail: `unparseable lock file (${(err as Error).message})` };
  }
}

export class LibraryLock {
  private released = false;
  private constructor(
    private readonly dir: string,
    readonly holder: LockHolder,
    /** Set when a stale lock of a dead process was taken over. */
    readonly tookOverFrom: LockHolder | null,
  ) {}

  static async acquire(dir: string): Promise<LibraryLock> {
    const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), ...(programName && { program: programName }) };
    const lockPath = join(dir, LOCK_FILE);
    const temp = join(dir, `.lock.${process.pid}.tmp`);
    await writeFile(temp, JSON.stringify(holder));
    let tookOverFrom: LockHolder | null = null;
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await link(temp, lockPath);
          return new LibraryLock(dir, holder, tookOverFrom);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        const current = await readLock(dir);
        if (current.state === 'held') {
          if (current.holder.pid === process.pid && current.holder.host === holder.host) {
            throw new LibraryLockedError(dir, current.holder);
          }
          if (current.alive !== false) throw new LibraryLockedError(dir, current.holder);
          tookOverFrom = current.holder;
        }
        // Dead holder, or a lock file that cannot be parsed (only a crash inside this function's old non-atomic
        // predecessor could leave one): remove it and retry the atomic create.
        await unlink(lockPath).catch(() => {});
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
