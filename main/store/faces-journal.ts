// faces.journal: what a decision changed, appended instead of rewriting faces.json (docs/architecture.md, "Scale").
//
// A transaction that changed a few faces appends one line, {"put": [whole face records], "remove": [face ids]},
// and fsyncs it; faces.json itself is rewritten (compacted) only when the journal has grown to an eighth of it, on
// open and on close. Reading faces.json replays the journal over it: last line wins for each face id.
//
// Replaying a journal over a faces.json that already holds some or all of its lines gives the same faces (every
// put is a whole record, every remove an id), so no step of a compaction needs to be atomic with another: a crash
// between writing the new faces.json and removing the journal replays lines the file already holds.
//
// Writers never say what they changed: they mutate the records they reach through `tx.faces`. Each record's last
// written state is kept (flattened, below), and comparing values, with no serialising, finds the changed ones.
import { open, unlink } from 'node:fs/promises';
import { faceJson } from './face-json.js';
import { upgradeFaceLandmarks } from './landmarks.js';
import { faceRecordSchema, isFaceRecord } from './schema.js';
import type { FaceRecord } from './types.js';

/** The journal is compacted into faces.json once it is this share of faces.json's size (and at least JOURNAL_MIN_BYTES). */
export const JOURNAL_SHARE_OF_BASE = 1 / 8;
export const JOURNAL_MIN_BYTES = 1 << 20;

export interface FacesChange {
  put: FaceRecord[];
  remove: string[];
}

/** What Library looks a face up by. */
export type FaceKeys = Pick<FaceRecord, 'id' | 'photoId' | 'vectorRow'>;

export interface FacesDiff extends FacesChange {
  /**
   * False when every face is the same record object as before, with the same id, photo and vector row: lookups
   * keyed on those (Library's maps, the index) still hold.
   */
  structural: boolean;
}

// A face's last written state, flattened into one array of its keys and primitive values in order (a copy of the
// record and its arrays would be three or four objects a face: on 100,000 faces, seconds of garbage collection
// on every open). Landmarks are kept by reference: they are never edited in place.
const OBJECT = Symbol('object');
const ARRAY = Symbol('array');
const END = Symbol('end');
type Flat = unknown[];

function flatten(value: unknown, out: Flat, top: boolean): void {
  if (typeof value !== 'object' || value === null) {
    out.push(value);
  } else if (Array.isArray(value)) {
    out.push(ARRAY, value.length);
    for (const item of value) flatten(item, out, false);
  } else {
    out.push(OBJECT);
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      out.push(key);
      if (top && key === 'landmarks') out.push(item); // the face's own landmarks, by reference
      else flatten(item, out, false);
    }
    out.push(END);
  }
}

function flatFace(face: FaceRecord): Flat {
  const out: Flat = [];
  flatten(face, out, true);
  return out;
}

/**
 * Walks `value` along its flattened form in `flat` from `at`: the index after it, or -1 when the two differ. With
 * `write`, values that differ where the shapes agree (keys, array lengths, where objects are) are written over instead
 * (`flat` is then half written when -1 comes back). Only changed values are stored: remembering faces after a write
 * that changed a value or two of each (a compaction's new vector rows) allocates nothing. Keys holding undefined count
 * as absent.
 */
function walk(value: unknown, flat: Flat, at: number, top: boolean, write: boolean): number {
  if (typeof value !== 'object' || value === null) return leaf(value, flat, at, write);
  if (Array.isArray(value)) {
    if (flat[at] !== ARRAY || flat[at + 1] !== value.length) return -1;
    let i = at + 2;
    for (const item of value) {
      i = walk(item, flat, i, false, write);
      if (i < 0) return -1;
    }
    return i;
  }
  if (flat[at] !== OBJECT) return -1;
  let i = at + 1;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    if (flat[i] !== key) return -1;
    i++;
    // The face's own landmarks are held by reference.
    i = top && key === 'landmarks' ? leaf(item, flat, i, write) : walk(item, flat, i, false, write);
    if (i < 0) return -1;
  }
  return flat[i] === END ? i + 1 : -1;
}

/** One value of `flat`: the same, or (with `write`) written over unless a nested value stands there. */
function leaf(value: unknown, flat: Flat, at: number, write: boolean): number {
  const was = flat[at];
  if (was === value) return at + 1;
  if (!write || was === OBJECT || was === ARRAY || was === END) return -1;
  flat[at] = value;
  return at + 1;
}

function sameFace(face: FaceRecord, flat: Flat): boolean {
  return walk(face, flat, 0, true, false) === flat.length;
}

/** Index in `flat` after the value that starts at `at`. */
function skip(flat: Flat, at: number): number {
  if (flat[at] === ARRAY) {
    let i = at + 2;
    for (let n = flat[at + 1] as number; n > 0; n--) i = skip(flat, i);
    return i;
  }
  if (flat[at] === OBJECT) {
    let i = at + 1;
    while (flat[i] !== END) i = skip(flat, i + 1);
    return i + 1;
  }
  return at + 1;
}

/** The written value of one of the face's own fields (undefined when absent or not a primitive). */
function writtenField(flat: Flat, key: string): unknown {
  for (let i = 1; flat[i] !== END; ) {
    const value = i + 1;
    if (flat[i] === key) return flat[value] === OBJECT || flat[value] === ARRAY ? undefined : flat[value];
    i = flat[i] === 'landmarks' ? value + 1 : skip(flat, value);
  }
  return undefined;
}

/** The fields Library looks faces up by are as written. */
function sameKeys(face: FaceRecord, flat: Flat): boolean {
  return writtenField(flat, 'id') === face.id && writtenField(flat, 'photoId') === face.photoId && writtenField(flat, 'vectorRow') === face.vectorRow;
}

/**
 * What is on disk (faces.json + journal), face by face, and the journal file. `diff()` says what a list of faces
 * changed since; `append()` writes that; `remember()` records a list as written.
 */
export class FacesJournal {
  private written = new WeakMap<FaceRecord, Flat>();
  private order: string[] = [];
  private ids = new Set<string>();
  /** Bytes in the journal file (0: none). */
  bytes = 0;
  private bytesBeforeLastAppend = 0;

  constructor(readonly file: string) {}

  /** Records `faces` as what disk holds, with `journalBytes` of journal on top of faces.json. */
  remember(faces: FaceRecord[], journalBytes: number): void {
    const previous = this.written;
    this.written = new WeakMap();
    for (const face of faces) {
      // The face's flattened form rewritten where it has not changed shape (the usual case), else made anew.
      const flat = previous.get(face);
      this.written.set(face, flat !== undefined && walk(face, flat, 0, true, true) === flat.length ? flat : flatFace(face));
    }
    this.order = faces.map((f) => f.id);
    this.ids = new Set(this.order);
    this.bytes = journalBytes;
  }

  /** The id, photo and vector row `face` was last written (remembered or appended) with; undefined when never. */
  writtenKeys(face: FaceRecord): FaceKeys | undefined {
    const flat = this.written.get(face);
    if (!flat) return undefined;
    return { id: writtenField(flat, 'id') as string, photoId: writtenField(flat, 'photoId') as string, vectorRow: writtenField(flat, 'vectorRow') as number };
  }

  /**
   * The records `faces` changed, added and removed since the last remember()/append(), or null when the change is
   * not a journal line: the order of the faces kept changed, new faces are not all at the end, or an id repeats.
   */
  diff(faces: FaceRecord[]): FacesDiff | null {
    const put: FaceRecord[] = [];
    let structural = false;
    for (const face of faces) {
      const flat = this.written.get(face);
      if (!flat) {
        put.push(face);
        structural = true;
      } else if (!sameFace(face, flat)) {
        put.push(face);
        if (!sameKeys(face, flat)) structural = true;
      }
    }
    // The common case, a decision: the same faces in the same order (and so no id twice).
    if (faces.length === this.order.length && faces.every((face, i) => face.id === this.order[i])) return { put, remove: [], structural };

    const current = new Set<string>();
    for (const face of faces) {
      if (current.has(face.id)) return null;
      current.add(face.id);
    }
    const remove = this.order.filter((id) => !current.has(id));
    // Kept faces in their old order, then the new ones: what replaying the line reproduces.
    let next = 0;
    let appending = false;
    for (const face of faces) {
      if (!this.ids.has(face.id)) {
        appending = true;
        continue;
      }
      if (appending) return null;
      while (next < this.order.length && !current.has(this.order[next])) next++;
      if (this.order[next] !== face.id) return null;
      next++;
    }
    return { put, remove, structural: true };
  }

  /** The journal line for `change`. */
  static line(change: FacesChange): string {
    return `{"put":[${change.put.map(faceJson).join(',')}],"remove":${JSON.stringify(change.remove)}}\n`;
  }

  /** Appends `line` durably; on failure the file is cut back to where it was, so no half line stays behind. */
  async append(line: string, faces: FaceRecord[], change: FacesChange): Promise<void> {
    const handle = await open(this.file, 'a');
    const before = this.bytes;
    try {
      try {
        await handle.writeFile(line);
        await handle.sync();
      } catch (err) {
        await handle.close().catch(() => {});
        await this.cutBackTo(before).catch(() => {});
        throw err;
      }
    } finally {
      await handle.close().catch(() => {});
    }
    this.bytesBeforeLastAppend = before;
    this.bytes = before + Buffer.byteLength(line);
    for (const face of change.put) this.written.set(face, flatFace(face));
    if (change.remove.length > 0 || change.put.some((f) => !this.ids.has(f.id))) {
      this.order = faces.map((f) => f.id);
      this.ids = new Set(this.order);
    }
  }

  /** Takes the last append back (a later document of the same transaction failed); memory is reloaded by the caller. */
  async undoLastAppend(): Promise<void> {
    await this.cutBackTo(this.bytesBeforeLastAppend);
    this.bytes = this.bytesBeforeLastAppend;
  }

  /** Cutting a file shorter needs no free space; a journal cut back to nothing is removed, as it was. */
  private async cutBackTo(bytes: number): Promise<void> {
    if (bytes === 0) return this.remove();
    const handle = await open(this.file, 'r+');
    try {
      await handle.truncate(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async remove(): Promise<void> {
    await unlink(this.file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    this.bytes = 0;
  }
}

export interface ReplayResult {
  faces: FaceRecord[];
  /** Lines applied. */
  applied: number;
  /** Set when a line could not be read: it and every line after it were not applied. */
  damaged?: { line: number; lines: number; detail: string };
}

/**
 * Applies journal `bytes` to `faces` (not modified). A last line without its newline is a write cut short by a
 * crash: that transaction never completed, and it is dropped silently.
 */
export function replayJournal(faces: FaceRecord[], bytes: Buffer): ReplayResult {
  const text = bytes.toString('utf8');
  // What follows the last newline is empty, or a line cut short.
  const complete = text.split('\n').slice(0, -1);
  const out: Array<FaceRecord | undefined> = faces.slice();
  const at = new Map<string, number>();
  out.forEach((f, i) => at.set(f!.id, i));
  let applied = 0;
  for (let n = 0; n < complete.length; n++) {
    const change = parseLine(complete[n]);
    if (typeof change === 'string') {
      return { faces: out.filter((f): f is FaceRecord => f !== undefined), applied, damaged: { line: n + 1, lines: complete.length, detail: change } };
    }
    for (const id of change.remove) {
      const i = at.get(id);
      if (i === undefined) continue;
      out[i] = undefined;
      at.delete(id);
    }
    for (const face of change.put) {
      const i = at.get(face.id);
      if (i === undefined) {
        at.set(face.id, out.length);
        out.push(face);
      } else {
        out[i] = face;
      }
    }
    applied++;
  }
  return { faces: out.filter((f): f is FaceRecord => f !== undefined), applied };
}

function parseLine(line: string): FacesChange | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return `not valid JSON: ${(err as Error).message}`;
  }
  const { put, remove } = (value ?? {}) as { put?: unknown; remove?: unknown };
  if (!Array.isArray(put) || !Array.isArray(remove) || !remove.every((id) => typeof id === 'string')) return 'not a list of changed faces';
  for (const face of put) {
    upgradeFaceLandmarks(face); // a line a schema version 1 build wrote before it stopped
    if (isFaceRecord(face)) continue; // else zod, for the words
    const parsed = faceRecordSchema.safeParse(face);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return `a face with an unexpected shape at ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`;
    }
  }
  return { put: put as FaceRecord[], remove: remove as string[] };
}
