// Compacting the vector files. Rows no face uses any more (faces removed with a folder, descriptors replaced when a
// photo was analysed again) stay in backbone.f32 and embedding.f32, on disk and mirrored in memory, until an open
// finds enough of them and rewrites both files with only the rows in use, renumbering the faces.
//
// Row numbers live in faces.json with faces.journal, in backups/faces.json with its journal, and in the saved index.
// Replaying or restoring any of them over compacted files would point faces at other faces' vectors, silently. So:
//   1. the journal is merged into faces.json first (if it cannot be, no compaction: its lines hold old numbers);
//   2. the compacted files are written beside the old ones (<file>.compact) and fsynced;
//   3. a marker (vectors/compaction.json: the new generation, and the old row each new row was) is written
//      atomically. From here on the compaction is finished, never undone;
//   4. faces.json is written renumbered, stamped with the generation, twice: the second write makes
//      backups/faces.json the renumbered one too, and neither has a journal;
//   5. the compacted files replace the old ones, the marker goes.
// Faces before files: an older Familiar opening a library whose compaction was cut short then sees its faces with
// their names (pointing at the wrong vectors until analysed again), never faces dropped for pointing past the end.
// An open that finds the marker finishes the job (finishInterruptedCompaction): a faces document without the marker's
// generation (faces.json before step 4, or restored from a backup written before it) is renumbered from the marker,
// compacted files still beside the old ones are moved in, and faces.json is written twice before the marker goes.
// Compacted files without a marker are an interrupted step 2 and are removed. The saved index's checksum covers the
// rows and their vectors, so a compaction discards it at once (step 3); once the files are in, the index it was is
// saved again with its labels renumbered (only its labels hold row numbers), and an open that finishes an
// interrupted compaction builds it again.
// Building it again was most of what an open that compacts cost at 100,000 faces (docs/architecture.md, "Compaction").
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { plural } from '../../preload/contract.js';
import { fsyncDir, readFileIfExists, renameReplacing, writeFileAtomic } from './atomic.js';
import type { LibraryDocument } from './document.js';
import { LibraryDamagedError } from './errors.js';
import type { FacesDocument, Repair } from './types.js';
import { VectorIndex } from './vector-index.js';
import { VectorFile } from './vectors.js';

export const COMPACTION_MARKER = 'compaction.json';
const COMPACTED_SUFFIX = '.compact';
const VECTOR_FILES = ['backbone.f32', 'embedding.f32'] as const;

/**
 * When an open compacts: at least this many unused rows, and at least this share of all rows. A full look-again at
 * 100,000 faces leaves 100,000 unused rows (100 MB on disk and in memory); 2,000 unused rows are 2 MB, not worth
 * rewriting the files and faces.json for.
 */
export const COMPACT_WHEN = { minUnusedRows: 5000, minUnusedShare: 0.2 };

interface Marker {
  generation: number;
  /** New row i holds what old row liveRows[i] held. */
  liveRows: number[];
}

export interface CompactionContext {
  vectorDir: string;
  readOnly: boolean;
  faces: LibraryDocument<'faces'>;
  repairs: Repair[];
  /** Tests: called after each step; throwing there is a crash at that point. */
  afterStep?: (step: CompactionStep) => void;
}

export type CompactionStep = 'files-written' | 'committed' | 'faces-written' | 'files-moved';

const compactedFile = (vectorDir: string, name: string) => join(vectorDir, name + COMPACTED_SUFFIX);

/** Points every face at its row after compaction; a face whose row was not kept gets a row past the end (dropped). */
function renumber(doc: FacesDocument, marker: Marker): number {
  const newRow = new Map(marker.liveRows.map((old, i) => [old, i]));
  let unknown = 0;
  for (const face of doc.faces) {
    const row = newRow.get(face.vectorRow);
    if (row === undefined) unknown++;
    face.vectorRow = row ?? marker.liveRows.length + unknown;
  }
  doc.vectorGeneration = marker.generation;
  return unknown;
}

async function readMarker(vectorDir: string): Promise<Marker | null> {
  const bytes = await readFileIfExists(join(vectorDir, COMPACTION_MARKER));
  if (bytes === null) return null;
  // Written atomically after the compacted files: present means complete, so unreadable means damaged on disk, and
  // without it nobody can tell which vector each face had. Stop rather than guess.
  let marker: Partial<Marker> = {};
  try {
    marker = JSON.parse(bytes.toString('utf8')) as Partial<Marker>;
  } catch {
    // reported below
  }
  if (!Number.isInteger(marker.generation) || !Array.isArray(marker.liveRows) || !marker.liveRows.every(Number.isInteger)) {
    throw new LibraryDamagedError(
      `${join(vectorDir, COMPACTION_MARKER)} is damaged, and it is the only record of how the faces' vectors were renumbered; ` +
        'restore the library folder from a backup of your own, or move it away and import the photos again.',
    );
  }
  return marker as Marker;
}

export interface VectorFilePaths {
  'backbone.f32': string;
  'embedding.f32': string;
}

/**
 * Run on open, after the documents are read and before the vector files are. Returns the vector files to read (a
 * read-only open reads compacted files where they are, changing nothing) and whether a compaction is being finished:
 * then `completeCompaction` must run once open has written what it repairs.
 */
export async function finishInterruptedCompaction(ctx: CompactionContext, paths: VectorFilePaths): Promise<{ files: VectorFilePaths; finishing: boolean }> {
  const files = { ...paths };
  const marker = await readMarker(ctx.vectorDir);
  if (marker === null) {
    if (!ctx.readOnly) for (const name of VECTOR_FILES) await rm(compactedFile(ctx.vectorDir, name), { force: true });
    return { files, finishing: false };
  }
  const doc = ctx.faces.data;
  if (doc.vectorGeneration !== marker.generation) {
    const unknown = renumber(doc, marker);
    ctx.repairs.push({
      part: 'faces.json',
      problem: 'a compaction of the vector files was interrupted before the faces were renumbered',
      action: `renumbered from ${ctx.vectorDir}/${COMPACTION_MARKER}${unknown ? `; ${plural(unknown, 'face')} had no kept vector and will be analysed again` : ''}`,
    });
  }
  for (const name of VECTOR_FILES) {
    const compacted = compactedFile(ctx.vectorDir, name);
    if (!(await stat(compacted).then(() => true, () => false))) continue; // already moved in
    if (ctx.readOnly) files[name] = compacted;
    else await renameReplacing(compacted, join(ctx.vectorDir, name));
  }
  if (!ctx.readOnly) await fsyncDir(ctx.vectorDir);
  return { files, finishing: true };
}

/** faces.json with the new numbers, and backups/faces.json too (the second write keeps the first as the backup). */
async function writeFacesTwice(ctx: CompactionContext): Promise<void> {
  await ctx.faces.writeTwice();
}

async function removeMarker(ctx: CompactionContext): Promise<void> {
  await rm(join(ctx.vectorDir, COMPACTION_MARKER), { force: true });
  await fsyncDir(ctx.vectorDir);
}

/** The end of an interrupted compaction, once open has read everything: faces.json and its backup, then the marker. */
export async function completeCompaction(ctx: CompactionContext): Promise<void> {
  await writeFacesTwice(ctx);
  await removeMarker(ctx);
}

/** Bytes copied at a time by writeRows. */
const WRITE_CHUNK_BYTES = 4 << 20;

/**
 * Writes rows `rows` (ascending) of `vectors` to `file` and fsyncs it, a few megabytes at a time: no copy of the
 * whole file in memory (at 100,000 faces, 50 MB a file, and the garbage collections such an allocation brings).
 */
async function writeRows(file: string, vectors: VectorFile, rows: number[]): Promise<void> {
  const all = vectors.all();
  if (rows.length > 0 && rows[rows.length - 1] >= vectors.rows) throw new RangeError(`Vector row ${rows[rows.length - 1]} is outside ${vectors.file} (${vectors.rows} rows).`);
  const rowBytes = vectors.dim * 4;
  const chunk = new Float32Array(Math.max(1, Math.floor(WRITE_CHUNK_BYTES / rowBytes)) * vectors.dim);
  const handle = await open(file, 'w');
  try {
    let position = 0;
    for (let first = 0; first < rows.length; ) {
      const count = Math.min(rows.length - first, chunk.length / vectors.dim);
      for (let i = 0; i < count; i++) chunk.set(all.subarray(rows[first + i] * vectors.dim, (rows[first + i] + 1) * vectors.dim), i * vectors.dim);
      const bytes = new Uint8Array(chunk.buffer, 0, count * rowBytes);
      for (let done = 0; done < bytes.length; ) done += (await handle.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
      position += bytes.length;
      first += count;
    }
    await handle.sync();
  } catch (err) {
    // A full disk: the part written goes at once rather than on the next open.
    await handle.close().catch(() => {});
    await rm(file, { force: true }).catch(() => {});
    throw err;
  }
  await handle.close();
}

/**
 * Compacts when enough rows are unused (COMPACT_WHEN); returns the compacted files, or null when it did not.
 * The saved index of `libraryDir` holds the old numbers: it is discarded once the compaction is committed and, when
 * it was the index of these faces, saved again renumbered at the end (building it again is most of a minute at
 * 100,000 faces; a compaction cut short leaves no index, and the next open builds one).
 */
export async function compactVectors(
  ctx: CompactionContext,
  vectors: { backbone: VectorFile; embedding: VectorFile },
  libraryDir: string,
  when = COMPACT_WHEN,
): Promise<{ backbone: VectorFile; embedding: VectorFile } | null> {
  const faces = ctx.faces.data.faces;
  const rows = Math.min(vectors.backbone.rows, vectors.embedding.rows);
  const unused = rows - faces.length;
  if (ctx.readOnly || unused < when.minUnusedRows || unused < rows * when.minUnusedShare) return null;
  await ctx.faces.compact();
  if (ctx.faces.journalBytes > 0) return null;
  const liveRows = faces.map((f) => f.vectorRow).sort((a, b) => a - b);
  const marker: Marker = { generation: (ctx.faces.data.vectorGeneration ?? 0) + 1, liveRows };
  const savedIndex = await VectorIndex.readSaved(libraryDir, vectors.embedding, liveRows);
  // Not atomic, and need not be: compacted files without the marker (written next) are removed by the next open.
  await writeRows(compactedFile(ctx.vectorDir, 'backbone.f32'), vectors.backbone, liveRows);
  await writeRows(compactedFile(ctx.vectorDir, 'embedding.f32'), vectors.embedding, liveRows);
  await fsyncDir(ctx.vectorDir);
  ctx.afterStep?.('files-written');
  await writeFileAtomic(join(ctx.vectorDir, COMPACTION_MARKER), JSON.stringify(marker));
  await VectorIndex.discard(libraryDir);
  ctx.afterStep?.('committed');
  renumber(ctx.faces.data, marker);
  await writeFacesTwice(ctx);
  ctx.afterStep?.('faces-written');
  for (const name of VECTOR_FILES) await renameReplacing(compactedFile(ctx.vectorDir, name), join(ctx.vectorDir, name));
  await fsyncDir(ctx.vectorDir);
  ctx.afterStep?.('files-moved');
  await removeMarker(ctx);
  const compacted = {
    backbone: (await VectorFile.load(join(ctx.vectorDir, 'backbone.f32'), vectors.backbone.dim, false)).vectors,
    embedding: (await VectorFile.load(join(ctx.vectorDir, 'embedding.f32'), vectors.embedding.dim, false)).vectors,
  };
  const newRow = new Map(liveRows.map((old, i) => [old, i]));
  // A cache: failing to save it (a full disk) only means the open builds it.
  const renumbered = savedIndex !== null && (await VectorIndex.saveRenumbered(libraryDir, savedIndex, newRow, compacted.embedding).catch(() => false));
  ctx.repairs.push({
    part: 'vectors',
    problem: `${unused.toLocaleString('en')} of ${rows.toLocaleString('en')} vector rows belonged to no face any more (faces removed, or photos analysed again)`,
    action: `compacted: the vector files hold the ${liveRows.length.toLocaleString('en')} rows in use; the index was ${renumbered ? 'renumbered with them' : 'rebuilt'}`,
  });
  return compacted;
}
