// `familiar doctor`: tensor backend and why, model files, library location, counts, lock and repairs made on open.
import { Engine, type DoctorReport } from '../../engine.js';
import { UsageError, shownDistance, type Command } from '../command.js';
import { analysisCostSentence, lookAgainCostSentence, plural } from '../../../preload/contract.js';
import { lookAgainHint } from './import.js';

function kib(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}

/** Folders named in full in the command that analyses the photos awaiting analysis; more are counted. */
const FOLDERS_NAMED = 3;

/** How many photos await analysis, and the command that analyses them: importing their folders again. */
function pendingHint(photos: number, folders: readonly string[]): string {
  const waiting = `${plural(photos, 'photo awaits', 'photos await')} analysis`;
  if (folders.length === 0) return waiting;
  const named = folders.slice(0, FOLDERS_NAMED).map((f) => JSON.stringify(f)).join(' ');
  const more = folders.length > FOLDERS_NAMED ? ` (and the ${plural(folders.length - FOLDERS_NAMED, 'other folder')} holding them)` : '';
  return `${waiting}: familiar import ${named}${more} analyses ${photos === 1 ? 'it' : 'them'}`;
}

function text(report: DoctorReport): string {
  const lines: string[] = [];
  const b = report.backend;
  lines.push('error' in b ? `Backend: FAILED (${b.error})` : `Backend: ${b.name}${b.simd ? ' (SIMD)' : ''} — ${b.reason}`);
  lines.push(`Pipeline: ${report.pipelineVersion}`);
  lines.push(`Models: ${report.models.dir}`);
  for (const f of report.models.files) lines.push(`  ${f.name.padEnd(50)} ${kib(f.bytes)}`);
  if (report.models.missing.length) lines.push(`  MISSING: ${report.models.missing.join(', ')}`);
  const lib = report.library;
  lines.push(`Library: ${lib.dir}${lib.exists || lib.error ? '' : ' (none yet: "familiar import <folder>" creates it)'}`);
  if (lib.error) lines.push(`  ERROR: ${lib.error}`);
  if (lib.counts) {
    const c = lib.counts;
    lines.push(
      `  ${plural(c.photos, 'photo')} (${c.missingPhotos} missing, ${c.pendingAnalysis} awaiting analysis), ${plural(c.faces, 'face')}, ${plural(c.people, 'person', 'people')} (${c.namedPeople} named)`,
    );
    if (c.pendingAnalysis > 0) lines.push(`  ${pendingHint(c.pendingAnalysis, lib.pendingFolders ?? [])}. ${analysisCostSentence(c.pendingAnalysis, c.pendingAnalysisCost)}`);
    if (c.lookAgain > 0) lines.push(`  ${lookAgainHint(c.lookAgain, c.lookAgainSideways)}. ${lookAgainCostSentence(c.lookAgain, c.lookAgainSideways, c.lookAgainCost)}`);
    // Recorded before the import read a file, forgotten when it ended: still here, Familiar closed or crashed during it.
    for (const folder of lib.unfinishedImports ?? []) lines.push(`  the import of ${folder} did not finish: familiar import ${JSON.stringify(folder)} reads the rest`);
    // Rows no face references: faces described again with a changed descriptor, or in a folder removed since.
    const unreferenced = c.vectors - c.faces;
    const threshold = typeof lib.samePersonDistance === 'number' ? shownDistance(lib.samePersonDistance) : String(lib.samePersonDistance);
    lines.push(
      `  vectors: ${plural(c.vectors, 'row')}${unreferenced > 0 ? ` (${unreferenced} no longer used)` : ''}, index: ${plural(c.indexed, 'entry', 'entries')}; ` +
        `embedding: ${lib.embedding?.source} (${lib.embedding?.dim}-d), same person under cosine distance ${threshold}`,
    );
    if (lib.embeddingProblem) lines.push(`  PROBLEM: ${lib.embeddingProblem}: new faces cannot be added until another version is in use ("familiar models use raw" or another version)`);
    if (lib.studioProblem) lines.push(`  PROBLEM: ${lib.studioProblem}`);
  }
  const kept = lib.keptAnalyses;
  if (kept?.problem) lines.push(`  kept analyses: ${kept.problem}`);
  else if (kept && kept.photos > 0) {
    lines.push(`  kept analyses: ${plural(kept.photos, 'photo')} taken out of the library (${kib(kept.bytes)}); imported again, their faces come back without analysis`);
  }
  const lock = lib.lock;
  lines.push(
    lock.state === 'free'
      ? '  lock: free'
      : lock.state === 'held'
        ? `  lock: held by pid ${lock.holder.pid} on ${lock.holder.host} since ${lock.holder.startedAt}${lock.copiedFrom ? ` (copied with the library from ${lock.copiedFrom}: stale here, will be taken over)` : lock.alive === false ? ' (that process is gone: stale, will be taken over)' : ''}`
        : `  lock: unreadable (${lock.detail})`,
  );
  if (lib.repairs.length) {
    // While another program writes the library (an import), what doctor reads is a moment of that work, not damage:
    // the index lags the vectors between saves (QA read "rebuilt" during an import as a fault).
    const writing = lock.state === 'held' && lock.alive !== false;
    lines.push(
      writing
        ? `  while ${lock.holder.program ?? `pid ${lock.holder.pid}`} writes the library, these are a moment of its work, not damage (check again once it is done):`
        : '  problems found on open (a writer repairs them on disk; doctor only reads):',
    );
    for (const r of lib.repairs) lines.push(`    ${r.part}: ${r.problem} → ${r.action}`);
  }
  return lines.join('\n') + '\n';
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check the backend, model files and library (counts, lock, repairs)',
  usage: 'doctor [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`doctor takes no arguments (got "${ctx.positionals[0]}").`);
    const report = await Engine.doctor(ctx.libraryDir);
    ctx.stdout.write(ctx.json ? JSON.stringify(report) + '\n' : text(report));
    const healthy = !('error' in report.backend) && report.models.missing.length === 0 && !report.library.error && !report.library.embeddingProblem && !report.library.studioProblem;
    return healthy ? 0 : 1;
  },
};
