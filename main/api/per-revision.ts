// One result per library revision, for views that take seconds to derive (the "Which one?" scan): callers share the
// computation for the current revision, and only one runs at a time, so a burst of changes (an import saving batch
// after batch) queues one recomputation instead of piling them up. A failed computation is not kept.
export function perRevision<T>(revision: () => number, compute: () => Promise<T>): () => Promise<T> {
  let latest: { revision: number; result: Promise<T>; settled: boolean } | null = null;
  return async () => {
    for (;;) {
      const entry = latest;
      if (entry?.revision === revision()) return entry.result;
      if (entry && !entry.settled) {
        await entry.result.catch(() => {});
        continue; // the library may have changed again meanwhile: look afresh
      }
      const next = { revision: revision(), result: compute(), settled: false };
      next.result.then(
        () => (next.settled = true),
        () => {
          next.settled = true;
          if (latest === next) latest = null;
        },
      );
      latest = next;
      return next.result;
    }
  };
}

/**
 * One value per library revision for views that take tenths of a second to derive (every photo sorted by date):
 * derived when first asked after a change, then kept for every caller until the next.
 */
export function keptPerRevision<T>(revision: () => number, derive: () => T): () => T {
  let kept: { revision: number; value: T } | null = null;
  return () => {
    const now = revision();
    if (kept?.revision !== now) kept = { revision: now, value: derive() };
    return kept.value;
  };
}
