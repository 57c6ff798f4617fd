// Errors the store raises to the user: each message is one sentence saying what is wrong and what to do.

export class NewerSchemaError extends Error {
  constructor(file: string, found: number, supported: number) {
    super(
      `${file} was written by a newer version of Familiar (schema ${found}; this version reads up to ${supported}): ` +
        'update Familiar to open this library; nothing was changed.',
    );
    this.name = 'NewerSchemaError';
  }
}

/** New faces asked to be stored while the head in use cannot embed them (its files lost or damaged): Library.appendVectors. */
export class EmbeddingUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddingUnavailableError';
  }
}

export class LibraryDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LibraryDamagedError';
  }
}

export class LibraryLockedError extends Error {
  constructor(
    dir: string,
    readonly holder: { pid: number; host: string; startedAt?: string; program?: string },
  ) {
    const program = typeof holder.program === 'string' && holder.program.length <= 80 ? holder.program : null;
    super(
      `The library ${dir} is in use by ${program ?? 'another Familiar process'} (pid ${holder.pid} on ${holder.host}` +
        `${sinceWords(holder.startedAt)}); close it first, or use another --library.` +
        // The app and `familiar serve` keep it open as long as they run: say what still works meanwhile.
        (program === 'familiar serve' || program === 'the Familiar app' ? ' Commands that only read it (people, faces, doctor, suggest, who, same) work meanwhile.' : ''),
    );
    this.name = 'LibraryLockedError';
  }
}

/**
 * When the holder took the lock, as a person reads a clock: "since 23:41", or "since 30 Nov, 23:41" on another day
 * (QA: the lock file's ISO stamp, "2026-12-01T23:41:16.388Z", is UTC and unreadable). Nothing for a stamp that is no date.
 */
export function sinceWords(startedAt: string | undefined, now = new Date()): string {
  const at = startedAt ? new Date(startedAt) : null;
  if (!at || Number.isNaN(at.getTime())) return '';
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === now.toDateString()) return `, since ${time}`;
  const sameYear = at.getFullYear() === now.getFullYear();
  const day = at.toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
  return `, since ${day}, ${time}`;
}

export class ReadOnlyLibraryError extends Error {
  constructor() {
    super('This library was opened read-only; open it for writing to change it.');
    this.name = 'ReadOnlyLibraryError';
  }
}

/** Why the disk refused to move or replace a file, in plain words rather than the system's (EPERM, ENOSPC). */
export function refusalInWords(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  // Windows refuses to rename a file another program holds open; elsewhere these mean permission denied.
  if (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY') return 'another program may be using it';
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full';
  if (code === 'EROFS') return 'the disk is read-only';
  return (err as Error).message;
}
