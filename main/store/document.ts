// One JSON document of the library (photos.json, faces.json, ...), held by lowdb with an adapter that writes
// atomically and durably and keeps the previous version in backups/ (hard link: no copy of a large file).
import { rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { ensureDir, linkOrCopy, readFileIfExists, renameReplacing, writeFileAtomic } from './atomic.js';
import { NewerSchemaError } from './errors.js';
import { facesJsonBytes } from './face-json.js';
import { FacesJournal, JOURNAL_MIN_BYTES, JOURNAL_SHARE_OF_BASE, replayJournal, type FaceKeys, type ReplayResult } from './faces-journal.js';
import { upgradeFaceLandmarks } from './landmarks.js';
import { acceptedAsParsed, documentSchemas } from './schema.js';
import { SCHEMA_VERSION, type DocumentMap, type DocumentName, type FaceRecord, type FacesDocument } from './types.js';

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
  damaged?: ReplayResult['damaged'];
}

export interface WriteOptions {
  /** faces: rewrite faces.json in full and set the journal aside, whatever the change (open, close, repairs). */
  compact?: boolean;
}

/**
 * faces: what a write() appended to the journal: the faces put (changed, added) and the ids removed, and the keys a
 * face was looked up by before it (undefined for a record new to the document).
 */
export interface AppendedFaces {
  put: readonly FaceRecord[];
  remove: readonly string[];
  keysBefore(face: FaceRecord): FaceKeys | undefined;
}

/**
 * A lowdb document bound to <dir>/<name>.json and <dir>/backups/<name>.json. faces also has <dir>/faces.journal
 * (main/store/faces-journal.ts): a transaction that changed a few faces appends them there.
 */
export class LibraryDocument<K extends DocumentName> {
  readonly file: string;
  readonly backupFile: string;
  private readonly low: Low<DocumentMap[K]>;
  private readonly adapter: AtomicJsonAdapter<K>;
  /** faces only. */
  private readonly journal: FacesJournal | null;
  private readonly backupJournalFile: string;
  private lastWrite: 'none' | 'append' | 'full' = 'none';
  /** Journal bytes behind the data last read (see the data setter). */
  private journalBytesRead = 0;
  /** faces: what the last write() changed, for the Library to know whether its lookups still hold. */
  lastChange: 'none' | 'values' | 'structure' = 'none';
  /** faces: what the last write() appended, when it changed the structure (else null): the Library follows it in its lookups. */
  lastAppend: AppendedFaces | null = null;
  /** Set by the last read of faces: how much of the journal it replayed. */
  lastReplay: JournalReplay | null = null;

  constructor(
    readonly dir: string,
    readonly name: K,
    initial: DocumentMap[K],
  ) {
    this.file = join(dir, documentFileName(name));
    this.backupFile = join(dir, BACKUP_DIR, documentFileName(name));
    const pretty = name !== 'photos' && name !== 'faces';
    this.adapter = new AtomicJsonAdapter(name, this.file, this.backupFile, pretty);
    this.low = new Low(this.adapter, initial);
    this.journal = name === 'faces' ? new FacesJournal(join(dir, 'faces.journal')) : null;
    this.backupJournalFile = join(dir, BACKUP_DIR, 'faces.journal');
    this.journal?.remember((initial as FacesDocument).faces, 0);
  }

  get data(): DocumentMap[K] {
    return this.low.data;
  }

  /** Data that is what disk holds (read from it, or the defaults of a new library). */
  set data(value: DocumentMap[K]) {
    this.low.data = value;
    this.journal?.remember((value as FacesDocument).faces, this.journalBytesRead);
  }

  /** Bytes of journal waiting to be merged into faces.json (0 for other documents). */
  get journalBytes(): number {
    return this.journal?.bytes ?? 0;
  }

  async write(options: WriteOptions = {}): Promise<void> {
    this.lastWrite = 'none';
    this.lastChange = 'none';
    this.lastAppend = null;
    await ensureDir(join(this.dir, BACKUP_DIR));
    const journal = this.journal;
    if (journal && !options.compact) {
      const faces = (this.data as FacesDocument).faces;
      const change = journal.diff(faces);
      if (change && change.put.length === 0 && change.remove.length === 0) return; // read, not changed
      if (change) {
        const line = FacesJournal.line(change);
        if (journal.bytes + line.length <= Math.max(JOURNAL_MIN_BYTES, this.adapter.bytes * JOURNAL_SHARE_OF_BASE)) {
          // The keys the faces put were written with, taken before the append writes their new ones. A face not put
          // (removed, or replaced by another record) keeps its written keys.
          const before = change.structural ? new Map(change.put.map((face) => [face, journal.writtenKeys(face)])) : null;
          await journal.append(line, faces, change);
          this.lastWrite = 'append';
          this.lastChange = change.structural ? 'structure' : 'values';
          if (before) {
            this.lastAppend = { put: change.put, remove: change.remove, keysBefore: (face) => (before.has(face) ? before.get(face) : journal.writtenKeys(face)) };
          }
          return;
        }
      }
    }
    if (!journal) await this.low.write();
    else await this.writeFaces(journal, this.adapter.serialize(this.data));
    this.lastWrite = 'full';
    this.lastChange = 'structure';
  }

  /** faces.json in full, its journal set aside; `remember`: false when the caller writes again at once. */
  private async writeFaces(journal: FacesJournal, bytes: Buffer, remember = true): Promise<void> {
    // The journal goes with the faces.json it was written over: backup + its journal is the state before this
    // write, and restoring a damaged faces.json from the backup replays both journals.
    await this.adapter.write(this.data, () => this.keepJournalWithBackup(journal), bytes);
    // faces.json now holds the journal's lines. A journal that cannot be removed stays: replaying it over
    // faces.json gives the same faces.
    const left = await journal.remove().then(
      () => 0,
      () => journal.bytes,
    );
    if (remember || left > 0) journal.remember((this.data as FacesDocument).faces, left);
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
    await this.writeFaces(journal, bytes, false);
    await this.writeFaces(journal, bytes);
    this.lastWrite = 'full';
    this.lastChange = 'structure';
  }

  /** backups/faces.journal becomes the journal of the faces.json just kept in backups/ (a hard link; none: removed). */
  private async keepJournalWithBackup(journal: FacesJournal): Promise<void> {
    await rm(this.backupJournalFile, { force: true });
    await linkOrCopy(journal.file, this.backupJournalFile); // false: there is no journal
  }

  /** faces: merges the journal into faces.json (on close); nothing to do when there is none. */
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
    let faces = (data as FacesDocument).faces;
    let applied = 0;
    let damaged: ReplayResult['damaged'];
    this.journalBytesRead = 0;
    for (const file of journalFiles) {
      const bytes = await readFileIfExists(file);
      if (bytes === null) continue;
      const result = replayJournal(faces, bytes);
      faces = result.faces;
      applied += result.applied;
      damaged ??= result.damaged;
      if (file === this.journal!.file) this.journalBytesRead = bytes.length;
    }
    this.lastReplay = { applied, damaged };
    return { ...data, faces };
  }
}
