// Runs a fuzz corpus two ways, shared by tests/reliability/fuzz-import.test.ts and the benchmark:
//   decodeCorpus: each file through decodePhoto alone (per-file time, memory, error kind);
//   importCorpus: the whole folder through `familiar import --json` in a child process (a native crash or a hang
//   shows up as the child dying or timing out, not as the test runner dying).
import { decodePhoto, UnreadablePhotoError } from '../../../main/library/decode.js';
import { runCli } from './crash-harness.js';
import type { FuzzFile } from './fuzz-corpus.js';

export interface DecodeResult {
  tried: number;
  decoded: number;
  /** path -> reason (UnreadablePhotoError): a clean refusal. */
  refused: Map<string, string>;
  /** Anything else thrown: the importer would stop on it. */
  crashes: string[];
  hangs: string[];
  slowestSeconds: number;
  peakRssGrowthMb: number;
}

export async function decodeCorpus(corpus: FuzzFile[], options: { hangSeconds: number; maxSide?: number }): Promise<DecodeResult> {
  const result: DecodeResult = { tried: 0, decoded: 0, refused: new Map(), crashes: [], hangs: [], slowestSeconds: 0, peakRssGrowthMb: 0 };
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    for (const file of corpus) {
      result.tried++;
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), options.hangSeconds * 1000)));
      const outcome = await Promise.race([decodePhoto(file.path, options.maxSide ?? 1600).then(() => 'ok' as const, (err: unknown) => err), hang]);
      clearTimeout(timer);
      result.slowestSeconds = Math.max(result.slowestSeconds, (performance.now() - started) / 1000);
      peak = Math.max(peak, process.memoryUsage().rss);
      if (outcome === 'ok') result.decoded++;
      else if (outcome === 'hang') result.hangs.push(`${file.kind}: ${file.path}`);
      else if (outcome instanceof UnreadablePhotoError) result.refused.set(file.path, outcome.message);
      else result.crashes.push(`${file.kind}: ${(outcome as Error)?.message ?? String(outcome)}`);
    }
  } finally {
    clearInterval(sampler);
  }
  result.peakRssGrowthMb = (peak - baseline) / 2 ** 20;
  return result;
}

export interface ImportOutcome {
  crashed: boolean;
  hung: boolean;
  /** Corpus files neither imported nor reported as skipped. */
  unaccounted: string[];
  skipped: Array<{ path: string; reason: string }>;
  photos: number;
  problems: string[];
}

export async function importCorpus(corpus: FuzzFile[], corpusDir: string, libraryDir: string, options: { hangSeconds: number }): Promise<ImportOutcome> {
  const run = await runCli(['import', corpusDir, '--library', libraryDir, '--json'], { after: 'ms', ms: options.hangSeconds * 1000 });
  const problems: string[] = [];
  const hung = run.killed;
  const crashed = !hung && run.code !== 0;
  if (crashed) problems.push(`import exited with ${run.code ?? run.signal}: ${run.stderr.trim().slice(0, 500)}`);
  const summaryLine = run.lines.find((l) => l.startsWith('{"type":"summary"'));
  const summary = summaryLine ? (JSON.parse(summaryLine) as { photos: number; skipped: Array<{ path: string; reason: string }> }) : null;
  if (!summary && !hung && !crashed) problems.push('no summary line');
  const skipped = summary?.skipped ?? [];
  for (const s of skipped) if (!/\w{4,}/.test(s.reason)) problems.push(`${s.path} skipped without a reason`);
  // Which corpus files the library holds: read its photos document through a read-only open.
  const { Library } = await import('../../../main/store/library.js');
  const imported = new Set<string>();
  if (summary) {
    const library = await Library.open(libraryDir, { readOnly: true });
    try {
      for (const p of library.photos) for (const path of p.paths) imported.add(path);
    } finally {
      await library.close();
    }
  }
  const skippedPaths = new Set(skipped.map((s) => s.path));
  const unaccounted = summary ? corpus.filter((f) => !imported.has(f.path) && !skippedPaths.has(f.path)).map((f) => `${f.kind}: ${f.path}`) : [];
  return { crashed, hung, unaccounted, skipped, photos: summary?.photos ?? 0, problems };
}
