// The library folder (docs/architecture.md): JSON documents, vector files, the hnsw index, thumbnails, backups and
// the single-writer lock. open() checks every part and repairs what it can from the others and from backups/,
// reporting each repair; it never starts an empty document over one it could not read.
//
// Write ordering (what makes a SIGKILL at any instant survivable):
//   1. vectors are appended and fsynced (appendVectors) before any document references them;
//   2. thumbnails are written before the faces that name them;
//   3. a transaction writes its changed documents one by one, each atomically (temp + fsync + rename), faces before
//      photos, so a photo never claims an analysis whose faces are not stored; faces, photos and people usually as
//      a line appended to faces.journal, photos.journal or people.journal and fsynced (main/store/faces-journal.ts,
//      people-journal.ts), merged into their file on open and close;
//   4. the index is saved after the documents (and on close); a stale or missing index is rebuilt on open.
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { plural } from '../../preload/contract.js';
import { ensureDir, fsyncDir, linkOrCopy, readFileIfExists, renameReplacing, writeFileAtomic } from './atomic.js';
import { COMPACT_WHEN, compactVectors, completeCompaction, finishInterruptedCompaction, type CompactionContext } from './compaction.js';
import { BACKUP_DIR, DocumentCorruptError, LibraryDocument, type AppendedFaces, type AppendedRecords, type JournaledName, type RecordOf } from './document.js';
import { EmbeddingUnavailableError, LibraryDamagedError, NewerSchemaError, ReadOnlyLibraryError, refusalInWords } from './errors.js';
import { LibraryLock, readLock, type LockState } from './lock.js';
import { CopyLookup } from './copy-lookup.js';
import { throwIfCancelled } from '../jobs/progress.js';
import {
  DEFAULT_ANALYSIS_MAX_SIDE,
  DEFAULT_SAME_PERSON_DISTANCE,
  SCHEMA_VERSION,
  type DocumentMap,
  type DocumentName,
  type EmbeddingSource,
  type FaceRecord,
  type LibraryInfo,
  type LostFace,
  type PeopleDocument,
  type PhotoRecord,
  type Repair,
  type Settings,
} from './types.js';
import type { FaceKeys } from './faces-journal.js';
import { ALL_UPGRADES, applyUpgrades } from './upgrades.js';
import { judgingSpaces } from '../people/judging-spaces.js';
import { INDEX_DIR, REBUILD_SHARE, VectorIndex, type IndexHit } from './vector-index.js';
import { VectorFile } from './vectors.js';

export const DEFAULT_BACKBONE_DIM = 128;
export const VECTOR_DIR = 'vectors';
export const THUMB_DIR = 'thumbs';
/** Present only while a model switch replaces embedding.f32 (see Library.finishInterruptedSwitch). */
const SWITCH_MARKER = 'embedding.switch.json';
const PREVIOUS_EMBEDDING = 'embedding.previous.f32';
/** `.faces.json.<pid>.<n>.tmp`, `faces.json.<pid>.tmp` (backups), `.embedding.hnsw.<pid>.tmp`, `... .restore.tmp`. */
const STALE_TEMP = /\.\d+(\.\d+|\.restore)?\.tmp$/;

/** Order documents are written in within one transaction (see the ordering rules above). */
const WRITE_ORDER: DocumentName[] = ['faces', 'photos', 'people', 'settings', 'library'];
/** Documents whose loss cannot be made good from the rest of the library. */
const PRECIOUS: DocumentName[] = ['photos', 'faces', 'people'];

export interface OpenOptions {
  /** No lock, no writes: repairs are applied in memory only and reported. For `familiar faces`, `doctor`, viewers. */
  readOnly?: boolean;
  /** Backbone width for a new library (default 128). */
  backboneDim?: number;
  /** When an open compacts the vector files (main/store/compaction.ts); tests lower it. */
  compactWhen?: typeof COMPACT_WHEN;
  /** Tests: called after each step of a compaction; throwing there is a crash at that point. */
  afterCompactionStep?: CompactionContext['afterStep'];
  /** Share of the faces new to the index from which it is built again in one pass (VectorIndex.follow); the bench sets Infinity. */
  rebuildIndexShare?: number;
  /** The lookups by id, photo and row built again whole after every change, as they were (the bench's baseline). */
  rebuildLookupsOnEveryChange?: boolean;
  /**
   * Commits as they were before they cost only what changed (the bench's baseline): photos.json rewritten whole, every
   * face compared with what disk holds, and where each face and photo is in its list looked up anew every commit.
   */
  commitsAsBefore?: boolean;
  /** Copies found by walking every photo each time they are asked for, as decisions did (the bench's baseline). */
  copiesAsBefore?: boolean;
  /** people.json written whole by every commit that touches it, without people.journal, as it was (the bench's baseline). */
  peopleWrittenWhole?: boolean;
  /**
   * Stops the open between its steps (a Ctrl-C: a library of 100,000 photos takes seconds to open): it throws
   * JobCancelledError, the lock released. Checked before open writes any repair, and while it builds the index again.
   */
  signal?: AbortSignal;
  /** Told what the open does, in a few words ("reading faces.json"): at 100,000 photos it takes seconds. */
  onStep?: (step: string) => void;
}

/** Maps backbone rows to embedding rows (a trained head); rows are row-major. */
export type EmbeddingTransform = (backbone: Float32Array, rows: number) => Float32Array;

export interface SearchHit {
  faceId: string;
  /** Cosine distance between embeddings, 1 - cos. */
  distance: number;
}

export interface LibraryTransaction {
  /**
   * Mutable arrays/objects of the documents; touching one marks it to be written when the transaction ends. Reaching
   * faces or photos so has every record compared with what disk holds when the transaction ends (at 100,000 faces,
   * tens of milliseconds): put() and remove() are the way that costs only what changed.
   */
  readonly photos: PhotoRecord[];
  readonly faces: FaceRecord[];
  /**
   * Each record takes the place of the record with its id in faces or photos, or goes last when its id is new. Only
   * the records put and removed are compared with what disk holds: a transaction that does not reach tx.faces (or
   * tx.photos) must put every record of it that it changes, in place or anew.
   */
  put<K extends JournaledName>(name: K, records: Iterable<RecordOf<K>>): void;
  /** Takes the records with these ids out of faces or photos (see put()). */
  remove(name: JournaledName, ids: Iterable<string>): void;
  readonly people: PeopleDocument;
  readonly settings: Settings;
  readonly info: LibraryInfo;
}

function defaults(backboneDim: number): DocumentMap {
  return {
    library: {
      schemaVersion: SCHEMA_VERSION,
      createdAt: new Date().toISOString(),
      backboneDim,
      embeddingDim: backboneDim,
      embedding: { kind: 'backbone' },
    },
    photos: { schemaVersion: SCHEMA_VERSION, photos: [] },
    faces: { schemaVersion: SCHEMA_VERSION, faces: [] },
    people: { schemaVersion: SCHEMA_VERSION, people: [], decisions: [], upgrades: [...ALL_UPGRADES] },
    settings: { schemaVersion: SCHEMA_VERSION, samePersonDistance: DEFAULT_SAME_PERSON_DISTANCE, analysisMaxSide: DEFAULT_ANALYSIS_MAX_SIDE },
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A library folder that cannot be made or written, in one sentence instead of the system's words (EEXIST, mkdir…). */
function folderError(dir: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') return new Error(`${dir} is a file, not a folder: choose a folder for the library.`);
  if (code === 'ENOTDIR') return new Error(`${dir} cannot be a folder: part of its path is a file. Choose a folder for the library.`);
  // ENOENT with every parent there: a folder that refuses new children (/proc), which is a refusal like /sys's EACCES.
  if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT') return new Error(`Familiar cannot write to the library folder ${dir} (permission denied).`);
  if (code === 'EROFS') return new Error(`The library folder ${dir} is on a read-only disk.`);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new Error(`The disk holding the library folder ${dir} is full.`);
  return err;
}

export class Library {
  readonly repairs: Repair[] = [];
  private docs!: { [K in DocumentName]: LibraryDocument<K> };
  private backbone!: VectorFile;
  private embedding!: VectorFile;
  private index!: VectorIndex;
  /** Faces changed since the index last followed them: it catches up when next needed (syncIndex). */
  private indexBehind = false;
  private rebuildIndexShare = REBUILD_SHARE;
  private rebuildLookupsOnEveryChange = false;
  private commitsAsBefore = false;
  private copiesAsBefore = false;
  private peopleWrittenWhole = false;
  /** OpenOptions.signal and onStep, while the library opens. */
  private openSignal: AbortSignal | undefined;
  private sayStep: (step: string) => void = () => {};
  private photoById = new Map<string, PhotoRecord>();
  private faceById = new Map<string, FaceRecord>();
  private faceByRow = new Map<number, FaceRecord>();
  private facesByPhoto = new Map<string, FaceRecord[]>();
  private copyLookup = new CopyLookup(() => this.docs.photos.data.photos);
  private queue: Promise<unknown> = Promise.resolve();
  private transform: EmbeddingTransform | null = null;
  private embeddingHeld: string | null = null;
  private closed = false;
  private changes = 0;
  /** Commits that may have changed which faces are a linked copy's (copyLinksRevision). */
  private copyLinkChanges = 0;
  private closing = false;
  /** Documents open restored from backups/ (loadDocument): writing them is replacing a damaged file. */
  private restoredFromBackup = new Set<DocumentName>();

  private constructor(
    readonly dir: string,
    readonly readOnly: boolean,
    private readonly lock: LibraryLock | null,
  ) {}

  static async open(given: string, options: OpenOptions = {}): Promise<Library> {
    // Absolute from here on: the path shown in Settings, written into messages and kept by the lock must not depend
    // on the working directory of whoever opened it (`--library lib`).
    const dir = resolve(given);
    const readOnly = options.readOnly ?? false;
    if (readOnly) {
      if (!(await exists(join(dir, 'library.json'))) && !(await exists(join(dir, 'faces.json')))) {
        throw new Error(`There is no Familiar library at ${dir}; run "familiar import <folder>" to create one.`);
      }
    } else {
      // One level at a time (ensureDir): Node's recursive mkdir spins forever under /proc, deaf to SIGTERM.
      await ensureDir(dir).catch(async (err: unknown) => {
        const isFile = await stat(dir).then((info) => !info.isDirectory(), () => false);
        throw folderError(dir, isFile ? Object.assign(new Error(`${dir} is a file`), { code: 'EEXIST' }) : err);
      });
    }
    const lock = readOnly
      ? null
      : await LibraryLock.acquire(dir).catch((err: unknown) => {
          throw folderError(dir, err);
        });
    const library = new Library(dir, readOnly, lock);
    library.rebuildIndexShare = options.rebuildIndexShare ?? REBUILD_SHARE;
    library.rebuildLookupsOnEveryChange = options.rebuildLookupsOnEveryChange ?? false;
    library.commitsAsBefore = options.commitsAsBefore ?? false;
    library.copiesAsBefore = options.copiesAsBefore ?? false;
    library.peopleWrittenWhole = options.peopleWrittenWhole ?? false;
    library.openSignal = options.signal;
    library.sayStep = options.onStep ?? (() => {});
    try {
      if (lock?.tookOverFrom) {
        const { pid, host } = lock.tookOverFrom;
        const problem = lock.copiedFrom
          ? `copied with the library from ${lock.copiedFrom}, where process ${pid} held it: it is no lock of this copy`
          : `left by process ${pid} on ${host}, which is no longer running`;
        library.repairs.push({ part: '.lock', problem, action: 'taken over' });
      }
      await library.load(options.backboneDim ?? DEFAULT_BACKBONE_DIM, options.compactWhen ?? COMPACT_WHEN, options.afterCompactionStep);
    } catch (err) {
      await lock?.release();
      throw err;
    }
    return library;
  }

  // ---------------------------------------------------------------- loading and repair

  private async load(backboneDim: number, compactWhen: typeof COMPACT_WHEN, afterCompactionStep?: CompactionContext['afterStep']): Promise<void> {
    const initial = defaults(backboneDim);
    // library.json is written last when a library is created, and backups/ and vectors/ only appear once data was
    // replaced or stored: without any of them a crash interrupted the creation and defaults lose nothing.
    const isExisting = (await Promise.all(['library.json', 'backups', VECTOR_DIR].map((p) => exists(join(this.dir, p))))).some(Boolean);
    this.docs = {
      library: new LibraryDocument(this.dir, 'library', initial.library),
      photos: new LibraryDocument(this.dir, 'photos', initial.photos, this.commitsAsBefore),
      faces: new LibraryDocument(this.dir, 'faces', initial.faces, this.commitsAsBefore),
      people: new LibraryDocument(this.dir, 'people', initial.people, this.peopleWrittenWhole),
      settings: new LibraryDocument(this.dir, 'settings', initial.settings),
    };
    const toWrite = new Set<DocumentName>();
    let indexRebuiltOnPurpose = false;
    // A stop asked for while the documents are read (faces.json of 100,000 faces takes a second or two) comes before
    // anything is written: nothing to finish.
    const stopIfAsked = () => throwIfCancelled(this.openSignal, 'open');
    for (const name of ['library', 'photos', 'faces', 'people', 'settings'] as const) {
      stopIfAsked();
      this.sayStep(`reading ${name}.json`);
      const loaded = await this.loadDocument(name, isExisting);
      if (loaded === 'write') toWrite.add(name);
    }
    stopIfAsked();
    // Settings written by an older build may lack newer keys: fill them from the defaults.
    this.docs.settings.data = { ...initial.settings, ...this.docs.settings.data };

    const info = this.docs.library.data;
    const vectorDir = join(this.dir, VECTOR_DIR);
    this.sayStep('reading the face vectors');
    const embeddingFile = await this.finishInterruptedSwitch(toWrite);
    const compaction: CompactionContext = { vectorDir, readOnly: this.readOnly, faces: this.docs.faces, repairs: this.repairs, afterStep: afterCompactionStep };
    const { files, finishing } = await finishInterruptedCompaction(compaction, { 'backbone.f32': join(vectorDir, 'backbone.f32'), 'embedding.f32': embeddingFile });
    const backbone = await VectorFile.load(files['backbone.f32'], info.backboneDim, this.readOnly);
    const embedding = await VectorFile.load(files['embedding.f32'], info.embeddingDim, this.readOnly);
    this.backbone = backbone.vectors;
    this.embedding = embedding.vectors;
    if (backbone.partialBytes || embedding.partialBytes) {
      this.repairs.push({ part: VECTOR_DIR, problem: 'a vector file ended in the middle of a row (interrupted write)', action: 'the partial row was dropped' });
    }

    await this.reconcileRawEmbedding();
    this.checkFacesAgainstVectors(toWrite);
    this.checkPhotosAgainstFaces(toWrite);
    await this.trimVectorTails();
    this.applyUpgrades(toWrite);

    if (!this.readOnly) {
      await this.removeStaleTempFiles();
      await ensureDir(join(this.dir, THUMB_DIR));
      for (const name of WRITE_ORDER) {
        if (!toWrite.has(name)) continue;
        await this.docs[name].write({ compact: true }).catch((err: unknown) => {
          if (!this.restoredFromBackup.has(name)) throw err;
          // The damaged file is still there, and the good copy in backups/ (with its journals) untouched: the next
          // open restores it again.
          const why = refusalInWords(err);
          const todo = why.startsWith('another program') ? ' (an antivirus, backup or sync tool). Close it and open the library again' : '. Open the library again once it can be written';
          throw new LibraryDamagedError(
            `${name}.json in ${this.dir} is damaged and Familiar could not replace it with the good copy in backups/${name}.json: ${why}${todo}; nothing was lost.`,
          );
        });
      }
      // The saved index holds rows by their old numbers: rebuilt below either way, and no damage to report.
      if (finishing) {
        await completeCompaction(compaction);
        await VectorIndex.discard(this.dir);
        indexRebuiltOnPurpose = true;
      } else {
        const compacted = await compactVectors(compaction, { backbone: this.backbone, embedding: this.embedding }, this.dir, compactWhen);
        if (compacted) {
          ({ backbone: this.backbone, embedding: this.embedding } = compacted);
          indexRebuiltOnPurpose = true;
        }
      }
    }
    // The repairs are written, each whole: a stop now leaves nothing half done.
    stopIfAsked();
    this.rebuildMaps();
    this.sayStep('reading the face index');
    const { index, rebuiltBecause } = await VectorIndex.open(this.dir, this.embedding, this.docs.faces.data.faces.map((f) => f.vectorRow), {
      signal: this.openSignal,
      onBuilt: (built, of) => this.sayStep(`building the face index again: ${built.toLocaleString('en')} of ${plural(of, 'face')}`),
    });
    this.index = index;
    if (rebuiltBecause && !indexRebuiltOnPurpose) {
      this.repairs.push({ part: 'index/embedding.hnsw', problem: rebuiltBecause === 'missing' ? 'missing' : rebuiltBecause, action: `rebuilt from ${plural(index.size, 'stored vector')}` });
    }
    if (rebuiltBecause && !this.readOnly) await this.saveIndexOrLeaveIt();
  }

  /**
   * Saves the index. It is a cache of the vectors, so failing to persist it is never fatal: the stale copy's meta is
   * removed, the next open rebuilds it, and the command that changed the library still succeeds. QA: a library that
   * fit its disk but not its index failed every command; on Windows, a library under a non-ASCII path (where hnswlib
   * writes no file at all) could not import or even open.
   */
  private async saveIndexOrLeaveIt(): Promise<void> {
    try {
      this.syncIndex();
      await this.index.save(this.embedding);
    } catch {
      await VectorIndex.discard(this.dir);
    }
  }

  /**
   * A model switch (replaceEmbeddings) writes a marker naming the source it switches from and to, keeps the old
   * embedding.f32 as embedding.previous.f32 (hard link), replaces embedding.f32, writes library.json, then removes
   * both. Finding the marker means it was interrupted: if library.json already names the new source the switch is
   * complete; otherwise the old embedding goes back, so embedding.f32 always holds the model library.json names.
   * Returns the file to read the embedding from (read-only opens change nothing on disk).
   */
  private async finishInterruptedSwitch(toWrite: Set<DocumentName>): Promise<string> {
    const vectorDir = join(this.dir, VECTOR_DIR);
    const file = join(vectorDir, 'embedding.f32');
    const markerFile = join(vectorDir, SWITCH_MARKER);
    const previousFile = join(vectorDir, PREVIOUS_EMBEDDING);
    const marker = await readFileIfExists(markerFile);
    if (marker === null) return file;
    let switched: { to?: unknown; settings?: unknown } = {};
    try {
      switched = JSON.parse(marker.toString('utf8')) as { to?: unknown; settings?: unknown };
    } catch {
      // A marker cut short: the switch had not started replacing anything (it is written first).
    }
    const completed = JSON.stringify(switched.to) === JSON.stringify(this.docs.library.data.embedding);
    const hasPrevious = await exists(previousFile);
    const describe = (source: unknown) => {
      const s = source as EmbeddingSource | undefined;
      return s?.kind === 'head' ? s.modelId : 'the raw backbone';
    };
    if (!completed && hasPrevious) {
      this.repairs.push({
        part: `${VECTOR_DIR}/embedding.f32`,
        problem: `a switch to ${describe(switched.to)} was interrupted before library.json recorded it`,
        action: `the embedding of ${describe(this.docs.library.data.embedding)}, still in use, was put back`,
      });
      if (this.readOnly) return previousFile;
      await renameReplacing(previousFile, file);
      await fsyncDir(vectorDir);
    } else {
      if (completed) this.finishSwitchSettings(switched.settings, describe(switched.to), toWrite);
      if (!this.readOnly) await rm(previousFile, { force: true });
    }
    if (!this.readOnly) await rm(markerFile, { force: true });
    return file;
  }

  /**
   * A completed switch's marker still there: the settings that go with the new model (replaceEmbeddings'
   * `settingsAfter`) may not have been written. Writing them again changes nothing when they were.
   */
  private finishSwitchSettings(settings: unknown, model: string, toWrite: Set<DocumentName>): void {
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return;
    const current = this.docs.settings.data as unknown as Record<string, unknown>;
    const missing = Object.entries(settings).filter(([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value));
    if (missing.length === 0) return;
    for (const [key, value] of missing) current[key] = value;
    toWrite.add('settings');
    this.repairs.push({
      part: 'settings.json',
      problem: `a switch to ${model} was interrupted before the thresholds that go with it were saved`,
      action: `the thresholds of ${model} were saved`,
    });
  }

  /**
   * Temp files of atomic writes (.<name>.<pid>.<n>.tmp) left by a process killed mid-write: with the lock held no
   * other process writes here, so each is garbage (an interrupted model switch leaves one as large as the vectors).
   * Lock temps are not ours to remove: another process may be trying to take the lock right now.
   */
  private async removeStaleTempFiles(): Promise<void> {
    for (const sub of ['', BACKUP_DIR, VECTOR_DIR, INDEX_DIR, THUMB_DIR]) {
      const dir = join(this.dir, sub);
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (STALE_TEMP.test(name) && !name.startsWith('.lock.')) await rm(join(dir, name), { force: true });
      }
    }
  }

  /** Loads one document, restoring it from its backup if needed. Returns 'write' when the main file must be rewritten. */
  private async loadDocument<K extends DocumentName>(name: K, isExisting: boolean): Promise<'ok' | 'write'> {
    const doc = this.docs[name];
    let problem: string;
    try {
      let data = await doc.readMain();
      // A reader beside a running writer may read the file just before the writer replaces it, and the journal just
      // after: once more.
      if (data !== null && this.readOnly && doc.lastReplay?.notReplayed) data = await doc.readMain();
      if (data !== null) {
        doc.data = data;
        const journal = await this.reportJournal(doc);
        // A document an older build wrote is rewritten in this version's shape, so that build refuses it from now on.
        return doc.readOlderSchema ? 'write' : journal;
      }
      problem = 'missing';
    } catch (err) {
      if (err instanceof NewerSchemaError) throw err;
      if (!(err instanceof DocumentCorruptError)) throw err;
      problem = err.detail;
    }
    if (!isExisting) return 'write'; // a new library: start from the defaults
    let backupProblem: string;
    try {
      const backup = await doc.readBackup();
      if (backup !== null) {
        doc.data = backup;
        // The damaged file is moved out of the way before the rewrite below, which would otherwise keep it as the
        // backup over the good copy: one more problem would then leave nothing to restore from.
        const setAside =
          problem === 'missing' || this.readOnly
            ? ''
            : await doc.setAsideDamaged().then(
                ({ file, notMoved }) =>
                  notMoved !== undefined
                    ? `the damaged file could not be moved (${refusalInWords(notMoved)}), so a copy of it was set aside in backups/${file}; `
                    : `the damaged file was set aside in backups/${file}; `,
                (err: Error) => `the damaged file could not be set aside (${refusalInWords(err)}) and is replaced; `,
              );
        this.restoredFromBackup.add(name);
        this.repairs.push({ part: `${name}.json`, problem, action: `${setAside}restored from the last good copy in backups/${name}.json` });
        if (doc.lastReplay?.notReplayed) await this.reportNotReplayed(doc, `the copy in backups/${name}.json`);
        return 'write';
      }
      backupProblem = 'there is no backup';
    } catch (err) {
      if (err instanceof NewerSchemaError) throw err;
      backupProblem = `its backup is damaged too (${err instanceof DocumentCorruptError ? err.detail : (err as Error).message})`;
    }
    if (PRECIOUS.includes(name)) {
      throw new LibraryDamagedError(
        `${name}.json in ${this.dir} is ${problem === 'missing' ? 'missing' : `damaged (${problem})`} and ${backupProblem}; ` +
          'Familiar will not start an empty one over your data — restore the file from a backup of your own, or move the library away to start afresh.',
      );
    }
    this.repairs.push({ part: `${name}.json`, problem: `${problem}, and ${backupProblem}`, action: 'recreated with default values' });
    return 'write';
  }

  /**
   * faces.journal (photos.journal) holds what the transactions of a session that did not close normally changed
   * (close merges it into faces.json): it was replayed on reading, and is merged now. A damaged line stops the replay
   * there. A journal that does not go over the file beside it was not replayed, and is set aside.
   */
  private async reportJournal<K extends DocumentName>(doc: LibraryDocument<K>): Promise<'ok' | 'write'> {
    const replay = doc.lastReplay;
    if (!replay) return 'ok';
    const { name } = doc;
    if (replay.notReplayed) return this.reportNotReplayed(doc, `${name}.json`);
    if (replay.damaged) {
      const { line, lines, detail } = replay.damaged;
      this.repairs.push({
        part: `${name}.journal`,
        problem: `change ${line} of ${lines} is damaged (${detail})`,
        action: `${plural(line - 1, 'change before it was', 'changes before it were')} merged into ${name}.json; ${lines - line + 1} from it on could not be read and were set aside in backups/${name}.journal`,
      });
      return 'write';
    }
    // A line cut short is dropped silently (that commit never completed), but must not stay: the next line would follow it.
    if (replay.applied === 0) return replay.torn ? 'write' : 'ok';
    // A reader beside a running writer (the CLI while the app is open) sees its journal: nothing to report.
    if (this.readOnly) {
      const lock = await readLock(this.dir);
      if (lock.state === 'held' && lock.alive !== false) return 'ok';
    }
    this.repairs.push({
      part: `${name}.journal`,
      problem: `${plural(replay.applied, 'change')} not yet merged into ${name}.json (Familiar did not close normally)`,
      action: `merged into ${name}.json; nothing was lost`,
    });
    return 'write';
  }

  /**
   * A journal that does not go over `over` (the file read, or the backup restored) was not replayed: replaying an
   * earlier version's lines over a later one brings back what the later one changed or removed. It is set aside in
   * backups/ under a name of its own, and said so.
   */
  private async reportNotReplayed<K extends DocumentName>(doc: LibraryDocument<K>, over: string): Promise<'ok' | 'write'> {
    const { why, changes, detail } = doc.lastReplay!.notReplayed!;
    const part = `${doc.name}.journal`;
    const problem =
      why === 'damaged'
        ? `its first line, which says which ${doc.name}.json it goes with, is damaged (${detail})`
        : why === 'older'
          ? `it held ${plural(changes, 'change')} made before ${over} was last written whole (Familiar stopped, or could not delete the journal, right after)`
          : `it held ${plural(changes, 'change')} to another version of ${doc.name}.json than ${over}`;
    const outcome =
      why === 'damaged'
        ? `its ${plural(changes, 'change was', 'changes were')} not replayed`
        : why === 'older'
          ? `not replayed: ${over} already holds those changes or later ones`
          : `not replayed: they do not go over ${over}`;
    if (this.readOnly) {
      // The writer running may be between writing the file whole and deleting the journal.
      const lock = await readLock(this.dir);
      if (lock.state === 'held' && lock.alive !== false) return 'ok';
      this.repairs.push({ part, problem, action: `${outcome}; a writable open sets it aside in backups/` });
      return 'ok';
    }
    const where = await doc.setAsideJournal().then(
      (file) => `set aside in backups/${file}`,
      (err: Error) => `it could not be set aside (${err.message}) and stays where it is, never replayed`,
    );
    this.repairs.push({ part, problem, action: `${outcome}; ${where}` });
    return 'write';
  }

  /**
   * With no head in use a face's embedding is its backbone descriptor, bit for bit, so either vector file restores
   * the other: a file cut short (damage, an old copy) must not cost the faces past its end and the user's decisions
   * on them. Rows that differ mean an embedding from another model (a model switch killed between writing
   * embedding.f32 and library.json) or damage: the backbone, the raw truth, wins.
   */
  private async reconcileRawEmbedding(): Promise<void> {
    const info = this.docs.library.data;
    if (info.embedding.kind !== 'backbone' || info.embeddingDim !== info.backboneDim) return;
    const dim = info.backboneDim;
    const backboneRows = this.backbone.rows;
    const embeddingRows = this.embedding.rows;
    // Only rows faces reference matter: extra rows at a tail are an interrupted append, trimmed afterwards.
    const referenced = this.docs.faces.data.faces.reduce((max, f) => Math.max(max, f.vectorRow + 1), 0);
    const common = Math.min(backboneRows, embeddingRows, referenced) * dim;
    const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    if (Buffer.compare(bytes(this.backbone.all().subarray(0, common)), bytes(this.embedding.all().subarray(0, common))) !== 0) {
      await this.embedding.overwrite(Float32Array.from(this.backbone.all()));
      this.repairs.push({
        part: `${VECTOR_DIR}/embedding.f32`,
        problem: 'it did not match the raw backbone vectors that library.json says are in use (an interrupted model switch, or damage)',
        action: `rewritten from ${VECTOR_DIR}/backbone.f32`,
      });
    } else if (embeddingRows < referenced && backboneRows > embeddingRows) {
      await this.embedding.overwrite(Float32Array.from(this.backbone.all()));
      this.repairs.push({
        part: `${VECTOR_DIR}/embedding.f32`,
        problem: `it held ${plural(embeddingRows, 'row')}, backbone.f32 ${backboneRows}`,
        action: `the missing rows were restored from ${VECTOR_DIR}/backbone.f32`,
      });
    } else if (backboneRows < referenced && embeddingRows > backboneRows) {
      await this.backbone.overwrite(Float32Array.from(this.embedding.all()));
      this.repairs.push({
        part: `${VECTOR_DIR}/backbone.f32`,
        problem: `it held ${plural(backboneRows, 'row')}, embedding.f32 ${embeddingRows}`,
        action: `the missing rows were restored from ${VECTOR_DIR}/embedding.f32 (no head in use: they are the same vectors)`,
      });
    }
  }

  /** Faces pointing past the stored vectors (or duplicated) are dropped; their photos are marked for re-analysis. */
  private checkFacesAgainstVectors(toWrite: Set<DocumentName>): void {
    const rows = Math.min(this.backbone.rows, this.embedding.rows);
    const photos = new Map(this.docs.photos.data.photos.map((p) => [p.id, p]));
    const seenIds = new Set<string>();
    const seenRows = new Set<number>();
    const kept: FaceRecord[] = [];
    let pastEnd = 0;
    let duplicates = 0;
    let orphans = 0;
    const recovered = new Map<string, PhotoRecord>();
    const reanalyse = new Set<string>();
    /** What the user said about dropped faces, by photo: handed back when the photo is analysed again. */
    const lost = new Map<string, LostFace[]>();
    for (const face of this.docs.faces.data.faces) {
      if (face.vectorRow >= rows) {
        pastEnd++;
        reanalyse.add(face.photoId);
        if (face.assignedBy === 'user' || face.rejectedPersonIds.length > 0) {
          const { id, box, personId, assignedBy, rejectedPersonIds, notAFace } = face;
          lost.set(face.photoId, [...(lost.get(face.photoId) ?? []), { id, box, personId, assignedBy, rejectedPersonIds, ...(notAFace && { notAFace }) }]);
        }
        continue;
      }
      if (seenIds.has(face.id) || seenRows.has(face.vectorRow)) {
        duplicates++;
        continue;
      }
      if (!photos.has(face.photoId)) {
        if (!/^[0-9a-f]{64}$/.test(face.photoId)) {
          orphans++;
          continue;
        }
        // photos.json came back from its backup, a write behind faces.json: the face is kept with its name, under a
        // stand-in for its photo that the next import of its folder recognises by content and fills in.
        let standIn = recovered.get(face.photoId);
        if (!standIn) {
          standIn = standInPhoto(face.photoId);
          recovered.set(face.photoId, standIn);
          photos.set(face.photoId, standIn);
        }
        growToHold(standIn, face);
      }
      seenIds.add(face.id);
      seenRows.add(face.vectorRow);
      kept.push(face);
    }
    if (recovered.size) {
      this.docs.photos.data.photos.push(...recovered.values());
      toWrite.add('photos');
      const faces = kept.filter((f) => recovered.has(f.photoId));
      const named = faces.filter((f) => f.assignedBy === 'user').length;
      this.repairs.push({
        part: 'photos.json',
        problem: `it did not list ${plural(recovered.size, 'photo')} that ${plural(faces.length, 'face belongs', 'faces belong')} to (restored from a copy made before the last import step)`,
        action:
          `kept the faces${named ? `, ${named} of them named by you,` : ''} under stand-ins marked missing; ` +
          'importing their folder again finds the photos by content, keeping every name',
      });
    }
    if (pastEnd + duplicates + orphans === 0) {
      if (recovered.size) this.docs.faces.data.faces = kept;
      return;
    }
    this.docs.faces.data.faces = kept;
    toWrite.add('faces');
    let keptDecisions = 0;
    for (const id of reanalyse) {
      const photo = photos.get(id);
      if (!photo) continue;
      photo.analysis = null;
      const faces = lost.get(id);
      if (faces) {
        const known = new Set((photo.lostFaces ?? []).map((f) => f.id));
        photo.lostFaces = [...(photo.lostFaces ?? []), ...faces.filter((f) => !known.has(f.id))];
        keptDecisions += faces.length;
      }
    }
    if (reanalyse.size) toWrite.add('photos');
    const parts = [
      pastEnd ? `${plural(pastEnd, 'face')} pointed past the ${plural(rows, 'stored vector')}` : '',
      duplicates ? `${plural(duplicates, 'face was', 'faces were')} stored twice` : '',
      orphans ? `${plural(orphans, 'face')} belonged to no known photo` : '',
    ].filter(Boolean);
    this.repairs.push({
      part: 'faces.json',
      problem: parts.join('; '),
      action:
        `dropped ${pastEnd + duplicates + orphans === 1 ? 'it' : 'them'}${reanalyse.size ? `; ${plural(reanalyse.size, 'photo')} will be analysed again on the next import` : ''}` +
        `${keptDecisions ? `, and what you said about ${keptDecisions} of those faces (names, confirmations, rejections) comes back with them` : ''}`,
    });
  }

  /** One-time upgrades of what older builds wrote (upgrades.ts), each recorded in people.json once done. */
  private applyUpgrades(toWrite: Set<DocumentName>): void {
    const { people, faces, photos } = this.docs;
    const vectors = judgingSpaces(this).map((space) => ({ embeddingOf: (face: FaceRecord) => space.vectorOf(face), sameDistance: space.sameDistance }));
    for (const name of applyUpgrades(people.data, faces.data.faces, photos.data.photos, vectors)) toWrite.add(name);
  }

  /** photo.faceIds is derived from faces.json; a photo whose list disagrees is analysed again (faces keep ids by IoU). */
  private checkPhotosAgainstFaces(toWrite: Set<DocumentName>): void {
    const byPhoto = new Map<string, string[]>();
    for (const face of this.docs.faces.data.faces) {
      const list = byPhoto.get(face.photoId) ?? [];
      list.push(face.id);
      byPhoto.set(face.photoId, list);
    }
    let mismatched = 0;
    for (const photo of this.docs.photos.data.photos) {
      const actual = byPhoto.get(photo.id) ?? [];
      const listed = photo.faceIds;
      const same = actual.length === listed.length && actual.every((id) => listed.includes(id));
      if (same) continue;
      photo.faceIds = actual;
      if (photo.analysis) {
        photo.analysis = null;
        mismatched++;
      }
      toWrite.add('photos');
    }
    if (mismatched) {
      this.repairs.push({
        part: 'photos.json',
        problem: `${plural(mismatched, 'photo')} listed faces that faces.json does not hold (an interrupted write)`,
        action: 'marked for analysis again on the next import; existing faces keep their ids and labels',
      });
    }
  }

  /** Rows past the last one a face references were appended by an interrupted batch: trimmed so both files agree. */
  private async trimVectorTails(): Promise<void> {
    const referenced = this.docs.faces.data.faces.reduce((max, f) => Math.max(max, f.vectorRow + 1), 0);
    const extra = Math.max(this.backbone.rows, this.embedding.rows) - referenced;
    await this.backbone.truncateTo(referenced);
    await this.embedding.truncateTo(referenced);
    if (extra > 0) {
      this.repairs.push({ part: VECTOR_DIR, problem: `${plural(extra, 'vector row')} at the end ${extra === 1 ? 'was' : 'were'} written by an interrupted import and never referenced`, action: 'ignored and trimmed' });
    }
  }

  private rebuildMaps(): void {
    this.rebuildPhotoMap();
    this.rebuildFaceMaps();
  }

  private rebuildPhotoMap(): void {
    this.photoById = new Map(this.docs.photos.data.photos.map((p) => [p.id, p]));
    this.copyLookup.invalidate();
    this.copyLinkChanges++;
  }

  private rebuildFaceMaps(): void {
    this.faceById = new Map();
    this.faceByRow = new Map();
    this.facesByPhoto = new Map();
    for (const face of this.docs.faces.data.faces) {
      this.faceById.set(face.id, face);
      this.faceByRow.set(face.vectorRow, face);
      const list = this.facesByPhoto.get(face.photoId);
      if (list) list.push(face);
      else this.facesByPhoto.set(face.photoId, [face]);
    }
  }

  /**
   * Brings photoById to the photos after a transaction that touched them, without building it again: a look-again
   * commits 32 photos at a time, and building it anew took ~50 ms at 100,000 photos, each batch. `appended`: what the
   * transaction appended to photos.journal (only those photos are looked at); else every photo is. False (build it
   * again) when what is left does not add up: an id repeats, or one went that the walk cannot see.
   */
  private followPhotos(appended: AppendedRecords<PhotoRecord> | null): boolean {
    const photos = this.docs.photos.data.photos;
    const byId = this.photoById;
    if (appended) {
      // What the journal line says changed: the photos put, the ids removed (unless put again).
      for (const id of appended.remove) byId.delete(id);
      for (const photo of appended.put) byId.set(photo.id, photo);
    } else {
      for (const photo of photos) if (byId.get(photo.id) !== photo) byId.set(photo.id, photo);
    }
    // Every photo is under its id; as many ids as photos, so none is left of a photo gone.
    return byId.size === photos.length;
  }

  /**
   * Follows in the lookups by id, row and photo what a transaction appended to faces.journal, instead of building
   * them again from every face (~120 ms at 100,000 faces, after each batch a look-again commits). The result is what
   * rebuildFaceMaps gives: each photo's faces in the document's order. False (build them again) for what it does not
   * follow: a face moved to another photo or given another id in place, or ids or rows that repeat.
   */
  private followFaces(change: AppendedFaces): boolean {
    const { faceById, faceByRow, facesByPhoto } = this;
    // Records leaving the lookups, with the keys they are under there.
    const leaving = new Map<FaceRecord, FaceKeys>();
    const leave = (face: FaceRecord): boolean => {
      const keys = change.keysBefore(face);
      if (!keys) return false;
      leaving.set(face, keys);
      return true;
    };
    for (const id of change.remove) {
      const face = faceById.get(id);
      if (face && !leave(face)) return false;
    }
    // Records put in another's place (the same id, so the same place in the document) take its place in its photo's list.
    const replacing = new Map<FaceRecord, FaceRecord>();
    const added: FaceRecord[] = [];
    const moved: FaceRecord[] = [];
    for (const face of change.put) {
      const previous = faceById.get(face.id);
      if (previous === face) {
        // Changed in place: only a new vector row is followed.
        const keys = change.keysBefore(face);
        if (!keys || keys.id !== face.id || keys.photoId !== face.photoId) return false;
        if (keys.vectorRow !== face.vectorRow) moved.push(face);
        continue;
      }
      if (previous === undefined) {
        // A new id: the document holds it after every face kept (FacesJournal.diff), so it ends its photo's list.
        added.push(face);
        continue;
      }
      if (!leave(previous) || leaving.get(previous)!.photoId !== face.photoId) return false;
      replacing.set(previous, face);
    }
    for (const face of moved) {
      const before = change.keysBefore(face)!.vectorRow;
      if (faceByRow.get(before) === face) faceByRow.delete(before);
    }
    for (const [face, keys] of leaving) {
      if (faceById.get(keys.id) === face) faceById.delete(keys.id);
      if (faceByRow.get(keys.vectorRow) === face) faceByRow.delete(keys.vectorRow);
      const list = facesByPhoto.get(keys.photoId);
      const at = list ? list.indexOf(face) : -1;
      if (!list || at < 0) return false;
      const next = replacing.get(face);
      if (next) list[at] = next;
      else if (list.length === 1) facesByPhoto.delete(keys.photoId);
      else list.splice(at, 1);
    }
    for (const face of replacing.values()) faceById.set(face.id, face);
    for (const face of added) {
      if (faceById.has(face.id)) return false;
      faceById.set(face.id, face);
      const list = facesByPhoto.get(face.photoId);
      if (list) list.push(face);
      else facesByPhoto.set(face.photoId, [face]);
    }
    for (const face of [...replacing.values(), ...added, ...moved]) {
      if (faceByRow.has(face.vectorRow)) return false;
      faceByRow.set(face.vectorRow, face);
    }
    // Every face under its id and its row, as many of each as faces: nothing left of a face gone, no id or row twice.
    const faces = this.docs.faces.data.faces.length;
    return faceById.size === faces && faceByRow.size === faces;
  }

  // ---------------------------------------------------------------- reading

  get info(): Readonly<LibraryInfo> {
    return this.docs.library.data;
  }
  /** Grows with every transaction and embedding switch: the key for caches of views derived from the library. */
  get revision(): number {
    return this.changes;
  }
  get photos(): readonly PhotoRecord[] {
    return this.docs.photos.data.photos;
  }
  get faces(): readonly FaceRecord[] {
    return this.docs.faces.data.faces;
  }
  /** How many times the vector files were compacted (rows renumbered): a row number means its vector only within one. */
  get vectorGeneration(): number {
    return this.docs.faces.data.vectorGeneration ?? 0;
  }
  get people(): Readonly<PeopleDocument> {
    return this.docs.people.data;
  }
  get settings(): Readonly<Settings> {
    return this.docs.settings.data;
  }
  photo(id: string): PhotoRecord | undefined {
    return this.photoById.get(id);
  }
  face(id: string): FaceRecord | undefined {
    return this.faceById.get(id);
  }
  faceAtRow(row: number): FaceRecord | undefined {
    return this.faceByRow.get(row);
  }
  facesOfPhoto(photoId: string): readonly FaceRecord[] {
    return this.facesByPhoto.get(photoId) ?? [];
  }
  /** The photos linked as copies of this one (PhotoRecord.copyOf), as the transaction running has left them too. */
  copiesOf(photoId: string): PhotoRecord[] {
    if (this.copiesAsBefore) return this.photos.filter((p) => p.copyOf?.photoId === photoId);
    return this.copyLookup.copiesOf(photoId);
  }
  /**
   * Grows with every commit that may have changed which faces are a linked copy's (PhotoRecord.copyOf, originalFaceOf):
   * photos put, taken out or reached, faces taken out or added. A decision that only changes faces leaves it, so what
   * reads every link (copies()) reads them again only then.
   */
  get copyLinksRevision(): number {
    return this.copyLinkChanges;
  }
  /** Every photo linked as a copy of another (PhotoRecord.copyOf): what reads every link costs their number, not the photos'. */
  copies(): PhotoRecord[] {
    if (this.copiesAsBefore) return this.photos.filter((p) => p.copyOf);
    return this.copyLookup.all();
  }
  /** Whether any photo is linked as a copy of another. */
  get hasCopies(): boolean {
    if (this.copiesAsBefore) return this.photos.some((p) => p.copyOf);
    return this.copyLookup.copies > 0;
  }
  /** Raw backbone descriptor of a face (view; copy it to keep it). */
  backboneOf(face: FaceRecord): Float32Array {
    return this.backbone.row(face.vectorRow);
  }
  /** The embedding in use for a face (view; copy it to keep it). */
  embeddingOf(face: FaceRecord): Float32Array {
    return this.embedding.row(face.vectorRow);
  }
  get vectorRows(): number {
    return this.embedding.rows;
  }
  /** All backbone rows, row-major (view): what a head is trained on. */
  allBackboneRows(): Float32Array {
    return this.backbone.all();
  }
  get indexSize(): number {
    this.syncIndex();
    return this.index.size;
  }
  indexHas(row: number): boolean {
    this.syncIndex();
    return this.index.has(row);
  }

  /** The k faces whose embedding is nearest `vector` (cosine), nearest first. */
  search(vector: Float32Array, k: number, filter?: (face: FaceRecord) => boolean): SearchHit[] {
    const rowFilter = filter ? (row: number) => { const f = this.faceByRow.get(row); return f !== undefined && filter(f); } : undefined;
    let hits: IndexHit[];
    try {
      this.syncIndex();
      hits = this.index.search(vector, k, rowFilter);
    } catch {
      // hnswlib throws when a filter leaves fewer than k candidates it can reach, and an index that cannot catch up
      // (a vector row unreadable) tries again at the next call: answer exactly instead.
      hits = this.exactSearch(vector, k, rowFilter);
    }
    return hits
      .map((hit: IndexHit) => ({ faceId: this.faceByRow.get(hit.row)?.id, distance: hit.distance }))
      .filter((hit): hit is SearchHit => hit.faceId !== undefined);
  }

  /** Brute-force cosine search over the faces' embedding rows (the fallback of search()). */
  private exactSearch(vector: Float32Array, k: number, filter?: (row: number) => boolean): IndexHit[] {
    const norm = Math.hypot(...vector) || 1;
    const hits: IndexHit[] = [];
    for (const row of this.faceByRow.keys()) {
      if (filter && !filter(row)) continue;
      const v = this.embedding.row(row);
      let dot = 0;
      let vv = 0;
      for (let i = 0; i < v.length; i++) {
        dot += v[i] * vector[i];
        vv += v[i] * v[i];
      }
      hits.push({ row, distance: 1 - dot / (norm * (Math.sqrt(vv) || 1)) });
    }
    return hits.sort((a, b) => a.distance - b.distance).slice(0, k);
  }

  async lockState(): Promise<LockState> {
    return readLock(this.dir);
  }

  // ---------------------------------------------------------------- writing

  /**
   * Runs `fn` on the documents, then writes the ones it touched (atomically, in WRITE_ORDER) and updates the index.
   * Transactions run one at a time. If a write fails (disk full, read-only folder), the documents already written
   * get their previous version back, the in-memory documents are reloaded from disk — which then holds the
   * previous state — and the error is rethrown.
   */
  transaction<R>(fn: (tx: LibraryTransaction) => R | Promise<R>): Promise<R> {
    const run = async (): Promise<R> => {
      this.assertWritable();
      /** Documents reached whole. */
      const touched = new Set<DocumentName>();
      /** Documents only put in and taken from: their records said are compared, not every one. */
      const said = new Set<JournaledName>();
      /**
       * Documents whose list this transaction changed in shape (a record taken out, added or replaced by another): the
       * lookups by id no longer say where a record is in it.
       */
      const reshaped = new Set<JournaledName>();
      const docs = this.docs;
      const lookups = { faces: this.faceById, photos: this.photoById } as const;
      const copyLookup = this.copyLookup;
      /** The photos put: the copy lookup reads their links again once the transaction is done, in case they changed since. */
      const photosPut: PhotoRecord[] = [];
      const tx: LibraryTransaction = {
        get photos() { touched.add('photos'); copyLookup.invalidate(); return docs.photos.data.photos; },
        get faces() { touched.add('faces'); return docs.faces.data.faces; },
        get people() { touched.add('people'); return docs.people.data; },
        get settings() { touched.add('settings'); return docs.settings.data; },
        get info() { touched.add('library'); return docs.library.data; },
        put(name, records) {
          said.add(name);
          if (name === 'photos') {
            const photos = [...(records as Iterable<PhotoRecord>)];
            copyLookup.follow(photos);
            for (const photo of photos) photosPut.push(photo);
            records = photos as Iterable<RecordOf<typeof name>>;
          }
          if (touched.has(name)) docs[name].reached();
          // A record the lookups hold under its id is in the list already, where it was (a decision's faces, changed
          // in place): no need to find its place, which costs building a map of every id the first time.
          const lookup = lookups[name] as Map<string, RecordOf<typeof name>>;
          const inPlace = touched.has(name) || reshaped.has(name) ? undefined : (record: RecordOf<typeof name>) => lookup.get(record.id) === record;
          if (!(docs[name] as LibraryDocument<typeof name>).put(records, inPlace)) reshaped.add(name);
        },
        remove(name, ids) {
          said.add(name);
          reshaped.add(name);
          if (touched.has(name)) docs[name].reached();
          const list = [...ids];
          if (name === 'photos') copyLookup.forget(list);
          docs[name].remove(list);
        },
      };
      let result: R;
      const written: DocumentName[] = [];
      try {
        result = await fn(tx);
        for (const name of WRITE_ORDER) {
          const onlySaid = !touched.has(name) && said.has(name as JournaledName);
          if (!touched.has(name) && !onlySaid) continue;
          await this.docs[name].write({ onlySaid });
          written.push(name);
        }
      } catch (err) {
        // All or nothing: documents this transaction already replaced get their previous version back, so a
        // failure half-way (disk full at people.json after faces.json) never leaves faces naming a missing person.
        for (const name of written.reverse()) await this.docs[name].restorePrevious().catch(() => {});
        for (const name of said) this.docs[name].forgetSaid();
        await this.reloadFromDisk([...new Set<DocumentName>([...touched, ...said])]);
        this.changes++;
        throw err;
      }
      // A decision changes values of faces in place: the lookups by id, photo and row still hold. Other changes are
      // followed in them, face by face, where the journal says what changed.
      const faces = touched.has('faces') || said.has('faces') ? this.docs.faces.lastChange : 'none';
      const photos = touched.has('photos') || said.has('photos') ? this.docs.photos.lastChange : 'none';
      if (photos !== 'none' || faces === 'structure') this.copyLinkChanges++;
      if (this.rebuildLookupsOnEveryChange) {
        if (photos !== 'none' || faces === 'structure') this.rebuildMaps();
      } else {
        // Photos changed in place ('values') are still under their ids.
        if (photos === 'structure' && !this.followPhotos(this.docs.photos.lastAppend)) this.rebuildPhotoMap();
        if (faces === 'structure') {
          const appended = this.docs.faces.lastAppend;
          if (!appended || !this.followFaces(appended)) this.rebuildFaceMaps();
        }
      }
      if (faces === 'structure') this.indexBehind = true;
      if (touched.has('photos')) this.copyLookup.invalidate();
      else this.copyLookup.follow(photosPut.filter((photo) => this.photoById.get(photo.id) === photo));
      this.changes++;
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  private async reloadFromDisk(names: DocumentName[]): Promise<void> {
    for (const name of names) {
      const data = await this.docs[name].readMain().catch(() => null);
      if (data) (this.docs[name] as LibraryDocument<DocumentName>).data = data;
    }
    this.rebuildMaps();
    this.indexBehind = true;
  }

  /**
   * Brings the index to the embedding rows of the current faces, when it is next needed (a search, a save, rows given
   * back) rather than after every transaction: a look-again commits its faces a batch at a time, and the index then
   * takes them all in at once, built again in one pass instead of each point put in a deleted one's place (minutes at
   * 100,000 faces; bench:store). The saved index is untouched until save(), and open checks it against the faces.
   */
  private syncIndex(): void {
    if (!this.indexBehind) return;
    this.index.follow(this.docs.faces.data.faces.map((f) => f.vectorRow), this.embedding, this.rebuildIndexShare);
    this.indexBehind = false;
  }

  /**
   * Appends backbone descriptors (and their embeddings in use) durably; returns their rows. Call before the
   * transaction that stores the faces referencing them; rows nobody references are trimmed on the next open.
   */
  async appendVectors(descriptors: Float32Array[]): Promise<number[]> {
    this.assertWritable();
    if (descriptors.length === 0) return [];
    const dim = this.backbone.dim;
    const packed = new Float32Array(descriptors.length * dim);
    descriptors.forEach((d, i) => {
      if (d.length !== dim) throw new RangeError(`A descriptor has ${d.length} values; this library stores ${dim}.`);
      packed.set(d, i * dim);
    });
    // Serialised with transactions so rows are never interleaved between two writers; embedded in the queue too, by the
    // model in use when the rows are written: a switch queued before them re-embeds only the rows already there.
    const run = async () => {
      if (this.embeddingHeld) throw new EmbeddingUnavailableError(this.embeddingHeld);
      const embedded = this.transform ? this.transform(packed, descriptors.length) : packed;
      if (embedded.length !== descriptors.length * this.embedding.dim) {
        throw new RangeError(`The embedding transform returned ${embedded.length} values for ${descriptors.length} rows of ${this.embedding.dim}.`);
      }
      const first = await this.backbone.append(packed);
      const firstEmbedding = await this.embedding.append(embedded);
      if (first !== firstEmbedding) throw new Error(`The vector files disagree (${first} vs ${firstEmbedding} rows); reopen the library to repair them.`);
      return descriptors.map((_, i) => first + i);
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  /**
   * Gives back the vector rows of faces that are gone (a folder removed), where they end the files: the files are cut
   * before the first of them that has only such rows after it. Rows another writer appended meanwhile are not in
   * `rows`, so they stop the cut. Rows in the middle stay, unreferenced, until an open compacts them
   * (main/store/compaction.ts). Returns how many rows were cut.
   */
  releaseRows(rows: ReadonlySet<number>): Promise<number> {
    const run = async () => {
      this.assertWritable();
      // The index lets go of these rows first: a new face given one of them must not find the old vector there.
      this.syncIndex();
      const end = Math.min(this.backbone.rows, this.embedding.rows);
      let cut = end;
      while (cut > 0 && rows.has(cut - 1) && !this.faceByRow.has(cut - 1)) cut--;
      if (cut === end) return 0;
      // Below them, rows an earlier removal left in the middle now end the files: given back too. Kept, the next open
      // trimmed them as an interrupted import's and said the library needed repair (QA: a subfolder removed, then its
      // folder). Rows appended meanwhile lie above these, so the cut has stopped at them already.
      while (cut > 0 && !this.faceByRow.has(cut - 1)) cut--;
      await this.backbone.truncateTo(cut);
      await this.embedding.truncateTo(cut);
      return end - cut;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  /**
   * How new faces' embeddings are computed from their backbone descriptors (null = identity: embedding = backbone).
   * `unavailable`: why they cannot be computed now (the head in use could not be loaded), the sentence appendVectors
   * refuses with until a model switch (replaceEmbeddings) mends it; the faces stored keep working meanwhile.
   */
  setEmbeddingTransform(transform: EmbeddingTransform | null, unavailable: string | null = null): void {
    this.transform = transform;
    this.embeddingHeld = unavailable;
  }

  /** Why new faces cannot be embedded now (setEmbeddingTransform's `unavailable`), or null. */
  get embeddingUnavailable(): string | null {
    return this.embeddingHeld;
  }

  /**
   * Replaces the embedding in use for every row (a head was adopted or dropped): writes embedding.f32 atomically,
   * records the source in library.json and rebuilds the index. `transform` null = back to the raw backbone.
   * `settingsAfter`: the settings that go with the new model (its thresholds), written once library.json names it; the
   * switch marker holds them until then, so a crash in between cannot leave the new model with the old thresholds.
   */
  replaceEmbeddings(source: EmbeddingSource, dim: number, transform: EmbeddingTransform | null, settingsAfter: Partial<Settings> = {}): Promise<void> {
    const run = async () => {
      this.assertWritable();
      const rows = this.backbone.rows;
      const all = this.backbone.all();
      const next = transform ? transform(all, rows) : new Float32Array(all);
      if (next.length !== rows * dim) throw new RangeError(`The embedding transform returned ${next.length} values for ${rows} rows of ${dim}.`);
      await this.index.invalidate();
      // Crash-safe switch (see finishInterruptedSwitch): marker, old file kept, new file, library.json, clean-up.
      const vectorDir = join(this.dir, VECTOR_DIR);
      const file = join(vectorDir, 'embedding.f32');
      const markerFile = join(vectorDir, SWITCH_MARKER);
      const previousFile = join(vectorDir, PREVIOUS_EMBEDDING);
      const info = this.docs.library.data;
      const previous = { embeddingDim: info.embeddingDim, embedding: info.embedding };
      await ensureDir(vectorDir);
      await rm(previousFile, { force: true });
      await writeFileAtomic(markerFile, JSON.stringify({ from: info.embedding, to: source, settings: settingsAfter, at: new Date().toISOString() }));
      const keptPrevious = await linkOrCopy(file, previousFile); // false: no embedding yet, nothing to put back
      const undo = async () => {
        Object.assign(info, previous);
        if (keptPrevious) await renameReplacing(previousFile, file).catch(() => {});
        await rm(markerFile, { force: true }).catch(() => {});
      };
      let vectors: VectorFile;
      try {
        vectors = await VectorFile.replace(file, dim, next);
        info.embeddingDim = dim;
        info.embedding = source;
        await this.docs.library.write();
      } catch (err) {
        await undo();
        throw err;
      }
      this.embedding = vectors;
      this.transform = transform;
      this.embeddingHeld = null;
      // The switch is made. A failure from here on leaves the marker, and the next open writes these settings.
      if (Object.keys(settingsAfter).length > 0) {
        Object.assign(this.docs.settings.data, settingsAfter);
        this.changes++;
        await this.docs.settings.write();
      }
      await rm(markerFile, { force: true });
      await rm(previousFile, { force: true });
      this.index = VectorIndex.build(join(this.dir, 'index'), this.embedding, this.docs.faces.data.faces.map((f) => f.vectorRow));
      this.indexBehind = false;
      this.changes++;
      await this.saveIndexOrLeaveIt();
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Persists the index if it changed (done on close; jobs call it at their end). */
  saveIndex(): Promise<void> {
    const run = async () => {
      if (!this.readOnly) await this.saveIndexOrLeaveIt();
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Deletes thumbnails no face references any more (after re-analysis dropped faces). */
  async removeThumbs(faceIds: string[]): Promise<void> {
    this.assertWritable();
    for (const id of faceIds) if (!this.faceById.has(id)) await rm(join(this.dir, THUMB_DIR, `${id}.webp`), { force: true });
  }

  async thumbCount(): Promise<number> {
    return (await readdir(join(this.dir, THUMB_DIR)).catch(() => [])).filter((f) => f.endsWith('.webp')).length;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    try {
      await this.queue; // let queued writes finish first
      this.closed = true;
      if (!this.readOnly) {
        // If this fails (disk full), the journal still holds every change and the next open merges it.
        await this.docs.faces.compact().catch(() => {});
        await this.docs.photos.compact().catch(() => {});
        await this.docs.people.compact().catch(() => {});
        await this.saveIndexOrLeaveIt();
      }
    } finally {
      this.closed = true;
      await this.lock?.release();
    }
  }

  private assertWritable(): void {
    if (this.readOnly) throw new ReadOnlyLibraryError();
    if (this.closed) throw new Error('The library is closed.');
  }
}

/**
 * A photo record for faces whose photo photos.json lost: missing (no known path) and not analysed, so the import
 * that meets its content again analyses it, and its faces keep their ids and names by overlap.
 */
function standInPhoto(id: string): PhotoRecord {
  return { id, paths: [], missing: true, width: 1, height: 1, orientation: 1, takenAt: null, bytes: 0, format: 'unknown', analysis: null, faceIds: [] };
}

/** The photo is at least as large as its faces reach: its true size comes back with the next import. */
function growToHold(photo: PhotoRecord, face: FaceRecord): void {
  const [x, y, w, h] = face.box;
  photo.width = Math.max(photo.width, Math.ceil(x + w));
  photo.height = Math.max(photo.height, Math.ceil(y + h));
}
