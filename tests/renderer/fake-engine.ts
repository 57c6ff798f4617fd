// A scripted, in-memory engine behind the real contract: every call goes through the real dispatcher (so the
// renderer's arguments are validated by the contract's schemas exactly as main validates them), jobs run in the
// real JobRegistry and events flow through the real EventHub. Component tests talk to it through a bridge;
// the scripted browser test serves it with the real HTTP server. It models what the screens rely on: people
// and unnamed groups, decisions with undo, suggestions that never return a rejected face, AND search.
import { createDispatcher, type Dispatcher, type Handlers } from '../../main/api/dispatch.js';
import { adoptionDecision } from '../../main/embedder/adoption.js';
import type { VersionMetrics } from '../../main/embedder/versions.js';
import { ApiError, notFound } from '../../main/api/errors.js';
import { EventHub } from '../../main/api/events.js';
import { JobRegistry } from '../../main/api/jobs.js';
import { clockTaken, monthRuns, monthTaken } from '../../main/api/months.js';
import { FolderTree } from '../../main/api/folders.js';
import { PhotoDates } from '../../main/api/photo-dates.js';
import { ageOn, beforeBirth, birthdayInWords, localToday, readBirthday } from '../../preload/birthdays.js';
import type {
  BackendInfo,
  CallName,
  FaceSummary,
  FamiliarBridge,
  ImportResult,
  LibraryInfo,
  LookAgainCost,
  ModelsList,
  NothingNew,
  StudioNothingNew,
  PersonSummary,
  PhotoSummary,
  Settings,
  CopyPhotosResult,
  UnnamedGroupsCheck,
} from '../../preload/contract.js';
import { callNames, eventNames, unnamedGroupsSplitSentence } from '../../preload/contract.js';

export type Box = [number, number, number, number];

export interface FakeFace {
  id: string;
  photoId: string;
  box: Box;
  /** Who it really is: the fake's stand-in for embedding similarity. */
  identity: string;
  personId: string | null;
  assignedBy: 'cluster' | 'user' | null;
  rejected: string[];
  /** Of `rejected`, the people it was moved away from (faces.move), not said not to be: its summaries say which. */
  movedFrom?: string[];
  /** FaceSummary.unrecognisable: too small, cut off or unclear to group, or likely not a face. */
  unrecognisable?: 'small' | 'cut' | 'unclear' | 'not-a-face';
}

/** An import's result as the engine reports it: nothing found, nothing stopped, but for the fields given. */
export function importResult(fields: Partial<ImportResult> = {}): ImportResult {
  return { photosSeen: 0, photosAdded: 0, photosUnchanged: 0, photosMissing: 0, photosMoved: 0, photosEdited: 0, facesFound: 0, skipped: [], names: null, noPhotos: null, stopped: null, ...fields };
}

export interface FakePhoto {
  id: string;
  path: string;
  width: number;
  height: number;
  takenAt: string | null;
  /** The UTC offset of the camera's clock (PhotoSummary.takenOffset); unknown when absent. */
  takenOffset?: number | null;
  /** Whether the photo's EXIF said takenOffset (PhotoSummary.takenOffsetKnown); not when absent. */
  takenOffsetKnown?: boolean;
  /** The file's modification time, which with its path dates a photo without a camera date (PhotoSummary.fileDate). */
  fileDate?: string | null;
  faceIds: string[];
  /** The photo this one is a resized copy of (PhotoDetail.copyOf). */
  copyOf?: string;
}

/** The offset of a camera date's clock where known (PhotoSummary.takenOffset). */
const photoOffset = (photo: FakePhoto) => (photo.takenAt !== null ? (photo.takenOffset ?? null) : null);
/** A photo without a camera date dated by its path and file's time, as the engine does (PhotoDates). */
const photoDating = (photo: FakePhoto, dates: PhotoDates) =>
  dates.of({ takenAt: photo.takenAt, paths: [photo.path], fileStamps: photo.fileDate ? { [photo.path]: { size: 0, mtimeMs: Date.parse(photo.fileDate) } } : undefined });
/** The clock the grid sorts a photo by and its month, as NewestFirst has them. */
const photoClock = (photo: FakePhoto, dates: PhotoDates, timeZone?: string) => {
  const dating = photoDating(photo, dates);
  return photo.takenAt !== null ? clockTaken(photo.takenAt, photoOffset(photo), timeZone) : dating ? dating.clock(timeZone) : null;
};
const photoMonth = (photo: FakePhoto, dates: PhotoDates, timeZone?: string) => {
  const dating = photoDating(photo, dates);
  return dating ? dating.month(timeZone) : monthTaken(photo.takenAt, timeZone, photoOffset(photo));
};

export interface FakePerson {
  id: string;
  name: string | null;
  hidden: boolean;
  coverFaceId: string | null;
  /** The user said this group is one person though it looked like two. */
  onePerson?: boolean;
  /** The faces "Don't ask again" confirmed, which "Ask again" unconfirms (as the engine's decision log tells it). */
  confirmedAsOne?: string[];
  /** As PersonRecord.birthday: "2019-05-03", "2019-05" or "2019". */
  birthday?: string;
}

/** A generated image the studio asks for: a step between two faces, a face changed, noised or restored. */
export interface PaintRequest {
  kind: 'mix' | 'sum' | 'noisy' | 'clean';
  faceId: string;
  toFaceId?: string;
  t?: number;
}

export interface FakeState {
  photos: FakePhoto[];
  faces: FakeFace[];
  people: FakePerson[];
  /** Identities that look alike (identity -> its lookalike): their faces are "is this A or B?" questions. */
  lookalikes?: Record<string, string>;
  /** People merged away (person id -> the id merged into), as the engine's decision log remembers them; undo restores it with the rest. */
  mergedInto?: Record<string, string>;
  /**
   * Named people merged into named people, and unnamed groups that joined them (a name, a Yes, a merge), who can be
   * separated again (people.separate), newest last.
   */
  mergedAway?: Array<{ intoId: string; person: FakePerson; faceIds: string[]; at: string }>;
}

/**
 * A face tag another app (digiKam, Lightroom, Immich…) wrote into a photo's XMP: the name, and the face under
 * its region (null when no detected face lies under it).
 */
export interface FakeXmpTag {
  photoId: string;
  name: string;
  faceId: string | null;
}

/** Photos an import "finds" under a folder, with the files it skips and why. */
export interface PendingFolder {
  folder: string;
  state: FakeState;
  skipped: Array<{ path: string; reason: string; folder?: true }>;
  /** What the folder's face tags named (ImportResult.names), if any. */
  names?: ImportResult['names'];
  /** A gone watched folder (goneFolders) moved here: importing this one finds its photos, and watches it instead. */
  movedFrom?: string;
}

const FAKE_BACKEND = { name: 'wasm' as const, reason: 'tfjs-node is not installed; WebAssembly with SIMD is the fastest backend here.', simd: true, threads: 1 };
const SAME = 0.28;
const DIFFERENT = 0.82;

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** A removal plan as the contract has it (the fake keeps which photos it names). */
const withoutIds = <T extends { photoIds: string[] }>({ photoIds: _photoIds, ...plan }: T) => plan;
const inside = (path: string, folder: string) => path === folder || path.startsWith(folder.endsWith('/') ? folder : folder + '/');
/** A path given to an import as main/api/handlers.ts spells it (onThisComputer): "/photos/album/" is "/photos/album". */
const asKept = (path: string) => path.replace(/(?<=[^/])\/+$/, '');

/** The sample album with what training needs: two named people with confirmed faces each, and 16 faces or more. */
export function trainableAlbum(): FakeState {
  const album = sampleAlbum();
  album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
  for (const face of album.faces) if ((face.personId === 'person-ada' && face.identity === 'ada') || face.personId === 'person-bob') face.assignedBy = 'user';
  const stranger = album.faces.find((f) => f.identity === 'stranger')!;
  const photo = album.photos.find((p) => p.id === stranger.photoId)!;
  for (let i = 0; album.faces.length < 16; i++) {
    album.faces.push({ ...stranger, id: `extra-${i}`, box: [20 + i * 10, 20, 40, 40] });
    photo.faceIds.push(`extra-${i}`);
  }
  return album;
}

export class FakeEngine {
  readonly events = new EventHub();
  readonly jobs = new JobRegistry(this.events);
  readonly dispatcher: Dispatcher;
  /** Every call the UI made, in order, with its validated arguments: tests assert on decisions. */
  readonly log: Array<{ name: CallName; args: unknown }> = [];
  state: FakeState;
  pending: PendingFolder[] = [];
  settings: Settings = { samePersonDistance: 0.3, analysisMaxSide: 1280, readNamesOnImport: true };
  /** LibraryInfo.backend and the doctor's: WebAssembly, tfjs-node not installed, unless a test says otherwise. */
  backend: BackendInfo = FAKE_BACKEND;
  /** LibraryInfo.measuredSamePersonDistance: the setting starts at it, as a new library's does. */
  measuredSamePersonDistance = 0.3;
  models: ModelsList = { embedder: [], autoencoder: [], embedderInUse: 'raw', autoencoderInUse: null };
  /** The groups nobody named each recognition version would split, as models.checkUse answers (none: it splits none). */
  unnamedGroupsSplit: Record<string, UnnamedGroupsCheck> = {};
  folders: string[] = [];
  /** Watched folders no longer on disk (moved or renamed): library.info says so. */
  goneFolders: string[] = [];
  /** Folders of imports Familiar closed or crashed during (library.info offers to resume them). */
  unfinishedImports: string[] = [];
  /** What the desktop folder picker answers (empty = the user cancelled). */
  chosenFolders: string[] = [];
  /** Photos whose file "Show in folder" does not find on disk. */
  goneFromDisk: string[] = [];
  /** Face tags other apps wrote, which 'names.import' reads. */
  xmpTags: FakeXmpTag[] = [];
  /**
   * Faces other apps marked and nobody named, by photo: 'names.import' finds the missed face (missedFaces) a mark lies
   * on, adds it and places it with its person, as the engine's closer look does.
   */
  unnamedMarks: string[] = [];
  /** Sidecars in a folder 'names.import' may read `from`, by folder: none of them is a photo's of this library. */
  /** Names in a Picasa contacts.xml that a folder read with names.import `from` holds, by folder. */
  folderPicasaContacts: Record<string, number> = {};
  folderSidecars: Record<string, number> = {};
  /** Photo paths whose sidecar another app wrote: 'names.export' beside the photos writes into it, after a backup. */
  foreignSidecars: string[] = [];
  /** The name another app's sidecar gives the face of a photo path: a different name is a conflict, not written. */
  foreignNames: Record<string, string> = {};
  /** Photo paths whose sidecar cannot be read or written, with the reason (both names jobs skip them). */
  unreadableSidecars: Record<string, string> = {};
  /** Photos an earlier version of Familiar analysed ('import.lookAgain' analyses them again). */
  analysedEarlier: string[] = [];
  /** Unchanged photos an import reads again, an older version having analysed them (an upgrade's: ImportProgressDetail.readAgain). */
  importReadsAgain = 0;
  /** Of those, the photos that may hold a face lying on its side (LibraryCounts.lookAgainSideways). */
  mayHoldSideways: string[] = [];
  /** What looking again at them costs a photo, and from what (LibraryCounts.lookAgainCost): a typical pace unless set. */
  lookAgainPace: { secondsPerPhoto: number; basis: LookAgainCost['basis'] } = { secondsPerPhoto: 1.25, basis: 'typical' };
  /** Faces of those photos the earlier version missed: looking again finds them. */
  missedFaces: FakeState['faces'] = [];
  /** Photos whose files changed since the import: 'faces.addDrawn' refuses to look into them. */
  changedFiles: string[] = [];
  /** Photos whose files are gone from disk ('library.removeMissing' forgets them). */
  missingPhotos: string[] = [];
  /** The library's own folder (library.info's libraryDir): 'photos.copyTo' refuses to copy into or around it. */
  libraryDir = '/home/ada/.config/Familiar';
  /** The files 'photos.copyTo' made, by folder copied into, then by file name, with the photo each holds. */
  copiedFiles = new Map<string, Map<string, string>>();
  /** Photo paths 'photos.copyTo' cannot read, or write into the folder, with the reason (it goes on with the rest). */
  uncopyable: Record<string, string> = {};
  /** Set: 'photos.copyTo' finds the disk full once it has copied this many photos, and stops, as the engine does. */
  diskFullAfter: number | null = null;
  /** Model files the doctor reports missing. */
  missingModelFiles: string[] = [];
  /** Faces Familiar placed with named people that the next 'recluster.start' leaves in no group (the placement check). */
  regroupReleases = 0;
  /** The same-person distance each 'recluster.start' regrouped with (the saved setting), in order. */
  readonly reclusteredWith: number[] = [];
  /** While set, the library is still opening (the desktop shows its window first): every call but library.opening waits for it. */
  opening: Promise<void> | null = null;
  /** Sidecars 'names.export' wrote, by sidecar path, with their content (a re-run leaves equal ones unchanged). */
  sidecars = new Map<string, string>();
  /** Other apps' sidecars an export kept a copy of (xmp-names.ts SidecarBackups). */
  sidecarsBackedUp = new Set<string>();
  /** Delay between simulated job steps. */
  stepMs = 40;
  /**
   * The figures of the next recognition training, to keep the version in use instead of adopting one; why and the
   * reason are the engine's own decision on them (main/embedder/adoption.ts), as the screen shows them.
   */
  embedderKept: { before: VersionMetrics; after: VersionMetrics } | null = null;
  /** Set: recognition training has nothing new to learn from and stops at once, as the engine does, unless `anyway`. */
  embedderNothingNew: NothingNew | null = null;
  /** Set: the face studio has a version trained on the same faces and settings and stops at once, unless `anyway`. */
  studioNothingNew: StudioNothingNew | null = null;
  /** How long a cancelled import takes to stop (the engine finishes the photos in hand and groups the faces kept). */
  stopMs = 0;
  /** Calls answered only after this many ms, as a busy engine does: lets events of one call land before the next returns. */
  callDelays: Partial<Record<CallName, number>> = {};
  /** Calls that fail with this message, as the engine's do on a full disk or a locked file: nothing changes. */
  failing: Partial<Record<CallName, string>> = {};
  /** An import fails with this message after reading this many photos, as one does when the disk fills: what it read is kept. */
  importFailure: { after: number; message: string } | null = null;
  /** message: what its undo says came back, as the engine words it (main/people/undone-words.ts); else "Undid: …". */
  private undoStack: Array<{ id: string; description: string; state: FakeState; kind: string; message?: string }> = [];
  private decisionsMade = 0;
  /** Decisions undone, newest undo last, with the state each undo took back: what redo puts back, as the engine's does. */
  private redoStack: Array<{ undone: FakeEngine['undoStack'][number]; after: FakeState }> = [];
  /** A decision was made after an undo: redo refuses, as the engine's does (main/people/redo.ts). */
  private decidedSinceUndo = false;
  private nextPerson = 1;
  private generated = 0;

  constructor(state: FakeState = { photos: [], faces: [], people: [] }) {
    this.state = clone(state);
    this.nextPerson = this.state.people.length + 1;
    const handlers = this.handlers();
    const logged: Handlers = {};
    for (const [name, handler] of Object.entries(handlers) as Array<[CallName, (args: unknown) => unknown]>) {
      (logged as Record<string, unknown>)[name] = (args: unknown) => {
        // While the library opens, calls wait for it, as the desktop's openingApi makes them.
        if (this.opening && name !== 'library.opening') return this.opening.then(() => (this.log.push({ name, args }), handler(args)));
        this.log.push({ name, args });
        const failure = this.failing[name];
        const delay = this.callDelays[name];
        // A delayed failure, as a busy engine's: the screen is seen waiting for the answer, then refused.
        if (failure !== undefined && delay) return new Promise((done) => setTimeout(done, delay)).then(() => Promise.reject(new ApiError('failed', failure)));
        if (failure !== undefined) throw new ApiError('failed', failure);
        if (delay) return new Promise((done) => setTimeout(done, delay)).then(() => handler(args));
        return handler(args);
      };
    }
    this.dispatcher = createDispatcher(logged);
  }

  /** A `window.familiar`-shaped bridge over the dispatcher and event hub (what the preload would expose). */
  bridge(mode: 'electron' | 'browser' = 'browser'): FamiliarBridge {
    const calls = Object.fromEntries(callNames.map((name) => [name, (args?: unknown) => this.dispatcher.call(name, structuredClone(args))]));
    const events = Object.fromEntries(
      eventNames.map((name) => [
        name,
        (listener: (payload: unknown) => void) => this.events.subscribe((event, payload) => event === name && listener(structuredClone(payload))),
      ]),
    );
    return { mode, calls, events } as unknown as FamiliarBridge;
  }

  calls(name: CallName): unknown[] {
    return this.log.filter((entry) => entry.name === name).map((entry) => entry.args);
  }

  /**
   * The engine's news that the People cards' "may be two people" marks were worked out again (its background fill,
   * main/people/two-people-verdicts.ts; the fake's own marks are exact at once, so it never sends this itself).
   */
  marksChanged(): void {
    this.events.emit('library.changed', { what: ['marks'] });
  }

  // ---- model ---------------------------------------------------------------------------------------------

  person(id: string): FakePerson {
    const person = this.state.people.find((p) => p.id === id);
    if (!person) throw notFound('person', id);
    return person;
  }

  face(id: string): FakeFace {
    const face = this.state.faces.find((f) => f.id === id);
    if (!face) throw notFound('face', id);
    return face;
  }

  photo(id: string): FakePhoto {
    const photo = this.state.photos.find((p) => p.id === id);
    if (!photo) throw notFound('photo', id);
    return photo;
  }

  facesOf(personId: string): FakeFace[] {
    if (this.facesByPerson) return this.facesByPerson.get(personId) ?? [];
    return this.state.faces.filter((f) => f.personId === personId);
  }

  /**
   * Each person's faces while one answer reads every person's (withFacesByPerson): 3,000 groups each filtering every
   * face made people.list take seconds, with the e2e test's browser driver waiting in the same process.
   */
  private facesByPerson: Map<string, FakeFace[]> | null = null;

  /** `read`, which changes nothing, with facesOf answered from one pass over the faces. */
  private withFacesByPerson<T>(read: () => T): T {
    const byPerson = new Map<string, FakeFace[]>();
    for (const face of this.state.faces) {
      if (!face.personId) continue;
      const own = byPerson.get(face.personId);
      if (own) own.push(face);
      else byPerson.set(face.personId, [face]);
    }
    this.facesByPerson = byPerson;
    try {
      return read();
    } finally {
      this.facesByPerson = null;
    }
  }

  /** The ids of the people holding a face. */
  private holdingFaces(): Set<string> {
    return new Set(this.state.faces.flatMap((f) => (f.personId ? [f.personId] : [])));
  }

  /** The identity most of a person's faces have: what the fake's "embedding" says the person looks like. */
  private identityOf(personId: string): string | null {
    const counts = new Map<string, number>();
    for (const face of this.facesOf(personId)) counts.set(face.identity, (counts.get(face.identity) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }

  private distance(face: FakeFace, personId: string): number {
    const index = this.state.faces.indexOf(face);
    return (face.identity === this.identityOf(personId) ? SAME : DIFFERENT) + (index % 7) * 0.004;
  }

  /**
   * Unlike: a clustering face whose identity differs from the person's confirmed faces (the fake's stand-in for
   * "farther than the same-person distance from them").
   */
  private unlikeOf(personId: string): FakeFace[] {
    const own = this.facesOf(personId);
    const confirmedIdentity = own.find((f) => f.assignedBy === 'user')?.identity;
    return own.filter((f) => confirmedIdentity !== undefined && f.assignedBy !== 'user' && f.identity !== confirmedIdentity);
  }

  /** Confirmed faces unlike the other confirmed ones: those of another identity than most of them have. */
  private unlikeConfirmedOf(personId: string): FakeFace[] {
    const confirmed = this.facesOf(personId).filter((f) => f.assignedBy === 'user');
    const counts = new Map<string, number>();
    for (const f of confirmed) counts.set(f.identity, (counts.get(f.identity) ?? 0) + 1);
    const most = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    return confirmed.filter((f) => f.identity !== most);
  }

  /** What library.info answers. */
  /** What switching recognition to `version` does to the groups nobody named: as scripted, else every group kept whole. */
  private unnamedGroupsCheck(version: string): UnnamedGroupsCheck {
    const unnamed = this.state.people.filter((p) => p.name === null).length;
    return this.unnamedGroupsSplit[version] ?? { groups: unnamed, keptWhole: unnamed, torn: 0, tornSizes: [] };
  }

  private lookAgainCost(): LookAgainCost {
    return { seconds: this.analysedEarlier.length * this.lookAgainPace.secondsPerPhoto, basis: this.lookAgainPace.basis };
  }

  private libraryInfo(): LibraryInfo {
    const holding = this.holdingFaces();
    return {
      libraryDir: this.libraryDir,
      schemaVersion: 1,
      counts: {
        photos: this.state.photos.length,
        missingPhotos: this.missingPhotos.length,
        faces: this.state.faces.length,
        people: this.state.people.length,
        // As People lists them (main/api/handlers.ts): not hidden, holding faces.
        namedPeople: this.state.people.filter((p) => p.name && !p.hidden && holding.has(p.id)).length,
        unknownFaces: this.state.faces.filter((f) => !f.personId).length,
        toName: {
          groups: this.state.people.filter((p) => !p.name && !p.hidden && holding.has(p.id)).length,
          faces: this.state.faces.filter((f) => !f.personId && f.assignedBy !== 'user').length,
        },
        lookAgain: this.analysedEarlier.length,
        lookAgainSideways: this.analysedEarlier.filter((id) => this.mayHoldSideways.includes(id)).length,
        lookAgainCost: this.lookAgainCost(),
      },
      folders: this.folders,
      goneFolders: this.goneFolders.filter((f) => this.folders.includes(f)),
      unwatchedFolders: this.unwatchedFolders(),
      unfinishedImports: this.jobs.list().some((j) => j.kind === 'import' && j.state === 'running') ? [] : this.unfinishedImports,
      mode: 'browser',
      version: '0.1.0',
      backend: this.backend,
      measuredSamePersonDistance: this.measuredSamePersonDistance,
    };
  }

  private summary(person: FakePerson): PersonSummary {
    const faces = this.facesOf(person.id);
    const cover = faces.find((f) => f.id === person.coverFaceId) ?? faces[0] ?? null;
    return {
      id: person.id,
      name: person.name,
      faceCount: faces.length,
      photoCount: new Set(faces.map((f) => f.photoId)).size,
      coverFaceId: cover?.id ?? null,
      cover: cover ? `thumb/${cover.id}` : null,
      toCheck: this.unlikeOf(person.id).length,
      confirmedCount: faces.filter((f) => f.assignedBy === 'user').length,
      hidden: person.hidden,
      // The engine judges in the background; the fake's verdict is known at once.
      mayBeTwoPeople: !person.hidden && this.twoPeopleOf(person.id) !== null,
      ...(person.birthday !== undefined ? { birthday: person.birthday } : {}),
      // As the engine: who most of an unnamed group's faces were said not to be (main/api/views.ts).
      ...(person.name === null ? this.saidNotOf(faces) : {}),
    };
  }

  private saidNotOf(faces: readonly FakeFace[]): { notPersonIds?: string[] } {
    const ids = [...new Set(faces.flatMap((f) => f.rejected))].filter((id) => faces.filter((f) => f.rejected.includes(id)).length * 2 > faces.length);
    return ids.length > 0 ? { notPersonIds: ids } : {};
  }

  /** Two identities of 3+ faces each in one person: the cover's (else the larger) stays, the other would leave. */
  private twoPeopleOf(personId: string): { stays: FakeFace[]; leaves: FakeFace[] } | null {
    const person = this.person(personId);
    if (person.onePerson) return null;
    const byIdentity = new Map<string, FakeFace[]>();
    for (const f of this.facesOf(personId)) byIdentity.set(f.identity, [...(byIdentity.get(f.identity) ?? []), f]);
    const parts = [...byIdentity.values()].filter((faces) => faces.length >= 3).sort((a, b) => b.length - a.length);
    if (parts.length < 2) return null;
    const [a, b] = parts;
    return b.some((f) => f.id === person.coverFaceId) ? { stays: b, leaves: a } : { stays: a, leaves: b };
  }

  private faceSummary(face: FakeFace): FaceSummary {
    const person = face.personId ? this.state.people.find((p) => p.id === face.personId) : undefined;
    const nameOf = (id: string) => this.state.people.find((p) => p.id === id)?.name ?? [];
    const notPersonNames = face.rejected.flatMap(nameOf);
    // Of those, whom a move took it away from (main/people/moved-away.ts).
    const moved = (face.movedFrom ?? []).filter((p) => face.rejected.includes(p));
    const movedFromPersonNames = moved.flatMap(nameOf);
    return {
      id: face.id,
      photoId: face.photoId,
      box: face.box,
      score: 0.98,
      personId: face.personId,
      personName: person?.name ?? null,
      assignedBy: face.assignedBy,
      faceness: null,
      unrecognisable: face.unrecognisable ?? null,
      thumb: `thumb/${face.id}`,
      // As the engine (main/api/views.ts): whom the face was said not to be, and the names of those who have one.
      ...(face.rejected.length ? { notPersonIds: [...face.rejected] } : {}),
      ...(notPersonNames.length ? { notPersonNames } : {}),
      ...(moved.length ? { movedFromPersonIds: moved } : {}),
      ...(movedFromPersonNames.length ? { movedFromPersonNames } : {}),
    };
  }

  /**
   * The photos with all these people (with `only`, nobody else), newest first on `timeZone`'s clock for those whose
   * offset is not known, and undated last, as the engine gives them.
   */
  private photosWith(personIds: string[], only: boolean, timeZone?: string, folder: { folderId?: string; subfolders?: boolean } = {}, dates = this.photoDates()): FakePhoto[] {
    for (const id of personIds) this.person(id);
    const faces = new Map(this.state.faces.map((f) => [f.id, f]));
    const tree = this.folderTree();
    if (folder.folderId !== undefined && !tree.folder(folder.folderId)) throw new ApiError('not-found', 'No photo of the library is in that folder any more.');
    const inFolder = folder.folderId === undefined ? () => true : tree.holds(folder.folderId, folder.subfolders !== false);
    return this.state.photos
      .filter((_, index) => inFolder(index))
      .filter((photo) => {
        const people = new Set(photo.faceIds.map((id) => faces.get(id)?.personId).filter(Boolean));
        if (!personIds.every((id) => people.has(id))) return false;
        return !only || [...people].every((id) => personIds.includes(id as string));
      })
      .map((photo) => ({ photo, clock: photoClock(photo, dates, timeZone), name: photoDating(photo, dates) ? photo.path.slice(photo.path.lastIndexOf('/') + 1) : null }))
      .sort(({ photo: a, clock: clockA, name: nameA }, { photo: b, clock: clockB, name: nameB }) => {
        if (clockA !== clockB) return clockA === null ? 1 : clockB === null ? -1 : clockB - clockA;
        if (nameA !== null && nameB !== null && nameA !== nameB) return nameA < nameB ? 1 : -1;
        return a.id < b.id ? -1 : 1;
      })
      .map(({ photo }) => photo);
  }

  /** The photos' folders under the watched ones, as the engine builds them (main/api/folders.ts). */
  private folderTree(): FolderTree {
    return new FolderTree(this.state.photos.map((p) => ({ id: p.id, paths: [p.path] })), this.folders);
  }

  /** Dates for the photos as they are now: tests change them between calls. */
  private photoDates(): PhotoDates {
    return new PhotoDates(this.folders);
  }

  private photoSummary(photo: FakePhoto): PhotoSummary {
    const dating = photoDating(photo, this.photoDates());
    return {
      id: photo.id,
      width: photo.width,
      height: photo.height,
      takenAt: photo.takenAt,
      takenOffset: photoOffset(photo),
      takenOffsetKnown: photoOffset(photo) !== null && photo.takenOffsetKnown === true,
      fileDate: dating?.date ?? null,
      fileDateFrom: dating?.from ?? null,
      missing: this.missingPhotos.includes(photo.id),
      faceCount: photo.faceIds.length,
      people: [...new Set(photo.faceIds.flatMap((id) => {
        const personId = this.face(id).personId;
        const name = personId ? this.state.people.find((p) => p.id === personId)?.name : null;
        return name ? [name] : [];
      }))],
      preview: `preview/${photo.id}`,
      focus: photo.faceIds.length ? { x: 0.5, y: 0.3 } : null,
    };
  }

  private suggestionsFor(personId: string, limit: number) {
    return this.state.faces
      .filter((f) => f.personId !== personId && !f.rejected.includes(personId) && f.assignedBy !== 'user')
      .map((f) => ({ face: f, distance: this.distance(f, personId) }))
      .filter((s) => s.distance < 0.5)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, limit);
  }

  /**
   * "Is this <Name>?" about an unnamed group: the named person whose confirmed faces are the group's identity (or its
   * lookalike's, a little farther), nearest first, leaving out people most of its faces were said not to be and people
   * in one of its photos. Confirmed faces only, so the sample album (nobody confirmed) asks nothing of the kind.
   */
  private groupCandidateOf(groupId: string) {
    const faces = this.facesOf(groupId);
    const identity = this.identityOf(groupId);
    if (!identity) return undefined;
    const photos = new Set(faces.map((f) => f.photoId));
    const lookalike = this.state.lookalikes?.[identity];
    return this.state.people
      .filter((p) => p.name && !p.hidden)
      .flatMap((p) => {
        const confirmed = this.facesOf(p.id).filter((f) => f.assignedBy === 'user').map((f) => f.identity);
        const theirs = confirmed.length ? confirmed.sort((a, b) => confirmed.filter((x) => x === b).length - confirmed.filter((x) => x === a).length)[0] : null;
        const distance = theirs === identity ? SAME * 0.15 : theirs !== null && theirs === lookalike ? SAME * 0.18 : null;
        const rejected = faces.filter((f) => f.rejected.includes(p.id)).length;
        if (distance === null || rejected >= Math.min(3, Math.ceil(faces.length / 2))) return [];
        if (this.facesOf(p.id).some((f) => photos.has(f.photoId))) return [];
        // The person by their picture, as the engine shows them (main/people/queries.ts, pictureOf).
        return [{ personId: p.id, name: p.name!, distance, face: this.summary(p).cover! }];
      })
      .sort((a, b) => a.distance - b.distance)[0];
  }

  /**
   * The named people a face looks like, nearest first, as main/people/face-candidates.ts: those whose confirmed faces
   * are its identity, then its lookalike's; those it was said not to be last (a loose face's name field), or left out
   * (`saidNot: 'left out'`, a group's cover).
   */
  private nearPeopleOf(face: FakeFace, saidNot: 'last' | 'left out' = 'last'): string[] {
    const lookalike = this.state.lookalikes?.[face.identity];
    const rank = (p: FakePerson) => {
      const theirs = this.facesOf(p.id).find((f) => f.assignedBy === 'user')?.identity;
      return theirs === face.identity ? 0 : theirs !== undefined && theirs === lookalike ? 1 : -1;
    };
    const said = (p: FakePerson) => Number(face.rejected.includes(p.id));
    return this.state.people
      .filter((p) => p.name && !p.hidden && rank(p) >= 0)
      .sort((a, b) => rank(a) - rank(b))
      .slice(0, 5)
      .sort((a, b) => said(a) - said(b))
      .filter((p) => saidNot === 'last' || !said(p))
      .map((p) => p.id);
  }

  /**
   * "Is this <Name>?" about a loose face: the named person whose confirmed faces are its identity (their suggestions
   * would offer it), unless it was said not to be them or they are confirmed in its photo.
   */
  private faceCandidateOf(face: FakeFace) {
    if (face.personId !== null || face.assignedBy === 'user') return null;
    const person = this.state.people.find((p) => p.id === this.nearPeopleOf(face, 'left out')[0]);
    const theirs = person ? this.facesOf(person.id).filter((f) => f.assignedBy === 'user') : [];
    if (!person || theirs[0]?.identity !== face.identity || theirs.some((f) => f.photoId === face.photoId)) return null;
    return { personId: person.id, name: person.name!, distance: SAME * 0.15, face: this.summary(person).cover! };
  }

  /**
   * "Are these the same person?" about an unnamed group, as main/people/same-person.ts: another unnamed group of the
   * same identity, never one sharing a photo, never a pair a No was said about (each group's faces "not" the other;
   * either side's marks count).
   */
  private samePersonOf(groupId: string) {
    const faces = this.facesOf(groupId);
    const identity = this.identityOf(groupId);
    if (!identity) return undefined;
    const photos = new Set(faces.map((f) => f.photoId));
    const saidNo = (of: readonly FakeFace[], id: string) => of.filter((f) => f.rejected.includes(id)).length >= Math.min(3, Math.ceil(of.length / 2));
    const other = this.state.people.find((p) => {
      if (p.id === groupId || p.name || p.hidden || this.identityOf(p.id) !== identity) return false;
      const theirs = this.facesOf(p.id);
      return !theirs.some((f) => photos.has(f.photoId)) && !saidNo(faces, p.id) && !saidNo(theirs, groupId);
    });
    if (!other) return undefined;
    const shown = (of: readonly FakeFace[]) => ({ faces: of.slice(0, 4).map((f) => this.faceSummary(f)), count: of.length });
    return { other: this.summary(other), distance: SAME * 0.4, groupFaces: shown(faces), otherFaces: shown(this.facesOf(other.id)) };
  }

  /** Runs a decision: remembers the state before it for undo, and tells every window what changed. */
  private decide(description: string, change: () => { personIds: string[]; faceIds: string[] }, kind = 'decision', undoMessage?: string) {
    const before = clone(this.state);
    const touched = change();
    const decisionId = `decision-${++this.decisionsMade}`;
    this.undoStack.push({ id: decisionId, description, state: before, kind, message: undoMessage });
    if (this.redoStack.length > 0) [this.redoStack, this.decidedSinceUndo] = [[], true];
    // A person left without faces is gone, as in the engine.
    const holding = this.holdingFaces();
    this.state.people = this.state.people.filter((p) => p.name !== null || holding.has(p.id));
    this.events.emit('library.changed', { what: ['people', 'faces'] });
    return { description, ...touched, decisionId };
  }

  /** An unnamed group joined a named person (a name, a Yes): what it brought is kept, as the engine keeps it. */
  private joined(intoId: string, group: FakePerson, faces: readonly FakeFace[]): void {
    if (faces.length > 0) (this.state.mergedAway ??= []).push({ intoId, person: clone(group), faceIds: faces.map((f) => f.id), at: new Date().toISOString() });
  }

  /** Photos showing faces of two or more of these people. */
  private photosTogether(personIds: readonly string[]): number {
    const byPhoto = new Map<string, Set<string>>();
    for (const f of this.state.faces) {
      if (!f.personId || !personIds.includes(f.personId)) continue;
      byPhoto.set(f.photoId, (byPhoto.get(f.photoId) ?? new Set()).add(f.personId));
    }
    return [...byPhoto.values()].filter((people) => people.size >= 2).length;
  }

  private personNamed(name: string): FakePerson | undefined {
    return this.state.people.find((p) => p.name?.toLowerCase() === name.toLowerCase());
  }

  private newPerson(name: string | null): FakePerson {
    const person: FakePerson = { id: `person-new-${this.nextPerson++}`, name, hidden: false, coverFaceId: null };
    this.state.people.push(person);
    return person;
  }

  /**
   * Draws the pixels of a generated image and returns its id, when a test wants real pictures (the scripted
   * browser test); component tests leave it unset and get refs that name no image.
   */
  painter?: (request: PaintRequest) => Promise<string>;

  private async generatedRef(request: PaintRequest): Promise<`generated/${string}`> {
    if (this.painter) return `generated/${await this.painter(request)}`;
    return `generated/${request.kind}-${this.generated++}-${request.faceId}`;
  }

  /** The topmost folders of the photos outside every watched folder (main/api/folders.ts FolderTree's top folders). */
  private unwatchedFolders(): string[] {
    const loose = [...new Set(this.state.photos.map((p) => p.path.slice(0, p.path.lastIndexOf('/'))))].filter((dir) => !this.folders.some((f) => inside(dir, f)));
    return loose.filter((dir) => !loose.some((other) => other !== dir && inside(dir, other))).sort();
  }

  /** The real engine's rule (main/library/remove-folder.ts) over the fake's one path per photo. */
  private folderRemovalPlan(folder: string) {
    const photos = this.state.photos.filter((p) => inside(p.path, folder)).map((p) => p.id);
    if (photos.length === 0 && !this.folders.some((f) => inside(f, folder))) {
      throw new ApiError('invalid-argument', `The library has no photo in ${folder}, and does not watch it: nothing to remove.`);
    }
    return this.removalPlan(folder, photos);
  }

  /** What removing these photos takes with it; `folder` null: the photos missing from disk. */
  private removalPlan(folder: string | null, photoIds: string[]) {
    if (folder === null && photoIds.length === 0) throw new ApiError('invalid-argument', 'Every photo of the library is on disk: nothing to forget.');
    const watched = folder !== null && this.folders.some((f) => inside(f, folder));
    const photos = this.state.photos.filter((p) => photoIds.includes(p.id));
    const faces = this.state.faces.filter((f) => photos.some((p) => p.id === f.photoId));
    const namedPeople = this.state.people
      .filter((p) => p.name && faces.some((f) => f.personId === p.id))
      .map((p) => {
        const lost = faces.filter((f) => f.personId === p.id).length;
        return { personId: p.id, name: p.name!, faces: lost, facesLeft: this.state.faces.filter((f) => f.personId === p.id).length - lost };
      });
    // Set aside: in a hidden unnamed group, or not to be asked about (pinned unknown); counted apart from the names.
    const hiddenGroups = new Set(this.state.people.filter((p) => p.hidden && !p.name).map((p) => p.id));
    const setAside = (f: FakeFace) => (f.assignedBy === 'user' && !f.personId) || (!!f.personId && hiddenGroups.has(f.personId));
    const decidedFaces = faces.filter((f) => !setAside(f) && (f.assignedBy === 'user' || f.rejected.length > 0)).length;
    const setAsideFaces = faces.filter(setAside).length;
    // Every photo analysed, none drawn by hand: what the user said of each face is kept with it.
    const decisionsKept = decidedFaces + setAsideFaces;
    // A folder's photos no longer on disk (the fake's missingPhotos), and of decisionsKept those on their faces.
    const notOnDisk = new Set(folder === null ? [] : photoIds.filter((id) => this.missingPhotos.includes(id)));
    const decisionsNotOnDisk = faces.filter((f) => notOnDisk.has(f.photoId) && (setAside(f) || f.assignedBy === 'user' || f.rejected.length > 0)).length;
    return {
      folder,
      photos: photos.length,
      photosKeptElsewhere: 0,
      faces: faces.length,
      decidedFaces,
      setAsideFaces,
      decisionsKept,
      photosNotOnDisk: notOnDisk.size,
      decisionsNotOnDisk,
      namedPeople,
      watched,
      photoIds,
    };
  }

  private removePhotos({ photoIds, ...plan }: ReturnType<FakeEngine['removalPlan']>) {
    return {
      jobId: this.jobs.start('remove-photos', async (signal, onProgress) => {
        await this.sleep(signal);
        const gone = new Set(photoIds);
        this.state.photos = this.state.photos.filter((p) => !gone.has(p.id));
        this.state.faces = this.state.faces.filter((f) => !gone.has(f.photoId));
        this.missingPhotos = this.missingPhotos.filter((id) => !gone.has(id));
        const before = this.state.people.length;
        this.state.people = this.state.people.filter((p) => p.name || this.state.faces.some((f) => f.personId === p.id));
        if (plan.folder !== null) this.folders = this.folders.filter((f) => !inside(f, plan.folder!));
        // Logged, as the engine logs it: undo stops there and says why (main/people/decisions.ts undoLast).
        if (photoIds.length > 0) {
          const description = `Removed ${photoIds.length} photos from the library${plan.folder !== null ? ` (${plan.folder})` : ''}`;
          this.undoStack.push({ id: `decision-${++this.decisionsMade}`, description: `${description}.`, state: clone(this.state), kind: 'remove' });
          if (this.redoStack.length > 0) [this.redoStack, this.decidedSinceUndo] = [[], true];
        }
        onProgress({ job: 'remove-photos', stage: 'remove', done: plan.faces, total: plan.faces, etaSeconds: 0, ratePerSecond: null });
        return { ...plan, groupsRemoved: before - this.state.people.length, seconds: 0.1 };
      }),
    };
  }

  /** Refuses, as main/api/handlers.ts does, a path not on disk (here: in no folder pending or watched). */
  private refuseMissing(paths: readonly string[]): void {
    const there = (path: string) => this.pending.some((p) => p.folder === path || p.folder.startsWith(path + '/')) || this.folders.some((f) => inside(path, f));
    const missing = paths.find((path) => !there(path));
    if (missing !== undefined) throw new ApiError('not-found', `Cannot import ${missing}: there is no folder or file there. The path is looked up on the computer running Familiar.`);
  }

  private sleep(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new ApiError('failed', 'cancelled'));
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      // The listener goes when the step ends, so a long job does not pile one up per step.
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, this.stepMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---- handlers --------------------------------------------------------------------------------------------

  private handlers(): Handlers {
    return {
      'library.opening': () => ({ opening: this.opening !== null }),
      'library.info': () => this.libraryInfo(),
      'library.doctor': () => ({
        backend: this.backend,
        libraryDir: this.libraryDir,
        counts: { photos: this.state.photos.length, missingPhotos: 0, faces: this.state.faces.length, people: this.state.people.length, namedPeople: 0, unknownFaces: 0, toName: { groups: 0, faces: 0 }, lookAgain: this.analysedEarlier.length, lookAgainSideways: this.analysedEarlier.filter((id) => this.mayHoldSideways.includes(id)).length, lookAgainCost: this.lookAgainCost() },
        // What the real handler lists: the weights of the networks Familiar loads (main/engine.ts REQUIRED_MODELS).
        modelFiles: ['ssd_mobilenetv1_model', 'face_landmark_68_model', 'face_recognition_model']
          .flatMap((stem) => [`${stem}-weights_manifest.json`, `${stem}.bin`])
          .map((name) => ({ name, found: !this.missingModelFiles.includes(name), path: `/models/${name}` })),
        problems: [],
      }),
      'dialog.chooseFolders': () => ({ paths: this.chosenFolders }),
      // The desktop's file manager: the photos "gone from disk" (goneFromDisk) are refused as main refuses them.
      'photos.showInFolder': ({ photoId }) => {
        const photo = this.photo(photoId);
        if (this.goneFromDisk.includes(photoId)) throw new ApiError('not-found', `The file of this photo is not on disk (${photo.path}): it was moved or deleted, or it is on a drive that is not plugged in.`);
        return { path: photo.path };
      },
      // As main/api/handlers.ts checks a path before an import: there on disk (here: a folder pending or watched).
      'import.check': ({ paths: given }) => {
        const paths = given.map(asKept);
        this.refuseMissing(paths);
        return { folders: [...paths] };
      },
      'import.start': ({ paths: given }) => {
        const paths = given.map(asKept);
        const found = this.pending.filter((p) => paths.some((path) => p.folder === path || p.folder.startsWith(path + '/')));
        if (found.length === 0) throw new ApiError('not-found', `No photos were found in ${paths.join(', ')}.`);
        // One of several not there: the whole import is refused, naming it, as the engine refuses it.
        this.refuseMissing(paths);
        const jobId = this.jobs.start('import', async (signal, reportProgress) => {
          // Its progress names the paths it reads, as main/api/handlers.ts's does.
          const onProgress = (progress: Parameters<typeof reportProgress>[0]) => reportProgress({ ...progress, detail: { ...progress.detail, paths } });
          // First the look for photos, as main/library/import.ts reports before it reads any: at once, so the page may
          // hear of the job before import.start's answer, as over the real server's two channels it can.
          onProgress({ job: 'import', stage: 'scan', done: 0, total: 0, etaSeconds: null, ratePerSecond: null, message: 'Looking for photos' });
          const photos = found.flatMap((f) => f.state.photos);
          const skipped = found.flatMap((f) => f.skipped);
          const total = photos.length + skipped.length;
          let faces = 0;
          /** Faces of the photos an earlier import (a cancelled one, resumed) had read. */
          let facesBefore = 0;
          const started = Date.now();
          let read = 0;
          for (let i = 0; i < photos.length; i++) {
            await this.sleep(signal);
            if (signal.aborted) break;
            read = i + 1;
            const photo = photos[i];
            const source = found.find((f) => f.state.photos.includes(photo))!.state;
            if (!this.state.photos.some((p) => p.id === photo.id)) {
              this.state.photos.push(clone(photo));
              for (const face of source.faces.filter((f) => f.photoId === photo.id)) {
                this.state.faces.push(clone(face));
                faces++;
              }
            } else facesBefore += this.state.faces.filter((f) => f.photoId === photo.id).length;
            const elapsed = (Date.now() - started) / 1000;
            const rate = elapsed > 0 ? (i + 1) / elapsed : null;
            // As main/library/import.ts reports: the faces of the photos read, and the library with them.
            const library = { photos: this.state.photos.length, faces: this.state.faces.length };
            onProgress({ job: 'import', stage: 'analyse', done: i + 1, total, etaSeconds: rate ? (total - i - 1) / rate : null, ratePerSecond: rate, detail: { faces, facesInPhotosRead: faces + facesBefore, library, lookAgain: false, readAgain: this.importReadsAgain } });
            if (this.importFailure && read >= this.importFailure.after) throw new Error(this.importFailure.message);
          }
          // Cancelled part-way: what was read is kept and grouped (main/engine.ts), and the folders are not watched.
          const stopped = signal.aborted ? { how: 'cancelled' as const, files: read, of: total } : null;
          if (stopped && this.stopMs > 0) {
            onProgress({ job: 'import', stage: 'cluster', done: 0, total: faces, etaSeconds: null, ratePerSecond: null, detail: { stopping: true } });
            await new Promise((resolve) => setTimeout(resolve, this.stopMs));
          }
          // A file given that is no photo (its path is the one skipped) is not watched either.
          const files = found.filter((f) => f.state.photos.length === 0 && f.skipped.length === 1 && f.skipped[0].path === f.folder);
          const watchedNow: string[] = [];
          for (const folder of found) {
            for (const person of folder.state.people) if (!this.state.people.some((p) => p.id === person.id)) this.state.people.push(clone(person));
            // One inside a watched folder is part of it, not listed apart (main/library/remove-folder.ts watchedFoldersWith).
            if (!stopped && !files.includes(folder) && !this.folders.some((f) => inside(folder.folder, f))) watchedNow.push(folder.folder);
          }
          for (const folder of found) {
            const from = folder.movedFrom;
            if (stopped || !from || !this.folders.includes(from)) continue;
            // Its photos found here, no longer missing; the new place watched in the old one's stead.
            const moved = new Set(this.state.photos.filter((p) => inside(p.path, from)).map((p) => p.id));
            this.missingPhotos = this.missingPhotos.filter((id) => !moved.has(id));
            this.folders = this.folders.map((f) => (f === from ? folder.folder : f));
            this.goneFolders = this.goneFolders.filter((f) => f !== from);
          }
          // A watched folder inside a new one becomes part of it.
          this.folders = this.folders.filter((f) => !watchedNow.some((w) => w !== f && inside(f, w)));
          this.folders.push(...watchedNow.filter((f) => !this.folders.includes(f)));
          onProgress({ job: 'import', stage: 'cluster', done: total, total, etaSeconds: 0, ratePerSecond: null, detail: { faces } });
          this.pending = this.pending.filter((p) => !found.includes(p));
          // Ended or cancelled: no longer one to resume after a crash (main/engine.ts).
          this.unfinishedImports = this.unfinishedImports.filter((f) => !paths.some((path) => f === path || f.startsWith(path + '/')));
          const noPhotos = !stopped && photos.length === 0 ? { paths: found.map((f) => f.folder), fileReason: files.length === 1 && found.length === 1 ? files[0].skipped[0].reason : null, formats: 'JPEG, PNG, WebP, GIF, BMP, TIFF, AVIF and PGM/PPM' } : null;
          // photosMissing: the library's photos gone from disk, of any folder, as main/library/import.ts counts them.
          return importResult({ photosSeen: stopped ? read : total, photosAdded: stopped ? read : photos.length, photosMissing: this.missingPhotos.length, facesFound: faces, skipped, names: found.find((f) => f.names)?.names ?? null, noPhotos, stopped, watchedNow, paths });
        });
        // As the engine answers: the paths that are folders (a pending "file" is one whose only skipped path is itself).
        const isFile = (path: string) => found.some((f) => f.folder === path && f.state.photos.length === 0 && f.skipped.length === 1 && f.skipped[0].path === f.folder);
        return { jobId, folders: paths.filter((path) => !isFile(path)) };
      },
      'library.folderRemovalPlan': ({ path }) => withoutIds(this.folderRemovalPlan(path)),
      'library.missingRemovalPlan': () => withoutIds(this.removalPlan(null, this.missingPhotos)),
      'library.removeMissing': () => this.removePhotos(this.removalPlan(null, this.missingPhotos)),
      'library.removeFolder': ({ path }) => this.removePhotos(this.folderRemovalPlan(path)),
      'library.stopWatching': ({ path }) => {
        if (!this.folders.includes(path)) throw new ApiError('invalid-argument', `Familiar does not watch ${path}.`);
        this.folders = this.folders.filter((f) => f !== path);
        this.events.emit('library.changed', { what: ['settings'] });
        return { folders: this.folders };
      },
      'import.lookAgain': () => ({
        jobId: this.jobs.start('import', async (signal, onProgress) => {
          const photoIds = [...this.analysedEarlier];
          let faces = 0;
          const started = Date.now();
          for (let i = 0; i < photoIds.length && !signal.aborted; i++) {
            await this.sleep(signal);
            const found = this.missedFaces.filter((f) => f.photoId === photoIds[i]);
            this.state.faces.push(...clone(found));
            this.state.photos.find((p) => p.id === photoIds[i])?.faceIds.push(...found.map((f) => f.id));
            faces += found.length;
            this.analysedEarlier = this.analysedEarlier.filter((id) => id !== photoIds[i]);
            // As main/library/import.ts reports a look again: its pace and time left from the photos it analyses.
            const elapsed = (Date.now() - started) / 1000;
            const rate = elapsed > 0 ? (i + 1) / elapsed : null;
            const detail = { faces, lookAgain: true, readAgain: photoIds.length };
            onProgress({ job: 'import', stage: 'analyse', done: i + 1, total: photoIds.length, etaSeconds: rate ? (photoIds.length - i - 1) / rate : null, ratePerSecond: rate, detail });
          }
          return importResult({ photosSeen: photoIds.length, facesFound: faces });
        }),
      }),
      'recluster.start': () => {
        // The engine regroups with the saved setting, not with what a screen shows.
        this.reclusteredWith.push(Number(this.settings.samePersonDistance));
        return {
          jobId: this.jobs.start('recluster', async (signal, onProgress) => {
            await this.sleep(signal);
            onProgress({ job: 'recluster', stage: 'cluster', done: 1, total: 1, etaSeconds: 0, ratePerSecond: null });
            const named = new Set(this.state.people.filter((p) => p.name !== null).map((p) => p.id));
            const released = this.state.faces.filter((f) => f.assignedBy === 'cluster' && f.personId && named.has(f.personId)).slice(0, this.regroupReleases);
            for (const f of released) (f.personId = null), (f.assignedBy = null);
            // As the engine counts them (main/people/clustering.ts): People's people, the hidden apart, the faces set aside apart.
            const holding = this.state.people.filter((p) => this.state.faces.some((f) => f.personId === p.id));
            const hiddenIds = new Set(holding.filter((p) => p.hidden).map((p) => p.id));
            const loose = this.state.faces.filter((f) => !f.personId);
            const hiddenFaces = this.state.faces.filter((f) => f.personId && hiddenIds.has(f.personId)).length;
            const notAskedAbout = loose.filter((f) => f.assignedBy === 'user').length;
            return {
              faces: this.state.faces.length,
              assigned: this.state.faces.length - loose.length - hiddenFaces,
              unknown: loose.length - notAskedAbout,
              notAskedAbout,
              people: holding.length - hiddenIds.size,
              hidden: hiddenIds.size,
              hiddenFaces,
              newGroups: 0,
              namedFacesWaiting: released.length,
            };
          }),
        };
      },
      // As main/api/handlers.ts: the photos photos.list gives, chosen now; a folder inside the library's refused first.
      'photos.copyTo': ({ personIds, only, to, ...folder }) => {
        const destination = to.replace(/^~(?=[\\/]|$)/, '/home/ada').replace(/(?<=[^\\/])[\\/]+$/, '');
        if (destination === this.libraryDir || destination.startsWith(`${this.libraryDir}/`)) {
          throw new ApiError('invalid-argument', `${destination} is inside Familiar's own library folder (${this.libraryDir}): choose another folder to copy the photos into.`);
        }
        return { jobId: this.copyPhotos(this.photosWith(personIds, only, undefined, folder), destination) };
      },
      'names.export': ({ to, confirmedOnly }) => ({ jobId: this.exportNames(to ?? null, confirmedOnly) }),
      'names.import': ({ from }) => ({ jobId: this.importNames(from) }),
      'jobs.list': () => this.jobs.list(),
      'jobs.cancel': ({ jobId }) => ({ cancelled: this.jobs.cancel(jobId) }),

      'people.list': ({ includeHidden, namedOnly }) =>
        this.withFacesByPerson(() =>
          this.state.people
            .filter((p) => (includeHidden || !p.hidden) && (!namedOnly || p.name))
            .map((p) => this.summary(p))
            .filter((p) => p.faceCount > 0)
            .sort((a, b) => b.faceCount - a.faceCount),
        ),
      'people.get': ({ personId }) => ({
        ...this.summary(this.person(personId)),
        suggestionsCount: this.suggestionsFor(personId, 500).length,
        ...(this.person(personId).onePerson ? { onePerson: true as const } : {}),
        merged: (this.state.mergedAway ?? [])
          .filter((m) => m.intoId === personId)
          .map((m) => {
            const here = this.state.faces.filter((f) => m.faceIds.includes(f.id) && f.personId === personId);
            return { personId: m.person.id, name: m.person.name, at: m.at, faceCount: here.length, faces: here.slice(0, 4).map((f) => this.faceSummary(f)) };
          })
          .filter((m) => m.faceCount > 0)
          .reverse(),
        // As the engine (main/api/photo-dates.ts facesBeforeBirth), on the camera's day as UTC has it.
        ...(() => {
          const birthday = this.person(personId).birthday;
          if (birthday === undefined) return {};
          const before = this.facesOf(personId).filter((f) => {
            const takenAt = this.photo(f.photoId).takenAt;
            return takenAt !== null && beforeBirth(birthday, takenAt.slice(0, 10));
          });
          return { beforeBirth: { count: before.length, faceIds: before.map((f) => f.id) } };
        })(),
      }),
      'people.rename': ({ personId, name, leftOutFaceIds = [], twoPeople, shownParts }) => {
        const person = this.person(personId);
        const other = this.personNamed(name);
        // As the engine: a group shown as two people is named for the part like the cover, the others becoming a
        // group of their own (marked "not" nobody), in the same decision; or named whole, as one person. Refused when
        // the parts are not the ones shown.
        const parts = twoPeople ? this.twoPeopleOf(personId) : null;
        if (twoPeople === 'cover-part' && !parts) throw new ApiError('invalid-argument', 'These faces no longer look like two people: look again.');
        const asShown = (faces: FakeFace[], part: { faceIds: string[]; count: number }) => faces.length === part.count && part.faceIds.every((id) => faces.some((f) => f.id === id));
        if (parts && shownParts && !(asShown(parts.stays, shownParts.stays) && asShown(parts.leaves, shownParts.leaves))) {
          throw new ApiError('invalid-argument', 'This group changed while you looked at it: look again.');
        }
        // The faces of the other part left out (clicked as someone else) leave with the others left out, not apart.
        const out = new Set(leftOutFaceIds);
        const apart = twoPeople === 'cover-part' ? parts!.leaves.filter((f) => !out.has(f.id)) : [];
        const setApart = () => {
          if (apart.length === 0) return [];
          const id = `person-split-${this.state.people.length}`;
          this.state.people.push({ id, name: null, hidden: false, coverFaceId: null });
          // The engine pins only the part's core (the faces like it) and the faces the user had placed; the fake has no
          // likeness: all but the last stand for the core, so the new group holds a face unconfirmed as it usually does.
          apart.forEach((f, i) => Object.assign(f, { personId: id, assignedBy: f.assignedBy === 'user' || i < apart.length - 1 ? 'user' : 'cluster' }));
          return [id];
        };
        const otherPart = apart.length > 0 ? ` The other ${apart.length} face${apart.length === 1 ? ' is a group of its own' : 's are a group of their own'}.` : '';
        // As the engine: the faces clicked as someone else leave the group, marked not it (nor the person it joins),
        // in the name's own decision; they must be the group's, and not all of it.
        const all = this.facesOf(personId).filter((f) => !apart.includes(f));
        const faces = all.filter((f) => !out.has(f.id));
        if (faces.length + out.size > all.length) throw new ApiError('invalid-argument', 'Only the faces in this group can be left out of its name.');
        if (out.size > 0 && faces.length === 0) throw new ApiError('invalid-argument', 'Every face of this group is left out: leave at least one in to name it.');
        const left = out.size > 0 ? ` ${out.size} face${out.size === 1 ? '' : 's'} left out.` : '';
        const leaveOut = (notId: string) => {
          for (const f of all) if (out.has(f.id)) Object.assign(f, { personId: null, assignedBy: null, rejected: [...new Set([...f.rejected, notId])] });
        };
        if (other && other.id !== personId) {
          // Naming a group with an existing name joins that person, as the engine does, unless the user said most of
          // these faces are not them (the engine's guard in namePerson).
          if (faces.filter((f) => f.rejected.includes(other.id)).length * 2 > faces.length) {
            throw new ApiError('invalid-argument', `You said these faces are not "${other.name}": give them another name.`);
          }
          return this.decide(`Added ${faces.length} faces to ${other.name}.${left}${otherPart}`, () => {
            leaveOut(other.id);
            const newGroup = setApart();
            // As the engine: what the group brought is kept, to separate it again ("Separate again" on the page).
            this.joined(other.id, person, faces);
            for (const f of faces) {
              f.personId = other.id;
              f.assignedBy = 'user';
            }
            person.name = null;
            this.state.mergedInto = { ...this.state.mergedInto, [personId]: other.id };
            return { personIds: [other.id, personId, ...newGroup], faceIds: faces.map((f) => f.id) };
          });
        }
        const count = faces.length;
        const asOne = twoPeople === 'one-person' ? ' as one person' : '';
        return this.decide(`${person.name ? `Renamed "${person.name}" to "${name}"${asOne}.` : `Named "${name}"${asOne} (${count} face${count === 1 ? '' : 's'}).`}${left}${otherPart}`, () => {
          leaveOut(personId);
          const newGroup = setApart();
          person.name = name;
          if (twoPeople === 'one-person') person.onePerson = true;
          return { personIds: [personId, ...newGroup], faceIds: [] };
        });
      },
      'people.merge': ({ intoId, fromIds }) => {
        const into = this.person(intoId);
        const from = fromIds.map((id) => this.person(id));
        return this.decide(`Merged ${from.length + 1} people into ${into.name ?? 'one group'}.`, () => {
          const at = new Date().toISOString();
          if (into.name) for (const p of from) (this.state.mergedAway ??= []).push({ intoId, person: clone(p), faceIds: this.facesOf(p.id).map((f) => f.id), at });
          for (const face of this.state.faces) if (face.personId && fromIds.includes(face.personId)) face.personId = intoId;
          this.state.people = this.state.people.filter((p) => !fromIds.includes(p.id));
          this.state.mergedInto = { ...this.state.mergedInto, ...Object.fromEntries(fromIds.map((id) => [id, intoId])) };
          return { personIds: [intoId, ...fromIds], faceIds: [] };
        });
      },
      'people.hide': ({ personIds, hidden }) => {
        // As one decision, as the engine's hidePeople: one undo takes them all back.
        const people = [...new Set(personIds)].map((id) => this.person(id));
        const who = people.length === 1 ? (people[0].name ?? 'a group') : `${people.length} people`;
        const undone = `${people.length === 1 ? (people[0].name ? `"${people[0].name}" is` : 'A group is') : `${people.length} people are`} ${hidden ? 'shown' : 'hidden'} again.`;
        return this.decide(`${hidden ? 'Hid' : 'Showed'} ${who}.`, () => {
          for (const person of people) person.hidden = hidden;
          return { personIds: people.map((p) => p.id), faceIds: [] };
        }, 'decision', undone);
      },
      'people.setBirthday': ({ personId, birthday }) => {
        const person = this.person(personId);
        if (person.name === null && birthday !== null) throw new ApiError('invalid-argument', "Name this group first: a birthday is a person's.");
        const reading = birthday === null ? { birthday: null } : readBirthday(birthday, localToday());
        if ('problem' in reading) throw new ApiError('invalid-argument', reading.problem);
        if ((person.birthday ?? null) === reading.birthday) return { description: 'The birthday is that already.', personIds: [personId], faceIds: [], decisionId: null };
        const who = person.name === null ? 'an unnamed group' : `"${person.name}"`;
        return this.decide(reading.birthday === null ? `Cleared the birthday of ${who}.` : `Set the birthday of ${who} to ${birthdayInWords(reading.birthday)}.`, () => {
          if (reading.birthday === null) delete person.birthday;
          else person.birthday = reading.birthday;
          return { personIds: [personId], faceIds: [] };
        });
      },
      'people.setCover': ({ personId, faceId }) => {
        const person = this.person(personId);
        if (this.face(faceId).personId !== personId) throw new ApiError('invalid-argument', 'The cover face must be one of the person\'s faces.');
        return this.decide(`Changed the cover of ${person.name ?? 'this group'}.`, () => {
          person.coverFaceId = faceId;
          return { personIds: [personId], faceIds: [faceId] };
        });
      },
      'people.delete': ({ personIds }) => {
        const people = [...new Set(personIds)].map((id) => this.person(id));
        const ids = people.map((p) => p.id);
        const faces = ids.flatMap((id) => this.facesOf(id));
        // In the engine's words (main/people/decisions.ts, deletePeople), as one decision; a person's faces wait unknown,
        // not regrouped here, and an unnamed group's are set aside (pinned unknown).
        const named = people.filter((p) => p.name !== null).map((p) => `"${p.name}"`);
        const unnamed = people.length - named.length;
        const parts = unnamed === 0 ? named : [...named, unnamed === 1 ? 'an unnamed group' : `${unnamed} unnamed groups`];
        const what = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
        const back = `${what.charAt(0).toUpperCase()}${what.slice(1)} ${people.length === 1 ? 'is' : 'are'} back, with ${faces.length} face${faces.length === 1 ? '' : 's'}.`;
        const groups = new Set(people.filter((p) => p.name === null).map((p) => p.id));
        const said =
          named.length === 0
            ? `Deleted ${what}: Familiar will not group or ask about ${people.length === 1 ? 'its' : 'their'} ${faces.length} face${faces.length === 1 ? '' : 's'} again.`
            : `Deleted ${what}; ${faces.length} face${faces.length === 1 ? ' no longer has' : 's no longer have'} a name.`;
        return this.decide(said, () => {
          for (const f of faces) Object.assign(f, { personId: null, assignedBy: groups.has(f.personId!) ? 'user' : null });
          this.state.people = this.state.people.filter((p) => !ids.includes(p.id));
          return { personIds: ids, faceIds: faces.map((f) => f.id) };
        }, 'decision', back);
      },

      'people.twoPeople': ({ personId }) => {
        const question = this.twoPeopleOf(personId);
        if (!question) return null;
        // As the engine: twelve faces a part, or up to two more rather than "+1" or "+2" in their place.
        const shown = (faces: FakeFace[]) => ({ count: faces.length, faces: faces.slice(0, faces.length < 15 ? faces.length : 12).map((f) => this.faceSummary(f)) });
        // As the engine (mergeThatIsThePart): a merge whose faces here are nearly all in the part that leaves, and most of it.
        const leaving = new Set(question.leaves.map((f) => f.id));
        const merge = (this.state.mergedAway ?? []).find((m) => {
          const here = this.state.faces.filter((f) => m.intoId === personId && m.faceIds.includes(f.id) && f.personId === personId);
          const shared = here.filter((f) => leaving.has(f.id)).length;
          return here.length > 0 && shared >= 0.8 * here.length && shared * 2 > leaving.size;
        });
        return { stays: shown(question.stays), leaves: shown(question.leaves), mergedPersonId: merge?.person.id ?? null };
      },
      'people.together': ({ personIds }) => ({ photos: this.photosTogether(personIds) }),
      'people.namesake': ({ personId, name, leftOutFaceIds = [], twoPeople }) => {
        const group = this.person(personId);
        const person = this.personNamed(name);
        if (!person || person.id === group.id) return null;
        // As the engine (main/people/name-join.ts), by the fake's "embedding": the faces the name is for (the cover's part
        // of two, less those left out) are mostly the person's identity; mostly said not to be them, nothing to measure.
        const parts = twoPeople === 'one-person' ? null : this.twoPeopleOf(group.id);
        const faces = (parts?.stays ?? this.facesOf(group.id)).filter((f) => !leftOutFaceIds.includes(f.id));
        const theirs = this.facesOf(person.id);
        const looksAlike = faces.filter((f) => f.identity === this.identityOf(person.id)).length * 2 > faces.length;
        const saidNot = faces.filter((f) => f.rejected.includes(person.id)).length * 2 > faces.length;
        const thumb = (f: FakeFace | undefined) => (f ? (`thumb/${f.id}` as const) : null);
        return {
          personId: person.id,
          name: person.name!,
          faceCount: theirs.length,
          together: this.photosTogether([person.id, group.id]),
          looksAlike: looksAlike && !saidNot,
          distance: saidNot || theirs.length === 0 ? null : looksAlike ? SAME : DIFFERENT,
          face: this.summary(person).cover,
          groupFace: thumb(faces[0]),
        };
      },
      'people.split': ({ personId }) => {
        const person = this.person(personId);
        const question = this.twoPeopleOf(personId);
        if (!question) throw new Error('These faces no longer look like two people.');
        return this.decide(`Split ${question.leaves.length} faces off ${person.name ? `"${person.name}"` : 'an unnamed group'} into a new group.`, () => {
          const id = `person-split-${this.state.people.length}`;
          this.state.people.push({ id, name: null, hidden: false, coverFaceId: null });
          for (const f of question.leaves) Object.assign(f, { personId: id, assignedBy: 'user', rejected: [...f.rejected, personId] });
          return { personIds: [personId, id], faceIds: question.leaves.map((f) => f.id) };
        }, 'split');
      },
      'people.current': ({ personIds }) => ({
        personIds: personIds.map((id) => {
          let at: string | undefined = id;
          for (let hops = 0; at !== undefined && !this.state.people.some((p) => p.id === at) && hops < 100; hops++) at = this.state.mergedInto?.[at];
          return at !== undefined && this.state.people.some((p) => p.id === at) ? at : null;
        }),
      }),
      'people.separate': ({ personId, mergedId }) => {
        const person = this.person(personId);
        const merge = this.state.mergedAway?.find((m) => m.intoId === personId && m.person.id === mergedId);
        if (!merge) throw new ApiError('invalid-argument', `Nobody called "${mergedId}" was merged into "${person.name}" to separate again.`);
        const faces = this.state.faces.filter((f) => merge.faceIds.includes(f.id) && f.personId === personId);
        if (merge.person.name === null) {
          // As the engine: a group that joined is a group of its own again, its faces confirmed in it and not the person.
          return this.decide(`Separated ${faces.length} face${faces.length === 1 ? '' : 's'} from "${person.name}": they are a group of their own again, marked not "${person.name}".`, () => {
            if (!this.state.people.some((p) => p.id === merge.person.id)) this.state.people.push(clone(merge.person));
            for (const f of faces) Object.assign(f, { personId: merge.person.id, assignedBy: 'user', rejected: [...new Set([...f.rejected, personId])] });
            this.state.mergedAway = this.state.mergedAway!.filter((m) => m !== merge);
            return { personIds: [personId, merge.person.id], faceIds: faces.map((f) => f.id) };
          }, 'separate');
        }
        return this.decide(`Separated "${merge.person.name}" from "${person.name}": ${faces.length} faces went back to "${merge.person.name}".`, () => {
          this.state.people.push(clone(merge.person));
          for (const f of faces) f.personId = merge.person.id;
          this.state.mergedAway = this.state.mergedAway!.filter((m) => m !== merge);
          return { personIds: [personId, merge.person.id], faceIds: faces.map((f) => f.id) };
        }, 'separate');
      },
      'people.keepAsOne': ({ personId }) => {
        const person = this.person(personId);
        // As the engine: the faces of both parts become the user's.
        const parts = this.twoPeopleOf(personId);
        const faces = [...(parts?.stays ?? []), ...(parts?.leaves ?? [])].filter((f) => f.assignedBy !== 'user');
        const more = faces.length > 0 ? `: ${faces.length} more face${faces.length === 1 ? '' : 's'} confirmed` : '';
        return this.decide(`Kept ${person.name ? `"${person.name}"` : 'an unnamed group'} as one person${more}.`, () => {
          person.onePerson = true;
          person.confirmedAsOne = faces.map((f) => f.id);
          for (const f of faces) f.assignedBy = 'user';
          return { personIds: [personId], faceIds: faces.map((f) => f.id) };
        });
      },
      'people.askAgain': ({ personId }) => {
        const person = this.person(personId);
        if (!person.onePerson) throw new ApiError('invalid-argument', 'You have not said these faces are one person: nothing to ask again.');
        // As the engine: the faces "Don't ask again" confirmed are guesses again (the fake keeps them on the person), but
        // for the part like the cover.
        const faces = this.facesOf(personId).filter((f) => person.confirmedAsOne?.includes(f.id) && f.assignedBy === 'user');
        const who = person.name ? `"${person.name}"` : 'an unnamed group';
        return this.decide(`Took back "one person" for ${who}.`, () => {
          delete person.onePerson;
          delete person.confirmedAsOne;
          for (const f of faces) f.assignedBy = 'cluster';
          const stays = this.twoPeopleOf(personId)?.stays ?? [];
          for (const f of stays) if (faces.includes(f)) f.assignedBy = 'user';
          return { personIds: [personId], faceIds: faces.filter((f) => !stays.includes(f)).map((f) => f.id) };
        });
      },

      'faces.get': ({ faceId }) => this.faceSummary(this.face(faceId)),
      'faces.ofPerson': ({ personId, offset, limit, order }) => {
        this.person(personId);
        const own = this.facesOf(personId);
        const unlike = this.unlikeOf(personId);
        const unlikeConfirmed = this.unlikeConfirmedOf(personId);
        const leastAlike = [...unlike, ...unlikeConfirmed, ...own.filter((f) => !unlike.includes(f) && !unlikeConfirmed.includes(f))];
        const faces =
          order === 'least-alike'
            ? leastAlike
            : order === 'unconfirmed-first'
              ? leastAlike.sort((a, b) => Number(a.assignedBy === 'user') - Number(b.assignedBy === 'user'))
              : [...own].sort((a, b) => Number(b.assignedBy === 'user') - Number(a.assignedBy === 'user'));
        return {
          total: faces.length,
          faces: faces.slice(offset, offset + limit).map((f) => this.faceSummary(f)),
          unlike: unlike.length,
          unlikeFaceIds: unlike.map((f) => f.id),
          unlikeConfirmed: unlikeConfirmed.length,
          unlikeConfirmedFaceIds: unlikeConfirmed.map((f) => f.id),
        };
      },
      'faces.name': ({ faceIds, name }) => {
        const faces = faceIds.map((id) => this.face(id));
        return this.decide(`Named ${faces.length === 1 ? 'a face' : `${faces.length} faces`} ${name}.`, () => {
          const person = this.personNamed(name) ?? this.newPerson(name);
          for (const f of faces) {
            f.personId = person.id;
            f.assignedBy = 'user';
            f.rejected = f.rejected.filter((id) => id !== person.id);
          }
          return { personIds: [person.id], faceIds };
        });
      },
      'faces.move': ({ faceIds, personId }) => {
        const person = this.person(personId);
        const faces = faceIds.map((id) => this.face(id));
        return this.decide(`Moved ${faces.length === 1 ? 'a face' : `${faces.length} faces`} to ${person.name ?? 'a group'}.`, () => {
          for (const f of faces) {
            // As the engine: the person it leaves is remembered as "not them", by a move.
            const left = f.personId !== null && f.personId !== personId ? [f.personId] : [];
            f.rejected = [...new Set([...f.rejected.filter((id) => id !== personId), ...left])];
            f.movedFrom = [...new Set([...(f.movedFrom ?? []).filter((id) => id !== personId), ...left])];
            f.personId = personId;
            f.assignedBy = 'user';
          }
          return { personIds: [personId], faceIds };
        });
      },
      'faces.reject': ({ faceIds, personId, alsoNotPersonIds }) => {
        const ids = [personId, ...(alsoNotPersonIds ?? [])];
        const people = ids.map((id) => this.person(id));
        const faces = faceIds.map((id) => this.face(id));
        const whom = people.length === 1 ? `not ${people[0].name ?? 'in this group'}` : `neither ${people.map((p) => p.name ?? 'an unnamed group').join(' nor ')}`;
        return this.decide(`${faces.length === 1 ? 'That face is' : `${faces.length} faces are`} ${whom}.`, () => {
          for (const id of ids) {
            for (const f of faces) {
              if (!f.rejected.includes(id)) f.rejected.push(id);
              // Said now, in so many words: no longer only a move away.
              f.movedFrom = f.movedFrom?.filter((p) => p !== id);
              if (f.personId === id) {
                f.personId = null;
                f.assignedBy = null;
              }
            }
          }
          return { personIds: ids, faceIds };
        });
      },
      'photos.notCopy': ({ photoId }) =>
        this.decide('A photo taken for a copy of another is a photo of its own again.', () => {
          delete this.photo(photoId).copyOf;
          return { personIds: [], faceIds: [] };
        }),
      'faces.ignore': ({ faceIds }) => {
        const faces = faceIds.map((id) => this.face(id));
        return this.decide(`Familiar will not ask about ${faces.length === 1 ? 'that face' : `those ${faces.length} faces`} again.`, () => {
          for (const f of faces) {
            f.personId = null;
            f.assignedBy = 'user';
          }
          return { personIds: [], faceIds };
        });
      },
      // As the engine: the box leaves its photo (shown and counted nowhere); undo puts the state back.
      'faces.notAFace': ({ faceIds }) => {
        const faces = faceIds.map((id) => this.face(id));
        return this.decide(faces.length === 1 ? 'Removed a box that was not a face.' : `Removed ${faces.length} boxes that were not faces.`, () => {
          for (const f of faces) {
            f.personId = null;
            f.assignedBy = 'user';
            const photo = this.photo(f.photoId);
            photo.faceIds = photo.faceIds.filter((id) => id !== f.id);
          }
          return { personIds: [], faceIds };
        });
      },
      'faces.confirm': ({ faceIds, personId }) => {
        const person = this.person(personId);
        const faces = faceIds.map((id) => this.face(id));
        return this.decide(`Confirmed ${faces.length === 1 ? 'a face' : `${faces.length} faces`} of ${person.name ?? 'this group'}.`, () => {
          for (const f of faces) {
            f.personId = personId;
            f.assignedBy = 'user';
          }
          return { personIds: [personId], faceIds };
        });
      },
      'faces.addDrawn': ({ photoId, box }) => {
        const photo = this.photo(photoId);
        const overlaps = (a: Box, b: Box) => {
          const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
          const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
          return w > 0 && h > 0 && (w * h) / (a[2] * a[3] + b[2] * b[3] - w * h) > 0.3;
        };
        if (this.changedFiles.includes(photoId)) throw new ApiError('invalid-argument', 'The photo file has changed since it was imported. Import its folder again, then mark the face.');
        const marked = photo.faceIds.map((id) => this.face(id)).find((f) => overlaps(f.box, box));
        if (marked) return { face: this.faceSummary(marked), added: false, undetected: false, description: 'That face was marked already.', decisionId: null };
        // The faces the import missed ('import.lookAgain' finds them too): a box drawn around one finds it. Elsewhere
        // the box itself is kept as a face, of no one known, as the engine keeps a box it finds no face in.
        const missed = this.missedFaces.find((f) => f.photoId === photoId && overlaps(f.box, box));
        this.missedFaces = this.missedFaces.filter((f) => f !== missed);
        const ids = new Set([...this.state.faces, ...this.missedFaces].map((f) => f.id));
        let index = 0;
        while (ids.has(`${photoId}-${index}`)) index++;
        const face = missed ? clone(missed) : { id: `${photoId}-${index}`, photoId, box, identity: 'drawn', personId: null, assignedBy: null, rejected: [] };
        const person = this.state.people.find((p) => this.identityOf(p.id) === face.identity);
        face.personId = person?.id ?? null;
        face.assignedBy = person ? 'cluster' : null;
        // Undoable, as in the engine: Undo takes the face out of its photo again.
        const { decisionId } = this.decide(`Marked a face in ${photo.path.split('/').pop()}.`, () => {
          this.state.faces.push(face);
          this.state.photos.find((p) => p.id === photoId)!.faceIds.push(face.id);
          return { personIds: [], faceIds: [face.id] };
        }, 'add-face');
        this.events.emit('library.changed', { what: ['photos', 'faces', 'people'] });
        const summary = this.faceSummary(face);
        const kept = missed ? '' : " Familiar couldn't make out a face there itself, so it kept your box as you drew it.";
        return { face: summary, added: true, undetected: !missed, description: `Added the face you marked${summary.personName ? `, and it looks like ${summary.personName}` : ''}.${kept}`, decisionId };
      },
      'faces.review': () => ({ total: 0, faces: [] }),

      'suggestions.forPerson': ({ personId, limit }) => {
        this.person(personId);
        return this.suggestionsFor(personId, limit).map(({ face, distance }) => ({ face: this.faceSummary(face), distance, photo: `preview/${face.photoId}` as const }));
      },
      'faces.ambiguous': ({ limit }) => {
        const named = this.state.people.filter((p) => p.name && !p.hidden);
        const questions = this.state.faces.flatMap((face) => {
          const lookalike = this.state.lookalikes?.[face.identity];
          if (face.assignedBy === 'user' || !lookalike) return [];
          const candidates = named
            .filter((p) => !face.rejected.includes(p.id) && [face.identity, lookalike].includes(this.identityOf(p.id) ?? ''))
            .map((p) => ({ person: this.summary(p), distance: this.identityOf(p.id) === face.identity ? this.distance(face, p.id) : SAME + 0.03, nearestFace: `thumb/${this.facesOf(p.id)[0].id}` as const }))
            .sort((a, b) => a.distance - b.distance);
          // Close to neither beyond the fake's same-person threshold (0.5, as faces.same answers).
          return candidates.length === 2 ? [{ face: this.faceSummary(face), candidates, margin: candidates[1].distance - candidates[0].distance, closeToNeither: candidates[0].distance > 0.5 }] : [];
        });
        questions.sort((a, b) => a.margin - b.margin);
        return { total: questions.length, faces: questions.slice(0, limit) };
      },
      'unknown.queue': ({ offset, limit }) => {
        const groups = this.state.people
          .filter((p) => !p.name && !p.hidden)
          .map((p) => this.summary(p))
          .filter((p) => p.faceCount > 0)
          .sort((a, b) => b.faceCount - a.faceCount);
        const loose = this.state.faces.filter((f) => !f.personId && f.assignedBy !== 'user');
        return { groups, faces: { total: loose.length, faces: loose.slice(offset, offset + limit).map((f) => this.faceSummary(f)) } };
      },
      'unknown.likely': () => {
        const nearestFirst = (a: { distance: number }, b: { distance: number }) => a.distance - b.distance;
        const groups = this.state.people.flatMap((p) => {
          const maybe = p.name || p.hidden ? undefined : this.groupCandidateOf(p.id);
          return maybe ? [{ groupId: p.id, personId: maybe.personId, distance: maybe.distance }] : [];
        });
        const faces = this.state.faces.flatMap((f) => {
          const maybe = this.faceCandidateOf(f);
          return maybe ? [{ face: this.faceSummary(f), personId: maybe.personId, distance: maybe.distance }] : [];
        });
        return { groups: groups.sort(nearestFirst), faces: faces.sort(nearestFirst) };
      },
      'unknown.maybe': ({ groupId }) => {
        const group = this.person(groupId);
        return group.name || group.hidden ? null : (this.groupCandidateOf(group.id) ?? null);
      },

      'unknown.faceMaybe': ({ faceId }) => {
        const face = this.face(faceId);
        return { maybe: this.faceCandidateOf(face), nearPersonIds: this.nearPeopleOf(face) };
      },
      'unknown.nearPeople': ({ groupId }) => {
        const faces = this.facesOf(this.person(groupId).id);
        const identity = this.identityOf(groupId);
        const cover = faces.find((f) => f.identity === identity);
        return { personIds: cover ? this.nearPeopleOf(cover, 'left out') : [] };
      },

      'unknown.answer': ({ groupId, personId, same, faceIds, faceCount, leftOutFaceIds = [] }) => {
        const group = this.person(groupId);
        const person = this.person(personId);
        if (group.name !== null || person.name === null) throw new ApiError('invalid-argument', 'Only an unnamed group is asked about a named person.');
        const faces = this.facesOf(groupId);
        // As the engine: the answer is about the faces shown, refused once the group is no longer as shown.
        const now = new Set(faces.map((f) => f.id));
        if (now.size !== faceCount || faceIds.some((id) => !now.has(id))) throw new ApiError('invalid-argument', 'This group changed while you looked at it: look again.');
        if (leftOutFaceIds.length > 0 && !same) throw new ApiError('invalid-argument', 'Faces are left out of a Yes only: a No is about every face of the group.');
        if (leftOutFaceIds.length >= faces.length) throw new ApiError('invalid-argument', 'Every face of this group is left out: leave at least one in, or answer No.');
        if (same) {
          const out = new Set(leftOutFaceIds);
          const moved = faces.filter((f) => !out.has(f.id));
          const left = out.size > 0 ? ` ${out.size} face${out.size === 1 ? '' : 's'} left out.` : '';
          // One decision: the faces left out leave the group (and are not the person), the rest join the person.
          return this.decide(`Merged an unnamed group into "${person.name}" (${moved.length} faces moved).${left}`, () => {
            this.joined(personId, group, moved);
            for (const f of faces) {
              if (out.has(f.id)) Object.assign(f, { personId: null, assignedBy: null, rejected: [...new Set([...f.rejected, personId])] });
              else Object.assign(f, { personId, assignedBy: 'user' });
            }
            this.state.people = this.state.people.filter((p) => p.id !== groupId);
            return { personIds: [personId, groupId], faceIds: faces.map((f) => f.id) };
          });
        }
        return this.decide(`Marked ${faces.length} faces as not "${person.name}".`, () => {
          for (const f of faces) if (!f.rejected.includes(personId)) f.rejected.push(personId);
          return { personIds: [personId], faceIds: faces.map((f) => f.id) };
        });
      },

      'unknown.samePerson': ({ groupId }) => {
        const group = this.person(groupId);
        return group.name || group.hidden ? null : (this.samePersonOf(group.id) ?? null);
      },
      'unknown.samePersonAnswer': ({ groupId, otherId, same, shown }) => {
        const [group, other] = [this.person(groupId), this.person(otherId)];
        if (group.name !== null || other.name !== null || group.id === other.id) throw new ApiError('invalid-argument', 'Only two unnamed groups are asked about.');
        for (const [id, seen] of [[groupId, shown.group], [otherId, shown.other]] as const) {
          const now = new Set(this.facesOf(id).map((f) => f.id));
          if (now.size !== seen.count || seen.faceIds.some((faceId) => !now.has(faceId))) throw new ApiError('invalid-argument', 'These groups changed while you looked at them: look again.');
        }
        const [larger, smaller] = this.facesOf(otherId).length > this.facesOf(groupId).length ? [other, group] : [group, other];
        const moving = this.facesOf(smaller.id);
        if (same) {
          return this.decide(`Merged 1 person into unnamed group ${larger.id} (${moving.length} faces moved).`, () => {
            for (const f of moving) f.personId = larger.id;
            this.state.people = this.state.people.filter((p) => p.id !== smaller.id);
            return { personIds: [larger.id, smaller.id], faceIds: moving.map((f) => f.id) };
          });
        }
        // Each group's faces "not" the other, as main/people/same-person.ts marks them.
        return this.decide("Not the same person: these two groups won't be asked about together again.", () => {
          const staying = this.facesOf(larger.id);
          for (const f of moving) if (!f.rejected.includes(larger.id)) f.rejected.push(larger.id);
          for (const f of staying) if (!f.rejected.includes(smaller.id)) f.rejected.push(smaller.id);
          return { personIds: [larger.id, smaller.id], faceIds: [...moving, ...staying].map((f) => f.id) };
        });
      },

      'photos.list': ({ personIds, only, offset, limit, timeZone, ...folder }) => {
        const photos = this.photosWith(personIds, only, timeZone, folder);
        return { total: photos.length, photos: photos.slice(offset, offset + limit).map((p) => this.photoSummary(p)) };
      },
      // The months in the renderer's time zone, as the engine counts them.
      'photos.timeline': ({ personIds, only, timeZone, ...folder }) => {
        const dates = this.photoDates();
        return monthRuns(this.photosWith(personIds, only, timeZone, folder, dates).map((photo) => photoMonth(photo, dates, timeZone)));
      },
      // With people, each folder counts their photos, as the engine does.
      'photos.folders': ({ personIds, only }) => {
        const tree = this.folderTree();
        if (personIds.length === 0) return tree.folders;
        const index = new Map(this.state.photos.map((photo, i) => [photo.id, i]));
        return tree.foldersCounting(this.photosWith(personIds, only).map((photo) => index.get(photo.id)!));
      },
      'photos.get': ({ photoId }) => {
        const photo = this.photo(photoId);
        return {
          ...this.photoSummary(photo),
          paths: [photo.path],
          format: 'jpeg',
          bytes: 100_000,
          image: `photo/${photo.id}`,
          fullImage: Math.max(photo.width, photo.height) > 2560 ? `full/${photo.id}` : null,
          copyOf: photo.copyOf ? { photoId: photo.copyOf, path: this.photo(photo.copyOf).path } : null,
          copies: this.state.photos.filter((p) => p.copyOf === photo.id).map((p) => ({ photoId: p.id, path: p.path })),
          faces: photo.faceIds.map((id) => {
            const face = this.faceSummary(this.face(id));
            const birthday = face.personId === null ? undefined : this.state.people.find((p) => p.id === face.personId)?.birthday;
            const age = birthday === undefined || photo.takenAt === null ? null : ageOn(birthday, photo.takenAt.slice(0, 10));
            return age ? { ...face, age } : face;
          }),
        };
      },
      who: ({ photoId }) => ({ photoId, faces: [] }),
      same: ({ faceA, faceB }) => {
        const same = this.face(faceA).identity === this.face(faceB).identity;
        return { distance: same ? SAME : DIFFERENT, threshold: 0.5, same };
      },
      undo: ({ onlyIfLatestIs, onlyIfLatestId }) => {
        const latest = this.undoStack.at(-1);
        if (latest && onlyIfLatestIs && latest.kind !== onlyIfLatestIs) {
          throw new ApiError('invalid-argument', `Your latest change is "${latest.description}", made since; undo takes changes back newest first.`);
        }
        // As the engine's undoLast: a toast's Undo takes back its own decision or nothing.
        if (latest && onlyIfLatestId !== undefined && latest.id !== onlyIfLatestId) {
          const asked = this.undoStack.find((d) => d.id === onlyIfLatestId);
          throw new ApiError('invalid-argument', `${asked ? `"${asked.description}" was not undone` : 'Nothing undone'}: "${latest.description}" was decided since, in another window perhaps, and undo takes changes back newest first.`);
        }
        if (latest?.kind === 'remove') {
          const removed = latest.description.replace(/\.$/, '');
          return { undone: null, message: `Nothing undone: your latest change, "${removed}", cannot be undone, and undo does not reach past it. Importing the folder again brings the photos back.` };
        }
        const last = this.undoStack.pop();
        if (!last) return { undone: null, message: null };
        this.redoStack.push({ undone: last, after: this.state });
        this.decidedSinceUndo = false;
        this.state = last.state;
        this.events.emit('library.changed', { what: ['people', 'faces'] });
        // The engine says what came back in words of its own for each kind (main/people/undone-words.ts).
        return { undone: last.description, message: last.message ?? `Undid: ${last.description}` };
      },
      redo: () => {
        const next = this.redoStack.pop();
        if (!next) {
          if (this.decidedSinceUndo) throw new ApiError('invalid-argument', 'Nothing to redo: something changed since the undo.');
          return { redone: null, decisionId: null };
        }
        // Made again as a new decision, with an id of its own, as the engine's redo.
        const decisionId = `decision-${++this.decisionsMade}`;
        this.undoStack.push({ ...next.undone, id: decisionId, state: clone(this.state) });
        this.state = next.after;
        this.events.emit('library.changed', { what: ['people', 'faces'] });
        return { redone: next.undone.description, decisionId };
      },

      'studio.interpolate': async ({ from, to, steps }) => {
        const start = 'faceId' in from ? from.faceId : this.summary(this.person(from.personId)).coverFaceId;
        const end = 'faceId' in to ? to.faceId : this.summary(this.person(to.personId)).coverFaceId;
        if (!this.models.autoencoderInUse) throw new ApiError('not-available', 'Train the autoencoder first.');
        if (!start || !end) throw new ApiError('invalid-argument', 'Both ends need a face.');
        const frames = [];
        for (let i = 0; i < steps; i++) {
          const t = i / (steps - 1);
          const label = t === 0 ? 'From' : t === 1 ? 'To' : `${Math.round(t * 100)} %`;
          frames.push({ t, label, image: await this.generatedRef({ kind: 'mix', faceId: start, toFaceId: end, t }) });
        }
        return { mode: 'slerp' as const, frames };
      },
      'studio.arithmetic': async ({ base }) => ({ base: `thumb/${this.face(base).id}` as const, result: await this.generatedRef({ kind: 'sum', faceId: base }) }),
      'studio.denoise': async ({ faceId, noise }) => ({
        original: `thumb/${this.face(faceId).id}` as const,
        noisy: noise > 0 ? await this.generatedRef({ kind: 'noisy', faceId, t: noise }) : null,
        restored: await this.generatedRef({ kind: 'clean', faceId }),
      }),

      'training.embedder.start': ({ epochs, anyway }) => ({ jobId: this.train('train-embedder', epochs ?? 6, anyway) }),
      'training.autoencoder.start': ({ epochs, anyway }) => ({ jobId: this.train('train-autoencoder', epochs ?? 6, anyway) }),
      'models.list': () => this.models,
      'models.checkUse': ({ version }) => {
        if (version !== 'raw' && !this.models.embedder.some((v) => v.version === version)) throw notFound('embedder version', version);
        return { version, unnamedGroups: version === this.models.embedderInUse ? { groups: 0, keptWhole: 0, torn: 0, tornSizes: [] } : this.unnamedGroupsCheck(version) };
      },
      'models.use': ({ kind, version, anyway }) => {
        if (kind === 'embedder') {
          if (version !== 'raw' && !this.models.embedder.some((v) => v.version === version)) throw notFound('embedder version', version);
          // As main/embedder/index.ts useEmbedderModel: refused, unless anyway, when it would split groups nobody named.
          const split = version === this.models.embedderInUse ? null : unnamedGroupsSplitSentence(version, this.unnamedGroupsCheck(version));
          if (split && !anyway) throw new ApiError('failed', `${split} Nothing changed; ask again with "anyway" to switch all the same.`);
          this.models.embedderInUse = version;
          delete this.models.embedderProblem;
          for (const v of this.models.embedder) v.inUse = v.version === version;
        } else {
          if (!this.models.autoencoder.some((v) => v.version === version)) throw notFound('autoencoder version', version);
          this.models.autoencoderInUse = version;
          for (const v of this.models.autoencoder) v.inUse = v.version === version;
        }
        // Said before the answer, as main/api/handlers.ts does.
        this.events.emit('library.changed', { what: kind === 'embedder' ? ['models', 'people', 'faces'] : ['models'] });
        return this.models;
      },

      'settings.get': () => this.settings,
      'settings.set': ({ values }) => {
        for (const key of Object.keys(values)) if (!Object.hasOwn(this.settings, key)) throw new ApiError('invalid-argument', `There is no setting called ${key}.`);
        this.settings = { ...this.settings, ...(values as Settings) };
        return this.settings;
      },
    };
  }

  /**
   * Mirrors main/library/copy-photos.ts copyPhotosTo: photo by photo, a file already there with the same photo left as
   * it is, two photos with one name made "x.jpg" and "x (2).jpg". A cancel keeps what was copied, and the job ends
   * 'cancelled' with it as its result (main/api/handlers.ts).
   */
  private copyPhotos(photos: FakePhoto[], folder: string): string {
    return this.jobs.start('copy-photos', async (signal, onProgress) => {
      const files = this.copiedFiles.get(folder) ?? new Map<string, string>();
      this.copiedFiles.set(folder, files);
      const result: CopyPhotosResult = { folder, photos: photos.length, copied: 0, alreadyThere: 0, missing: [], failed: [], bytes: 0 };
      const started = Date.now();
      onProgress({ job: 'copy-photos', stage: 'copy', done: 0, total: photos.length, etaSeconds: null, ratePerSecond: null });
      for (const [index, photo] of photos.entries()) {
        await this.sleep(signal);
        if (signal.aborted) return result;
        if (this.missingPhotos.includes(photo.id)) result.missing.push({ path: photo.path, reason: 'not on disk: moved, deleted, or on a drive that is not plugged in' });
        else if (this.uncopyable[photo.path]) result.failed.push({ path: photo.path, reason: this.uncopyable[photo.path] });
        else if (this.diskFullAfter !== null && result.copied >= this.diskFullAfter) {
          throw new Error(`The disk is full (${folder}): ${result.copied} of ${photos.length} photos were copied before the copy stopped; free some space and copy again to finish.`);
        } else {
          const name = photo.path.slice(photo.path.lastIndexOf('/') + 1);
          const dot = name.lastIndexOf('.');
          const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
          for (let n = 1; ; n++) {
            const target = n === 1 ? name : `${stem} (${n})${ext}`;
            const holds = files.get(target);
            if (holds === photo.id) {
              result.alreadyThere++;
              break;
            }
            if (holds === undefined) {
              files.set(target, photo.id);
              result.copied++;
              // About a JPEG's size: a quarter of a byte per pixel.
              result.bytes += Math.round((photo.width * photo.height) / 4);
              break;
            }
          }
        }
        const elapsed = (Date.now() - started) / 1000;
        const rate = elapsed > 0 ? (index + 1) / elapsed : null;
        onProgress({ job: 'copy-photos', stage: 'copy', done: index + 1, total: photos.length, etaSeconds: rate ? (photos.length - index - 1) / rate : null, ratePerSecond: rate });
      }
      return result;
    });
  }

  /** Mirrors main/people/xmp-names.ts exportNamesToXmp: one sidecar per photo, never another app's. */
  private exportNames(folder: string | null, confirmedOnly: boolean): string {
    return this.jobs.start('export-names', async (signal, onProgress) => {
      const photos = this.state.photos;
      const result = {
        photosWithNames: 0,
        written: 0,
        unchanged: 0,
        removed: 0,
        skipped: [] as Array<{ path: string; reason: string }>,
        intoOtherApps: 0,
        backups: 0,
        backupFolder: null as string | null,
        conflicts: [] as Array<{ path: string; name: string; otherName: string; reason: string }>,
        folder,
        hiddenPeople: 0,
        unconfirmedLeftOut: 0,
        missingPhotos: 0,
      };
      const started = Date.now();
      onProgress({ job: 'export-names', stage: 'write', done: 0, total: photos.length, etaSeconds: null, ratePerSecond: null });
      for (const [index, photo] of photos.entries()) {
        await this.sleep(signal);
        if (signal.aborted) throw new Error('cancelled');
        const named = photo.faceIds
          .map((id) => this.state.faces.find((f) => f.id === id))
          .flatMap((face) => {
            const person = face?.personId ? this.state.people.find((p) => p.id === face.personId) : undefined;
            return face && person?.name && !person.hidden && (!confirmedOnly || face.assignedBy === 'user') ? [`${person.name}@${face.box.join(',')}`] : [];
          });
        if (named.length > 0) result.photosWithNames++;
        // Every file gone from disk (moved or deleted outside Familiar): no sidecar can go beside it.
        if (this.missingPhotos.includes(photo.id)) {
          if (named.length > 0) result.missingPhotos++;
          continue;
        }
        if (confirmedOnly) {
          result.unconfirmedLeftOut += photo.faceIds.filter((id) => {
            const face = this.state.faces.find((f) => f.id === id);
            const person = face?.personId ? this.state.people.find((p) => p.id === face.personId) : undefined;
            return face && person?.name && !person.hidden && face.assignedBy !== 'user';
          }).length;
        }
        const sidecar = folder ? `${folder}${photo.path}.xmp` : `${photo.path}.xmp`;
        let content = named.sort().join(';');
        const foreign = !folder && this.foreignSidecars.includes(photo.path);
        const otherName = foreign ? this.foreignNames[photo.path] : undefined;
        const conflictsBefore = result.conflicts.length;
        if (otherName !== undefined) {
          // The other app's region names the face otherwise: Familiar's name is not written over it.
          for (const name of new Set(named.map((n) => n.split('@')[0]).filter((name) => name !== otherName))) {
            result.conflicts.push({ path: sidecar, name, otherName, reason: `this sidecar already names the face "${otherName}"; Familiar's "${name}" was not written over it` });
          }
          content = named.filter((n) => n.startsWith(`${otherName}@`)).join(';');
        }
        if (this.unreadableSidecars[photo.path]) result.skipped.push({ path: sidecar, reason: this.unreadableSidecars[photo.path] });
        else if (foreign) {
          // Written into, the rest of the other app's file kept; a backup the first time.
          if ((this.sidecars.get(sidecar) ?? '') === content) {
            if (named.length > result.conflicts.length - conflictsBefore) result.unchanged++;
          } else {
            // Kept once, before the first write into it, in the run's one folder in the library.
            if (!this.sidecarsBackedUp.has(sidecar)) {
              this.sidecarsBackedUp.add(sidecar);
              result.backups++;
              result.backupFolder = '/library/sidecar-backups/2026-12-01T10-15-30Z';
            }
            this.sidecars.set(sidecar, content);
            result.written++;
            result.intoOtherApps++;
          }
        } else if (named.length === 0) {
          if (this.sidecars.delete(sidecar)) result.removed++;
        } else if (this.sidecars.get(sidecar) === content) result.unchanged++;
        else {
          this.sidecars.set(sidecar, content);
          result.written++;
        }
        const elapsed = (Date.now() - started) / 1000;
        const rate = elapsed > 0 ? (index + 1) / elapsed : null;
        onProgress({ job: 'export-names', stage: 'write', done: index + 1, total: photos.length, etaSeconds: rate ? (photos.length - index - 1) / rate : null, ratePerSecond: rate });
      }
      return result;
    });
  }

  /**
   * Mirrors main/people/xmp-names.ts importNamesFromOtherApps: reads the tags photo by photo, keeps every answer the
   * user gave (conflicts), names the rest in one undoable decision, then regroups.
   */
  private importNames(from?: string): string {
    return this.jobs.start('import-names', async (signal, onProgress) => {
      const inFolder = from === undefined ? 0 : (this.folderSidecars[from] ?? 0);
      const unmatchedExamples = Array.from({ length: Math.min(inFolder, 10) }, (_, i) => `${from}/old/photos/img_${i + 1}.jpg.xmp`);
      const photos = this.state.photos.filter((p) => p.faceIds.length > 0);
      const result = {
        photosRead: 0,
        photosWithNames: 0,
        facesNamed: 0,
        alreadyNamed: 0,
        facesAdded: 0,
        unmatchedRegions: 0,
        conflicts: [] as Array<{ faceId: string; path: string; name: string; reason: string }>,
        skipped: [] as Array<{ path: string; reason: string }>,
        newPeople: [] as string[],
        fromFolder:
          from === undefined
            ? null
            : { folder: from, sidecars: inFolder, matchedById: 0, matchedByPath: 0, unmatched: inFolder, unmatchedExamples, picasaContacts: this.folderPicasaContacts[from] ?? 0 },
      };
      const assignments: Array<{ face: FakeFace; name: string }> = [];
      if (from !== undefined) {
        // As main/people/xmp-names.ts reports a folder of sidecars: searched, then each sidecar matched to its photo.
        onProgress({ job: 'import-names', stage: 'scan', done: 0, total: 0, etaSeconds: 0, ratePerSecond: null, message: `Looking for sidecars: ${inFolder} found in 1 folder` });
        await this.sleep(signal);
        const matching = 'Matching the sidecars to photos';
        onProgress({ job: 'import-names', stage: 'match', done: 0, total: inFolder, etaSeconds: null, ratePerSecond: null, message: matching });
        await this.sleep(signal);
        onProgress({ job: 'import-names', stage: 'match', done: inFolder, total: inFolder, etaSeconds: 0, ratePerSecond: null, message: matching });
      }
      const started = Date.now();
      onProgress({ job: 'import-names', stage: 'read', done: 0, total: photos.length, etaSeconds: null, ratePerSecond: null });
      for (const [index, photo] of photos.entries()) {
        await this.sleep(signal);
        if (signal.aborted) throw new Error('cancelled');
        const reason = this.unreadableSidecars[photo.path];
        if (reason) result.skipped.push({ path: `${photo.path}.xmp`, reason });
        else {
          result.photosRead++;
          const tags = this.xmpTags.filter((t) => t.photoId === photo.id);
          if (tags.length > 0) result.photosWithNames++;
          for (const tag of tags) {
            const face = tag.faceId && photo.faceIds.includes(tag.faceId) ? this.face(tag.faceId) : null;
            if (!face) {
              result.unmatchedRegions++;
              continue;
            }
            if (assignments.some((a) => a.face === face)) continue;
            const conflict = (why: string) => result.conflicts.push({ faceId: face.id, path: photo.path, name: tag.name, reason: why });
            const current = face.personId ? this.state.people.find((p) => p.id === face.personId) : undefined;
            const namesake = this.personNamed(tag.name);
            if (current?.name && current.name.toLowerCase() === tag.name.toLowerCase()) {
              if (face.assignedBy === 'user') {
                result.alreadyNamed++;
                continue;
              }
            } else if (face.assignedBy === 'user' && current) {
              conflict(`this face is confirmed as ${current.name ? `"${current.name}"` : 'one of an unnamed group'} here`);
              continue;
            }
            if (namesake && face.rejected.includes(namesake.id)) {
              conflict(`you said this face is not "${namesake.name}"`);
              continue;
            }
            assignments.push({ face, name: tag.name });
          }
        }
        const elapsed = (Date.now() - started) / 1000;
        const rate = elapsed > 0 ? (index + 1) / elapsed : null;
        onProgress({ job: 'import-names', stage: 'read', done: index + 1, total: photos.length, etaSeconds: rate ? (photos.length - index - 1) / rate : null, ratePerSecond: rate });
      }
      if (signal.aborted) throw new Error('cancelled');
      (result as typeof result & { photosWithUnnamedMarks?: number }).photosWithUnnamedMarks = photos.filter((p) => this.unnamedMarks.includes(p.id)).length;
      /** The read's decision, as the engine's job result carries it: its Undo takes back this read or nothing. */
      let decisionId: string | null = null;
      const found = this.missedFaces.filter((f) => this.unnamedMarks.includes(f.photoId));
      if (found.length > 0 && assignments.length === 0) {
        const faces = found.length === 1 ? '1 face' : `${found.length} faces`;
        decisionId = this.decide(
          `Added ${faces} Familiar had missed, where other apps marked faces in photo metadata (XMP face regions).`,
          () => {
            this.missedFaces = this.missedFaces.filter((f) => !found.includes(f));
            for (const face of clone(found)) {
              const person = this.state.people.find((p) => this.identityOf(p.id) === face.identity);
              face.personId = person?.id ?? null;
              face.assignedBy = person ? 'cluster' : null;
              this.state.faces.push(face);
              this.state.photos.find((p) => p.id === face.photoId)!.faceIds.push(face.id);
            }
            return { personIds: [], faceIds: found.map((f) => f.id) };
          },
          'import-names',
          `Took out the ${faces} found where other apps marked faces.`,
        ).decisionId;
        (result as typeof result & { unnamedFacesFound?: number }).unnamedFacesFound = found.length;
      }
      if (assignments.length > 0) {
        const fresh = new Map<string, string>();
        for (const a of assignments) if (!this.personNamed(a.name)) fresh.set(a.name.toLowerCase(), a.name);
        result.newPeople = [...fresh.values()].sort((a, b) => a.localeCompare(b));
        const people = new Set(assignments.map((a) => a.name.toLowerCase())).size;
        decisionId = this.decide(`Named ${assignments.length === 1 ? '1 face' : `${assignments.length} faces`} from photo metadata (XMP face regions) (${people === 1 ? '1 person' : `${people} people`}, ${fresh.size} new).`, () => {
          const personIds = new Set<string>();
          for (const { face, name } of assignments) {
            const person = this.personNamed(name) ?? this.newPerson(name);
            face.personId = person.id;
            face.assignedBy = 'user';
            personIds.add(person.id);
          }
          return { personIds: [...personIds], faceIds: assignments.map((a) => a.face.id) };
        }, 'import-names').decisionId;
        result.facesNamed = assignments.length;
        // The engine regroups afterwards: newly named faces pull their lookalikes out of the unnamed groups.
        await this.sleep(signal);
        onProgress({ job: 'recluster', stage: 'cluster', done: this.state.faces.length, total: this.state.faces.length, etaSeconds: 0, ratePerSecond: null });
      }
      return { ...result, decisionId };
    });
  }

  private train(kind: 'train-embedder' | 'train-autoencoder', epochs: number, anyway = false): string {
    return this.jobs.start(kind, async (signal, onProgress) => {
      const nothingNew = kind === 'train-embedder' && !anyway ? this.embedderNothingNew : null;
      if (nothingNew) return { adopted: false, why: `nothing new to learn from since ${nothingNew.since} was trained`, reason: 'Nothing new to learn from.', version: null, before: {}, after: {}, nothingNew };
      // As main/api/studio.ts answers it.
      const studioSame = kind === 'train-autoencoder' && !anyway ? this.studioNothingNew : null;
      if (studioSame) return { adopted: false, reason: 'Nothing new to learn from.', version: null, before: {}, after: {}, nothingNew: studioSame };
      for (let epoch = 1; epoch <= epochs; epoch++) {
        await this.sleep(signal);
        if (signal.aborted) throw new Error('cancelled');
        const loss = 0.9 * Math.exp(-epoch / 3) + 0.05;
        if (kind === 'train-autoencoder') {
          // The face studio reports each batch too, as a fraction of its pass (main/autoencoder/train-job.ts).
          for (const batch of [1, 2]) {
            const recentLoss = 0.9 * Math.exp(-(epoch - 1 + batch / 2) / 3) + 0.05;
            const detail = { epoch, batch, batches: 2, loss: recentLoss * 1.05, recentLoss };
            onProgress({ job: kind, stage: 'train', done: epoch - 1 + batch / 2, total: epochs, etaSeconds: ((epochs - epoch + 1 - batch / 2) * this.stepMs) / 1000, ratePerSecond: null, detail });
            if (batch === 1) await this.sleep(signal);
          }
        }
        // The detail keys the real jobs report at the end of an epoch (main/embedder/train-job.ts; the autoencoder's
        // EpochFigures, models/autoencoder/train.ts).
        const detail =
          kind === 'train-embedder'
            ? { epoch, loss, activeTriplets: loss / 10, validationAccuracy: 0.8 + 0.15 * (1 - Math.exp(-epoch / 2)), validationTar: 0.9 + epoch / 200, best: true, secondsPerEpoch: 0.5 }
            : { epoch, trainLoss: loss, validationLoss: loss * 1.1, validationPsnr: 14 + epoch / 2, validationSsim: 0.25 + epoch / 50, restoredPsnr: 15 + epoch / 2, restoredSsim: 0.3 + epoch / 50, msPerStep: 120 };
        onProgress({ job: kind, stage: kind === 'train-embedder' ? 'epoch' : 'train', done: epoch, total: epochs, etaSeconds: ((epochs - epoch) * this.stepMs) / 1000, ratePerSecond: null, detail });
      }
      const kept = kind === 'train-embedder' ? this.embedderKept : null;
      if (kept) {
        const { adopt, why, reason } = adoptionDecision(kept.before, kept.after);
        if (adopt) throw new Error('embedderKept: the engine would adopt a model on these figures.');
        return { adopted: false, why, reason, version: null, ...kept };
      }
      const list = kind === 'train-embedder' ? this.models.embedder : this.models.autoencoder;
      const version = `v${list.length + 1}`;
      // The keys and sentences the real engine returns (main/embedder/train-job.ts, metricsOf / adoptionDecision).
      const measured = { far: 0.001, meanMargin: -0.05, probes: 241, genuinePairs: 1986 };
      const before = { identificationAccuracy: 0.88, tar: 0.933, ...measured };
      const after = { identificationAccuracy: 0.94, tar: 0.954, ...measured, meanMargin: -0.16 };
      // As main/embedder/index.ts lists a version: its figures, and the version it was tested against on the same faces.
      const embedderFigures = { metrics: { ...after, samePersonDistance: 0.3 }, comparedWith: { version: this.models.embedderInUse, metrics: before } };
      for (const v of list) v.inUse = false;
      list.push({ version, createdAt: new Date().toISOString(), faces: this.state.faces.length, people: this.state.people.length, metrics: { accuracy: 0.94 }, ...(kind === 'train-embedder' && embedderFigures), inUse: true });
      if (kind === 'train-embedder') this.models.embedderInUse = version;
      else this.models.autoencoderInUse = version;
      this.events.emit('library.changed', { what: ['models'] });
      if (kind === 'train-embedder') {
        const { why, reason } = adoptionDecision(before, after);
        return { adopted: true, why, reason, version, before, after };
      }
      // The keys main/api/studio.ts returns.
      return {
        adopted: true,
        reason: `Trained ${version} on ${this.state.faces.length} faces.`,
        version,
        before: { validationLoss: 0.19, validationPsnr: 14.57, validationSsim: 0.261 },
        after: { validationLoss: 0.125, validationPsnr: 17.84, validationSsim: 0.478 },
      };
    });
  }
}

/**
 * A small album for component tests: Ada (5 faces, one of them really Bob), an unnamed group of Bob (3), an
 * unnamed group of Cleo (2), two loose faces of Ada that the suggestions queue should offer, one stranger.
 */
/** Adds a photo of one face of `identity` to `state`, placed with `personId` (as `assignedBy` says). */
export function addOneFacePhoto(state: FakeState, identity: string, personId: string | null, assignedBy: FakeFace['assignedBy'] = personId === null ? null : 'cluster'): void {
  const n = state.photos.length;
  state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
  state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId, assignedBy, rejected: [] });
}

export function sampleAlbum(): FakeState {
  const photos: FakePhoto[] = [];
  const faces: FakeFace[] = [];
  const add = (identity: string, personId: string | null, withOther?: { identity: string; personId: string | null }) => {
    const n = photos.length;
    const photo: FakePhoto = { id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: `2024-0${(n % 9) + 1}-1${n % 9}T10:00:00Z`, faceIds: [] };
    photos.push(photo);
    const entries = [{ identity, personId }, ...(withOther ? [withOther] : [])];
    entries.forEach((entry, i) => {
      const face: FakeFace = { id: `face${n}-${i}`, photoId: photo.id, box: [200 + i * 500, 200, 240, 240], identity: entry.identity, personId: entry.personId, assignedBy: entry.personId ? 'cluster' : null, rejected: [] };
      faces.push(face);
      photo.faceIds.push(face.id);
    });
  };
  for (let i = 0; i < 4; i++) add('ada', 'person-ada', i === 0 ? { identity: 'bob', personId: 'person-bob' } : undefined);
  add('bob', 'person-ada'); // a wrong face the user should reject
  add('bob', 'person-bob');
  add('bob', 'person-bob');
  add('cleo', 'person-cleo');
  add('cleo', 'person-cleo');
  add('ada', null);
  add('ada', null);
  add('stranger', null);
  return {
    photos,
    faces,
    people: [
      { id: 'person-ada', name: 'Ada', hidden: false, coverFaceId: null },
      { id: 'person-bob', name: null, hidden: false, coverFaceId: null },
      { id: 'person-cleo', name: null, hidden: false, coverFaceId: null },
    ],
  };
}

/** Holds the engine's answers to one call until released (a request in flight, for what the screen shows meanwhile). */
export function holdCalls(engine: FakeEngine, held: CallName): { release: () => void; asked: () => boolean } {
  let release: (() => void) | null = null;
  const call = engine.dispatcher.call.bind(engine.dispatcher);
  engine.dispatcher.call = async (name, args) => {
    if (name === held) await new Promise<void>((resolve) => (release = resolve));
    return call(name, args);
  };
  return { release: () => release?.(), asked: () => release !== null };
}

/** The sample album with a face studio in use, trained on enough faces to draw them (no "rough drawings" notice). */
export function studioEngine(): FakeEngine {
  const engine = new FakeEngine(sampleAlbum());
  engine.models.autoencoder.push({ version: 'v1', createdAt: '2026-01-01T00:00:00Z', faces: 2000, epochs: 12, people: 3, metrics: {}, inUse: true });
  engine.models.autoencoderInUse = 'v1';
  return engine;
}

/**
 * An album of unnamed groups, one face a photo, in the order given: [group id, identity, faces]. Who is this? tests
 * build their queues from it.
 */
export function albumOfGroups(groups: ReadonlyArray<readonly [id: string, identity: string, count: number]>): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  for (const [id, identity, count] of groups) {
    state.people.push({ id, name: null, hidden: false, coverFaceId: null });
    for (let i = 0; i < count; i++) {
      const n = state.photos.length;
      state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
      state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId: id, assignedBy: 'cluster', rejected: [] });
    }
  }
  return state;
}
