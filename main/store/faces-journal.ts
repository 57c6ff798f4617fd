// faces.journal: what a decision changed, appended instead of rewriting faces.json (docs/architecture.md, "Scale").
// photos.journal is the same for photos.json (schema version 3): a look-again's commits change a few photos each.
// people.journal (main/store/people-journal.ts, schema version 5) shares its file (JournalFile) and its comparison of
// records with what disk holds (WrittenRecords).
//
// A transaction that changed a few faces appends one line, {"put": [whole face records], "remove": [face ids]},
// and fsyncs it; faces.json itself is rewritten (compacted) only when the journal has grown to an eighth of it, on
// open and on close. Reading faces.json replays the journal over it: last line wins for each face id.
//
// A journal extends one whole write of its file (schema version 4): each whole write stamps the file with a new
// generation, and a journal's first line, {"extends": generation}, names the one its lines go over. A journal is
// replayed only over the file it names (and, when that file is lost, over the older version in backups/: see
// LibraryDocument.readBackup). A whole write may carry a change of its own (a new order, a change too large
// for the journal), so a journal left beside a newer file (a crash between writing the file and deleting the
// journal, or a journal another process would not let go of) holds lines older than the file: replayed, they would
// bring back what the file changed or removed. Such a journal is set aside, never replayed or written to again.
// A journal with no first line of this kind was written by a version 3 build, over a file with no generation.
//
// Writers need not say what they changed: they may mutate the records they reach through `tx.faces`. Each record's
// last written state is kept (flattened, below), and comparing values, with no serialising, finds the changed ones.
// A writer that says which records it put and removed (`tx.put`, `tx.remove`) has only those compared (diffSaid):
// a commit then costs what it changed, not what the library holds.
import { open, unlink } from 'node:fs/promises';
import { renameReplacing } from './atomic.js';
import { faceJson } from './face-json.js';
import { upgradeFaceLandmarks } from './landmarks.js';
import { faceRecordSchema, isFaceRecord, isPhotoRecord, photoRecordSchema } from './schema.js';
import type { FaceRecord, PhotoRecord } from './types.js';

/**
 * faces.journal is compacted into faces.json once it is this share of faces.json's size (and at least
 * JOURNAL_MIN_BYTES); photos.journal at RecordKind.shareOfBase.
 */
export const JOURNAL_SHARE_OF_BASE = 1 / 8;
export const JOURNAL_MIN_BYTES = 1 << 20;

/** A record a journal holds: whole records, by id. */
export interface JournalRecord {
  id: string;
}

/** What a journal's records are: how a line writes one, and how a line read back is checked. */
export interface RecordKind<T extends JournalRecord> {
  /** `faces` or `photos`: the document's key for its records. */
  name: 'faces' | 'photos';
  json(record: T): string;
  /** Null when `value` is a record of this kind (upgraded in place where an older build wrote it), else why not. */
  check(value: unknown): string | null;
  /** The share of the file's size the journal grows to before the file is written whole with it (JOURNAL_SHARE_OF_BASE). */
  shareOfBase: number;
}

export function zodWords(parsed: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }): string | null {
  if (parsed.success) return null;
  const issue = parsed.error?.issues[0];
  return `unexpected shape at ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`;
}

export const FACES: RecordKind<FaceRecord> = {
  name: 'faces',
  json: faceJson,
  check(value) {
    upgradeFaceLandmarks(value); // a line a schema version 1 build wrote before it stopped
    return isFaceRecord(value) ? null : zodWords(faceRecordSchema.safeParse(value)); // zod for the words
  },
  shareOfBase: JOURNAL_SHARE_OF_BASE,
};

export const PHOTOS: RecordKind<PhotoRecord> = {
  name: 'photos',
  json: (photo) => JSON.stringify(photo),
  check: (value) => (isPhotoRecord(value) ? null : zodWords(photoRecordSchema.safeParse(value))),
  // Imports change photos in bulk (a re-import of touched files, every photo's file date): at an eighth, 100,000 of them
  // rewrote photos.json eight times, holding the import for seconds each time. A journal is replayed only by an open
  // after a crash, or a reader beside a running writer.
  shareOfBase: 1 / 2,
};

/** A journal's first line: the whole write of its file that the lines go over. */
export interface JournalHeader {
  /** The file's generation (LibraryDocument.generation). */
  extends: string;
}

export function headerLine(header: JournalHeader): string {
  return `${JSON.stringify({ extends: header.extends })}\n`;
}

/** A journal's text, line by line. */
export interface JournalText {
  /** Its first line; null when that is no header (a version 3 build's journal: changes only) or there is no line. */
  header: JournalHeader | null;
  /** Set when the first line names what it extends but cannot be read: why. */
  damagedHeader?: string;
  /** The complete lines of changes. */
  changes: string[];
  /** Text after the last newline: a write cut short by a crash (that transaction never completed). */
  torn: boolean;
}

/** Splits a journal into its header and its complete change lines. */
export function readJournalText(bytes: Buffer): JournalText {
  const lines = bytes.toString('utf8').split('\n');
  // What follows the last newline is empty, or a line cut short.
  const torn = lines.pop() !== '';
  if (lines.length === 0) return { header: null, changes: [], torn };
  const first = headerOf(lines[0]);
  if (first === null) return { header: null, changes: lines, torn };
  if (typeof first === 'string') return { header: null, damagedHeader: first, changes: lines.slice(1), torn };
  return { header: first, changes: lines.slice(1), torn };
}

/** The header a line is, null when it is none (a change, or not JSON), or why a line naming what it extends is damaged. */
function headerOf(line: string): JournalHeader | string | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // A header cut or garbled where it begins is told apart by its start.
    return line.startsWith('{"extends"') ? 'not valid JSON' : null;
  }
  if (typeof value !== 'object' || value === null || !('extends' in value)) return null;
  const named = (value as { extends: unknown }).extends;
  return typeof named === 'string' && named !== '' ? { extends: named } : 'it names no version';
}

export interface RecordsChange<T extends JournalRecord = FaceRecord> {
  put: T[];
  remove: string[];
}
export type FacesChange = RecordsChange<FaceRecord>;

/** What Library looks a face up by. */
export type FaceKeys = Pick<FaceRecord, 'id' | 'photoId' | 'vectorRow'>;

export interface RecordsDiff<T extends JournalRecord = FaceRecord> extends RecordsChange<T> {
  /**
   * False when every face is the same record object as before, with the same id, photo and vector row: lookups
   * keyed on those (Library's maps, the index) still hold.
   */
  structural: boolean;
}
export type FacesDiff = RecordsDiff<FaceRecord>;

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

function flatRecord(record: JournalRecord): Flat {
  const out: Flat = [];
  flatten(record, out, true);
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

function sameRecord(record: JournalRecord, flat: Flat): boolean {
  return walk(record, flat, 0, true, false) === flat.length;
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

/** The fields Library looks records up by (faces: id, photo, vector row; photos: id) are as written. */
function sameKeys(record: JournalRecord, flat: Flat): boolean {
  const { photoId, vectorRow } = record as Partial<FaceRecord>;
  return writtenField(flat, 'id') === record.id && writtenField(flat, 'photoId') === photoId && writtenField(flat, 'vectorRow') === vectorRow;
}

/**
 * How a journal file stands to the file beside it. 'extends': its lines go over that file (its first line names the
 * file's generation, or neither has one) and were replayed: it is appended to, goes with that file into backups/ and
 * is deleted once a whole write holds its lines. 'held': its lines are in memory but it goes over another version (a
 * journal this session merged and could not delete, or one replayed over a backup): deleted when it can be, never
 * appended to. 'foreign': not replayed (another version's journal, or its first line is damaged): set aside into
 * backups/, never deleted, appended to or replayed.
 */
export type JournalStanding = 'extends' | 'held' | 'foreign';

/**
 * What disk holds of one list of records (faces.json + journal, the people of people.json + journal...), record by
 * record: `diff()` says what the list changed since, `appended()` and `remember()` record what was written.
 */
export class WrittenRecords<T extends JournalRecord> {
  private written = new WeakMap<T, Flat>();
  private order: string[] = [];
  private ids = new Set<string>();

  /** Records `records` as what disk holds. */
  remember(records: T[]): void {
    const previous = this.written;
    this.written = new WeakMap();
    for (const record of records) {
      // The record's flattened form rewritten where it has not changed shape (the usual case), else made anew.
      const flat = previous.get(record);
      this.written.set(record, flat !== undefined && walk(record, flat, 0, true, true) === flat.length ? flat : flatRecord(record));
    }
    this.order = records.map((f) => f.id);
    this.ids = new Set(this.order);
  }

  /** The id, photo and vector row `face` was last written (remembered or appended) with; undefined when never. */
  writtenKeys(face: T): FaceKeys | undefined {
    const flat = this.written.get(face);
    if (!flat) return undefined;
    return { id: writtenField(flat, 'id') as string, photoId: writtenField(flat, 'photoId') as string, vectorRow: writtenField(flat, 'vectorRow') as number };
  }

  /**
   * What the records a transaction said it put and removed (Library's tx.put, tx.remove) changed, comparing only
   * those: a commit costs what it changed. The document applied them as a journal line replays (a put takes its id's
   * place or goes last, a remove takes the id out), so the change is always a line. `put`: each record once.
   */
  diffSaid(put: Iterable<T>, remove: Iterable<string>): RecordsDiff<T> {
    // Ids on disk only: one added and taken out again in the same transaction was never written.
    const removed = new Set([...remove].filter((id) => this.ids.has(id)));
    const change: RecordsDiff<T> = { put: [], remove: [...removed], structural: removed.size > 0 };
    for (const record of put) {
      const flat = this.written.get(record);
      // Taken out and put again, it went last: its line puts it there, changed or not.
      const movedLast = removed.has(record.id);
      if (!flat || movedLast) {
        change.put.push(record);
        change.structural = true;
      } else if (!sameRecord(record, flat)) {
        change.put.push(record);
        if (!sameKeys(record, flat)) change.structural = true;
      }
    }
    return change;
  }

  /**
   * The records `records` changed, added and removed since the last remember()/appended(), or null when the change is
   * not a journal line: the order of the records kept changed, new ones are not all at the end, or an id repeats.
   */
  diff(faces: T[]): RecordsDiff<T> | null {
    const put: T[] = [];
    let structural = false;
    for (const face of faces) {
      const flat = this.written.get(face);
      if (!flat) {
        put.push(face);
        structural = true;
      } else if (!sameRecord(face, flat)) {
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

  /** A line holding `change` was written: `records` is the list as it now stands. */
  appended(records: T[], change: RecordsChange<T>): void {
    for (const record of change.put) this.written.set(record, flatRecord(record));
    if (change.remove.length > 0) {
      this.order = records.map((f) => f.id);
      this.ids = new Set(this.order);
    } else {
      // New ids went last, in the order the line puts them (what replaying it does): no walk over every record.
      for (const record of change.put) {
        if (this.ids.has(record.id)) continue;
        this.ids.add(record.id);
        this.order.push(record.id);
      }
    }
  }
}

/** A journal file beside the document it goes over: appended to a line at a time, durably, and cut back or set aside. */
export class JournalFile {
  /** Bytes in the journal file (0: none). */
  bytes = 0;
  /** What the journal file is to the file beside it (see JournalStanding); meaningless when `bytes` is 0. */
  standing: JournalStanding = 'extends';
  /** The journal file ends in a line cut short: nothing may be appended after it. */
  torn = false;
  private bytesBeforeLastAppend = 0;

  constructor(readonly file: string) {}

  /** Lines may be appended: the journal goes over the file beside it and ends in a whole line (or there is none). */
  get appendable(): boolean {
    return this.bytes === 0 || (this.standing === 'extends' && !this.torn);
  }

  /**
   * Appends `line` durably; on failure the file is cut back to where it was, so no half line stays behind. `header`:
   * the journal's first line, written with `line` when there is no journal yet.
   */
  protected async appendLine(line: string, header: JournalHeader): Promise<void> {
    if (!this.appendable) throw new Error(`${this.file} does not go over the file beside it: nothing may be appended to it.`);
    const starting = this.bytes === 0;
    const text = starting ? headerLine(header) + line : line;
    const handle = await open(this.file, 'a');
    const before = this.bytes;
    try {
      try {
        await handle.writeFile(text);
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
    this.bytes = before + Buffer.byteLength(text);
    if (starting) {
      this.standing = 'extends';
      this.torn = false;
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
    this.forget();
  }

  /** Moves the journal file to `to` (a journal that is not replayed is kept, never deleted). */
  async moveTo(to: string): Promise<void> {
    await renameReplacing(this.file, to);
    this.forget();
  }

  private forget(): void {
    this.bytes = 0;
    this.standing = 'extends';
    this.torn = false;
  }
}

/**
 * faces.journal or photos.journal: what is on disk (faces.json + journal, or photos.json + its journal), record by
 * record, and the journal file. `diff()` says what a list of records changed since; `append()` writes that;
 * `remember()` records a list as written.
 */
export class RecordJournal<T extends JournalRecord> extends JournalFile {
  private readonly written = new WrittenRecords<T>();

  constructor(
    file: string,
    readonly kind: RecordKind<T>,
  ) {
    super(file);
  }

  /** Records `records` as what disk holds, with `journalBytes` of journal on top of the document. */
  remember(records: T[], journalBytes: number): void {
    this.written.remember(records);
    this.bytes = journalBytes;
  }

  /** See WrittenRecords.writtenKeys. */
  writtenKeys(face: T): FaceKeys | undefined {
    return this.written.writtenKeys(face);
  }

  /** See WrittenRecords.diffSaid. */
  diffSaid(put: Iterable<T>, remove: Iterable<string>): RecordsDiff<T> {
    return this.written.diffSaid(put, remove);
  }

  /** See WrittenRecords.diff. */
  diff(faces: T[]): RecordsDiff<T> | null {
    return this.written.diff(faces);
  }

  /** The journal line for `change`. */
  line(change: RecordsChange<T>): string {
    return `{"put":[${change.put.map(this.kind.json).join(',')}],"remove":${JSON.stringify(change.remove)}}\n`;
  }

  /**
   * Appends `line` durably (see JournalFile.appendLine). `records`: the document's records, which `change` brought to
   * what the line says.
   */
  async append(line: string, records: T[], change: RecordsChange<T>, header: JournalHeader): Promise<void> {
    await this.appendLine(line, header);
    this.written.appended(records, change);
  }
}

export interface RecordsReplay<T extends JournalRecord> {
  records: T[];
  /** Lines applied. */
  applied: number;
  /** Set when a line could not be read: it and every line after it were not applied. */
  damaged?: { line: number; lines: number; detail: string };
}

export interface ReplayResult extends Omit<RecordsReplay<FaceRecord>, 'records'> {
  faces: FaceRecord[];
}

/** replayRecords for faces. */
export function replayJournal(faces: FaceRecord[], bytes: Buffer): ReplayResult {
  const { records, ...rest } = replayRecords(FACES, faces, bytes);
  return { faces: records, ...rest };
}

/**
 * Applies journal `bytes` to `records` (not modified), whatever its first line names (the caller checks that). A last
 * line without its newline is a write cut short by a crash: that transaction never completed, and it is dropped
 * silently.
 */
export function replayRecords<T extends JournalRecord>(kind: RecordKind<T>, records: T[], bytes: Buffer): RecordsReplay<T> {
  return replayChanges(kind, records, readJournalText(bytes).changes);
}

/** A list of records as journal lines change it: a put takes its id's place or goes last, a remove takes the id out. */
export class ListReplay<T extends JournalRecord> {
  private readonly out: Array<T | undefined>;
  private readonly at = new Map<string, number>();

  /** `records` is not modified. */
  constructor(records: readonly T[]) {
    this.out = records.slice();
    this.out.forEach((f, i) => this.at.set(f!.id, i));
  }

  apply(change: RecordsChange<T>): void {
    for (const id of change.remove) {
      const i = this.at.get(id);
      if (i === undefined) continue;
      this.out[i] = undefined;
      this.at.delete(id);
    }
    for (const record of change.put) {
      const i = this.at.get(record.id);
      if (i === undefined) {
        this.at.set(record.id, this.out.length);
        this.out.push(record);
      } else {
        this.out[i] = record;
      }
    }
  }

  get records(): T[] {
    return this.out.filter((f): f is T => f !== undefined);
  }
}

/** Applies complete change lines to `records` (not modified); a damaged line stops there. */
export function replayChanges<T extends JournalRecord>(kind: RecordKind<T>, records: T[], complete: readonly string[]): RecordsReplay<T> {
  const list = new ListReplay(records);
  let applied = 0;
  for (let n = 0; n < complete.length; n++) {
    const change = parseLine(kind, complete[n]);
    if (typeof change === 'string') return { records: list.records, applied, damaged: { line: n + 1, lines: complete.length, detail: change } };
    list.apply(change);
    applied++;
  }
  return { records: list.records, applied };
}

/** Null when `line` reads as a change of `kind`'s records, else why not. */
export function lineProblem<T extends JournalRecord>(kind: RecordKind<T>, line: string): string | null {
  const change = parseLine(kind, line);
  return typeof change === 'string' ? change : null;
}

function parseLine<T extends JournalRecord>(kind: RecordKind<T>, line: string): RecordsChange<T> | string {
  const value = lineJson(line);
  if (typeof value === 'string') return value;
  return recordsChangeOf<T>(value.json, kind.check, kind.name === 'faces' ? 'a face' : 'a photo', kind.name);
}

/** A journal line read as JSON (`{ json }`), or why it cannot be. */
export function lineJson(line: string): { json: unknown } | string {
  try {
    return { json: JSON.parse(line) };
  } catch (err) {
    return `not valid JSON: ${(err as Error).message}`;
  }
}

/**
 * `value` read as a change of a list of records, `{ put: [records], remove: [ids] }`, or why it is none: `check` says
 * what is wrong with a record, in the words that follow "<one> with an"; `many` names the records.
 */
export function recordsChangeOf<T extends JournalRecord>(value: unknown, check: (record: unknown) => string | null, one: string, many: string): RecordsChange<T> | string {
  const { put, remove } = (value ?? {}) as { put?: unknown; remove?: unknown };
  if (!Array.isArray(put) || !Array.isArray(remove) || !remove.every((id) => typeof id === 'string')) return `not a list of changed ${many}`;
  for (const record of put) {
    const wrong = check(record);
    if (wrong !== null) return `${one} with an ${wrong}`;
  }
  return { put: put as T[], remove: remove as string[] };
}

/** faces.journal. */
export class FacesJournal extends RecordJournal<FaceRecord> {
  constructor(file: string) {
    super(file, FACES);
  }
}
