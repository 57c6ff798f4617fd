// What the analysis found in photos that left the library (a folder removed, the photos missing from disk forgotten),
// kept in `kept-analyses.bin` so that the same photos imported again take their faces from here instead of the face
// models: 0.5 s a photo on the wasm backend, hours for a drive of 100,000 photos unplugged, forgotten and plugged back.
// It keeps what analysing the file again would find (boxes, scores, landmarks and backbone vectors, by content hash and
// pipeline version), and what the user said of those faces (a name, a confirmation, "not this person", a face set
// aside), which comes back with them: a photo taken out of the library by mistake, or a drive forgotten and plugged
// back, loses none of the user's work (QA: a folder removed and imported again came back with Amy's faces unnamed).
//
// The file is a cache: losing it costs analysis time and the names of photos no longer in the library, never a name
// of a photo in it. Its rules (docs/architecture.md):
//  - Records are appended and fsynced; each carries its length and a CRC-32 of its body. A last record cut short
//    (a crash while appending) is dropped, as a journal's last line is; a record whose checksum fails is damage: it
//    and what follows it are ignored, said once (takeProblem), and the next write cuts them off. A file that is not
//    one (another format, a newer version's) is ignored the same way and replaced at the next write.
//  - It is kept before the photos leave the library and forgotten after the import that restored them committed, so
//    a crash between the two leaves at most an entry of a photo the library has again: never read (only photos the
//    library does not know are looked up), and left out at the next rewrite.
//  - It is bounded (KEPT_ANALYSES_MAX_BYTES): past the bound the oldest entries are dropped. Rewrites (the bound, or
//    more forgotten than kept) go through a temporary file, fsynced and renamed over it, as every document does.
import { open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { plural } from '../../preload/contract.js';
import type { Box } from '../../models/types.js';
import { fsyncDir, renameReplacing, writeFileAtomic } from './atomic.js';

export const KEPT_ANALYSES_FILE = 'kept-analyses.bin';

/**
 * The most the file holds: about 1.1 KB a face (a 128-d vector, 68 landmarks, box and score) and 150 bytes a photo,
 * so some 175,000 faces, 150,000 photos of a family album (1.1 faces a photo): a whole library of the largest size
 * Familiar is measured at (100,000 photos) unplugged and forgotten comes back without analysis. It never takes more
 * room than the library's own files take for the same faces (faces.json and the vectors: ~2.1 KB a face), and the
 * thumbnails, which are not kept (they are cut again from the photo), go with the photos.
 */
export const KEPT_ANALYSES_MAX_BYTES = 200 * 1024 * 1024;

/** A face as the analysis found it, in original photo pixels after EXIF rotation (FaceRecord's fields). */
export interface KeptFace {
  /** The face's index in its id, `${photoId.slice(0, 16)}-${index}`: the same id comes back. */
  index: number;
  box: Box;
  score: number;
  /** 68 points as one flat list, as FaceRecord.landmarks. */
  landmarks: number[];
  /** FaceRecord.analysedSide; null on faces stored before it was recorded. */
  analysedSide: number | null;
  backbone: Float32Array;
}

/** What the user said of a kept face when its photo left the library (FaceRecord's fields): the face takes it back. */
export interface KeptDecision {
  /** The face's index, as KeptFace.index. */
  index: number;
  personId: string | null;
  assignedBy: 'cluster' | 'user' | null;
  rejectedPersonIds: string[];
  /** The user said the box holds no face (FaceRecord.notAFace). */
  notAFace?: true;
}

export interface KeptAnalysis {
  photoId: string;
  pipelineVersion: string;
  analysedAt: string;
  /** Original size after EXIF rotation: a decode of another size is not the picture these boxes were found on. */
  width: number;
  height: number;
  faces: KeptFace[];
  /** The faces the user had said something of; absent when none (and in records written before these were kept). */
  decisions?: KeptDecision[];
  /**
   * Where the photo's files were when it left the library, kept with its decisions only: a file edited meanwhile (new
   * bytes at one of them) takes them back by likeness (main/library/import.ts). Absent in records written before.
   */
  paths?: string[];
}

const MAGIC = Buffer.from('FAMKEPT\n', 'latin1');
const FORMAT = 1;
const HEADER_BYTES = 16;
/** Before each record: its body's length and CRC-32. */
const RECORD_HEAD = 8;
/** A length above this is damage, not a record (a photo of 1,000 faces takes 1.1 MB). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const KEPT = 1;
const FORGOTTEN = 2;
/** A kept analysis with what the user said of its faces (KeptAnalysis.decisions), after its faces. */
const KEPT_DECIDED = 3;
/** The same, with the photo's paths (KeptAnalysis.paths) after its pipeline version, so the index knows them. */
const KEPT_DECIDED_AT = 4;
/** Read this much at a time when the file is gone through. */
const READ_CHUNK = 4 * 1024 * 1024;
/** Rewritten once more than this much is forgotten, and more than it keeps. */
const MIN_DEAD_TO_REWRITE = 1024 * 1024;
/** Past the bound, the oldest entries are dropped down to this share of it, so the next removals do not rewrite it again. */
const AFTER_EVICTION = 7 / 8;

interface Place {
  offset: number;
  /** Head and body. */
  bytes: number;
  version: string;
  /** It holds what the user said of its faces. */
  decided: boolean;
  /** KeptAnalysis.paths, when the record holds them. */
  paths?: readonly string[];
}

/** A record's body, in little-endian numbers and UTF-8 strings. */
class Writer {
  private buffer = Buffer.allocUnsafe(4096);
  private at = 0;

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }
  u8(v: number): void {
    this.room(1);
    this.at = this.buffer.writeUInt8(v, this.at);
  }
  u16(v: number): void {
    this.room(2);
    this.at = this.buffer.writeUInt16LE(v, this.at);
  }
  u32(v: number): void {
    this.room(4);
    this.at = this.buffer.writeUInt32LE(v, this.at);
  }
  f32(v: number): void {
    this.room(4);
    this.at = this.buffer.writeFloatLE(v, this.at);
  }
  f64(v: number): void {
    this.room(8);
    this.at = this.buffer.writeDoubleLE(v, this.at);
  }
  text(v: string): void {
    const bytes = Buffer.from(v, 'utf8');
    this.u16(bytes.length);
    this.room(bytes.length);
    this.at += bytes.copy(this.buffer, this.at);
  }
  /** The record: head (length, checksum) and body. */
  record(): Buffer {
    const body = this.buffer.subarray(0, this.at);
    const out = Buffer.allocUnsafe(RECORD_HEAD + body.length);
    out.writeUInt32LE(body.length, 0);
    out.writeUInt32LE(crc32(body), 4);
    body.copy(out, RECORD_HEAD);
    return out;
  }
}

class Reader {
  private at = 0;
  constructor(private readonly body: Buffer) {}

  private need(bytes: number): void {
    if (this.at + bytes > this.body.length) throw new RangeError('record ends early');
  }
  u8(): number {
    this.need(1);
    return this.body.readUInt8(this.at++);
  }
  u16(): number {
    this.need(2);
    const v = this.body.readUInt16LE(this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.body.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }
  f32(): number {
    this.need(4);
    const v = this.body.readFloatLE(this.at);
    this.at += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.body.readDoubleLE(this.at);
    this.at += 8;
    return v;
  }
  text(): string {
    const length = this.u16();
    this.need(length);
    const v = this.body.toString('utf8', this.at, this.at + length);
    this.at += length;
    return v;
  }
  get done(): boolean {
    return this.at === this.body.length;
  }
}

/** KeptDecision.assignedBy by its number in a record. */
const ASSIGNED_BY = [null, 'cluster', 'user'] as const;
/** Set in a decision's assignment byte when the user said the box holds no face. */
const NOT_A_FACE_BIT = 0x80;

function encodeKept(analysis: KeptAnalysis): Buffer {
  const w = new Writer();
  const decided = (analysis.decisions?.length ?? 0) > 0;
  const paths = decided ? (analysis.paths ?? []) : [];
  w.u8(paths.length > 0 ? KEPT_DECIDED_AT : decided ? KEPT_DECIDED : KEPT);
  w.text(analysis.photoId);
  w.text(analysis.pipelineVersion);
  if (paths.length > 0) {
    w.u16(paths.length);
    for (const path of paths) w.text(path);
  }
  w.text(analysis.analysedAt);
  w.u32(analysis.width);
  w.u32(analysis.height);
  w.u32(analysis.faces.length);
  for (const face of analysis.faces) {
    w.u32(face.index);
    for (const v of face.box) w.f64(v);
    w.f64(face.score);
    w.f64(face.analysedSide ?? Number.NaN);
    // Landmarks are stored to a tenth of a pixel (import.ts toOriginal): a float32 holds that exactly enough to round back.
    w.u16(face.landmarks.length);
    for (const v of face.landmarks) w.f32(v);
    w.u16(face.backbone.length);
    for (const v of face.backbone) w.f32(v);
  }
  if (decided) {
    w.u32(analysis.decisions!.length);
    for (const decision of analysis.decisions!) {
      w.u32(decision.index);
      w.text(decision.personId ?? ''); // a person id is never empty
      // The high bit says "not a face" (FaceRecord.notAFace): records written before it was kept read as they did.
      w.u8(ASSIGNED_BY.indexOf(decision.assignedBy) | (decision.notAFace ? NOT_A_FACE_BIT : 0));
      w.u16(decision.rejectedPersonIds.length);
      for (const id of decision.rejectedPersonIds) w.text(id);
    }
  }
  return w.record();
}

function encodeForgotten(photoId: string): Buffer {
  const w = new Writer();
  w.u8(FORGOTTEN);
  w.text(photoId);
  return w.record();
}

const tenth = (v: number) => Math.round(v * 10) / 10;

/** A kept record's body after its kind (the byte before): `kind` KEPT, KEPT_DECIDED or KEPT_DECIDED_AT. */
function decodeKept(r: Reader, kind: number): KeptAnalysis {
  const decided = kind === KEPT_DECIDED || kind === KEPT_DECIDED_AT;
  const photoId = r.text();
  const pipelineVersion = r.text();
  const paths = kind === KEPT_DECIDED_AT ? Array.from({ length: r.u16() }, () => r.text()) : undefined;
  const analysedAt = r.text();
  const width = r.u32();
  const height = r.u32();
  const faces: KeptFace[] = [];
  for (let n = r.u32(), i = 0; i < n; i++) {
    const index = r.u32();
    const box: Box = [r.f64(), r.f64(), r.f64(), r.f64()];
    const score = r.f64();
    const side = r.f64();
    const landmarks = Array.from({ length: r.u16() }, () => tenth(r.f32()));
    const backbone = new Float32Array(r.u16());
    for (let k = 0; k < backbone.length; k++) backbone[k] = r.f32();
    faces.push({ index, box, score, landmarks, analysedSide: Number.isNaN(side) ? null : side, backbone });
  }
  if (!decided) {
    if (!r.done) throw new RangeError('record longer than its faces');
    return { photoId, pipelineVersion, analysedAt, width, height, faces };
  }
  const decisions: KeptDecision[] = [];
  for (let n = r.u32(), i = 0; i < n; i++) {
    const index = r.u32();
    const personId = r.text() || null;
    const byte = r.u8();
    const assignedBy = ASSIGNED_BY[byte & ~NOT_A_FACE_BIT];
    if (assignedBy === undefined) throw new RangeError('unknown assignment');
    const rejectedPersonIds = Array.from({ length: r.u16() }, () => r.text());
    decisions.push({ index, personId, assignedBy, rejectedPersonIds, ...((byte & NOT_A_FACE_BIT) !== 0 && { notAFace: true as const }) });
  }
  if (!r.done) throw new RangeError('record longer than its faces and decisions');
  return { photoId, pipelineVersion, analysedAt, width, height, faces, decisions, ...(paths && { paths }) };
}

/** What a record is, read from the start of its body: enough to index the file without decoding every face. */
function recordKind(
  body: Buffer,
): { kind: typeof KEPT; photoId: string; version: string; decided: boolean; paths?: string[] } | { kind: typeof FORGOTTEN; photoId: string } {
  const r = new Reader(body);
  const kind = r.u8();
  if (kind === KEPT || kind === KEPT_DECIDED) return { kind: KEPT, photoId: r.text(), version: r.text(), decided: kind === KEPT_DECIDED };
  if (kind === KEPT_DECIDED_AT) {
    const [photoId, version] = [r.text(), r.text()];
    return { kind: KEPT, photoId, version, decided: true, paths: Array.from({ length: r.u16() }, () => r.text()) };
  }
  if (kind === FORGOTTEN) return { kind, photoId: r.text() };
  throw new RangeError(`unknown record kind ${kind}`);
}

const fileHeader = () => {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT, MAGIC.length);
  return header;
};

let tempCounter = 0;

/**
 * The analyses kept of photos no longer in the library, in the library folder. One instance per library (the import
 * and the removal share it: main/library/restore-analysis.ts keptAnalysesOf); every operation waits for the one
 * before it. Nothing is read until first asked: a library that never lost a photo has no file.
 */
export class KeptAnalyses {
  /** The bound (KEPT_ANALYSES_MAX_BYTES); tests set a smaller one. */
  maxBytes = KEPT_ANALYSES_MAX_BYTES;
  /** What was found wrong with the file (damaged, not one) and not yet said, in a sentence (takeProblem). */
  private problem: string | null = null;

  private readonly path: string;
  /** Entries by photo id, in the file's order (oldest first); null until the file is read. */
  private places: Map<string, Place> | null = null;
  /** Where the last good record ends: past it lies a record cut short, or damage. */
  private validEnd = 0;
  /** Whether the file starts with a header of this format (false: none yet, or one to replace). */
  private hasHeader = false;
  /** Entries dropped from `places` without a record saying so (retire): the next write rewrites the file. */
  private rewriteDue = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {
    this.path = join(dir, KEPT_ANALYSES_FILE);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => {});
    return run;
  }

  /** What was found wrong with the file since last asked, in a sentence, or null: said once, by whoever asks first. */
  takeProblem(): string | null {
    const problem = this.problem;
    this.problem = null;
    return problem;
  }

  /** How many photos' analyses are kept. */
  count(): Promise<number> {
    return this.serial(async () => (await this.index()).size);
  }

  /** The bytes the kept entries take (the bound is on these). */
  keptBytes(): Promise<number> {
    return this.serial(async () => this.liveBytes(await this.index()));
  }

  /**
   * Keeps `analyses` (a photo kept already is kept anew), newest last; past the bound the oldest go. `inLibrary`: the
   * photos the library holds again, left out if the file is rewritten. Durable when it returns.
   */
  keep(analyses: Iterable<KeptAnalysis>, inLibrary: (photoId: string) => boolean = () => false): Promise<number> {
    return this.serial(async () => {
      const places = await this.index();
      let kept = 0;
      let chunk: Array<{ photoId: string; version: string; decided: boolean; paths?: string[]; record: Buffer }> = [];
      let chunkBytes = 0;
      const flush = async () => {
        if (chunk.length === 0) return;
        await this.append(chunk.map((c) => c.record));
        let offset = this.validEnd - chunkBytes;
        for (const c of chunk) {
          places.delete(c.photoId);
          places.set(c.photoId, { offset, bytes: c.record.length, version: c.version, decided: c.decided, ...(c.paths && { paths: c.paths }) });
          offset += c.record.length;
        }
        kept += chunk.length;
        chunk = [];
        chunkBytes = 0;
      };
      for (const analysis of analyses) {
        const record = encodeKept(analysis);
        const decided = (analysis.decisions?.length ?? 0) > 0;
        chunk.push({ photoId: analysis.photoId, version: analysis.pipelineVersion, decided, ...(decided && analysis.paths?.length && { paths: analysis.paths }), record });
        chunkBytes += record.length;
        if (chunkBytes >= READ_CHUNK) await flush();
      }
      await flush();
      await this.tidyNow(inLibrary);
      return kept;
    });
  }

  /** The analysis kept of the photo `photoId`, or null (none, or its record unreadable: takeProblem says so). */
  find(photoId: string): Promise<KeptAnalysis | null> {
    return this.serial(async () => {
      const place = (await this.index()).get(photoId);
      return place ? this.read(photoId, place) : null;
    });
  }

  /**
   * The paths kept with the entries that hold them (KeptAnalysis.paths: those with what the user said of their faces),
   * by photo id, read from the index: an edited file at one of them may be that photo (main/library/import.ts).
   */
  pathsKept(): Promise<Map<string, readonly string[]>> {
    return this.serial(async () => {
      const paths = new Map<string, readonly string[]>();
      for (const [photoId, place] of await this.index()) if (place.paths) paths.set(photoId, place.paths);
      return paths;
    });
  }

  /** The record of `photoId` at `place`, or null when it is unreadable (said, and the entry dropped). */
  private async read(photoId: string, place: Place): Promise<KeptAnalysis | null> {
    const handle = await open(this.path, 'r');
    try {
      const record = Buffer.allocUnsafe(place.bytes);
      const { bytesRead } = await handle.read(record, 0, place.bytes, place.offset);
      const body = record.subarray(RECORD_HEAD, bytesRead);
      if (bytesRead !== place.bytes || crc32(body) !== record.readUInt32LE(4)) throw new RangeError('checksum');
      const r = new Reader(body);
      return decodeKept(r, r.u8());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== undefined) throw err;
      // Changed on disk since it was indexed (another program wrote to it): this entry is lost, the others stand.
      this.problem = `${KEPT_ANALYSES_FILE} was changed on disk: a photo kept there is analysed again.`;
      this.places?.delete(photoId);
      this.rewriteDue = true;
      return null;
    } finally {
      await handle.close();
    }
  }

  /** Forgets the analyses of `photoIds` (restored to the library): one record appended, the file rewritten once mostly forgotten. */
  forget(photoIds: Iterable<string>): Promise<void> {
    return this.serial(async () => {
      const places = await this.index();
      const ids = [...new Set(photoIds)].filter((id) => places.has(id));
      if (ids.length === 0) return;
      if (ids.length === places.size) {
        // Nothing left to keep: no file.
        await this.remove();
        return;
      }
      await this.append(ids.map(encodeForgotten));
      for (const id of ids) places.delete(id);
      await this.tidyNow(() => false);
    });
  }

  /**
   * Drops, without writing yet, the entries `useless` says are (another pipeline's: an upgrade makes them useless);
   * the next write (keep, forget, tidy) rewrites the file without them. Returns how many. `decided`: the entry holds
   * what the user said of its faces, which outlives its analysis.
   */
  retire(useless: (photoId: string, pipelineVersion: string, decided: boolean) => boolean): Promise<number> {
    return this.serial(async () => {
      const places = await this.index();
      let retired = 0;
      for (const [id, place] of places) {
        if (!useless(id, place.version, place.decided)) continue;
        places.delete(id);
        retired++;
      }
      if (retired > 0) this.rewriteDue = true;
      return retired;
    });
  }

  /** Rewrites the file if entries were retired, the file holds damage to cut off, or most of it is forgotten. */
  tidy(inLibrary: (photoId: string) => boolean = () => false): Promise<void> {
    return this.serial(() => (this.places === null ? Promise.resolve() : this.tidyNow(inLibrary)));
  }

  private liveBytes(places: ReadonlyMap<string, Place>): number {
    let bytes = 0;
    for (const place of places.values()) bytes += place.bytes;
    return bytes;
  }

  private async tidyNow(inLibrary: (photoId: string) => boolean): Promise<void> {
    const places = this.places!;
    const live = this.liveBytes(places);
    const dead = this.validEnd - HEADER_BYTES - live;
    const overBound = live > this.maxBytes;
    if (!overBound && !this.rewriteDue && !(dead > MIN_DEAD_TO_REWRITE && dead > live)) return;
    const keep = [...places].filter(([id]) => !inLibrary(id)).sort((a, b) => a[1].offset - b[1].offset);
    if (overBound) {
      // The newest that fit, the oldest dropped.
      let bytes = 0;
      let first = keep.length;
      while (first > 0 && bytes + keep[first - 1][1].bytes <= this.maxBytes * AFTER_EVICTION) bytes += keep[--first][1].bytes;
      keep.splice(0, first);
    }
    await this.rewrite(keep);
  }

  /** The index of the file, read once (a missing file is an empty one). */
  private async index(): Promise<Map<string, Place>> {
    if (this.places) return this.places;
    const places = new Map<string, Place>();
    this.validEnd = HEADER_BYTES;
    this.hasHeader = false;
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return (this.places = places);
    }
    try {
      const size = (await handle.stat()).size;
      let chunk = Buffer.alloc(0);
      let chunkStart = 0;
      const bytesAt = async (offset: number, length: number): Promise<Buffer | null> => {
        if (offset + length > size) return null;
        if (offset < chunkStart || offset + length > chunkStart + chunk.length) {
          chunk = Buffer.allocUnsafe(Math.min(Math.max(length, READ_CHUNK), size - offset));
          chunkStart = offset;
          for (let filled = 0; filled < chunk.length; ) {
            const { bytesRead } = await handle.read(chunk, filled, chunk.length - filled, offset + filled);
            if (bytesRead === 0) return null;
            filled += bytesRead;
          }
        }
        return chunk.subarray(offset - chunkStart, offset - chunkStart + length);
      };
      const header = await bytesAt(0, HEADER_BYTES);
      // Shorter than a header: a first write cut short, nothing in it.
      if (header === null) return (this.places = places);
      if (!header.subarray(0, MAGIC.length).equals(MAGIC) || header.readUInt32LE(MAGIC.length) !== FORMAT) {
        this.problem = `${KEPT_ANALYSES_FILE} is not a file of kept analyses this version of Familiar reads (damaged, or another version's): the photos taken out of the library are analysed again when imported, and it is replaced at the next removal.`;
        return (this.places = places);
      }
      this.hasHeader = true;
      let offset = HEADER_BYTES;
      let kept = 0;
      while (offset < size) {
        const head = await bytesAt(offset, RECORD_HEAD);
        if (head === null) break; // cut short: an append a crash interrupted
        const length = head.readUInt32LE(0);
        const body = length <= MAX_RECORD_BYTES ? await bytesAt(offset + RECORD_HEAD, length) : undefined;
        if (body === null) break; // cut short
        let what: ReturnType<typeof recordKind> | null = null;
        if (body !== undefined && crc32(body) === head.readUInt32LE(4)) {
          try {
            what = recordKind(body);
          } catch {
            what = null;
          }
        }
        if (what === null) {
          this.problem =
            `${KEPT_ANALYSES_FILE} is damaged after ${plural(kept, 'photo')} kept: the photos kept past that point are analysed again when imported, ` +
            'and the damaged part is cut off at the next change.';
          break;
        }
        const bytes = RECORD_HEAD + length;
        places.delete(what.photoId);
        if (what.kind === KEPT) {
          places.set(what.photoId, { offset, bytes, version: what.version, decided: what.decided, ...(what.paths && { paths: what.paths }) });
          kept++;
        }
        offset += bytes;
      }
      this.validEnd = offset;
      return (this.places = places);
    } finally {
      await handle.close();
    }
  }

  /** Appends `records` after the last good one (cutting off what a crash or damage left past it), fsynced. */
  private async append(records: Buffer[]): Promise<void> {
    if (!this.hasHeader) {
      await writeFileAtomic(this.path, fileHeader());
      this.hasHeader = true;
      this.validEnd = HEADER_BYTES;
    }
    const start = this.validEnd;
    const handle = await open(this.path, 'r+');
    try {
      if ((await handle.stat()).size !== start) await handle.truncate(start);
      let at = start;
      try {
        for (const record of records) {
          await handle.write(record, 0, record.length, at);
          at += record.length;
        }
        await handle.datasync();
      } catch (err) {
        // What was written goes again (cutting a file shorter needs no free space); the file is as it was.
        await handle.truncate(start).catch(() => {});
        throw err;
      }
      this.validEnd = at;
    } finally {
      await handle.close();
    }
  }

  /** Writes the file anew with `keep` (entries of the current file, in order), through a temporary file. */
  private async rewrite(keep: Array<[string, Place]>): Promise<void> {
    if (keep.length === 0) {
      await this.remove();
      return;
    }
    const temp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.${++tempCounter}.tmp`);
    const places = new Map<string, Place>();
    const source = await open(this.path, 'r');
    try {
      const target = await open(temp, 'w');
      try {
        let at = 0;
        const header = fileHeader();
        await target.write(header, 0, header.length, at);
        at += header.length;
        for (const [id, place] of keep) {
          const record = Buffer.allocUnsafe(place.bytes);
          await source.read(record, 0, place.bytes, place.offset);
          await target.write(record, 0, record.length, at);
          places.set(id, { ...place, offset: at });
          at += record.length;
        }
        await target.sync();
        this.validEnd = at;
      } finally {
        await target.close();
      }
      await renameReplacing(temp, this.path);
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    } finally {
      await source.close();
    }
    await fsyncDir(dirname(this.path));
    this.places = places;
    this.hasHeader = true;
    this.rewriteDue = false;
  }

  private async remove(): Promise<void> {
    await unlink(this.path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
    await fsyncDir(dirname(this.path));
    this.places = new Map();
    this.validEnd = HEADER_BYTES;
    this.hasHeader = false;
    this.rewriteDue = false;
  }
}
