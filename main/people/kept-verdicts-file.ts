// The "may be two people" verdicts a command worked out, kept in the library folder for its next run. `familiar people`
// has no background to fill them in, so without this it judged every group on every run (5-8.5 s at 6,220 groups of
// 100,000 faces, docs/clustering.md). Each verdict carries the digest of what it was judged on (two-people-verdicts.ts:
// the person's faces, their vector rows, the embedding and distances in use), so one read back is used only while
// that is unchanged. Row numbers name vectors only within one compaction of the vector files, hence the generation.
// A cache: a missing, damaged or unwritable file costs the judging it spares, never a wrong mark or a failed command.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import type { KeptVerdict } from './two-people-verdicts.js';

export const KEPT_VERDICTS_FILE = 'two-people-verdicts.json';
const FORMAT = 1;

interface VerdictsFile {
  format: typeof FORMAT;
  vectorGeneration: number;
  /** By person: the digest, and the split when the faces look like two people. */
  verdicts: Record<string, { key: string; stays?: string[]; leaves?: string[] }>;
}

const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.every((id) => typeof id === 'string');

/** The verdicts kept for this generation of the vector files; none when the file is missing, damaged or of another. */
export async function readKeptVerdicts(libraryDir: string, vectorGeneration: number): Promise<Map<string, KeptVerdict>> {
  const out = new Map<string, KeptVerdict>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(libraryDir, KEPT_VERDICTS_FILE), 'utf8'));
  } catch {
    return out;
  }
  const file = parsed as Partial<VerdictsFile> | null;
  if (!file || file.format !== FORMAT || file.vectorGeneration !== vectorGeneration || typeof file.verdicts !== 'object' || file.verdicts === null) return out;
  for (const [personId, verdict] of Object.entries(file.verdicts)) {
    if (!verdict || typeof verdict.key !== 'string' || verdict.key === '') continue;
    const { stays, leaves } = verdict;
    if (stays === undefined && leaves === undefined) out.set(personId, { key: verdict.key, question: null });
    else if (isIdList(stays) && isIdList(leaves) && stays.length > 0 && leaves.length > 0) out.set(personId, { key: verdict.key, question: { stays, leaves } });
  }
  return out;
}

/**
 * Writes the verdicts for the next run when they differ from those read. Not durable (no fsync): losing it costs one
 * run's judging. Failing to write (a library on read-only media) is not the command's failure.
 */
export async function writeKeptVerdicts(libraryDir: string, vectorGeneration: number, verdicts: ReadonlyMap<string, KeptVerdict>, read: ReadonlyMap<string, KeptVerdict>): Promise<void> {
  if (sameVerdicts(verdicts, read)) return;
  const file: VerdictsFile = { format: FORMAT, vectorGeneration, verdicts: {} };
  for (const [personId, { key, question }] of verdicts) file.verdicts[personId] = question ? { key, stays: question.stays, leaves: question.leaves } : { key };
  await writeFileAtomic(join(libraryDir, KEPT_VERDICTS_FILE), JSON.stringify(file), { durable: false }).catch(() => {});
}

/** Same people with the same digests: the same verdicts, since a digest decides its verdict. */
function sameVerdicts(a: ReadonlyMap<string, KeptVerdict>, b: ReadonlyMap<string, KeptVerdict>): boolean {
  if (a.size !== b.size) return false;
  for (const [personId, verdict] of a) if (b.get(personId)?.key !== verdict.key) return false;
  return true;
}
