// One JSON document of the library (photos.json, faces.json, ...), held by lowdb with an adapter that writes
// atomically and durably and keeps the previous version in backups/ (hard link: no copy of a large file).
import { randomBytes } from 'node:crypto';
import { rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { ensureDir, fsyncDir, linkOrCopy, readFileIfExists, renameReplacing, writeFileAtomic } from './atomic.js';
import { NewerSchemaError } from './errors.js';
import { facesJsonBytes } from './face-json.js';
import {
  FACES,
  JOURNAL_MIN_BYTES,
  PHOTOS,
  lineProblem,
  readJournalText,
  RecordJournal,
  replayChanges,
  type JournalFile,
  type FaceKeys,
  type JournalRecord,
  type JournalStanding,
  type JournalText,
  type RecordsReplay,
} from './faces-journal.js';
import { upgradeFaceLandmarks } from './landmarks.js';
import { PeopleJournal, peopleLineProblem, replayPeople } from './people-journal.js';
import { acceptedAsParsed, documentSchemas } from './schema.js';
import { SCHEMA_VERSION, type DocumentMap, type DocumentName, type FaceRecord, type FacesDocument, type PeopleDocument, type PhotoRecord } from './types.js';

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
 * faces.json and photos.json carry a generation, new at each whole write (schema version 4), which their journal's
 * first line names (main/store/faces-journal.ts): "<count>-<random>", the count one more than any seen before, so that
 * of two versions the later is known (to say what a journal left beside another version was). people.json too, since
 * it has a journal (schema version 5, main/store/people-journal.ts).
 */
function generationAfter(highest: number): string {
  return `${highest + 1}-${randomBytes(6).toString('hex')}`;
}

/** The count a generation starts with; 0 for none (a file a version 3 build wrote). */
export function generationCount(generation: string | null | undefined): number {
  const count = generation ? Number.parseInt(generation, 10) : 0;
  return Number.isSafeInteger(count) && count > 0 ? count : 0;
}

/** The schema version whose faces.json and photos.json first carried a generation. */
const GENERATIONS_SINCE = 4;

/** What parseDocument found besides the document. */
export interface DocumentRead {
  /** The document is of an older schema version (upgraded in memory): its file should be rewritten. */
  olderSchema?: boolean;
  /** faces, photos, people: the file's generation (null: none). It is not kept in the document. */
  generation?: string | null;
}

/**
 * Parses and checks a document; throws NewerSchemaError (never repaired) or DocumentCorruptError. A document of an
 * older schema version is upgraded in memory, and `read.olderSchema` says so: its file should be rewritten.
 */
export function parseDocument<K extends DocumentName>(name: K, file: string, bytes: Buffer, read: DocumentRead = {}): DocumentMap[K] {
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
  if (name === 'faces' || name === 'photos' || name === 'people') {
    // Generations began with schema version 4: an older file has none, whatever it holds.
    const stamp = (value as { generation?: unknown }).generation;
    read.generation = typeof stamp === 'string' && stamp !== '' && (schemaVersion as number) >= GENERATIONS_SINCE ? stamp : null;
    delete (value as { generation?: unknown }).generation;
  }
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

  /** faces, photos, people: the generation of the file as last read or written (null: none, or the file could not be read). */
  generation: string | null = null;

  async read(): Promise<DocumentMap[K] | null> {
    this.olderSchema = false;
    this.generation = null;
    const bytes = await readFileIfExists(this.file);
    if (bytes === null) return null;
    const read: DocumentRead = {};
    const data = parseDocument(this.name, this.file, bytes, read);
    this.olderSchema = read.olderSchema === true;
    this.generation = read.generation ?? null;
    this.bytes = bytes.length;
    return data;
  }

  /** True when the last write() kept the version it replaced in backups/ (false: there was none). */
  keptPrevious = false;
  /** The generation of the version the last write() kept in backups/. */
  private keptGeneration: string | null = null;

  /** The bytes write() stores for `data`, stamped with `generation` when given (faces, photos, people). */
  serialize(data: DocumentMap[K], generation?: string): Buffer {
    const { schemaVersion, ...rest } = data;
    const stamped = generation === undefined ? data : ({ schemaVersion, generation, ...rest } as unknown as DocumentMap[K]);
    if (this.name === 'faces') return facesJsonBytes(stamped as FacesDocument, this.bytes);
    return Buffer.from(this.pretty ? JSON.stringify(stamped, null, 2) : JSON.stringify(stamped));
  }

  /**
   * `afterBackup` runs once the version being replaced is in backups/ and before it is replaced. `bytes`: what
   * serialize(data, generation) gave, when the caller writes the same data more than once.
   */
  async write(data: DocumentMap[K], afterBackup?: () => Promise<void>, bytes = this.serialize(data), generation: string | null = null): Promise<void> {
    this.keptPrevious = false;
    await this.keepPreviousAsBackup();
    await afterBackup?.();
    await writeFileAtomic(this.file, bytes);
    this.bytes = bytes.length;
    this.generation = generation;
  }

  /**
   * The file on disk is damaged (the document was restored from its backup) and could not be set aside: the next
   * write replaces it without keeping it, so that backups/<name>.json stays the good copy.
   */
  replacesDamaged = false;

  /** The version about to be replaced becomes backups/<name>.json: the last good copy if the new one is damaged later. */
  private async keepPreviousAsBackup(): Promise<void> {
    if (this.replacesDamaged) {
      this.replacesDamaged = false;
      return;
    }
    const temp = `${this.backupFile}.${process.pid}.tmp`;
    await unlink(temp).catch(() => {});
    if (!(await linkOrCopy(this.file, temp))) return; // first write: nothing to keep
    await renameReplacing(temp, this.backupFile);
    this.keptPrevious = true;
    this.keptGeneration = this.generation;
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
    this.generation = this.keptGeneration;
  }
}

/** What reading faces found in faces.journal (see Library.loadDocument). */
export interface JournalReplay {
  /** Lines replayed over faces.json (or over its backup and the backup's journal). */
  applied: number;
  damaged?: RecordsReplay<JournalRecord>['damaged'];
  /** The journal beside the file was not replayed (see LibraryDocument.setAsideJournal). */
  notReplayed?: NotReplayed;
  /** The journal ends in a line cut short (a commit that never completed): merging it drops that. */
  torn?: boolean;
}

/**
 * A journal that does not go over the file read. 'older': it goes over an earlier version (or has no first line naming
 * one: a version 3 build's), which was since rewritten whole with its lines; 'other': over another version, not an
 * earlier one; 'damaged': its first line, which names the version, cannot be read.
 */
export interface NotReplayed {
  why: 'older' | 'other' | 'damaged';
  /** Its change lines. */
  changes: number;
  /** Why the first line cannot be read ('damaged'). */
  detail?: string;
}

export interface WriteOptions {
  /** faces, photos, people: rewrite the file in full and set the journal aside, whatever the change (open, close, repairs). */
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
 * A lowdb document bound to <dir>/<name>.json and <dir>/backups/<name>.json. faces, photos and people also have a
 * journal, <dir>/<name>.journal (main/store/faces-journal.ts, people-journal.ts): a transaction that changed a few
 * records appends them there.
 */
export class LibraryDocument<K extends DocumentName> {
  readonly file: string;
  readonly backupFile: string;
  private readonly low: Low<DocumentMap[K]>;
  private readonly adapter: AtomicJsonAdapter<K>;
  /** faces and photos only. */
  private readonly journal: RecordJournal<JournalRecord> | null;
  /** people only. */
  private readonly peopleJournal: PeopleJournal | null;
  private readonly backupJournalFile: string;
  private lastWrite: 'none' | 'append' | 'full' = 'none';
  /** The journal as the last read found it, behind the data read (see the data setter). */
  private journalRead: { bytes: number; standing: JournalStanding; torn: boolean } = { bytes: 0, standing: 'extends', torn: false };
  /** The highest generation count seen in a file or journal: each whole write's is higher (generationAfter). */
  private highestGeneration = 0;
  /** The last whole write kept the journal with the version it put in backups/: restorePrevious brings both back. */
  private keptJournal = false;
  /** What a journal that was not replayed is set aside as: backups/<name>.set-aside-<tag>.journal. */
  private setAsideTag = 'unstamped';
  /** What the transaction running said it put (by id, first put first) and removed: see put(), remove(). */
  private said = { put: new Map<string, JournalRecord>(), remove: new Set<string>() };
  /** Where each id is in the records, for put(); null until needed. May be behind by `shift` removals (see positionOf). */
  private positions: Map<string, number> | null = null;
  private shift = 0;
  /** faces, photos: what the last write() changed, for the Library to know whether its lookups still hold. */
  lastChange: 'none' | 'values' | 'structure' = 'none';
  /** faces, photos: what the last write() appended, when it changed the structure (else null): the Library follows it in its lookups. */
  lastAppend: AppendedRecords<RecordOf<K>> | null = null;
  /** Set by the last read of faces, photos or people: how much of the journal it replayed. */
  lastReplay: JournalReplay | null = null;

  constructor(
    readonly dir: string,
    readonly name: K,
    initial: DocumentMap[K],
    /**
     * The bench's baseline: photos.json without a journal, every record compared, places looked up anew each commit;
     * people.json without a journal, written whole by every commit.
     */
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
    this.peopleJournal = name === 'people' && !asBefore ? new PeopleJournal(join(dir, 'people.journal')) : null;
    this.backupJournalFile = join(dir, BACKUP_DIR, `${name}.journal`);
    this.rememberWritten(initial, 0);
  }

  /** The journal file of faces, photos or people; null for the documents without one. */
  private get journalFile(): JournalFile | null {
    return this.journal ?? this.peopleJournal;
  }

  /** Records `data` as what disk holds, with `journalBytes` of journal over the file. */
  private rememberWritten(data: DocumentMap[K], journalBytes: number): void {
    this.journal?.remember(this.records(data), journalBytes);
    this.peopleJournal?.remember(data as PeopleDocument, journalBytes);
  }

  /** `data` with complete journal `lines` replayed over it (not modified); a damaged line stops there. */
  private replay(data: DocumentMap[K], lines: readonly string[]): { data: DocumentMap[K]; applied: number; damaged?: JournalReplay['damaged'] } {
    if (this.peopleJournal) {
      const { doc, ...replay } = replayPeople(data as PeopleDocument, lines);
      return { data: doc as DocumentMap[K], ...replay };
    }
    const { records, ...replay } = replayChanges(this.journal!.kind, this.records(data), lines);
    return { data: { ...data, [this.journal!.kind.name]: records }, ...replay };
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
    this.rememberWritten(value, this.journalRead.bytes);
    const journal = this.journalFile;
    if (journal) {
      journal.standing = this.journalRead.standing;
      journal.torn = this.journalRead.torn;
    }
  }

  /** Bytes of journal waiting to be merged into the file (0 for documents without one). */
  get journalBytes(): number {
    return this.journalFile?.bytes ?? 0;
  }

  /**
   * faces, photos: each record takes the place of the record with its id, or goes last when its id is new, as a
   * journal line replays it; the next write({ onlySaid: true }) compares only the records put and removed. `inPlace`:
   * true for a record the caller knows the list holds already, as it is (its place need not be looked for); asked only
   * until a record is added or takes another's place, which the caller's knowledge may not follow. Returns false when
   * one was.
   */
  put(records: Iterable<RecordOf<K>>, inPlace?: (record: RecordOf<K>) => boolean): boolean {
    const list = this.records();
    let same = true;
    for (const record of records) {
      if (same && inPlace?.(record)) {
        this.said.put.set(record.id, record);
        continue;
      }
      same = false;
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
    return same;
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
        if (this.fits(journal, line, journal.kind.shareOfBase) && (await this.readyToAppend(journal))) {
          // The keys the records put were written with, taken before the append writes their new ones. A record not
          // put (removed, or replaced by another record) keeps its written keys.
          const before = change.structural ? new Map(change.put.map((record) => [record, journal.writtenKeys(record)])) : null;
          await journal.append(line, records, change, { extends: this.adapter.generation! });
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
    const people = this.peopleJournal;
    if (people && !options.compact) {
      const change = people.diff(this.data as PeopleDocument);
      if (change && PeopleJournal.isEmpty(change)) return; // read, not changed
      const line = change && people.line(change);
      if (change && line && this.fits(people, line, people.shareOfBase) && (await this.readyToAppend(people))) {
        await people.append(line, this.data as PeopleDocument, change, { extends: this.adapter.generation! });
        this.lastWrite = 'append';
        this.lastChange = 'values';
        return;
      }
    }
    const file = this.journalFile;
    if (!file) await this.low.write();
    else await this.writeWhole(file, this.newGeneration());
    this.lastWrite = 'full';
    this.lastChange = 'structure';
  }

  /** Whether `line` fits in the journal: it stays under `shareOfBase` of the file's size (and JOURNAL_MIN_BYTES). */
  private fits(journal: JournalFile, line: string, shareOfBase: number): boolean {
    return journal.bytes + line.length <= Math.max(JOURNAL_MIN_BYTES, this.adapter.bytes * shareOfBase);
  }

  /** A generation no file or journal seen has (see generationAfter). */
  private newGeneration(): string {
    const generation = generationAfter(this.highestGeneration);
    this.highestGeneration++;
    return generation;
  }

  private noteGeneration(generation: string | null | undefined): void {
    this.highestGeneration = Math.max(this.highestGeneration, generationCount(generation));
  }

  /**
   * Whether a line may go into the journal now. A journal that does not go over the file on disk is cleared away
   * first: deleted when the file holds its lines ('held'), else set aside; if it cannot be (another process holds it),
   * the file is written whole instead, and the next commit tries again. A file with no generation (a version 3
   * build's, read but not rewritten) takes no journal: its first line would have no version to name.
   */
  private async readyToAppend(journal: JournalFile): Promise<boolean> {
    if (journal.bytes > 0 && journal.standing !== 'extends') {
      await (journal.standing === 'held' ? journal.remove() : this.setAsideJournal()).catch(() => {});
    }
    if (journal.bytes === 0) return this.adapter.generation !== null;
    return journal.appendable;
  }

  /**
   * The file in full, stamped with `generation`, its journal set aside; `remember`: false when the caller writes again
   * at once. `bytes`: what serialize(data, generation) gave, when the caller writes the same data more than once.
   */
  private async writeWhole(journal: JournalFile, generation: string, bytes = this.adapter.serialize(this.data, generation), remember = true): Promise<void> {
    // The journal goes with the version it goes over into backups/: backup + its journal is the state before this
    // write, and restoring a damaged file from the backup replays both journals.
    const goesOver = journal.bytes > 0 && journal.standing === 'extends';
    this.keptJournal = false;
    await this.adapter.write(this.data, () => this.keepJournalWithBackup(journal, goesOver), bytes, generation);
    // The file now holds the journal's lines. A journal that cannot be deleted stays, and is never appended to nor
    // replayed over this file: its first line names the version before. One that was not replayed ('foreign') is
    // the Library's to set aside (Library.reportJournal), or readyToAppend's.
    if (journal.bytes > 0 && journal.standing !== 'foreign') {
      await journal.remove().catch(() => {
        journal.standing = 'held';
      });
    }
    if (remember) this.rememberWritten(this.data, journal.bytes);
  }

  /**
   * faces: faces.json written in full, then again, so that backups/faces.json is this version too and neither has a
   * journal (a compaction: no copy may keep the old row numbers). Serialised once for both: one generation.
   */
  async writeTwice(): Promise<void> {
    const journal = this.journal!;
    const generation = this.newGeneration();
    const bytes = this.adapter.serialize(this.data, generation);
    this.lastWrite = 'none';
    this.lastChange = 'none';
    this.lastAppend = null;
    await ensureDir(join(this.dir, BACKUP_DIR));
    await this.writeWhole(journal, generation, bytes, false);
    await this.writeWhole(journal, generation, bytes);
    this.lastWrite = 'full';
    this.lastChange = 'structure';
  }

  /**
   * backups/<name>.journal becomes the journal of the version just kept in backups/ (a hard link), or none. When no
   * version was kept (there was no file), the backup in place keeps its own journal.
   */
  private async keepJournalWithBackup(journal: JournalFile, goesOver: boolean): Promise<void> {
    if (!this.adapter.keptPrevious) return;
    await rm(this.backupJournalFile, { force: true });
    if (goesOver) this.keptJournal = await linkOrCopy(journal.file, this.backupJournalFile);
  }

  /** faces, photos, people: merges the journal into the file (on close); nothing to do when there is none. */
  async compact(): Promise<void> {
    if (this.journalBytes > 0) await this.write({ compact: true });
  }

  /** Undoes the last write() on disk (a later document of the same transaction failed); memory is the caller's to reload. */
  async restorePrevious(): Promise<void> {
    if (this.lastWrite === 'append') await this.journalFile!.undoLastAppend();
    if (this.lastWrite === 'full') {
      // Its journal comes back with it (the backup's was linked to it by keepJournalWithBackup), and first: a crash in
      // between leaves the newer file beside the older journal, which is set aside, rather than the older file
      // without its journal's lines.
      const journal = this.journalFile;
      if (journal && this.keptJournal) {
        await renameReplacing(this.backupJournalFile, journal.file).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
      }
      this.keptJournal = false;
      await this.adapter.restorePrevious();
    }
    this.lastWrite = 'none';
  }

  /** readMain() found the file in an older schema version: rewriting it brings it to this one. */
  get readOlderSchema(): boolean {
    return this.adapter.olderSchema;
  }

  /**
   * Reads the main file (faces, photos, people: with the journal replayed, if it goes over this file): null when
   * absent; throws DocumentCorruptError / NewerSchemaError.
   */
  async readMain(): Promise<DocumentMap[K] | null> {
    this.lastReplay = null;
    this.journalRead = { bytes: 0, standing: 'extends', torn: false };
    const data = await this.adapter.read();
    const journal = this.journalFile;
    if (data === null || !journal) return data;
    const generation = this.adapter.generation;
    this.noteGeneration(generation);
    const bytes = await readFileIfExists(journal.file);
    this.lastReplay = { applied: 0 };
    if (bytes === null) return data;
    const text = readJournalText(bytes);
    const notReplayed = this.notReplayedOver(text, generation);
    this.journalRead = { bytes: bytes.length, standing: notReplayed ? 'foreign' : 'extends', torn: text.torn };
    if (notReplayed) {
      this.lastReplay = { applied: 0, notReplayed, torn: text.torn };
      return data;
    }
    const replay = this.replay(data, text.changes);
    this.lastReplay = { applied: replay.applied, damaged: replay.damaged, torn: text.torn };
    return replay.data;
  }

  /**
   * Reads the backup (faces, photos, people: with the backup's journal, then the current journal, replayed over it).
   * The current journal goes over the file the backup was replaced by, which is lost: its lines came after all the
   * backup holds (its generation is later), and replaying them keeps every change but the one that whole write made. A
   * journal that goes over an earlier version is not replayed (set aside, as readMain's).
   */
  async readBackup(): Promise<DocumentMap[K] | null> {
    this.lastReplay = null;
    this.journalRead = { bytes: 0, standing: 'extends', torn: false };
    const bytes = await readFileIfExists(this.backupFile);
    if (bytes === null) return null;
    const read: DocumentRead = {};
    const journal = this.journalFile;
    let data = parseDocument(this.name, this.backupFile, bytes, read);
    if (!journal) return data;
    const backup = read.generation ?? null;
    this.noteGeneration(backup);
    let applied = 0;
    let damaged: JournalReplay['damaged'];
    // The backup's own journal; one that does not go over it was left by a crash while the backup was replaced, and
    // is older than it.
    let backupJournal: string | null | undefined;
    const backupBytes = await readFileIfExists(this.backupJournalFile);
    if (backupBytes !== null) {
      const text = readJournalText(backupBytes);
      if (this.notReplayedOver(text, backup) === null) {
        ({ data, applied, damaged } = this.replay(data, text.changes));
        backupJournal = text.header?.extends ?? null;
      }
    }
    let notReplayed: NotReplayed | null = null;
    let torn = false;
    const currentBytes = await readFileIfExists(journal.file);
    if (currentBytes !== null) {
      const text = readJournalText(currentBytes);
      torn = text.torn;
      notReplayed = this.notReplayedOver(text, backup);
      const named = text.header?.extends;
      if (notReplayed?.why === 'other' && generationCount(named) > generationCount(backup)) notReplayed = null; // later
      // Still linked to the backup's journal (the write after it could not delete it): replayed already.
      const replayedAlready = named !== undefined && named === backupJournal;
      if (notReplayed === null && !replayedAlready) {
        const replay = this.replay(data, text.changes);
        data = replay.data;
        applied += replay.applied;
        damaged ??= replay.damaged;
      }
      // Its lines are in memory (the file it went over is lost): deleted once a whole write holds them.
      this.journalRead = { bytes: currentBytes.length, standing: notReplayed ? 'foreign' : 'held', torn };
    }
    this.lastReplay = { applied, damaged, torn, ...(notReplayed ? { notReplayed } : {}) };
    return data;
  }

  /** Null when the journal `text` goes over the file of `generation` (null: a file with none), else how it does not. */
  private notReplayedOver(text: JournalText, generation: string | null): NotReplayed | null {
    const changes = text.changes.length;
    if (text.damagedHeader !== undefined) return this.foreign({ why: 'damaged', changes, detail: text.damagedHeader }, 'damaged');
    if (text.header) {
      const named = text.header.extends;
      this.noteGeneration(named);
      if (named === generation) return null;
      const why = generationCount(named) < generationCount(generation) ? 'older' : 'other';
      return this.foreign({ why, changes }, /^[0-9a-z-]{1,40}$/i.test(named) ? named : 'other');
    }
    // No first line naming a version: a version 3 build's journal, which goes over a file with none (or nothing yet).
    if (generation === null || changes === 0) return null;
    const problem = this.journal ? lineProblem(this.journal.kind, text.changes[0]) : peopleLineProblem(text.changes[0]);
    if (problem !== null) return this.foreign({ why: 'damaged', changes: changes - 1, detail: problem }, 'damaged');
    return this.foreign({ why: 'older', changes }, 'unstamped');
  }

  private foreign(notReplayed: NotReplayed, tag: string): NotReplayed {
    this.setAsideTag = tag;
    return notReplayed;
  }

  /**
   * faces, photos, people: moves a journal that is not replayed (lastReplay.notReplayed) into backups/, under a name
   * of its own (backups/<name>.journal is the backup's journal), where it stays for the user. Returns that name.
   */
  async setAsideJournal(): Promise<string> {
    const journal = this.journalFile!;
    const name = await this.nameInBackups(`${this.name}.set-aside-${this.setAsideTag}`, '.journal');
    await journal.moveTo(join(this.dir, BACKUP_DIR, name));
    await fsyncDir(this.dir);
    return name;
  }

  /**
   * Moves the file, found damaged when the document was restored from its backup, into backups/ under a name of its
   * own (backups/<name>.damaged-<when>.json), where it stays for the user. Left in place, the rewrite that follows
   * would keep it as backups/<name>.json, over the good copy just restored from. Returns that name, and why the file
   * could only be copied there (`notMoved`): a file another program holds open cannot be moved on Windows (EPERM), and
   * is then copied, and replaced by the next write without being kept. When it can be neither moved nor copied, the
   * next write replaces it all the same, and the error is thrown.
   */
  async setAsideDamaged(): Promise<{ file: string; notMoved?: unknown }> {
    this.adapter.replacesDamaged = true;
    const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-'); // no ':' in names on Windows
    const name = await this.nameInBackups(`${this.name}.damaged-${when}`, '.json');
    const to = join(this.dir, BACKUP_DIR, name);
    try {
      await renameReplacing(this.file, to);
    } catch (err) {
      const bytes = await readFileIfExists(this.file).catch(() => null);
      if (bytes === null) throw err;
      await writeFileAtomic(to, bytes);
      return { file: name, notMoved: err };
    }
    await fsyncDir(this.dir);
    await fsyncDir(join(this.dir, BACKUP_DIR));
    this.adapter.replacesDamaged = false; // gone: the next write has nothing to keep
    return { file: name };
  }

  /** A name in backups/ no file has: `<stem><ext>`, else `<stem>-2<ext>`, ... (the folder is made if needed). */
  private async nameInBackups(stem: string, ext: string): Promise<string> {
    const folder = join(this.dir, BACKUP_DIR);
    await ensureDir(folder);
    const exists = (name: string) => stat(join(folder, name)).then(() => true, () => false);
    let name = `${stem}${ext}`;
    for (let n = 2; await exists(name); n++) name = `${stem}-${n}${ext}`;
    return name;
  }
}
