// One JSON document of the library (photos.json, faces.json, ...), held by lowdb with an adapter that writes
// atomically and durably and keeps the previous version in backups/ (hard link: no copy of a large file).
import { rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { ensureDir, linkOrCopy, readFileIfExists, renameReplacing, writeFileAtomic } from './atomic.js';
import { NewerSchemaError } from './errors.js';
import { facesJsonBytes } from './face-json.js';
import {
  FACES,
  JOURNAL_MIN_BYTES,
  JOURNAL_SHARE_OF_BASE,
  PHOTOS,
  RecordJournal,
  replayRecords,
  type FaceKeys,
  type JournalRecord,
  type RecordsReplay,
} from './faces-journal.js';
import { upgradeFaceLandmarks } from './landmarks.js';
import { acceptedAsParsed, documentSchemas } from './schema.js';
import { SCHEMA_VERSION, type DocumentMap, type DocumentName, type FaceRecord, type FacesDocument, type PhotoRecord } from './types.js';

export const BACKUP_DIR = 'backups';

export class DocumentCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file} is damaged (${detail}).`);
    this.name = 'DocumentCorruptError';
  }
}

export function documentFileName(name: DocumentName): string {
  return `${name}.json`;
}

/**
 * Parses and checks a document; throws NewerSchemaError (never repaired) or DocumentCorruptError. A document of an
 * older schema version is upgraded in memory, and `read.olderSchema` says so: its file should be rewritten.
 */
export function parseDocument<K extends DocumentName>(name: K, file: string, bytes: Buffer, read: { olderSchema?: boolean } = {}): DocumentMap[K] {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new DocumentCorruptError(file, bytes.length === 0 ? 'empty file' : `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DocumentCorruptError(file, 'not a JSON object');
  const schemaVersion = (value as { schemaVersion?: unknown }).schemaVersion;
  if (typeof schemaVersion === 'number' && schemaVersion > SCHEMA_VERSION) throw new NewerSchemaError(file, schemaVersion, SCHEMA_VERSION);
  read.olderSchema = typeof schemaVersion === 'number' && schemaVersion < SCHEMA_VERSION;
  if (read.olderSchema) {
    if (name === 'faces' && (schemaVersion as number) < 2) upgradeFacesDocument(value);
    (value as { schemaVersion: number }).schemaVersion = SCHEMA_VERSION;
  }
  // The parsed value itself when a check by hand finds it sound (faces: no copy of every face); else zod's.
  if (acceptedAsParsed[name]?.(value as Record<string, unknown>)) return value as DocumentMap[K];
  const parsed = documentSchemas[name].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DocumentCorruptError(file, `unexpected shape at ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * faces.json of schema version 1 held each face's landmarks as [x, y] pairs; version 2 holds one flat list. The
 * upgrade is in memory; a writable open then rewrites the file (Library.loadDocument).
 */
function upgradeFacesDocument(value: object): void {
  const faces = (value as { faces?: unknown }).faces;
  if (Array.isArray(faces)) for (const face of faces) upgradeFaceLandmarks(face);
}

class AtomicJsonAdapter<K extends DocumentName> implements Adapter<DocumentMap[K]> {
  constructor(
    private readonly name: K,
    private readonly file: string,
    private readonly backupFile: string,
    private readonly pretty: boolean,
  ) {}

  /** Size of the file as last read or written. */
  bytes = 0;

  /** The last read() found a document of an older schema version (upgraded in memory). */
  olderSchema = false;

  async read(): Promise<DocumentMap[K] | null> {
    this.olderSchema = false;
    const bytes = await readFileIfExists(this.file);
    if (bytes === null) return null;
    const read: { olderSchema?: boolean } = {};
    const data = parseDocument(this.name, this.file, bytes, read);
    this.olderSchema = read.olderSchema === true;
    this.bytes = bytes.length;
    return data;
  }

  /** True when the last write() kept the version it replaced in backups/ (false: there was none). */
  keptPrevious = false;

  /** The bytes write() stores for `data`. */
  serialize(data: DocumentMap[K]): Buffer {
    if (this.name === 'faces') return facesJsonBytes(data as FacesDocument, this.bytes);
    return Buffer.from(this.pretty ? JSON.stringify(data, null, 2) : JSON.stringify(data));
  }

  /**
   * `afterBackup` runs once the version being replaced is in backups/ and before it is replaced. `bytes`: what
   * serialize(data) gave, when the caller writes the same data more than once.
   */
  async write(data: DocumentMap[K], afterBackup?: () => Promise<void>, bytes = this.serialize(data)): Promise<void> {
    this.keptPrevious = false;
    await this.keepPreviousAsBackup();
    await afterBackup?.();
    await writeFileAtomic(this.file, bytes);
    this.bytes = bytes.length;
  }

  /** The version about to be replaced becomes backups/<name>.json: the last good copy if the new one is damaged later. */
  private async keepPreviousAsBackup(): Promise<void> {
    const temp = `${this.backupFile}.${process.pid}.tmp`;
    await unlink(temp).catch(() => {});
    if (!(await linkOrCopy(this.file, temp))) return; // first write: nothing to keep
    await renameReplacing(temp, this.backupFile);
    this.keptPrevious = true;
  }

  /**
   * Puts back the version the last write replaced (a later document of the same transaction failed). Hard link +
   * rename: needs no free space, so it works on the full disk that made the transaction fail.
   */
  async restorePrevious(): Promise<void> {
    if (!this.keptPrevious) return;
    const temp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.restore.tmp`);
    await unlink(temp).catch(() => {});
    await linkOrCopy(this.backupFile, temp);
    await renameReplacing(temp, this.file);
    this.keptPrevious = false;
  }
}

/** What reading faces found in faces.journal (see Library.loadDocument). */
export interface JournalReplay {
  /** Lines replayed over faces.json (or over its backup and the backup's journal). */
  applied: number;
  damaged?: RecordsReplay<JournalRecord>['damaged'];
}

export interface WriteOptions {
  /** faces, photos: rewrite the file in full and set the journal aside, whatever the change (open, close, repairs). */
  compact?: boolean;
  /**
   * faces, photos: compare only the records the transaction said it put and removed (put(), remove()), not every
   * record: the transaction did not reach the list itself.
   */
  onlySaid?: boolean;
}

/** The documents with a journal, and the records each holds. */
export type JournaledName = 'faces' | 'photos';
export type RecordOf<K extends DocumentName> = K extends 'faces' ? FaceRecord : K extends 'photos' ? PhotoRecord : never;

/**
 * faces, photos: what a write() appended to the journal: the records put (changed, added) and the ids removed, and
 * (faces) the keys a face was looked up by before it (undefined for a record new to the document).
 */
export interface AppendedRecords<T extends JournalRecord = FaceRecord> {
  put: readonly T[];
  remove: readonly string[];
  keysBefore(face: T): FaceKeys | undefined;
}
export type AppendedFaces = AppendedRecords<FaceRecord>;

/** Removals after which put() finds positions by building the lookup again rather than looking left of where they were. */
const MAX_SHIFT = 64;

/**
 * A lowdb document bound to <dir>/<name>.json and <dir>/backups/<name>.json. faces and photos also have a journal,
 * <dir>/<name>.journal (main/store/faces-journal.ts): a transaction that changed a few records appends them there.
 */
export class LibraryDocument<K extends DocumentName> {
  readonly file: string;
  readonly backupFile: string;
  private readonly low: Low<DocumentMap[K]>;
  private readonly adapter: AtomicJsonAdapter<K>;
  /** faces and photos only. */
  private readonly journal: RecordJournal<JournalRecord> | null;
  private readonly backupJournalFile: string;
  private lastWrite: 'none' | 'append' | 'full' = 'none';
  /** Journal bytes behind the data last read (see the data setter). */
  private journalBytesRead = 0;
  /** What the transaction running said it put (by id, first put first) and removed: see put(), remove(). */
  private said = { put: new Map<string, JournalRecord>(), remove: new Set<string>() };
  /** Where each id is in the records, for put(); null until needed. May be behind by `shift` removals (see positionOf). */
  private positions: Map<string, number> | null = null;
  private shift = 0;
  /** faces, photos: what the last write() changed, for the Library to know whether its lookups still hold. */
  lastChange: 'none' | 'values' | 'structure' = 'none';
  /** faces, photos: what the last write() appended, when it changed the structure (else null): the Library follows it in its lookups. */
  lastAppend: AppendedRecords<RecordOf<K>> | null = null;
  /** Set by the last read of faces or photos: how much of the journal it replayed. */
  lastReplay: JournalReplay | null = null;

  constructor(
    readonly dir: string,
    readonly name: K,
    initial: DocumentMap[K],
    /** The bench's baseline: photos.json without a journal, every record compared, places looked up anew each commit. */
    private readonly asBefore = false,
  ) {
    this.file = join(dir, documentFileName(name));
    this.backupFile = join(dir, BACKUP_DIR, documentFileName(name));
    const pretty = name !== 'photos' && name !== 'faces';
    this.adapter = new AtomicJsonAdapter(name, this.file, this.backupFile, pretty);
    this.low = new Low(this.adapter, initial);
    const kind = name === 'faces' ? FACES : name === 'photos' && !asBefore ? PHOTOS : null;
    this.recordsKey = name === 'faces' || name === 'photos' ? name : null;
    this.journal = kind ? new RecordJournal<JournalRecord>(join(dir, `${name}.journal`), kind as never) : null;
    this.backupJournalFile = join(dir, BACKUP_DIR, `${name}.journal`);
    this.journal?.remember(this.records(initial), 0);
  }

  private readonly recordsKey: JournaledName | null;

  /** faces, photos: the document's records (else an empty list). */
  private records(data: DocumentMap[K] = this.data): JournalRecord[] {
    return this.recordsKey ? ((data as unknown as Record<string, JournalRecord[]>)[this.recordsKey] ?? []) : [];
  }

  get data(): DocumentMap[K] {
    return this.low.data;
  }

  /** Data that is what disk holds (read from it, or the defaults of a new library). */
  set data(value: DocumentMap[K]) {
    this.low.data = value;
    this.positions = null;
    this.forgetSaid();
    this.journal?.remember(this.records(value), this.journalBytesRead);
  }

  /** Bytes of journal waiting to be merged into the file (0 for documents without one). */
  get journalBytes(): number {
    return this.journal?.bytes ?? 0;
  }

  /**
   * faces, photos: each record takes the place of the record with its id, or goes last when its id is new, as a
   * journal line replays it; the next write({ onlySaid: true }) compares only the records put and removed.
   */
  put(records: Iterable<RecordOf<K>>): void {
    const list = this.records();
    for (const record of records) {
      const at = this.positionOf(list, record.id);
      if (at === undefined) {
        this.positions?.set(record.id, list.length);
        list.push(record);
      } else {
        list[at] = record;
      }
      // A record put again keeps its first place in the line: where its id first was, or went.
      this.said.put.set(record.id, record);
    }
  }

  /** faces, photos: takes the records with these ids out (see put()). */
  remove(ids: Iterable<string>): void {
    const gone = new Set<string>();
    for (const id of ids) {
      gone.add(id);
      this.said.remove.add(id);
      // Put again later, it goes last: in the line too.
      this.said.put.delete(id);
    }
    const list = this.records();
    let kept = 0;
    for (const record of list) if (!gone.has(record.id)) list[kept++] = record;
    const removed = list.length - kept;
    if (removed === 0) return;
    list.length = kept;
    for (const id of gone) this.positions?.delete(id);
    // Records after those taken out moved left by at most `shift` places.
    this.shift += removed;
    if (this.shift > MAX_SHIFT) this.positions = null;
  }

  /**
   * faces, photos: the transaction running reached the list itself, and may have changed it in any way: put() looks
   * for positions afresh.
   */
  reached(): void {
    this.positions = null;
  }

  /** Forgets what put() and remove() said (the transaction failed, or the data was read again). */
  forgetSaid(): void {
    this.said = { put: new Map(), remove: new Set() };
  }

  /** Where the record with `id` is in `list`, undefined when none is. */
  private positionOf(list: JournalRecord[], id: string): number | undefined {
    if (this.positions) {
      const was = this.positions.get(id);
      if (was === undefined && this.positions.size === list.length) return undefined;
      if (was !== undefined) {
        for (let i = Math.min(was, list.length - 1); i >= Math.max(0, was - this.shift); i--) {
          if (list[i].id !== id) continue;
          this.positions.set(id, i);
          return i;
        }
      }
    }
    // Built (again): the list changed in ways not followed here (a writer that reached it whole).
    this.positions = new Map(list.map((record, i) => [record.id, i]));
    this.shift = 0;
    return this.positions.get(id);
  }

  async write(options: WriteOptions = {}): Promise<void> {
    this.lastWrite = 'none';
    this.lastChange = 'none';
    this.lastAppend = null;
    const said = this.said;
    this.forgetSaid();
    await ensureDir(join(this.dir, BACKUP_DIR));
    const journal = this.journal;
    if (this.asBefore) {
      options = { ...options, onlySaid: false };
      this.positions = null;
    }
    if (journal && !options.compact) {
      const records = this.records();
      const change = options.onlySaid ? journal.diffSaid(said.put.values(), said.remove) : journal.diff(records);
      // Reached whole, the list may have been changed in any way: put() must look for positions again.
      if (!options.onlySaid && (!change || change.structural)) this.positions = null;
      if (change && change.put.length === 0 && change.remove.length === 0) return; // read, not changed
      if (change) {
        const line = journal.line(change);
        if (journal.bytes + line.length <= Math.max(JOURNAL_MIN_BYTES, this.adapter.bytes * JOURNAL_SHARE_OF_BASE)) {
          // The keys the records put were written with, taken before the append writes their new ones. A record not
          // put (removed, or replaced by another record) keeps its written keys.
          const before = change.structural ? new Map(change.put.map((record) => [record, journal.writtenKeys(record)])) : null;
          await journal.append(line, records, change);
          this.lastWrite = 'append';
          this.lastChange = change.structural ? 'structure' : 'values';
          if (before) {
            this.lastAppend = {
              put: change.put as RecordOf<K>[],
              remove: change.remove,
              keysBefore: (record) => (before.has(record) ? before.get(record) : journal.writtenKeys(record)),
            };
          }
          return;
        }
      }
    }
    if (!journal) await this.low.write();
    else await this.writeWhole(journal, this.adapter.serialize(this.data));
    this.lastWrite = 'full';
    this.lastChange = 'structure';
  }

  /** The file in full, its journal set aside; `remember`: false when the caller writes again at once. */
  private async writeWhole(journal: RecordJournal<JournalRecord>, bytes: Buffer, remember = true): Promise<void> {
    // The journal goes with the faces.json it was written over: backup + its journal is the state before this
    // write, and restoring a damaged faces.json from the backup replays both journals.
    await this.adapter.write(this.data, () => this.keepJournalWithBackup(journal), bytes);
    // faces.json now holds the journal's lines. A journal that cannot be removed stays: replaying it over
    // faces.json gives the same faces.
    const left = await journal.remove().then(
      () => 0,
      () => journal.bytes,
    );
    if (remember || left > 0) journal.remember(this.records(), left);
  }

  /**
   * faces: faces.json written in full, then again, so that backups/faces.json is this version too and neither has a
   * journal (a compaction: no copy may keep the old row numbers). Serialised once for both.
   */
  async writeTwice(): Promise<void> {
    const journal = this.journal!;
    const bytes = this.adapter.serialize(this.data);
    this.lastWrite = 'none';
    this.lastChange = 'none';
    this.lastAppend = null;
    await ensureDir(join(this.dir, BACKUP_DIR));
    await this.writeWhole(journal, bytes, false);
    await this.writeWhole(journal, bytes);
    this.lastWrite = 'full';
    this.lastChange = 'structure';
  }

  /** backups/faces.journal becomes the journal of the faces.json just kept in backups/ (a hard link; none: removed). */
  private async keepJournalWithBackup(journal: RecordJournal<JournalRecord>): Promise<void> {
    await rm(this.backupJournalFile, { force: true });
    await linkOrCopy(journal.file, this.backupJournalFile); // false: there is no journal
  }

  /** faces, photos: merges the journal into the file (on close); nothing to do when there is none. */
  async compact(): Promise<void> {
    if (this.journalBytes > 0) await this.write({ compact: true });
  }

  /** Undoes the last write() on disk (a later document of the same transaction failed); memory is the caller's to reload. */
  async restorePrevious(): Promise<void> {
    if (this.lastWrite === 'append') await this.journal!.undoLastAppend();
    if (this.lastWrite === 'full') {
      await this.adapter.restorePrevious();
      if (this.journal) {
        // Its journal comes back with it (the backup's was linked to it by keepJournalWithBackup).
        await renameReplacing(this.backupJournalFile, this.journal.file).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
      }
    }
    this.lastWrite = 'none';
  }

  /** readMain() found the file in an older schema version: rewriting it brings it to this one. */
  get readOlderSchema(): boolean {
    return this.adapter.olderSchema;
  }

  /** Reads the main file (faces: with the journal replayed): null when absent; throws DocumentCorruptError / NewerSchemaError. */
  async readMain(): Promise<DocumentMap[K] | null> {
    const data = await this.adapter.read();
    if (data === null || !this.journal) return data;
    return this.replay(data, [this.journal.file]);
  }

  /** Reads the backup (faces: with the backup's journal, then the current journal, replayed over it). */
  async readBackup(): Promise<DocumentMap[K] | null> {
    const bytes = await readFileIfExists(this.backupFile);
    if (bytes === null) return null;
    const data = parseDocument(this.name, this.backupFile, bytes);
    if (!this.journal) return data;
    return this.replay(data, [this.backupJournalFile, this.journal.file]);
  }

  private async replay(data: DocumentMap[K], journalFiles: string[]): Promise<DocumentMap[K]> {
    const kind = this.journal!.kind;
    let records = this.records(data);
    let applied = 0;
    let damaged: JournalReplay['damaged'];
    this.journalBytesRead = 0;
    for (const file of journalFiles) {
      const bytes = await readFileIfExists(file);
      if (bytes === null) continue;
      const result = replayRecords(kind, records, bytes);
      records = result.records;
      applied += result.applied;
      damaged ??= result.damaged;
      if (file === this.journal!.file) this.journalBytesRead = bytes.length;
    }
    this.lastReplay = { applied, damaged };
    return { ...data, [kind.name]: records };
  }
}
