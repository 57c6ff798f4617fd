// A system error from a write the engine did not wrap, in words: "ENOSPC: no space left on device, write" was all QA
// got when the disk filled during an import, in the terminal and in the app alike.

/**
 * What a system error (ENOSPC, EROFS, EACCES, EIO…) means, with what to do, or null for any other error. `then` says
 * how to carry on ("run the command again", "import again").
 */
export function systemErrorInWords(err: unknown, then: string): string | null {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const raw = err instanceof Error ? err.message : String(err);
  if (typeof code !== 'string' || !raw.startsWith(`${code}:`)) return null;
  // What it means, and what mends it: "free the space or fix the disk" read oddly for a refused permission.
  const [why, mend] =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? ['the disk is full', 'free some space']
      : code === 'EROFS'
        ? ['the disk is read-only', 'make it writable']
        : code === 'EACCES' || code === 'EPERM'
          ? ['permission was refused', 'let Familiar write there']
          : code === 'EIO'
            ? ['the disk reported an error', 'check the disk']
            : [null, null];
  return why && `${why[0].toUpperCase()}${why.slice(1)} (${raw.split('\n')[0]}). What was done before this is kept: ${mend}, then ${then}.`;
}
