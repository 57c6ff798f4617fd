// The headless engine: one open library plus the services that work on it (import now; people, embedder,
// autoencoder and the server build on the same object). The CLI, the HTTP server and the Electron main process
// all go through it, so they share the lock, the store's write ordering and the analysis pool.
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToShow } from './paths.js';
import { faceApiModelDir, initBackend } from '../models/backend.js';
import { PIPELINE_VERSION } from '../models/pipeline.js';
import { lookAgainCounts, needsAnalysis, photosToLookAgainAt } from './library/pipeline-upgrade.js';
import { analysisCost, lookAgainCost, rememberAnalysisPace } from './library/analysis-pace.js';
import type { BackendInfo, Box } from '../models/types.js';
import { plural, type LookAgainCost } from '../preload/contract.js';
import { scoreFaceness } from './autoencoder/faceness-job.js';
import { activateEmbedder, headInUseProblem } from './embedder/switch.js';
import { autoencoderInUseProblem } from './autoencoder/versions.js';
import { AnalysisPool } from './jobs/analysis-pool.js';
import { assignNewFaces } from './people/clustering.js';
import { groupStoredFaces, hasUngroupedFaces, ImportCheckpoints } from './people/interim-groups.js';
import { faceAgain, recordAddedFace } from './people/decisions.js';
import { importNamesFromOtherApps } from './people/xmp-names.js';
import { isShownFace } from './people/library.js';
import { addDrawnFace, type DrawnFaceOptions, type DrawnFaceResult } from './library/drawn-faces.js';
import { linkCopies } from './library/copies.js';
import {
  foldersAmong,
  forgetUnfinishedImport,
  importFolders,
  isKeptImport,
  missingPathChanges,
  refreshMissingPhotos,
  rememberUnfinishedImport,
  storedUnfinishedImports,
  type FaceAnalysisService,
  type ImportOptions,
  type ImportSummary,
} from './library/import.js';
import { checkFolderRemoval, foldersHolding, planFolderRemoval, planMissingRemoval, removeFolder, removeMissingPhotos, type FolderRemovalPlan, type FolderRemovalSummary } from './library/remove-folder.js';
import { isShuttingDown, JobCancelledError, throwIfCancelled, type ProgressListener } from './jobs/progress.js';
import { EmbeddingUnavailableError } from './store/errors.js';
import { Library, type OpenOptions } from './store/library.js';
import { readLock, type LockState } from './store/lock.js';
import { KeptAnalyses } from './store/kept-analyses.js';
import type { Repair } from './store/types.js';

export interface EngineOptions extends OpenOptions {
  /** Analysis service to use instead of the worker pool (tests count calls through it). */
  analyzer?: FaceAnalysisService;
  /** Worker threads of the analysis pool (default: min(2, cores)). */
  poolSize?: number;
  /** Photos an import watched by a screen stores before its faces are first grouped (main/people/interim-groups.ts). */
  firstGroupingAfterPhotos?: number;
}

/** What an import stored or grouped so far, for the screens to show while it runs (JobRegistry throttles it). */
export type ImportChange = 'photos' | 'faces' | 'people';

export type EngineImportOptions = ImportOptions & {
  readNames?: boolean;
  /**
   * Called as the import stores photos and as it groups their faces so far (checkpoints; only for an import someone
   * follows: the CLI groups at the end alone).
   */
  onLibraryChanged?: (what: ImportChange[]) => void;
  /**
   * Runs once an import went through every file, before the removal or import queued behind it: what its end decides
   * of its folders (watching them) is settled before a removal of one of them looks (a code review: the removal read
   * "not watched", then the import watched the folder it took out, and the two results disagreed).
   */
  whenFinished?: (outcome: ImportOutcome) => Promise<void>;
};

/** What an import read from the new photos' face tags (XMP regions and keywords, Picasa, Google Takeout), when any carried names. */
export interface NamesReadOnImport {
  facesNamed: number;
  /** Faces the detector had missed, found at a named region. */
  facesAdded: number;
  newPeople: string[];
  /** Faces whose tag disagreed with the user's own answer (the user's answer kept). */
  conflicts: number;
  /** Tags whose name no person may have (too long, control characters): not read. */
  unusableNames?: number;
  /** The decision's description (undo takes it back), null when nothing was named. */
  decision: string | null;
  /** "No, not Rose" answers read from the sidecars a Familiar export wrote (NamesImportResult.rejectionsRead). */
  rejectionsRead?: number;
  /** Of facesNamed, those named from the sidecars Familiar wrote (NamesImportResult.namedFromFamiliar). */
  namedFromFamiliar?: number;
  /** Faces the detector had missed, found where other apps marked a face and named no one (NamesImportResult.unnamedFacesFound). */
  unnamedFacesFound?: number;
}

/**
 * What an import ends with: its summary, the names read from other apps' face tags, and `namesNotRead` when a cancel
 * came while they were read (after every file was imported): none were, the rest of the import ended as it would have.
 */
/** `resizedCopies`: new photos found to be another photo resized or saved again (main/library/copies.ts). */
export type ImportOutcome = ImportSummary & { names: NamesReadOnImport | null; namesNotRead: boolean; resizedCopies: number };

/** What may stop the end of an import (finishImport): reading the names, and grouping the faces. */
interface FinishStops {
  names: AbortSignal | undefined;
  grouping: AbortSignal | undefined;
}

/**
 * Fires when Familiar closes, not when the user cancels: `closing` when the caller has one (JobRegistry's, which also
 * reaches a job cancelled before), else `signal` once aborted with ShuttingDown. The CLI has neither: Ctrl-C is a cancel.
 */
function closingSignal({ signal, closing }: Pick<ImportOptions, 'signal' | 'closing'>): AbortSignal | undefined {
  if (closing || !signal) return closing;
  const controller = new AbortController();
  const follow = () => {
    if (isShuttingDown(signal)) controller.abort(signal.reason);
  };
  follow();
  signal.addEventListener('abort', follow, { once: true });
  return controller.signal;
}

export interface FaceView {
  id: string;
  photoId: string;
  /** Primary path of the photo (first known location). */
  photoPath: string;
  photoMissing: boolean;
  /** [x, y, w, h] in the original photo's pixels after EXIF rotation. */
  box: Box;
  score: number;
  personId: string | null;
  personName: string | null;
  /** 'user' when the user named, confirmed or moved it (or said it is nobody to ask about); 'cluster' when Familiar placed it. */
  assignedBy: 'cluster' | 'user' | null;
  /** People the user said it is not. */
  rejectedPersonIds: string[];
  /** The embedding in use (with `embeddings: true`). */
  embedding?: number[];
}

export interface DoctorReport {
  backend: BackendInfo | { error: string };
  pipelineVersion: string;
  models: { dir: string; files: Array<{ name: string; bytes: number }>; missing: string[] };
  library: {
    dir: string;
    exists: boolean;
    error?: string;
    counts?: { photos: number; missingPhotos: number; pendingAnalysis: number; pendingAnalysisCost: LookAgainCost; lookAgain: number; lookAgainSideways: number; lookAgainCost: LookAgainCost; faces: number; people: number; namedPeople: number; vectors: number; indexed: number };
    embedding?: { source: string; dim: number };
    /** The head in use cannot be loaded (its files lost or damaged), in a sentence: new faces wait for a switch. */
    embeddingProblem?: string;
    /** The face studio version in use cannot draw (its weights lost or damaged), in a sentence with what to do. */
    studioProblem?: string;
    samePersonDistance?: number;
    lock: LockState;
    repairs: Repair[];
    /** Folders of imports Familiar closed or crashed during (Engine.unfinishedImports): importing them again resumes. */
    unfinishedImports?: string[];
    /** The folders holding the photos awaiting analysis (foldersHolding): importing them again analyses those. */
    pendingFolders?: string[];
    /**
     * What the analysis found in photos taken out of the library (main/store/kept-analyses.ts): importing them again
     * takes their faces from there. `problem`: the file is damaged or not one, in a sentence.
     */
    keptAnalyses?: { photos: number; bytes: number; problem?: string };
  };
}

/** The stored unfinished imports (main/library/import.ts) whose folder is still there. */
async function unfinishedImportsOnDisk(library: Library): Promise<string[]> {
  const folders = storedUnfinishedImports(library.settings);
  const there = await Promise.all(folders.map((f) => stat(f).then((s) => s.isDirectory(), () => false)));
  return folders.filter((_f, i) => there[i]);
}

/** What kept-analyses.bin holds, read by a store of doctor's own: a damage it finds is said here, and said again by the import that meets it. */
async function keptAnalysesReport(dir: string): Promise<NonNullable<DoctorReport['library']['keptAnalyses']>> {
  const store = new KeptAnalyses(dir);
  const photos = await store.count();
  const bytes = await store.keptBytes();
  const problem = store.takeProblem();
  return problem ? { photos, bytes, problem } : { photos, bytes };
}

/** The face-api networks the pipeline loads (file-name stems of their weights: a manifest and a shard each). */
export const REQUIRED_MODELS = ['ssd_mobilenetv1_model', 'face_landmark_68_model', 'face_recognition_model'];

export class Engine {
  private pool: AnalysisPool | null = null;
  private poolStarting: Promise<FaceAnalysisService> | null = null;
  private running: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly library: Library,
    private readonly options: EngineOptions,
  ) {}

  static async open(dir: string, options: EngineOptions = {}): Promise<Engine> {
    const library = await Library.open(dir, options);
    try {
      // New faces must be embedded by the head in use (library.json), or they would land in another space. A head
      // whose files are lost holds back new faces only: the library opens, and a switch on it mends that.
      if (!library.readOnly) await activateEmbedder(library, { holdIfLost: true });
    } catch (err) {
      await library.close();
      throw err;
    }
    return new Engine(library, options);
  }

  get dir(): string {
    return this.library.dir;
  }

  /** Cosine distance under which two faces are the same person (settings.json; calibrated by the people module). */
  get samePersonDistance(): number {
    return this.library.settings.samePersonDistance;
  }

  /** What face analysis runs on, once its pool has started (null before, or with an analyzer given instead). */
  get analysisBackend(): BackendInfo | null {
    return this.pool?.backend ?? null;
  }

  /** The analysis service, started on first need: an unchanged re-import never loads a model. */
  analyzer(): Promise<FaceAnalysisService> {
    if (this.options.analyzer) return Promise.resolve(this.options.analyzer);
    this.poolStarting ??= AnalysisPool.create({ size: this.options.poolSize }).then((pool) => {
      this.pool = pool;
      return pool;
    });
    return this.poolStarting;
  }

  /**
   * Imports folders (one import at a time per engine). Throws JobCancelledError when `signal` fires before every file
   * was gone through, once the faces of the photos it kept are grouped (for now: the import that resumes it draws
   * them again with the rest); its `kept` is the import's outcome so far (ImportSummary.stopped says how far). A
   * cancel after the last file ends the import as usual, the names other apps saved then left unread
   * (ImportOutcome.namesNotRead). When Familiar closes, the grouping is left to its next open.
   */
  import(folders: string[], options: EngineImportOptions = {}): Promise<ImportOutcome> {
    const run = async (): Promise<ImportOutcome> => {
      // Refused before any photo is read: hours of analysis could not store a face.
      this.refuseNewFacesIfUnavailable();
      const before = new Set(this.library.faces.map((f) => f.id));
      const photosBefore = new Set(this.library.photos.map((p) => p.id));
      const closing = closingSignal(options);
      // A screen follows the import: each batch written is said (throttled by JobRegistry), and the faces stored so
      // far are grouped at checkpoints, so People fills in during an import of hours (main/people/interim-groups.ts).
      const follow = options.onLibraryChanged;
      const checkpoints = new ImportCheckpoints(this.library, {
        facesBefore: before,
        photosBefore: photosBefore.size,
        signal: options.signal,
        firstAfterPhotos: this.options.firstGroupingAfterPhotos,
        onGrouped: () => follow?.(['people', 'faces']),
      });
      let lastRead = false;
      const following: Pick<ImportOptions, 'onStored' | 'onProgress'> = follow
        ? {
            onProgress: (p) => {
              if (p.stage === 'analyse') lastRead = p.total > 0 && p.done >= p.total;
              options.onProgress?.(p);
            },
            onStored: () => {
              follow(['photos', 'faces']);
              // Not on the last batch: the end of the import groups them all at once.
              if (!lastRead) checkpoints.stored();
            },
          }
        : {};
      // Remembered before any file is read, so that after a crash the next open offers to resume it (a look-again
      // names files, not folders: its offer is the look-again's own).
      const importing = options.lookAgain ? [] : await foldersAmong(folders);
      if (importing.length > 0) await rememberUnfinishedImport(this.library, importing);
      let summary: ImportSummary;
      let everyFileRead = false;
      let failed = false;
      // The pace the photos were analysed at, as the progress last measured it: kept to say how long looking again takes.
      let photosPerSecond: number | null = null;
      const reporting = following.onProgress ?? options.onProgress;
      const measuring: ProgressListener = (p) => {
        if (p.stage === 'analyse' && p.ratePerSecond !== null) photosPerSecond = p.ratePerSecond;
        reporting?.(p);
      };
      try {
        summary = await importFolders(this.library, () => this.analyzer(), PIPELINE_VERSION, folders, {
          concurrency: 2 * (this.options.poolSize ?? this.options.analyzer?.size ?? 2),
          ...options,
          ...following,
          onProgress: measuring,
        });
        everyFileRead = true;
        // Photos restored without analysis went by far faster: the pace measured over them is no pace of analysis.
        if (summary.restored === 0) await rememberAnalysisPace(this.library, { photosPerSecond, photos: summary.analysed, lookingAgain: options.lookAgain === true });
        await checkpoints.idle();
      } catch (err) {
        failed = true;
        await checkpoints.idle();
        // Cancelled part-way: the photos written are kept, and their faces are grouped now as the end of the import
        // would have (QA: People said "No people yet" over 111 kept faces). Not when the app closes: its next open does.
        if (!(err instanceof JobCancelledError) || !isKeptImport(err.kept) || closing?.aborted) throw err;
        // A stopped import measured its pace as well as a finished one (doctor's estimate would fall back to a guess).
        if (err.kept.restored === 0) await rememberAnalysisPace(this.library, { photosPerSecond, photos: err.kept.analysed, lookingAgain: options.lookAgain === true });
        const stopping: ProgressListener = (p) => options.onProgress?.({ ...p, detail: { ...p.detail, stopping: true } });
        const kept = await this.finishImport(err.kept, before, photosBefore, { ...options, onProgress: stopping }, { names: closing, grouping: closing }, checkpoints.settled);
        throw new JobCancelledError('import', kept);
      } finally {
        await checkpoints.idle();
        // Ended, failed or cancelled (the window offers Resume, the CLI says to run it again): forgotten. Stopped by
        // Familiar closing before the last file: kept, like a crash, for the next open to offer.
        // A failure to forget it (the full disk that stopped the import refuses this write too) must not hide why the
        // import ended (it named a temp copy of settings.json, not the write that found the disk full): the mark stays,
        // as after a crash, and the next start offers to resume.
        if (importing.length > 0 && (everyFileRead || !closing?.aborted)) {
          await forgetUnfinishedImport(this.library, importing).catch((err: unknown) => {
            if (!failed) throw err;
          });
        }
      }
      const outcome = await this.finishImport(summary, before, photosBefore, options, { names: options.signal, grouping: closing }, checkpoints.settled);
      if (outcome.stopped === null) await options.whenFinished?.(outcome);
      return outcome;
    };
    return this.afterImports(run);
  }

  /**
   * The folders of imports Familiar closed or crashed during (a first import's folder is watched only once it ends):
   * what to offer to resume. Those no longer on disk (deleted, a drive unplugged) are not offered.
   */
  unfinishedImports(): Promise<string[]> {
    return unfinishedImportsOnDisk(this.library);
  }

  /**
   * Whether an import kept faces it never grouped (FaceRecord.unplaced): Familiar closed or crashed during it. Not the
   * faces a stopped import's grouping drew for now (they wait for the import that resumes it).
   */
  hasUngroupedFaces(): boolean {
    return hasUngroupedFaces(this.library);
  }

  /**
   * Reads the names and groups the faces an import kept but stopped before grouping (Familiar closed or crashed
   * during it), as the end of that import would have, for now: the import that resumes it draws the groups again with
   * the rest. The desktop app and `familiar serve` run it on opening such a library, so its faces are not left in no
   * group until the next import. `signal` stops it (a cancel, Familiar closing): the faces stay unplaced for the next
   * open or import, and the JobCancelledError's `kept` says so (stopped.grouped false).
   */
  finishStoppedImport(options: Pick<ImportOptions, 'onProgress' | 'signal'> = {}): Promise<ImportOutcome> {
    return this.afterImports(async () => {
      const ungrouped = this.library.faces.filter((f) => f.unplaced);
      const summary: ImportSummary = {
        copies: 0,
        photos: new Set(ungrouped.map((f) => f.photoId)).size,
        newPhotos: 0,
        analysed: 0,
        restored: 0,
        restoredDecisions: 0,
        keptDecisionsLost: 0,
        faces: ungrouped.length,
        totalFaces: this.library.faces.filter(isShownFace).length,
        skipped: [],
        missing: this.library.photos.filter((p) => p.missing).length,
        foundAtNewPaths: 0,
        edited: 0,
        seconds: 0,
        keptAnalysesProblem: null,
        noPhotos: null,
        stopped: { how: 'interrupted', files: null, of: null },
      };
      try {
        const before = new Set(this.library.faces.map((f) => f.id));
        return await this.finishImport(summary, before, new Set(this.library.photos.map((p) => p.id)), options, { names: options.signal, grouping: options.signal });
      } catch (err) {
        if (!(err instanceof JobCancelledError)) throw err;
        throw new JobCancelledError('import', { ...summary, names: null, namesNotRead: false, resizedCopies: 0, stopped: { how: 'interrupted', files: null, of: null, grouped: false } } satisfies ImportOutcome);
      }
    });
  }

  /**
   * The end of an import: the names other apps tagged in its new photos, then its new faces placed with their people
   * or grouped. `stops.names` stops reading the names: the faces are grouped all the same (namesNotRead says so).
   * `stops.grouping` stops everything (Familiar closing: grouping is quick, but not with 100,000 faces): the faces
   * stay unplaced (FaceRecord.unplaced) and the next open groups them (finishStoppedImport).
   */
  private async finishImport(
    summary: ImportSummary,
    before: ReadonlySet<string>,
    photosBefore: ReadonlySet<string>,
    options: ImportOptions & { readNames?: boolean },
    stops: FinishStops,
    settled: Set<string> = new Set(),
  ): Promise<ImportOutcome> {
    const started = performance.now();
    let namesNotRead = false;
    // Photos arriving from digiKam, Lightroom, Immich, Picasa or a Google Takeout bring their names (one undoable
    // decision), before new faces are placed, so the named ones anchor the rest.
    let names: NamesReadOnImport | null = null;
    // Photos an earlier, stopped import stored (their faces still unplaced) have not had their names read either:
    // reading is idempotent, a face already under the name it carries is counted and left alone.
    const fresh = new Set(this.library.photos.filter((p) => !photosBefore.has(p.id)).map((p) => p.id));
    for (const f of this.library.faces) if (f.unplaced) fresh.add(f.photoId);
    // New photos that are others resized or saved again: their faces take what the user said of the originals' (one
    // undoable decision), before names are read (a name a copy's sidecar gives reaches the original too, and the
    // names stay the latest thing Undo takes back) and before the faces are placed, as the originals' are.
    const resizedCopies = stops.grouping?.aborted ? 0 : (await linkCopies(this.library, fresh, { onProgress: options.onProgress, signal: stops.grouping })).copies;
    /** Faces the names read found where other apps marked faces the detector missed: placed with the import's own. */
    const foundByNames: string[] = [];
    if (options.readNames !== false && this.library.settings.readNamesOnImport !== false && fresh.size > 0) {
      try {
        const read = await importNamesFromOtherApps(this.library, {
          photoIds: fresh,
          signal: stops.names,
          analyzer: () => this.analyzer(),
          onUnnamedFacesFound: (ids) => foundByNames.push(...ids),
        });
        if (read.photosWithNames > 0 || read.rejectionsRead > 0 || read.unnamedFacesFound > 0) {
          names = {
            facesNamed: read.facesNamed,
            facesAdded: read.facesAdded,
            newPeople: read.newPeople,
            conflicts: read.conflicts.length,
            ...(read.unusableNames > 0 ? { unusableNames: read.unusableNames } : {}),
            decision: read.decision?.description ?? null,
            ...(read.rejectionsRead > 0 ? { rejectionsRead: read.rejectionsRead } : {}),
            ...(read.namedFromFamiliar > 0 ? { namedFromFamiliar: read.namedFromFamiliar } : {}),
            ...(read.unnamedFacesFound > 0 ? { unnamedFacesFound: read.unnamedFacesFound } : {}),
          };
        }
        // A sidecar that cannot be read is said, with the files the import passed by: its names did not arrive.
        for (const sidecar of read.skipped) summary.skipped.push({ path: sidecar.path, reason: `names not read from it: ${sidecar.reason}` });
      } catch (err) {
        // A cancel once every photo is imported: the names are left, not the grouping (unless that is to stop too).
        if (!(err instanceof JobCancelledError) || stops.grouping?.aborted) throw err;
        namesNotRead = true;
      }
    }
    // New faces join the people they clearly belong to; the rest group among the unknown faces. Done here so
    // the CLI, the desktop app and the browser mode all leave a library in the same state after an import.
    // With the faces an earlier import stored but was stopped before placing (FaceRecord.unplaced).
    // Not the faces the user drew meanwhile (FaceRecord.drawn): addDrawnFace placed them, and they are never scored.
    // The faces the names read found are stored unplaced too: a Set, so none is placed twice.
    const added = [...new Set([...this.library.faces.filter((f) => (!before.has(f.id) && !f.drawn) || f.unplaced).map((f) => f.id), ...foundByNames])];
    if (added.length > 0) {
      throwIfCancelled(stops.grouping, 'import');
      // With an autoencoder trained, new detections that are not faces wait for review instead of being placed.
      await scoreFaceness(this.library, { faceIds: added }, { signal: stops.grouping, onProgress: options.onProgress });
      options.onProgress?.({ job: 'import', stage: 'cluster', done: 0, total: added.length, etaSeconds: null, ratePerSecond: null, message: `Grouping ${plural(added.length, 'face')} into people` });
      // Over the groups its checkpoints drew: drawn again from every face, those the user acted on kept. Those of an
      // import that stopped before its last file are for now: the import that resumes it draws them again with the rest.
      await groupStoredFaces(this.library, added, { signal: stops.grouping, settled, stopped: summary.stopped !== null });
    }
    return { ...summary, totalFaces: this.library.faces.filter(isShownFace).length, seconds: Math.round((summary.seconds + (performance.now() - started) / 1000) * 100) / 100, names, namesNotRead, resizedCopies };
  }

  /**
   * Analyses again, with the current pipeline, the photos an earlier one analysed whose faces an upgrade kept
   * (main/library/pipeline-upgrade.ts): it finds the faces that pipeline missed. Every face found before keeps its id
   * and what the user said about it; new faces join their people as on import.
   */
  async lookAgain(options: EngineImportOptions = {}): Promise<ImportOutcome> {
    // One file per photo: the first of its copies still on disk (one moved away is not reported as unreadable).
    // Checked 64 photos at a time: one after another, 100,000 stats on a network drive take minutes.
    const candidates = photosToLookAgainAt(this.library.photos, (p) => this.library.facesOfPhoto(p.id));
    const files: string[] = [];
    const firstOnDisk = async (paths: string[]) => {
      for (const path of paths) if (await stat(path).then((s) => s.isFile(), () => false)) return path;
      return null;
    };
    for (let start = 0; start < candidates.length; start += 64) {
      const found = await Promise.all(candidates.slice(start, start + 64).map((p) => firstOnDisk(p.paths)));
      for (const path of found) if (path) files.push(path);
    }
    return this.import(files, { ...options, lookAgain: true, readNames: false });
  }

  /**
   * What removing `folder` from the library would take with it (the counts a confirmation shows), its photos' files
   * looked at; changes nothing.
   */
  folderRemovalPlan(folder: string): Promise<FolderRemovalPlan> {
    return planFolderRemoval(this.library, folder);
  }

  /** Throws what folderRemovalPlan would refuse `folder` with, without looking at the disk. */
  checkFolderRemoval(folder: string): void {
    checkFolderRemoval(this.library, folder);
  }

  /**
   * Takes `folder` out of the library (main/library/remove-folder.ts); the files on disk are untouched. Queued behind
   * a running import, so an import never writes photos of a folder while it is being removed.
   */
  removeFolder(folder: string, options: { signal?: AbortSignal; onProgress?: ProgressListener } = {}): Promise<FolderRemovalSummary> {
    return this.afterImports(async () => {
      const removed = await removeFolder(this.library, folder, options);
      // Nothing under it is to be resumed any more.
      await forgetUnfinishedImport(this.library, [folder]);
      return removed;
    });
  }

  /**
   * What forgetting the photos missing from disk would take with it; removes nothing. The files are looked at first
   * (refreshMissingPhotos): photos deleted since the last import of their folder count too.
   */
  async missingRemovalPlan(): Promise<FolderRemovalPlan> {
    await this.afterImports(() => refreshMissingPhotos(this.library));
    return planMissingRemoval(this.library);
  }

  /** Forgets the photos missing from disk (main/library/remove-folder.ts), queued behind a running import like removeFolder. */
  removeMissing(options: { signal?: AbortSignal; onProgress?: ProgressListener } = {}): Promise<FolderRemovalSummary> {
    return this.afterImports(async () => {
      await refreshMissingPhotos(this.library);
      return removeMissingPhotos(this.library, options);
    });
  }

  /**
   * Looks for a face inside a box the user drew on a photo (main/library/drawn-faces.ts) and places it with the person
   * it clearly belongs to, as the import places new faces. Not queued behind a running import: the photo is imported
   * already, and the user is waiting for this one face.
   */
  async addDrawnFace(photoId: string, box: Box, options: DrawnFaceOptions = {}): Promise<DrawnFaceResult & { decisionId: string | null; faceAgain?: true }> {
    this.refuseNewFacesIfUnavailable();
    const result = await addDrawnFace(this.library, photoId, box, await this.analyzer(), options);
    if (!result.added) {
      // Drawn on a box the user said holds no face: it is a face after all, shown and placed again (undoable).
      if (!this.library.face(result.faceId)?.notAFace) return { ...result, decisionId: null };
      const { decisionId } = await faceAgain(this.library, result.faceId, 'You had said that box holds no face: it is a face again.');
      await assignNewFaces(this.library, [result.faceId]);
      return { ...result, faceAgain: true, decisionId: decisionId ?? null };
    }
    // No faceness score: the user says it is a face, so it never waits on the "is it a face?" review.
    // Undoable like a decision: Undo right after takes the face out again, not an older name. Its id ties a toast's
    // Undo to it (placing the face below logs no decision).
    const photo = this.library.photo(photoId);
    const { decisionId } = await recordAddedFace(this.library, result.faceId, `Marked a face in ${photo?.paths[0] ? basename(photo.paths[0]) : 'a photo'}.`);
    await assignNewFaces(this.library, [result.faceId]);
    return { ...result, decisionId: decisionId ?? null };
  }

  /** New faces cannot be embedded (the head in use is lost: activateEmbedder): said before the work that finds them. */
  private refuseNewFacesIfUnavailable(): void {
    const why = this.library.embeddingUnavailable;
    if (why) throw new EmbeddingUnavailableError(why);
  }

  /** Runs `run` after the import or removal in progress: one writer of photos at a time per engine. */
  private afterImports<T>(run: () => Promise<T>): Promise<T> {
    const next = this.running.then(run, run);
    this.running = next.catch(() => {});
    return next;
  }

  faces(options: { embeddings?: boolean } = {}): FaceView[] {
    const names = new Map(this.library.people.people.map((p) => [p.id, p.name]));
    // Not the boxes the user said hold no face, as the app shows and counts none.
    return this.library.faces.filter(isShownFace).map((face) => {
      const photo = this.library.photo(face.photoId);
      const view: FaceView = {
        id: face.id,
        photoId: face.photoId,
        photoPath: (photo && pathToShow(photo.paths)) ?? '',
        photoMissing: photo?.missing ?? true,
        box: face.box,
        score: face.score,
        personId: face.personId,
        personName: face.personId ? (names.get(face.personId) ?? null) : null,
        assignedBy: face.assignedBy,
        rejectedPersonIds: face.rejectedPersonIds,
      };
      if (options.embeddings) view.embedding = Array.from(this.library.embeddingOf(face));
      return view;
    });
  }

  doctor(): Promise<DoctorReport> {
    return Engine.doctor(this.library.dir, this.library);
  }

  /** Health report; works without a library (or with a damaged one) so it can say what is wrong. */
  static async doctor(dir: string, library?: Library): Promise<DoctorReport> {
    const backend = await initBackend().then(
      ({ info }) => info,
      (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
    );
    const modelDir = faceApiModelDir();
    const names = await readdir(modelDir).catch(() => [] as string[]);
    const files = await Promise.all(names.sort().map(async (name) => ({ name, bytes: (await stat(join(modelDir, name))).size })));
    const missing = REQUIRED_MODELS.flatMap((m) => [`${m}-weights_manifest.json`, `${m}.bin`]).filter((f) => !names.includes(f));
    const report: DoctorReport = {
      backend,
      pipelineVersion: PIPELINE_VERSION,
      models: { dir: modelDir, files, missing },
      library: { dir, exists: false, lock: await readLock(dir), repairs: [] },
    };
    let lib = library;
    let opened = false;
    if (!lib && (await stat(dir).then((s) => !s.isDirectory(), () => false))) {
      report.library.error = `${dir} is a file, not a library folder.`;
      return report;
    }
    if (!lib) {
      try {
        lib = await Library.open(dir, { readOnly: true });
        opened = true;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        report.library.exists = !/There is no Familiar library/.test(message);
        if (report.library.exists) report.library.error = message;
        return report;
      }
    }
    try {
      const people = lib.people.people;
      // Looked at on disk, not as the last import left them: doctor is where "are my photos still there?" is asked.
      const onDisk = await missingPathChanges(lib);
      const missingPhotos = lib.photos.filter((p) => onDisk.get(p.id)?.missing ?? p.missing).length;
      const pending = lib.photos.filter((p) => needsAnalysis(p, lib.facesOfPhoto(p.id), lib.settings.analysisMaxSide));
      // Importing again analyses the pending photos anew, so the look again is offered (and timed) for the others
      // only: a photo an old pipeline analysed was counted, and its time added, in both (QA).
      const awaiting = new Set(pending);
      const lookAgain = lookAgainCounts(lib.photos.filter((p) => !awaiting.has(p)), (p) => lib.facesOfPhoto(p.id));
      const embeddingProblem = await headInUseProblem(lib.dir, lib.info.embedding);
      const studioProblem = await autoencoderInUseProblem(lib);
      report.library = {
        ...report.library,
        exists: true,
        counts: {
          photos: lib.photos.length,
          missingPhotos,
          pendingAnalysis: pending.length,
          pendingAnalysisCost: analysisCost(pending.length, lib.settings),
          lookAgain: lookAgain.photos,
          lookAgainSideways: lookAgain.sideways,
          lookAgainCost: lookAgainCost(lookAgain.photos, lib.settings),
          faces: lib.faces.filter(isShownFace).length,
          people: people.length,
          namedPeople: people.filter((p) => p.name).length,
          vectors: lib.vectorRows,
          indexed: lib.indexSize,
        },
        embedding: { source: lib.info.embedding.kind === 'head' ? `head ${lib.info.embedding.modelId}` : 'backbone', dim: lib.info.embeddingDim },
        ...(embeddingProblem && { embeddingProblem }),
        ...(studioProblem && { studioProblem }),
        samePersonDistance: lib.settings.samePersonDistance,
        repairs: lib.repairs,
        unfinishedImports: await unfinishedImportsOnDisk(lib),
        pendingFolders: foldersHolding(pending, lib.settings),
        keptAnalyses: await keptAnalysesReport(lib.dir),
      };
    } finally {
      if (opened) await lib.close();
    }
    return report;
  }

  async close(): Promise<void> {
    await this.running;
    await this.poolStarting?.catch(() => {});
    await this.pool?.close();
    this.pool = null;
    await this.library.close();
  }
}
