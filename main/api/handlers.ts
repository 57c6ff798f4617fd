// Maps every contract call to the engine: the open library (main/engine.ts), the people service, the embedder and
// (when it lands) the autoencoder. Arguments arrive already validated by the dispatcher. Decisions announce
// `library.changed` so every open window and browser tab refetches; long work runs as jobs in the registry.
import { readFile, stat } from 'node:fs/promises';
import { setLockHolderName } from '../store/lock.js';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { isImageName, READ_FORMATS_IN_WORDS } from '../library/formats.js';
import { analysisCostSentence, MAX_IDS, MAX_PAGE, plural, SETTING_LIMITS, type CallResult, type DoctorReport, type FaceSummary, type ImportResult, type JobProgress, type LibraryCounts, type ParsedArgs, type PersonSummary, type Settings, type TrainingResult } from '../../preload/contract.js';
import { initBackend, withAnalysisBackend } from '../../models/backend.js';
import { facesLeftUnchecked, scoreFaceness } from '../autoencoder/faceness-job.js';
import { Engine, REQUIRED_MODELS } from '../engine.js';
import { activateEmbedder, checkEmbedderSwitch, listEmbedderModels, trainEmbedder, useEmbedderModel } from '../embedder/index.js';
import {
  confirmFaces,
  deletePeople,
  hidePeople,
  ignoreFaces,
  notAFaces,
  keepAsOnePerson,
  askAgainIfTwoPeople,
  LeastAlikeViews,
  PeopleError,
  listPeople,
  photosTogether,
  mergePeople,
  moveFaces,
  nameFaces,
  namePerson,
  recluster,
  rejectFaces,
  sameFaces,
  separatePerson,
  setCover,
  setBirthday,
  splitPerson,
  suggestionsFor,
  ambiguousFacesInSlices,
  stillOpen,
  undoDecision,
  redoDecision,
  whoInPhoto,
  type PersonView,
} from '../people/index.js';
import { isKeptImport, settleGoneFolders } from '../library/import.js';
import { sidecarIsUntouched } from '../library/xmp-regions.js';
import { JobCancelledError } from '../jobs/progress.js';
import { lookAgainCounts } from '../library/pipeline-upgrade.js';
import { copyRelations, notACopy } from '../library/copies.js';
import { lookAgainCost } from '../library/analysis-pace.js';
import { goneWatchedFolders, isGoneFile, isGoneFolder, missingWithGoneFolders, spelledAsTheLibraryKnows, stopWatching, unwatchedFolders, watchedFolders } from '../library/remove-folder.js';
import { photosOfGoneFolders, watchImportedFolders } from '../library/folder-watcher.js';
import { expandHome, onDiskSpelling, pathRules } from '../paths.js';
import { checkCopyDestination, copyPhotosTo, type CopyPhotosSummary } from '../library/copy-photos.js';
import { calibratedSameDistance } from '../people/thresholds.js';
import { facesByPerson, isForReview, isPinnedUnknown, isShownFace, unrecognisable } from '../people/library.js';
import { TwoPeopleVerdicts, type Touched } from '../people/two-people-verdicts.js';
import { currentPersonIds, mergedPeopleOf, mergeThatIsThePart } from '../people/merged-into.js';
import { answerGroupCandidate, groupCandidateOf } from '../people/group-candidates.js';
import { nameJoinOf } from '../people/name-join.js';
import { movedAwayFrom } from '../people/moved-away.js';
import { looseFaceNeighbourhood, namedPeopleNear } from '../people/face-candidates.js';
import { likelyQuestionsInSlices, stillLikely } from '../people/likely-questions.js';
import { answerSamePerson, samePersonQuestionOf } from '../people/same-person.js';
import { withoutCopyFaces } from '../people/copy-faces.js';
import { personViewOf, pictureOfPerson } from '../people/queries.js';
import { exportNamesToXmp, importNamesFromOtherApps, photosNamedBySidecars } from '../people/xmp-names.js';
import type { Library } from '../store/library.js';
import type { FaceRecord, PhotoRecord } from '../store/types.js';
import type { Handlers } from './dispatch.js';
import { OwnSidecarWrites } from './own-sidecars.js';
import { ApiError, notFound } from './errors.js';
import type { EventHub } from './events.js';
import type { GeneratedImages } from './generated.js';
import { finishedDespiteCancel, type JobRegistry } from './jobs.js';
import { keptPerRevision, perRevision } from './per-revision.js';
import { Studio } from './studio.js';
import { TrainingRuns } from './training-runs.js';
import { monthRuns } from './months.js';
import { faceSummary, NewestFirst, page, personSummary, photoDetail, photoSummary, placesInBoth, previewRef, saidNotByPerson, thumbRef, type NameLookup } from './views.js';
import { FolderTree } from './folders.js';
import { dayOfPeopleIn, facesBeforeBirth, PhotoDates, takenBeforeBirth } from './photo-dates.js';
import { ageOn } from '../../preload/birthdays.js';
import { impossibleQuestion } from '../people/before-birth.js';

export interface EngineHandlerOptions {
  libraryDir: string;
  mode: 'electron' | 'browser';
  version: string;
  events: EventHub;
  jobs: JobRegistry;
  generated: GeneratedImages;
  /** An engine opened by the caller (tests inject one with a counting analyzer); else one is opened here. */
  engine?: Engine;
}

export interface EngineHandlers {
  handlers: Handlers;
  photoPaths(photoId: string): string[] | undefined;
  /** A face's photo and box, with the photo's recorded size: the image source cuts `around/<faceId>` by them. */
  faceOf(faceId: string): { photoId: string; box: readonly [number, number, number, number]; width: number; height: number } | undefined;
  /** The photo's recorded size and file stamps: the image source serves a path only while its file is still the one imported. */
  photoFile(photoId: string): Pick<PhotoRecord, 'bytes' | 'fileStamps'> | undefined;
  /** Folders the user imported (watched for new photos). */
  importedFolders(): string[];
  /**
   * Reads again the names of the photos these changed sidecars (XMP, .picasa.ini) hold, as a names import job: its id,
   * or null when no photo of the library is theirs, each is as Familiar's own export left it, or the library reads no
   * names on import. Rejects with ApiError 'busy' while one runs.
   */
  rereadNames(files: readonly string[]): Promise<string | null>;
  /** Resolves once every shown person's "may be two people" marker is judged (tests and npm run bench:people-list). */
  twoPeopleJudged(): Promise<void>;
  close(): Promise<void>;
}

/** Faces of each part a "two people?" question shows: enough to recognise both, few enough for both to fit a short window. */
const TWO_PEOPLE_SHOWN = 12;
/** Fewer faces than this left over are shown rather than a "+N" tile: the tile would take about the room they take (QA: "+2"). */
const TWO_PEOPLE_FEWEST_HIDDEN = 3;

/** Settings the UI may change: numbers with the range each must stay in, and switches. Anything else is read-only from the UI. */
const EDITABLE_SETTINGS: Record<string, { min: number; max: number; integer?: boolean; words: string } | 'switch'> = {
  samePersonDistance: { ...SETTING_LIMITS.samePersonDistance, words: 'The same-person distance' },
  analysisMaxSide: { ...SETTING_LIMITS.analysisMaxSide, integer: true, words: 'The analysis size' },
  /** Every import reads the names other apps tagged in its new photos (main/engine.ts); on unless switched off. */
  readNamesOnImport: 'switch',
};

/**
 * The contract accepts both POSIX and Windows absolute paths, since the page cannot know where the engine runs. On
 * Linux "C:\\Photos" is a relative name, which would be read, watched or written beside wherever the engine started.
 * A leading ~ is the home folder here, as in a shell (QA: "~/Pictures" typed on the Import screen was refused).
 */
function onThisComputer(given: string): string {
  const path = expandHome(given);
  if (!isAbsolute(path)) throw new ApiError('invalid-argument', `"${path.length > 120 ? `${path.slice(0, 120)}…` : path}" is not a full path on this computer.`);
  // Spelt as the library keeps its folders: "/photos/album/" is the watched "/photos/album" (QA: adding it again with a
  // trailing slash was said to be "inside /photos/album").
  return resolve(path);
}

function namesOf(library: Library): NameLookup {
  const names = new Map(library.people.people.map((p) => [p.id, p.name]));
  return { nameOf: (id) => names.get(id) ?? null, photoOf: (id) => library.photo(id) };
}

/**
 * Faces to be named, summarised with which of their "not" marks were a move away rather than the user's word
 * (main/people/moved-away.ts), for the name field and "Who is this?" to say so (QA: "You said this is not Serena" of a
 * face moved to Venus, then said not Venus). One walk over the decision log for the whole list.
 */
function faceSummariesOf(library: Library, faces: readonly FaceRecord[], names = namesOf(library)): FaceSummary[] {
  const moved = movedAwayFrom(library, faces);
  return faces.map((f) => faceSummary(f, names, moved.get(f.id)));
}

function counts(library: Library, derived: { missingPhotos: number; lookAgain: { photos: number; sideways: number } }): LibraryCounts {
  const people = library.people.people;
  // As People lists them: not hidden, and holding faces. A named person whose faces were all rejected stays in
  // people.json, on no screen (QA: Settings said 45 named people, People 44).
  const shown = listPeople(library);
  // Faces as People counts them: a resized copy's face is its original's (withoutCopyFaces).
  const unknown = withoutCopyFaces(library, library.faces).filter((f) => f.personId === null && isShownFace(f));
  return {
    photos: library.photos.length,
    missingPhotos: derived.missingPhotos,
    // Not the boxes the user said hold no face.
    faces: library.faces.filter(isShownFace).length,
    people: people.length,
    namedPeople: shown.filter((p) => p.name !== null).length,
    unknownFaces: unknown.length,
    // The same filters as 'unknown.queue', so the count beside "Who is this?" is the queue's (QA: 99 against 98).
    toName: {
      groups: shown.filter((p) => p.name === null).length,
      faces: unknown.filter((f) => !isPinnedUnknown(f)).length,
    },
    lookAgain: derived.lookAgain.photos,
    lookAgainSideways: derived.lookAgain.sideways,
    lookAgainCost: lookAgainCost(derived.lookAgain.photos, library.settings),
  };
}

/**
 * The settings the app may change, nothing else: the others (the autoencoder in use, per-model thresholds, imported
 * folders) are the engine's own, and a field for them would only offer an edit the engine refuses.
 */
function visibleSettings(library: Library): Settings {
  const out: Settings = {};
  for (const key of Object.keys(EDITABLE_SETTINGS)) {
    const value = library.settings[key];
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') out[key] = value;
  }
  // A switch a library has never set is on (main/engine.ts reads it that way); show it so it can be turned off.
  out.readNamesOnImport ??= true;
  return out;
}

function checkSetting(key: string, value: unknown): void {
  // Own keys only: "toString" or "constructor" would otherwise find Object.prototype's and be written to settings.json.
  const range = Object.hasOwn(EDITABLE_SETTINGS, key) ? EDITABLE_SETTINGS[key] : undefined;
  if (!range) throw new ApiError('invalid-argument', `The setting "${key}" cannot be changed from the app.`);
  if (range === 'switch') {
    if (typeof value !== 'boolean') throw new ApiError('invalid-argument', `The setting "${key}" is on or off (true or false).`);
    return;
  }
  if (typeof value !== 'number' || value < range.min || value > range.max || (range.integer && !Number.isInteger(value))) {
    throw new ApiError('invalid-argument', `${range.words} must be a${range.integer ? ' whole number' : ' number'} from ${range.min} to ${range.max}.`);
  }
}

function toImportResult(summary: Awaited<ReturnType<Engine['import']>>): ImportResult {
  return {
    photosSeen: summary.photos,
    // An edited photo is new content but no new photo to the user: it is counted among the edited.
    photosAdded: Math.max(0, summary.newPhotos - summary.edited),
    photosUnchanged: Math.max(0, summary.photos - summary.analysed - summary.restored),
    photosMissing: summary.missing,
    photosMoved: summary.foundAtNewPaths,
    photosEdited: summary.edited,
    photosRestored: summary.restored,
    restoredDecisions: summary.restoredDecisions,
    keptDecisionsLost: summary.keptDecisionsLost,
    keptAnalysesProblem: summary.keptAnalysesProblem,
    photosCopies: summary.copies,
    resizedCopies: summary.resizedCopies,
    facesFound: summary.faces,
    skipped: summary.skipped.map((s) => ({ path: s.path, reason: s.reason, ...(s.folder && { folder: true as const }) })),
    names: summary.names,
    namesNotRead: summary.namesNotRead,
    noPhotos: summary.noPhotos,
    stopped: summary.stopped,
  };
}

/**
 * An import job's result when it was cancelled part-way: what it kept (its faces grouped), said like a finished one's.
 * One that returned went through every file: a cancel that came after ends it 'done'.
 */
async function keptOnCancel(work: Promise<Awaited<ReturnType<Engine['import']>>>): Promise<ImportResult> {
  try {
    return finishedDespiteCancel(toImportResult(await work));
  } catch (err) {
    if (err instanceof JobCancelledError && isKeptImport(err.kept)) return toImportResult({ names: null, namesNotRead: false, resizedCopies: 0, ...err.kept });
    throw err;
  }
}

export async function openEngineHandlers(options: EngineHandlerOptions): Promise<EngineHandlers> {
  if (!options.engine) setLockHolderName(options.mode === 'browser' ? 'familiar serve' : 'the Familiar app');
  const engine = options.engine ?? (await Engine.open(options.libraryDir));
  const library = engine.library;
  try {
    // New faces get the embedding head in use (no-op with the raw backbone). A head whose files are lost holds new
    // faces back and the app opens, saying so on the Training screen, where a switch mends it.
    if (!library.readOnly) await activateEmbedder(library, { holdIfLost: true });
  } catch (err) {
    if (!options.engine) await engine.close();
    throw err;
  }
  const { events, jobs } = options;
  const studio = new Studio(library, options.generated);
  const trainingRuns = new TrainingRuns(library.dir, library.readOnly);
  const ambiguityNow = perRevision(() => library.revision, () => ambiguousFacesInSlices(library));
  // What looking again would analyse: a landmark fit of every face of the photos the previous version analysed (tenths
  // of a second at 100,000 faces), and screens ask for library.info after every change (every 4 s during an import).
  const lookAgainNow = keptPerRevision(() => library.revision, () => lookAgainCounts(library.photos, (p) => library.facesOfPhoto(p.id)));
  // "Is this <Name>?" per unnamed group, asked for the group the screen shows: up to 16 index searches a group, so
  // every group's at once took minutes after each answer in a large library (docs/clustering.md). Kept until it changes.
  const groupMaybes = keptPerRevision(() => library.revision, () => new Map<string, CallResult<'unknown.maybe'>>());
  // "Is this <Name>?" per loose face, and the named people nearest a face or a group's cover (the name field's order):
  // one index search each, the same way (main/people/face-candidates.ts).
  const faceMaybes = keptPerRevision(() => library.revision, () => new Map<string, CallResult<'unknown.faceMaybe'>>());
  const nearPeople = keptPerRevision(() => library.revision, () => new Map<string, CallResult<'unknown.nearPeople'>>());
  // Every group's and loose face's "Is this <Name>?" at once, for the order of "Who is this?" (likely people first):
  // seconds in a large library, so scanned in slices, once a revision (main/people/likely-questions.ts).
  const likelyNow = perRevision(() => library.revision, () => likelyQuestionsInSlices(library));
  // "Are these the same person?" per unnamed group, the same way (main/people/same-person.ts).
  const samePersons = keptPerRevision(() => library.revision, () => new Map<string, CallResult<'unknown.samePerson'>>());
  // A person's page asks for its faces page by page, and the People list for everyone's "to check" count: each
  // person is scored again only when their own faces changed.
  const leastAlike = new LeastAlikeViews(library);
  let toCheckMemo: { revision: number; counts: Map<string, number> } | null = null;
  // Who each unnamed group was said not to be, for the name field (one walk over every face per change).
  const saidNotNow = keptPerRevision(() => library.revision, () => saidNotByPerson(library.faces));
  const summaryOf = (p: PersonView): PersonSummary => {
    if (toCheckMemo?.revision !== library.revision) toCheckMemo = { revision: library.revision, counts: leastAlike.unlikeCounts() };
    return personSummary(p, toCheckMemo.counts.get(p.id) ?? 0, !p.hidden && twoPeople.marked().has(p.id), p.name === null ? saidNotNow().get(p.id) : undefined);
  };
  const changed = (...what: Array<'photos' | 'faces' | 'people' | 'models' | 'settings' | 'marks'>) => events.emit('library.changed', { what });
  const decision = async <T>(work: Promise<T>): Promise<T> => {
    // Read before the work commits: the marker checks again only the people it says it touched.
    const from = library.revision;
    const result = await work;
    twoPeople.touched(from, library.revision, result as Touched);
    changed('people', 'faces');
    return result;
  };

  // "May be two people" for every card (a 1,000-face group's dendrogram takes 0.1 s): judged in the background after
  // each change, for the people it changed only, and kept; the list reads the marks, the person page's panel and its
  // split the same kept verdicts. Held off while a job commits batch after batch (an import grouping as it goes).
  const committingJobs = new Set(['import', 'recluster', 'import-names', 'remove-photos']);
  const twoPeople = new TwoPeopleVerdicts(library, {
    busy: () => jobs.list().some((j) => j.state === 'running' && committingJobs.has(j.kind)),
    // Only the People list shows the marks: 'people' would have every screen ask again, and the marker blink.
    onMarksChanged: () => changed('marks'),
  });
  const stopJudging = events.subscribe((name, payload) => {
    // A committing job's end checks what it held off; the marks' own news is no change of the library.
    if (name === 'job.done' || (name === 'library.changed' && (payload as { what: string[] }).what.some((w) => w !== 'marks'))) twoPeople.refresh();
  });
  const twoPeopleOf = (personId: string) => twoPeople.question(personId);
  /**
   * A person's suggestions, but for the faces their page's "may be two people" panel asks about ("Someone else?"):
   * one page asked about the same five faces twice, there and as "Is this Leonard?" (QA).
   */
  const suggestionsOf = (personId: string, limit: number) => {
    const asked = new Set(twoPeopleOf(personId)?.leaves ?? []);
    const birthday = person(personId).birthday;
    const cannotBe = birthday === undefined ? undefined : takenBeforeBirth(library, birthday, photoDates());
    return suggestionsFor(library, personId, limit + asked.size, { cannotBe }).filter((s) => !asked.has(s.faceId)).slice(0, limit);
  };
  const person = (id: string) => {
    const record = library.people.people.find((p) => p.id === id);
    if (!record) throw personGone(id);
    return record;
  };
  /**
   * A person asked for who is not there. Most often a screen showed them and another window (or a script) merged or
   * deleted them since: said in those words, with where a merge took them (QA: `No person has the id "person-…"`).
   */
  const personGone = (id: string): ApiError => {
    const [now] = currentPersonIds(library, [id]);
    const into = now === null ? undefined : library.people.people.find((p) => p.id === now);
    if (into) return new ApiError('not-found', `That person was merged into ${into.name === null ? 'an unnamed group' : `"${into.name}"`} (no person has the id "${id}" now).`);
    return new ApiError('not-found', `No person has the id "${id}": deleted, merged or regrouped since it was shown, perhaps in another window.`);
  };
  const face = (id: string): FaceRecord => {
    const record = library.face(id);
    if (!record) throw notFound('face', id);
    return record;
  };
  const photo = (id: string): PhotoRecord => {
    const record = library.photo(id);
    if (!record) throw notFound('photo', id);
    return record;
  };
  // Every photo newest first, sorted once per library revision and renderer's time zone (tenths of a second at
  // 100,000 photos): the grid asks for its photos a page at a time, and for their months (photos.timeline) in the same
  // order, also kept. A few zones are kept, not one for every name ever asked.
  const ordersByZone = keptPerRevision(() => library.revision, () => new Map<string, NewestFirst>());
  /** The dates of the photos without a camera date, from their paths and files: each photo's once per revision, for every zone's order and page. */
  const photoDates = keptPerRevision(() => library.revision, () => new PhotoDates([...watchedFolders(library.settings), ...unwatchedFolders(library.settings)]));
  /**
   * Of the named people a face or group looks like (the name field's first names), those it can be: not someone born
   * after one of its photos was taken. Offering them first would make the likeness a younger sibling's name at a key.
   */
  const possibleOf = (personIds: readonly string[], faces: readonly FaceRecord[]): string[] =>
    personIds.filter((personId) => !impossibleQuestion(library, personId, faces, photoDates()));
  const newestFirst = (timeZone: string | undefined): NewestFirst => {
    const orders = ordersByZone();
    let order = orders.get(timeZone ?? '');
    if (!order) {
      if (orders.size >= 4) orders.clear();
      orders.set(timeZone ?? '', (order = new NewestFirst(library, timeZone, photoDates())));
    }
    return order;
  };
  /** The folders of the photos, once per library revision (thousands of folders: photos.folders sends it whole). */
  const folderTree = keptPerRevision(() => library.revision, () => new FolderTree(library.photos, watchedFolders(library.settings), pathRules(), unwatchedFolders(library.settings)));
  /**
   * Where the photos with all these people (with `only`, nobody else) are in the order, in the folder if one is given;
   * null: every photo.
   */
  const placesWith = (order: NewestFirst, { personIds, only, folderId, subfolders = true }: { personIds: string[]; only: boolean; folderId?: string; subfolders?: boolean }): readonly number[] | null => {
    for (const id of personIds) person(id);
    const withPeople = order.placesWith(personIds, only);
    if (folderId === undefined) return withPeople;
    const tree = folderTree();
    if (!tree.folder(folderId)) throw new ApiError('not-found', 'No photo of the library is in that folder any more.');
    const inFolder = order.placesWhere(`${folderId} ${subfolders}`, tree.holds(folderId, subfolders));
    return withPeople ? placesInBoth(withPeople, inFolder) : inFolder;
  };

  /** Imports to offer to resume: none while an import runs (the one running is remembered until it ends). */
  const unfinishedImports = async () => (jobs.list().some((j) => j.kind === 'import' && j.state === 'running') ? [] : engine.unfinishedImports());

  /** The sidecars the names export wrote beside the photos, so the folder watcher does not read them back as another app's. */
  const ownSidecars = new OwnSidecarWrites();
  /**
   * The names other apps gave, read as a job: from every photo (or a folder of sidecars, `from`), or from `photoIds`
   * (a watched folder's changed sidecars).
   */
  const startNamesImport = ({ sidecarsChanged, sidecarsBuiltByFamiliar, ...options }: { from?: string; photoIds?: ReadonlySet<string>; sidecarsChanged?: readonly string[]; sidecarsBuiltByFamiliar?: boolean }): string =>
    jobs.start('import-names', async (signal, reportProgress) => {
      // A read of Familiar's own export says so in every report, so the window can keep it off Settings' card while
      // it runs, as it does once it ends having changed nothing (QA: the card showed its progress for a moment).
      const onProgress: typeof reportProgress = sidecarsBuiltByFamiliar ? (p) => reportProgress({ ...p, detail: { ...p.detail, sidecarsBuiltByFamiliar } }) : reportProgress;
      const { decision, ...read } = await importNamesFromOtherApps(library, { ...options, signal, onProgress, analyzer: () => engine.analyzer(), regroupAfter: true });
      // Its Undo takes back this read or nothing (a regrouping logs no decision; another window may decide meanwhile).
      const result = { ...read, decisionId: decision?.decisionId ?? null };
      // Newly named faces pull their lookalikes out of the unnamed groups. Not cancellable once the names are in:
      // a cancel here would end the job without the result its Undo needs.
      if (result.facesNamed > 0 || library.people.regroupPending) await recluster(library, { onProgress });
      if (!sidecarsChanged) return result;
      return { ...result, sidecarsChanged: [...sidecarsChanged], ...(sidecarsBuiltByFamiliar ? { sidecarsBuiltByFamiliar } : {}) };
    });

  const handlers: Handlers = {
    // Answered here only once the library is open; the desktop's openingApi says true before that.
    'library.opening': () => ({ opening: false }),

    'library.info': async () => {
      // A watched folder gone (moved or renamed outside Familiar): its photos count as missing, as doctor finds them on
      // disk (QA: 0 against 205). Counted, not marked: a read writes nothing (an import, or stopping watching, does).
      const goneFolders = await goneWatchedFolders(library.settings);
      const folders = watchedFolders(library.settings);
      return {
        libraryDir: library.dir,
        schemaVersion: library.info.schemaVersion,
        counts: counts(library, { missingPhotos: missingWithGoneFolders(library, goneFolders), lookAgain: lookAgainNow() }),
        folders,
        goneFolders,
        // The tree kept for this revision knows the top folders of the photos: the unwatched ones are offered too.
        unwatchedFolders: folderTree().topFoldersBesides(folders),
        unfinishedImports: await unfinishedImports(),
        mode: options.mode,
        version: options.version,
        backend: withAnalysisBackend((await initBackend()).info, engine.analysisBackend),
        measuredSamePersonDistance: calibratedSameDistance(library),
      };
    },

    'library.doctor': async (): Promise<DoctorReport> => {
      const report = await engine.doctor();
      const problems: string[] = [];
      if ('error' in report.backend) problems.push(`No tensor backend could start: ${report.backend.error}`);
      for (const missing of report.models.missing) problems.push(`The model file ${missing} is missing from ${report.models.dir}.`);
      if (report.library.embeddingProblem) problems.push(`${report.library.embeddingProblem}: new faces cannot be added until another version is in use on the Training screen.`);
      if (report.library.studioProblem) problems.push(report.library.studioProblem);
      for (const r of report.library.repairs) problems.push(`${r.part}: ${r.problem} (${r.action}).`);
      const pending = report.library.counts?.pendingAnalysis ?? 0;
      if (pending > 0) {
        // Which folders and how long, as `familiar doctor` says: "import again" alone left the user guessing both.
        const folders = report.library.pendingFolders ?? [];
        const where = folders.length ? ` (${folders.slice(0, 3).join(', ')}${folders.length > 3 ? `, and ${plural(folders.length - 3, 'other folder')}` : ''})` : '';
        const cost = report.library.counts?.pendingAnalysisCost;
        problems.push(
          `${plural(pending, 'photo waits', 'photos wait')} for analysis; import ${pending === 1 ? 'its folder' : 'their folders'}${where} again to finish.` +
            (cost ? ` ${analysisCostSentence(pending, cost)}` : ''),
        );
      }
      if (report.library.keptAnalyses?.problem) problems.push(report.library.keptAnalyses.problem);
      for (const folder of await unfinishedImports()) problems.push(`The import of ${folder} did not finish (Familiar closed or crashed during it); import it again to read the rest.`);
      return {
        backend: 'error' in report.backend ? { name: 'cpu', reason: report.backend.error, simd: false, threads: 0 } : withAnalysisBackend(report.backend, engine.analysisBackend),
        libraryDir: library.dir,
        // Missing as found on disk: the photos of a gone folder too, and files deleted since their last import.
        counts: counts(library, {
          missingPhotos: report.library.counts?.missingPhotos ?? missingWithGoneFolders(library, await goneWatchedFolders(library.settings)),
          lookAgain: lookAgainNow(),
        }),
        // The files Familiar loads; the package ships others (age, expression) that it never reads.
        modelFiles: REQUIRED_MODELS.flatMap((stem) => [`${stem}-weights_manifest.json`, `${stem}.bin`]).map((name) => ({
          name,
          found: !report.models.missing.includes(name),
          path: join(report.models.dir, name),
        })),
        problems,
      };
    },

    'import.start': async ({ paths: given }) => {
      // A link to a folder the library has, or the real path of one it has through a link: read as it knows them.
      const paths = spelledAsTheLibraryKnows(library, given.map(onThisComputer));
      const folders = await importableFolders(paths);
      const jobId = jobs.start('import', async (signal, onProgress, closing, libraryChanged) => {
        // The photos of the watched folders gone from disk: found under these folders, they were moved here.
        const gone = await photosOfGoneFolders(library);
        // Cancelled part-way: the job says what it kept, and the folders are not watched (Resume reads the rest).
        // The screens follow it: photos as they are stored, people as their faces are grouped so far.
        // The result names what it read: the Import screen says which folders its counts are of (a watcher's too).
        // Its progress names what it reads too, so a screen that did not start it (the folder watcher's) can say which
        // folder it is importing while it runs, not only once it ends.
        const reporting = (progress: JobProgress) => onProgress({ ...progress, detail: { ...progress.detail, paths } });
        // An empty folder too: photos put there later are imported (the summary says so, and offers to stop it). A
        // gone folder whose photos were found here is watched here instead. Before a removal queued meanwhile.
        let watchedNow: string[] = [];
        const whenFinished = async () => {
          watchedNow = await watchImportedFolders(library, folders, gone);
        };
        const result = { ...(await keptOnCancel(engine.import(paths, { signal, onProgress: reporting, closing, onLibraryChanged: libraryChanged, whenFinished }))), paths };
        if (result.stopped) return result;
        return finishedDespiteCancel({ ...result, watchedNow });
      });
      // The folders (not files) it reads, as the disk spells them: the screen lists them as watched while it runs.
      return { jobId, folders };
    },

    // Folders added while an import runs wait for it in the window (renderer/lib/import-queue.svelte.ts): a typo is said
    // when it is typed, not hours later when the import it waited for ends.
    'import.check': async ({ paths }) => ({ folders: await importableFolders(paths.map(onThisComputer)) }),

    'library.folderRemovalPlan': async ({ path }) => engine.folderRemovalPlan(onThisComputer(path)),

    'library.removeFolder': async ({ path: given }) => {
      const path = onThisComputer(given);
      // Nothing to remove, or a folder inside a watched one: refused now, with the reason, not as a failed job.
      engine.checkFolderRemoval(path);
      return { jobId: jobs.start('remove-photos', async (signal, onProgress) => ({ ...(await engine.removeFolder(path, { signal, onProgress })) })) };
    },

    'library.stopWatching': async ({ path: given }) => {
      const path = onThisComputer(given);
      const folders = await stopWatching(library, path);
      // Its photos, counted missing while it was watched and gone, are marked so: they stay missing once it is not.
      const gone = await isGoneFolder(path);
      if (gone) await settleGoneFolders(library, [path]);
      changed('settings', ...(gone ? (['photos'] as const) : []));
      return { folders };
    },

    'library.missingRemovalPlan': async () => engine.missingRemovalPlan(),

    'library.removeMissing': async () => {
      await engine.missingRemovalPlan();
      return { jobId: jobs.start('remove-photos', async (signal, onProgress) => ({ ...(await engine.removeMissing({ signal, onProgress })) })) };
    },

    'import.lookAgain': async () => ({
      jobId: jobs.start('import', (signal, onProgress, closing, libraryChanged) =>
        keptOnCancel(engine.lookAgain({ signal, onProgress, closing, onLibraryChanged: libraryChanged })),
      ),
    }),

    'recluster.start': async () => ({
      jobId: jobs.start('recluster', async (signal, onProgress) => ({ ...(await recluster(library, { signal, onProgress })) })),
    }),

    'names.export': async ({ to: given, confirmedOnly }) => {
      const to = given === undefined ? undefined : onThisComputer(given);
      return {
        jobId: jobs.start('export-names', async (signal, onProgress) => {
          // Beside the photos, in folders the watcher hears: what it writes is remembered, not read back as another app's.
          if (to === undefined) ownSidecars.clear();
          const onSidecarWritten = to === undefined ? (path: string, text: string | null) => ownSidecars.record(path, text) : undefined;
          return { ...(await exportNamesToXmp(library, { to, confirmedOnly, signal, onProgress, onSidecarWritten })) };
        }),
      };
    },

    'names.import': async ({ from: given }) => {
      const from = given === undefined ? undefined : onThisComputer(given);
      return { jobId: startNamesImport({ from }) };
    },

    'people.list': ({ includeHidden, namedOnly }) =>
      listPeople(library, { includeHidden })
        .filter((p) => !namedOnly || p.name !== null)
        .map(summaryOf),

    'people.get': ({ personId }) => {
      person(personId);
      const view = listPeople(library, { includeHidden: true, includeEmpty: true }).find((p) => p.id === personId)!;
      const names = namesOf(library);
      const merged = mergedPeopleOf(library, personId).map(({ faceIds, ...m }) => ({ ...m, faces: faceIds.map((id) => faceSummary(face(id), names)) }));
      const born = view.birthday === undefined ? undefined : facesBeforeBirth(library, view.birthday, view.faceIds, photoDates());
      const beforeBirth = born && { count: born.length, faceIds: born.slice(0, MAX_IDS) };
      const onePerson = person(personId).onePerson === true;
      return { ...summaryOf(view), suggestionsCount: suggestionsOf(personId, MAX_PAGE).length, merged, ...(beforeBirth ? { beforeBirth } : {}), ...(onePerson ? { onePerson } : {}) };
    },

    'people.rename': ({ personId, name, leftOutFaceIds, twoPeople, shownParts, sameAsNamesake }) =>
      decision(namePerson(library, person(personId).id, name, { leaveOut: leftOutFaceIds, twoPeople, shownParts, sameAsNamesake })),
    'people.merge': ({ intoId, fromIds }) => {
      for (const id of [intoId, ...fromIds]) person(id);
      return decision(mergePeople(library, intoId, fromIds));
    },
    'people.hide': ({ personIds, hidden }) => decision(hidePeople(library, personIds.map((id) => person(id).id), hidden)),
    'people.setBirthday': ({ personId, birthday }) => decision(setBirthday(library, person(personId).id, birthday)),
    'people.setCover': ({ personId, faceId }) => decision(setCover(library, person(personId).id, face(faceId).id)),
    'people.delete': ({ personIds }) => decision(deletePeople(library, personIds.map((id) => person(id).id))),
    'people.namesake': ({ personId, name, leftOutFaceIds, twoPeople }) => {
      const join = nameJoinOf(library, person(personId).id, name, { leaveOut: leftOutFaceIds, twoPeople });
      if (!join) return null;
      const { personId: id, name: theirName, faceCount, together, looksAlike, distance, groupFaceId } = join;
      // The person by their picture, as every screen shows them (pictureOf): not the face nearest the group's.
      const picture = pictureOfPerson(library, id);
      return { personId: id, name: theirName, faceCount, together, looksAlike, distance, face: picture && thumbRef(picture), groupFace: groupFaceId && thumbRef(groupFaceId) };
    },
    'people.together': ({ personIds }) => ({ photos: photosTogether(library, personIds.map((id) => person(id).id)) }),
    'people.twoPeople': ({ personId }) => {
      const question = twoPeopleOf(person(personId).id);
      if (!question) return null;
      const names = namesOf(library);
      // A face or two more rather than "+1" or "+2" in their place: the tile takes the room the faces would.
      const shown = (ids: string[]) => ({ count: ids.length, faces: ids.slice(0, ids.length < TWO_PEOPLE_SHOWN + TWO_PEOPLE_FEWEST_HIDDEN ? ids.length : TWO_PEOPLE_SHOWN).map((id) => faceSummary(face(id), names)) });
      return { stays: shown(question.stays), leaves: shown(question.leaves), mergedPersonId: mergeThatIsThePart(library, person(personId).id, question.leaves) };
    },
    'people.split': ({ personId }) => {
      const question = twoPeopleOf(person(personId).id);
      if (!question) throw new PeopleError('These faces no longer look like two people.');
      return decision(splitPerson(library, personId, question.leaves));
    },
    'people.keepAsOne': ({ personId }) => decision(keepAsOnePerson(library, person(personId).id)),
    'people.askAgain': ({ personId }) => decision(askAgainIfTwoPeople(library, person(personId).id)),
    'people.separate': ({ personId, mergedId }) => decision(separatePerson(library, person(personId).id, mergedId)),
    'people.current': ({ personIds }) => ({ personIds: currentPersonIds(library, personIds) }),

    'faces.get': ({ faceId }) => faceSummariesOf(library, [face(faceId)])[0],
    'faces.ofPerson': ({ personId, offset, limit, order }) => {
      person(personId);
      const view = leastAlike.of(personId);
      // The user's own faces first (confirmed), then the clustering's by detector confidence; least alike first; or
      // the clustering's first, least alike first among them (a stable sort keeps the least-alike order).
      const byUser = (f: FaceRecord) => Number(f.assignedBy === 'user');
      const leastAlikeOrder = view.faces.map((s) => s.face);
      const faces =
        order === 'least-alike'
          ? leastAlikeOrder
          : order === 'unconfirmed-first'
            ? leastAlikeOrder.sort((a, b) => byUser(a) - byUser(b))
            : leastAlikeOrder.sort((a, b) => byUser(b) - byUser(a) || b.score - a.score || a.id.localeCompare(b.id));
      const unlikeFaceIds = view.faces.slice(0, Math.min(view.unlike, MAX_IDS)).map((s) => s.face.id);
      const unlikeConfirmedFaceIds = view.faces.slice(view.unlike, view.unlike + Math.min(view.unlikeConfirmed, MAX_IDS)).map((s) => s.face.id);
      const summaries = faceSummariesOf(library, page(faces, offset, limit));
      return { total: faces.length, faces: summaries, unlike: view.unlike, unlikeFaceIds, unlikeConfirmed: view.unlikeConfirmed, unlikeConfirmedFaceIds };
    },
    'faces.name': ({ faceIds, name }) => decision(nameFaces(library, faceIds.map((id) => face(id).id), name)),
    'faces.move': ({ faceIds, personId }) => decision(moveFaces(library, faceIds.map((id) => face(id).id), person(personId).id)),
    'faces.reject': ({ faceIds, personId, alsoNotPersonIds }) =>
      decision(rejectFaces(library, faceIds.map((id) => face(id).id), [personId, ...(alsoNotPersonIds ?? [])].map((id) => person(id).id))),
    'faces.ignore': ({ faceIds }) => decision(ignoreFaces(library, faceIds.map((id) => face(id).id))),
    'faces.notAFace': ({ faceIds }) => decision(notAFaces(library, faceIds.map((id) => face(id).id))),
    'faces.addDrawn': async ({ photoId, box }) => {
      const { faceId, added, undetected, decisionId, faceAgain } = await engine.addDrawnFace(photo(photoId).id, box);
      if (added || faceAgain) changed('photos', 'faces', 'people');
      if (faceAgain) return { face: faceSummary(face(faceId), namesOf(library)), added, undetected, description: 'You had said that box holds no face: it is a face again.', decisionId };
      const drawn = faceSummary(face(faceId), namesOf(library));
      const who = drawn.personName ? `, and it looks like ${drawn.personName}` : drawn.personId ? ', and it joined an unnamed group of faces like it' : '';
      const kept = undetected ? ` Familiar couldn't make out a face there itself, so it kept your box as you drew it.` : '';
      return { face: drawn, added, undetected, description: added ? `Added the face you marked${who}.${kept}` : 'That face was marked already.', decisionId };
    },
    'faces.confirm': ({ faceIds, personId }) => decision(confirmFaces(library, faceIds.map((id) => face(id).id), person(personId).id)),

    'faces.ambiguous': async ({ limit }) => {
      // A long scan may predate decisions that answered a question or merged a person away.
      const open = stillOpen(library, await ambiguityNow());
      const people = new Map(listPeople(library, { includeHidden: true }).map((p) => [p.id, summaryOf(p)]));
      const shown = open.slice(0, limit);
      const summaries = faceSummariesOf(library, shown.map((a) => face(a.faceId)));
      return {
        total: open.length,
        faces: shown.map((a, i) => ({
          face: summaries[i],
          candidates: a.candidates.map((c) => ({ person: people.get(c.personId)!, distance: c.distance, nearestFace: thumbRef(c.nearestFaceId) })),
          margin: a.margin,
          closeToNeither: a.closeToNeither,
        })),
      };
    },

    'suggestions.forPerson': ({ personId, limit }) => {
      person(personId);
      const suggestions = suggestionsOf(personId, limit);
      const summaries = faceSummariesOf(library, suggestions.map((s) => face(s.faceId)));
      return suggestions.map((s, i) => ({
        face: summaries[i],
        distance: s.distance,
        photo: previewRef(s.photoId),
      }));
    },

    'unknown.queue': ({ offset, limit }) => {
      const groups = listPeople(library).filter((p) => p.name === null && p.faceCount > 0).map(summaryOf);
      // Faces the user set aside ("Don't ask about this face") are not asked about again.
      // Faces too small or unclear to recognise come last (a name there helps no other face), and after them the
      // detections the autoencoder thinks are not faces at all.
      const last = (f: FaceRecord) => (isForReview(f) ? 2 : unrecognisable(f, library.photo(f.photoId)) === null ? 0 : 1);
      // A copy's face is asked about once, as its original's (withoutCopyFaces): the answer reaches both.
      const unknown = withoutCopyFaces(library, library.faces)
        .filter((f) => f.personId === null && !isPinnedUnknown(f))
        .sort((a, b) => last(a) - last(b) || b.score - a.score || a.id.localeCompare(b.id));
      return { groups, faces: { total: unknown.length, faces: faceSummariesOf(library, page(unknown, offset, limit)) } };
    },

    'unknown.likely': async () => {
      // The library may have changed during the scan: what still stands of it.
      const found = stillLikely(library, await likelyNow());
      // Not about someone in a photo from before their birth (main/people/before-birth.ts).
      const dates = photoDates();
      const byGroup = facesByPerson(library.faces);
      const likely = {
        groups: found.groups.filter((g) => !impossibleQuestion(library, g.personId, byGroup.get(g.groupId) ?? [], dates)),
        faces: found.faces.filter((f) => !impossibleQuestion(library, f.personId, [face(f.faceId)], dates)),
      };
      const summaries = faceSummariesOf(library, likely.faces.map((f) => face(f.faceId)));
      return {
        groups: likely.groups.map(({ groupId, personId, distance }) => ({ groupId, personId, distance })),
        faces: likely.faces.map(({ personId, distance }, i) => ({ face: summaries[i], personId, distance })),
      };
    },

    'unknown.maybe': ({ groupId }) => {
      const kept = groupMaybes();
      if (!kept.has(groupId)) {
        const found = groupCandidateOf(library, person(groupId).id);
        const maybe = found && !impossibleQuestion(library, found.personId, library.faces.filter((f) => f.personId === found.groupId), photoDates()) ? found : null;
        kept.set(groupId, maybe && { personId: maybe.personId, name: maybe.name, distance: maybe.distance, face: thumbRef(pictureOfPerson(library, maybe.personId) ?? maybe.nearestFaceId) });
      }
      return kept.get(groupId)!;
    },

    'unknown.faceMaybe': ({ faceId }) => {
      const kept = faceMaybes();
      const id = face(faceId).id;
      if (!kept.has(id)) {
        const { candidate: found, nearPersonIds } = looseFaceNeighbourhood(library, id);
        const candidate = found && !impossibleQuestion(library, found.personId, [face(id)], photoDates()) ? found : null;
        kept.set(id, { maybe: candidate && { personId: candidate.personId, name: candidate.name, distance: candidate.distance, face: thumbRef(pictureOfPerson(library, candidate.personId) ?? candidate.nearestFaceId) }, nearPersonIds: possibleOf(nearPersonIds, [face(id)]) });
      }
      return kept.get(id)!;
    },

    'unknown.nearPeople': ({ groupId }) => {
      const kept = nearPeople();
      const group = person(groupId);
      if (!kept.has(group.id)) {
        const cover = personViewOf(library, group, library.faces.filter((f) => f.personId === group.id)).coverFaceId;
        kept.set(group.id, { personIds: cover === null ? [] : possibleOf(namedPeopleNear(library, cover), library.faces.filter((f) => f.personId === group.id)) });
      }
      return kept.get(group.id)!;
    },

    'unknown.answer': ({ groupId, personId, same, faceIds, faceCount, leftOutFaceIds }) =>
      // A face shown that is gone since is a change the answer checks for ("This group changed"), not a bad argument.
      decision(answerGroupCandidate(library, person(groupId).id, person(personId).id, same, { faceIds, faceCount, leftOutFaceIds })),

    'unknown.samePerson': ({ groupId }) => {
      const kept = samePersons();
      if (!kept.has(groupId)) {
        // One person's view from the faces the question read, not the whole people list.
        const asked = samePersonQuestionOf(library, person(groupId).id);
        const names = namesOf(library);
        const shown = ({ faces, count }: { faces: readonly FaceRecord[]; count: number }) => ({ faces: faces.map((f) => faceSummary(f, names)), count });
        kept.set(groupId, asked && { other: summaryOf(personViewOf(library, asked.other, asked.otherFaces)), distance: asked.pair.distance, groupFaces: shown(asked.groupShown), otherFaces: shown(asked.otherShown) });
      }
      return kept.get(groupId)!;
    },

    'unknown.samePersonAnswer': ({ groupId, otherId, same, shown }) => decision(answerSamePerson(library, person(groupId).id, person(otherId).id, same, shown)),

    'photos.list': ({ offset, limit, timeZone, ...filter }) => {
      const order = newestFirst(timeZone);
      const places = placesWith(order, filter);
      const all = order.photos;
      const photos = places ? page(places, offset, limit).map((place) => all[place]) : page(all, offset, limit);
      const names = namesOf(library);
      const dates = photoDates();
      return { total: places?.length ?? all.length, photos: photos.map((p) => photoSummary(p, library.facesOfPhoto(p.id).filter(isShownFace), names, dates)) };
    },
    'photos.timeline': ({ timeZone, ...filter }) => {
      const order = newestFirst(timeZone);
      const places = placesWith(order, filter);
      const months = order.months();
      const runs = monthRuns(places ? places.map((place) => months[place]) : months);
      // Which runs hold only photos dated by their file's time (a copy's date): the screen says no age for those.
      let at = 0;
      return runs.map((run) => {
        const placesOf = Array.from({ length: run.count }, (_, i) => (places ? places[at + i]! : at + i));
        at += run.count;
        return run.month !== null && placesOf.every((place) => order.datedByFileTimeOnly(place)) ? { ...run, fileTimesOnly: true as const } : run;
      });
    },
    'photos.folders': ({ personIds, only }) => {
      const tree = folderTree();
      if (personIds.length === 0) return tree.folders;
      const order = newestFirst(undefined);
      return tree.foldersCounting(placesWith(order, { personIds, only })!.map((place) => order.photoIndex(place)));
    },
    'photos.get': async ({ photoId, timeZone }) => {
      // A box the user said holds no face is not drawn, listed or counted.
      const faces = library.facesOfPhoto(photoId).filter(isShownFace);
      // The viewer's name field says which "not" marks were a move away, not the user's word (moved-away.ts).
      const detail = photoDetail(photo(photoId), faces, namesOf(library), photoDates(), movedAwayFrom(library, faces));
      // How old each person with a birthday was, by the photo's day on its camera's clock (or the one its path states;
      // a copy's, its original's).
      const day = dayOfPeopleIn(library, photo(photoId), photoDates(), timeZone);
      const birthdays = new Map(library.people.people.flatMap((p) => (p.birthday !== undefined ? [[p.id, p.birthday] as const] : [])));
      const withAges = detail.faces.map((f) => {
        const birthday = f.personId === null ? undefined : birthdays.get(f.personId);
        const age = day === null || birthday === undefined ? null : ageOn(birthday, day);
        return age ? { ...f, age } : f;
      });
      const answer = { ...detail, faces: withAges, ...copyRelations(library, photo(photoId)) };
      // As the disk has it now, not as at the last import or check: deleted or moved since, the viewer says so at once
      // and where it was (it showed a black box saying the file may be moved, deleted, changed or damaged); a drive
      // plugged back in shows its photos again (a review).
      return { ...answer, missing: answer.paths.length > 0 ? await isGoneFile(answer.paths) : answer.missing };
    },
    'photos.copyTo': async ({ to: given, ...filter }) => {
      const to = onThisComputer(given);
      await checkCopyDestination(to, library.dir);
      // Chosen now, as the Photos screen shows them: photos imported while the copy runs are not among them.
      const order = newestFirst(undefined);
      const places = placesWith(order, filter);
      const photos = places ? places.map((place) => order.photos[place]!) : [...order.photos];
      return {
        jobId: jobs.start('copy-photos', async (signal, onProgress) => {
          try {
            return { ...(await copyPhotosTo(photos, { to, libraryDir: library.dir, signal, onProgress })) };
          } catch (err) {
            // Cancelled: the job ends 'cancelled' with what was copied, for the screen to say how far it got.
            if (err instanceof JobCancelledError && err.kept) return { ...(err.kept as CopyPhotosSummary) };
            throw err;
          }
        }),
      };
    },
    'photos.notCopy': async ({ photoId }) => {
      const result = await notACopy(library, photo(photoId).id);
      changed('photos');
      return result;
    },

    who: ({ photoId }) => {
      photo(photoId);
      const found = whoInPhoto(library, photoId).filter((w) => w.faceId !== null);
      const summaries = faceSummariesOf(library, found.map((w) => face(w.faceId!)));
      return { photoId, faces: found.map((w, i) => ({ face: summaries[i], best: w.best, candidates: w.candidates })) };
    },
    same: ({ faceA, faceB }) => {
      const view = sameFaces(library, face(faceA).id, face(faceB).id);
      return { distance: view.distance, threshold: view.threshold, same: view.same };
    },
    undo: async ({ onlyIfLatestIs, onlyIfLatestId }) => {
      // As a decision: the marker checks again only whom the undo changed, when it was one transaction (no regrouping).
      const from = library.revision;
      const { undone, message, personIds, faceIds } = await undoDecision(library, { onlyIfLatestIs, onlyIfLatestId });
      if (undone !== null) twoPeople.touched(from, library.revision, { personIds, faceIds });
      // Undoing a marked face takes it out of its photo.
      if (undone !== null) changed('photos', 'people', 'faces');
      return { undone, message };
    },
    redo: async () => {
      const from = library.revision;
      const { redone, personIds, faceIds, decisionId } = await redoDecision(library);
      if (redone !== null) twoPeople.touched(from, library.revision, { personIds, faceIds });
      if (redone !== null) changed('photos', 'people', 'faces');
      return { redone, decisionId };
    },

    'faces.review': ({ offset, limit }) => {
      const { total, faces } = studio.review({ offset, limit });
      const names = namesOf(library);
      return { total, faces: faces.map((f) => faceSummary(f, names)) };
    },

    'studio.interpolate': (args) => studio.interpolate(args),
    'studio.arithmetic': (args) => studio.arithmetic(args),
    'studio.denoise': (args) => studio.denoise(args),

    // A training that returns ran to its end: one that heeds a cancel throws. A cancel that came too late (during the
    // last pass, or once the new version was in use) must not read "stopped, nothing changed" over the version it put
    // in use (a code review: both at once on the card).
    'training.autoencoder.start': async ({ epochs, variational, exact, anyway }) => ({
      jobId: jobs.start(
        'train-autoencoder',
        trainingRuns.recorded('autoencoder', async (signal, onProgress) => finishedDespiteCancel(await studio.train({ epochs, variational, exact, anyway }, signal, onProgress))),
      ),
    }),

    'training.embedder.start': async ({ epochs, margin, anyway }) => ({
      jobId: jobs.start('train-embedder', trainingRuns.recorded('embedder', async (signal, onProgress): Promise<TrainingResult> => {
        const result = await trainEmbedder(library, { epochs, margin, anyway }, { signal, onProgress });
        // The chart stops short of the epochs asked for: say why (the CLI prints the same on its own line).
        const early = result.stoppedEarly
          ? ` Training stopped early, after ${plural(result.history.length, 'pass', 'passes')}: the faces set aside stopped improving, so the model after pass ${result.bestEpoch} is the one measured.`
          : '';
        return finishedDespiteCancel({
          adopted: result.adopted,
          why: result.why,
          // What it did not learn from until the user answers (the CLI says it too): a person who may be two, say.
          reason: [result.reason + early, result.questioned.words].filter(Boolean).join(' '),
          version: result.version,
          before: result.before,
          after: result.after,
          ...(result.nothingNew && { nothingNew: result.nothingNew }),
        });
      })),
    }),

    'models.list': async () => {
      const embedder = await listEmbedderModels(library);
      const autoencoder = await studio.versions();
      const interrupted = await trainingRuns.interrupted();
      return {
        embedder: embedder.models.map(({ details: _details, ...m }) => m),
        autoencoder: autoencoder.models,
        embedderInUse: embedder.inUse,
        ...(embedder.problem && { embedderProblem: embedder.problem }),
        autoencoderInUse: autoencoder.inUse,
        ...(Object.keys(interrupted).length > 0 && { interrupted }),
      };
    },
    'models.use': async ({ kind, version, anyway }) => {
      if (kind === 'autoencoder') {
        await studio.use(version);
        changed('models');
        // Each version is calibrated on its own training faces: every face is checked again, in the background.
        await jobs.replace('score-faceness', async (signal, onProgress) => ({ ...(await scoreFaceness(library, {}, { signal, onProgress })) }));
      } else {
        // Refused (nothing changed) when it would split groups nobody named, unless the user saw that and chose it.
        await useEmbedderModel(library, version, {}, { anyway });
        changed('models', 'people', 'faces');
      }
      return (handlers['models.list'] as () => Promise<CallResult<'models.list'>>)();
    },
    'models.checkUse': ({ version }) => checkEmbedderSwitch(library, version),

    'settings.get': () => visibleSettings(library),
    'settings.set': async ({ values }: ParsedArgs<'settings.set'>) => {
      for (const [key, value] of Object.entries(values)) checkSetting(key, value);
      await library.transaction((tx) => {
        // checkSetting let through only numbers and switches.
        Object.assign(tx.settings, values as Settings);
      });
      changed('settings');
      return visibleSettings(library);
    },
  };

  // An import Familiar closed or crashed during kept faces it never grouped: grouped now, as its end would have, and
  // said on the Import screen (QA: every kept face waited in "Who is this?" as in no group). Cancel and closing stop
  // it: the faces wait for the next open (or import), and closing the app is not held up.
  if (!library.readOnly && engine.hasUngroupedFaces()) {
    jobs.start('import', (signal, onProgress) => keptOnCancel(engine.finishStoppedImport({ signal, onProgress })));
  }
  // A face studio training stopped as it checked the faces outside its sample (it was in use by then): the check is
  // finished now, in the background, as choosing that version would do. A cancel leaves them to the next open.
  if (!library.readOnly && (await facesLeftUnchecked(library))) {
    jobs.start('score-faceness', async (signal, onProgress) => ({ ...(await scoreFaceness(library, {}, { signal, onProgress })) }));
  }
  twoPeople.refresh();

  return {
    handlers,
    rereadNames: async (files) => {
      if (library.readOnly || library.settings.readNamesOnImport === false) return null;
      // Refused before the files are compared, which forgets the export's own: the watcher offers them again later.
      if (jobs.list().some((job) => job.kind === 'import-names' && job.state === 'running')) throw new ApiError('busy', 'A names import is already running.');
      const changed = await ownSidecars.othersOf(files);
      const photoIds = photosNamedBySidecars(library.photos, changed);
      if (photoIds.size === 0) return null;
      return startNamesImport({ photoIds, sidecarsChanged: changed, sidecarsBuiltByFamiliar: await allBuiltByFamiliar(changed) });
    },
    photoPaths: (photoId) => library.photo(photoId)?.paths,
    faceOf: (faceId) => {
      const face = library.face(faceId);
      const photo = face && library.photo(face.photoId);
      return face && photo && { photoId: photo.id, box: face.box, width: photo.width, height: photo.height };
    },
    photoFile: (photoId) => library.photo(photoId),
    importedFolders: () => watchedFolders(library.settings),
    twoPeopleJudged: () => twoPeople.settled(),
    close: async () => {
      stopJudging();
      twoPeople.stop();
      studio.release();
      if (!options.engine) await engine.close();
    },
  };
}

/**
 * Whether every one of these sidecars is one a Familiar names export built and nobody changed since (its own digest
 * holds): `familiar names export` run from a terminal beside the app, or another computer's Familiar synced here. Still
 * read, since the other's names may differ; the window mentions the read only if it changed something.
 */
async function allBuiltByFamiliar(files: readonly string[]): Promise<boolean> {
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null || sidecarIsUntouched(text) !== true) return false;
  }
  return files.length > 0;
}

/** Folders of the operating system that hold no photos, only its own state (and would take ages to scan). */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev', '/run'];

/**
 * The folders among `paths`, as the disk spells them (watched once, however they were typed: main/paths.ts); a path
 * that cannot be imported is refused now, in a sentence, rather than as an import that "finished" and a watched folder
 * that is not there.
 */
async function importableFolders(paths: readonly string[]): Promise<string[]> {
  const folders: string[] = [];
  for (const path of paths) if ((await importableKind(path)) === 'folder') folders.push(await onDiskSpelling(path));
  return folders;
}

/** What an import of `path` would read: a folder (then watched), or one file. Anything else is refused with why. */
async function importableKind(path: string): Promise<'folder' | 'file'> {
  if (SYSTEM_FOLDERS.some((root) => path === root || path.startsWith(`${root}/`))) {
    throw new ApiError('invalid-argument', `${path} is a folder of the operating system, not of photos.`);
  }
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'there is no folder or file there' : code === 'EACCES' || code === 'EPERM' ? 'Familiar may not read it' : `it cannot be read (${code ?? String(err)})`;
    throw new ApiError('not-found', `Cannot import ${path}: ${why}. The path is looked up on the computer running Familiar.`);
  }
  if (info.isDirectory()) return 'folder';
  if (info.isFile()) {
    if (!isImageName(basename(path))) throw new ApiError('invalid-argument', `Cannot import ${path}: it is not a photo Familiar reads (${READ_FORMATS_IN_WORDS}).`);
    return 'file';
  }
  throw new ApiError('invalid-argument', `Cannot import ${path}: it is neither a folder nor a file.`);
}
