// Timing for the benchmarks that run a step several times in one process (bench-store, bench-folders).

/** The median of `runs` runs of `fn`, in milliseconds. */
export function medianMs(fn: () => unknown, runs = 5): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}
