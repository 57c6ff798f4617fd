// Taking a folder out of the library: the wrong folder imported (Downloads, a friend's card), or one the user no
// longer wants Familiar to look at. The photos on disk are never touched; what goes is Familiar's record of them:
//  - a photo whose every known copy is under the folder goes with its faces; what its analysis found, and what the
//    user said of its faces, are kept (main/library/restore-analysis.ts): imported again, it comes back as it was;
//  - a photo with a copy elsewhere stays, with its faces, and only forgets the paths under the folder;
//  - an unnamed group left with no face goes; a named person stays, whatever is left of them (the name is the user's);
//  - the folder stops being watched for new photos.
// The plan (the counts a confirmation dialog shows) and the removal read the same rule. A photo missing from disk
// (a drive unplugged) counts by the paths last seen, so unplugging never blocks removing a folder.
// The photos missing from disk (deleted or moved outside Familiar) are kept with their names, in case a drive comes
// back; forgetting them is the same removal, on the user's word (removeMissingPhotos).
import { realpathSync } from 'node:fs';
import { lstat, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { plural } from '../../preload/contract.js';
import { JobCancelledError, ProgressTracker, type ProgressListener } from '../jobs/progress.js';
import { insideAnyOf, isInside, pathRules, samePath, uniquePaths, type PathRules } from '../paths.js';
import type { Library, LibraryTransaction } from '../store/library.js';
import type { FaceRecord, PersonRecord, PhotoRecord, Settings } from '../store/types.js';
import { missingPathChanges, type FileLooks, type PathChanges } from './import.js';
import { forgetRemovedFaces } from '../people/decisions.js';
import { isPinnedUnknown } from '../people/library.js';
import { keepAnalyses, keptIndexOf, type DecisionToKeep } from './restore-analysis.js';
import { saysItIsGone } from './decode.js';
import type { Decision } from '../people/types.js';
import { outermost, UNWATCHED_FOLDERS_KEY, unwatchedFolders, WATCHED_FOLDERS_KEY, watchedFolders } from './imported-folders.js';

// Which folders were imported, kept apart so that what only reads them (photo dates) need not load the removal.
export { UNWATCHED_FOLDERS_KEY, unwatchedFolders, WATCHED_FOLDERS_KEY, watchedFolders, watchingParentOf } from './imported-folders.js';

/**
 * Remembers `folders` (absolute, as the disk spells them) as imported and not watched, in `tx`, and forgets `watched`
 * from that list (watched again). Writes nothing when that changes nothing.
 */
export function rememberUnwatched(tx: LibraryTransaction, folders: readonly string[], watched: readonly string[] = [], rules: PathRules = pathRules()): void {
  const before = unwatchedFolders(tx.settings, rules);
  const after = uniquePaths([...before, ...folders], rules).filter((f) => !watched.some((w) => samePath(w, f, rules)));
  if (after.length !== before.length || after.some((f, i) => f !== before[i])) tx.settings[UNWATCHED_FOLDERS_KEY] = after;
}

/**
 * The watched folders once `folders` (absolute, as the disk spells them: onDiskSpelling) are watched too, or null when
 * that changes nothing. A folder watched already in another spelling is not added again; it takes the one on disk.
 * A gone folder `moved` names (movedFolders) gives its place in the list to the folder its photos were found in.
 */
export function watchedFoldersWith(
  settings: Readonly<Settings>,
  folders: readonly string[],
  rules: PathRules = pathRules(),
  moved: ReadonlyMap<string, string> = new Map(),
): string[] | null {
  const movedTo = (k: string) => [...moved].find(([gone]) => samePath(gone, k, rules))?.[1];
  const known = watchedFolders(settings, rules);
  const respelt = outermost(
    uniquePaths(
      known.map((k) => movedTo(k) ?? folders.find((f) => samePath(f, k, rules)) ?? k),
      rules,
    ),
    rules,
  );
  // A folder inside a watched one is watched already, as part of it; a watched one inside a new one becomes part of that.
  const fresh = outermost(uniquePaths(folders, rules), rules).filter((f) => !respelt.some((k) => isInside(k, f, rules)));
  const kept = respelt.filter((k) => !fresh.some((f) => isInside(f, k, rules)));
  const stored = settings[WATCHED_FOLDERS_KEY];
  const before: unknown[] = Array.isArray(stored) ? stored : [];
  const same = fresh.length === 0 && before.length === kept.length && kept.every((f, i) => f === before[i]);
  return same ? null : [...kept, ...fresh];
}

/** How a folder is looked at on disk (node's stat; tests put a failing disk in its place). */
export type StatFolder = (path: string) => Promise<{ isDirectory(): boolean }>;

/**
 * Whether the disk says `folder` is not there: no such path (ENOENT, ENOTDIR), or a file in its place. Any other
 * failure tells nothing of the folder (a NAS answering EIO or timing out, no permission to look): not gone, as its
 * photos must not turn missing, nor lose their paths, because a network drive stalled.
 */
export async function isGoneFolder(folder: string, statFolder: StatFolder = stat): Promise<boolean> {
  try {
    return !(await statFolder(folder)).isDirectory();
  } catch (err) {
    return saysItIsGone(err);
  }
}

/**
 * Whether no file is left at any of `paths` (a photo's): each one not there (ENOENT, ENOTDIR). Any other failure tells
 * nothing of the file, as for isGoneFolder. The library learns a photo is missing at an import or a check; the viewer,
 * asking now, must not wait for that to say so.
 */
export async function isGoneFile(paths: readonly string[], statFile: StatFolder = lstat): Promise<boolean> {
  for (const path of paths) {
    try {
      await statFile(path);
      return false;
    } catch (err) {
      if (!saysItIsGone(err)) return false;
    }
  }
  return true;
}

/**
 * The watched folders that are no longer on disk (isGoneFolder): moved or renamed outside Familiar (QA: `mv album
 * album-moved` left the app saying "Your library is up to date" over the dead folder), deleted, or on a drive unplugged.
 */
export async function goneWatchedFolders(settings: Readonly<Settings>, rules: PathRules = pathRules(), statFolder: StatFolder = stat): Promise<string[]> {
  const gone: string[] = [];
  for (const folder of watchedFolders(settings, rules)) {
    if (await isGoneFolder(folder, statFolder)) gone.push(folder);
  }
  return gone;
}

/**
 * How many photos are missing from disk, as `familiar doctor` finds them, without writing from a read: those found
 * missing already, and those whose every path lies in one of `goneFolders` (goneWatchedFolders). A photo with a copy
 * elsewhere is not missing. Nothing is marked: an import, or stopping watching the folder, settles them.
 */
export function missingWithGoneFolders(library: Library, goneFolders: readonly string[], rules: PathRules = pathRules()): number {
  const gone = insideAnyOf(goneFolders, rules);
  return library.photos.filter((p) => p.missing || (goneFolders.length > 0 && p.paths.length > 0 && p.paths.every(gone))).length;
}

/**
 * The folders to import again to read `photos`: for each, the watched folder holding its file, else the folder the file
 * is in. Each once, sorted.
 */
export function foldersHolding(photos: readonly Pick<PhotoRecord, 'paths'>[], settings: Readonly<Settings>, rules: PathRules = pathRules()): string[] {
  const watched = watchedFolders(settings, rules);
  const folders = photos.flatMap((p) => {
    const path = p.paths[0];
    if (path === undefined) return [];
    return [watched.find((folder) => isInside(folder, path, rules)) ?? dirname(path)];
  });
  return uniquePaths(folders, rules).sort();
}

/** Per folder of `folders`, the ids of the photos with a path under it (a missing photo's by the paths last seen). */
export function photosUnder(library: Library, folders: readonly string[], rules: PathRules = pathRules()): Map<string, string[]> {
  const held = new Map<string, string[]>();
  for (const folder of folders) {
    held.set(folder, library.photos.filter((p) => p.paths.some((path) => isInside(folder, path, rules))).map((p) => p.id));
  }
  return held;
}

/**
 * The gone folders (`held`: photosUnder them, taken before an import of `imported`) whose photos that import found
 * under one of `imported`: each with the folder holding most of them, its new place. A gone folder none of whose
 * photos were found there (another folder imported, or an empty one) is not moved: it stays, shown as gone.
 */
export function movedFolders(library: Library, held: ReadonlyMap<string, readonly string[]>, imported: readonly string[], rules: PathRules = pathRules()): Map<string, string> {
  const moved = new Map<string, string>();
  for (const [gone, photoIds] of held) {
    let best: { folder: string; photos: number } | null = null;
    for (const folder of imported) {
      if (isInside(gone, folder, rules)) continue;
      const photos = photoIds.filter((id) => library.photo(id)?.paths.some((path) => isInside(folder, path, rules))).length;
      if (photos > 0 && photos > (best?.photos ?? 0)) best = { folder, photos };
    }
    if (best) moved.set(gone, best.folder);
  }
  return moved;
}

/**
 * Stops watching `folder` for new photos, and nothing else: its photos stay in the library, those missing from disk
 * with their names, for an import of the folder's new place to find (unlike removeFolder, which forgets them).
 */
export async function stopWatching(library: Library, folder: string, rules: PathRules = pathRules()): Promise<string[]> {
  const watched = watchedFolders(library.settings, rules);
  const left = watched.filter((w) => !samePath(w, folder, rules));
  if (left.length === watched.length) throw new FolderRemovalError(`Familiar does not watch ${folder}.`);
  await library.transaction((tx) => {
    tx.settings[WATCHED_FOLDERS_KEY] = left;
    rememberUnwatched(tx, watched.filter((w) => samePath(w, folder, rules)), [], rules);
  });
  return left;
}

/** The watched folders as absolute paths without a trailing separator, for comparing with a folder to remove. */
function watchedResolved(settings: Readonly<Settings>, rules: PathRules): string[] {
  return watchedFolders(settings, rules).map((w) => rules.path.resolve(w));
}

export interface NamedPersonLoss {
  personId: string;
  name: string;
  /** Faces of this person in the photos that go. */
  faces: number;
  /** Faces they keep. */
  facesLeft: number;
}

export interface FolderRemovalPlan {
  /** null: the photos missing from disk, wherever they were. */
  folder: string | null;
  /** Photos whose every copy is under the folder: they go, with their faces. */
  photos: number;
  /** Photos with a copy outside the folder too: they stay and forget the copies under it. */
  photosKeptElsewhere: number;
  faces: number;
  /** Of those faces, the ones the user named, confirmed or corrected: these decisions go with them. */
  decidedFaces: number;
  /**
   * Of those faces, the ones the user set aside, not among decidedFaces: in a hidden unnamed group (hiding pins its
   * faces as the user's: hidePeople) or not to be asked about (isPinnedUnknown). Counted apart, as no name goes with them.
   */
  setAsideFaces: number;
  /**
   * Of decidedFaces and setAsideFaces, those whose decisions are kept with their photo's analysis: the same photos
   * imported again take them back. Not the faces drawn by hand (an analysis would not find them again), nor a move
   * into an unnamed group that goes with them. The summary's: those the removal did keep.
   */
  decisionsKept: number;
  /**
   * Of a folder's photos that go, those no longer on disk (deleted since its last import, or marked missing), and of
   * decisionsKept those on their faces: imported again, the folder brings back only the others (QA: "brings them back
   * with what you said of 17 faces" counted 2 photos deleted from disk; 15 came back). 0 when forgetting the photos
   * missing from disk, every one of which is.
   */
  photosNotOnDisk: number;
  decisionsNotOnDisk: number;
  /** Named people who lose faces, most faces lost first. */
  namedPeople: NamedPersonLoss[];
  /** Whether the folder was watched for new photos (it no longer will be). */
  watched: boolean;
}

export interface FolderRemovalSummary extends FolderRemovalPlan {
  /** Unnamed groups that had no face left and went too. */
  groupsRemoved: number;
  /** Photos whose analysis was kept (main/library/restore-analysis.ts): imported again, they are not analysed again. */
  analysesKept: number;
  /** What went wrong keeping them, or was wrong with what was kept before, in a sentence; null when nothing did. */
  keptAnalysesProblem: string | null;
  seconds: number;
}

export class FolderRemovalError extends Error {
  /** `nothingToDo`: there is nothing to remove (every photo is on disk), which is no failure. */
  constructor(
    message: string,
    readonly nothingToDo = false,
  ) {
    super(message);
    this.name = 'FolderRemovalError';
  }
}

interface Selection {
  folder: string | null;
  /** How paths are told apart (main/paths.ts): c:\photos removes what was imported from C:\Photos on Windows. */
  rules: PathRules;
  removed: Set<string>;
  trimmed: Set<string>;
  faces: FaceRecord[];
}

function select(library: Library, folderPath: string, rules: PathRules): Selection {
  const watchedNow = watchedResolved(library.settings, rules);
  const given = asTheLibraryKnows(library, rules.path.resolve(folderPath), watchedNow, rules);
  // Said as the library spells it when it watches it.
  const folder = watchedNow.find((w) => samePath(w, given, rules)) ?? given;
  // Under a watched folder the watcher would import it again at the next change there: say so rather than pretend.
  const parent = watchedNow.find((w) => !samePath(w, folder, rules) && isInside(w, folder, rules));
  if (parent) {
    throw new FolderRemovalError(
      `${folder} is inside ${parent}, which Familiar watches for new photos: it would be imported again. Remove ${parent} instead, or move the photos out of it.`,
    );
  }
  const removed = new Set<string>();
  const trimmed = new Set<string>();
  for (const photo of library.photos) {
    const inside = photo.paths.filter((p) => isInside(folder, p, rules)).length;
    if (inside === 0) continue;
    (inside === photo.paths.length ? removed : trimmed).add(photo.id);
  }
  const watched = watchedNow.some((w) => isInside(folder, w, rules));
  if (removed.size === 0 && trimmed.size === 0 && !watched) {
    throw new FolderRemovalError(`The library has no photo in ${folder}, and does not watch it: nothing to remove.`);
  }
  return { folder, rules, removed, trimmed, faces: library.faces.filter((f) => removed.has(f.photoId)) };
}

/**
 * `paths` (each resolved) in the spelling the library knows them by (asTheLibraryKnows). An import through another
 * spelling of a folder it has, a link to it or its real path under the link it was imported through, reads its photos
 * at the paths it has them, and watches the folder once. QA: importing a link to a watched folder moved every photo to
 * the link's path and watched the folder twice; the link deleted, every photo was missing.
 */
export function spelledAsTheLibraryKnows(library: Library, paths: readonly string[], rules: PathRules = pathRules()): string[] {
  const watchedNow = watchedFolders(library.settings, rules);
  return paths.map((path) => asTheLibraryKnows(library, rules.path.resolve(path), watchedNow, rules));
}

/**
 * `folder` in the spelling the library knows it by, when it holds photos or watches folders under another: its real
 * path, or, for a folder imported through a link (~/Pictures a link to /data/Pictures, the link itself or a folder
 * under it imported), the link's path with the rest of the folder's path after it. QA: `familiar remove /data/Pictures` said the library had no photo there.
 */
function asTheLibraryKnows(library: Library, folder: string, watchedNow: readonly string[], rules: PathRules): string {
  const knows = (spelling: string) =>
    watchedNow.some((w) => isInside(spelling, w, rules)) || library.photos.some((photo) => photo.paths.some((p) => isInside(spelling, p, rules)));
  if (knows(folder)) return folder;
  const real = realPathOrNull(folder);
  if (real === null) return folder;
  if (!samePath(real, folder, rules) && knows(real)) return real;
  // The link may be a root or any folder above one (~/Pictures a link, ~/Pictures/Trip imported): each is tried.
  const tried = new Set<string>();
  for (const root of [...watchedNow, ...unwatchedFolders(library.settings, rules)]) {
    for (let above = root; !tried.has(rules.key(above)); above = rules.path.dirname(above)) {
      tried.add(rules.key(above));
      const realAbove = realPathOrNull(above);
      if (realAbove === null || samePath(realAbove, above, rules) || !isInside(realAbove, real, rules)) continue;
      const spelling = rules.path.join(above, rules.path.relative(realAbove, real));
      if (knows(spelling)) return spelling;
    }
  }
  return folder;
}

function realPathOrNull(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}

/** The photos whose every known copy is gone from disk: as last recorded, or as `onDisk` (missingPathChanges) found. */
function selectMissing(library: Library, onDisk?: PathChanges): Selection {
  const removed = new Set(library.photos.filter((p) => onDisk?.get(p.id)?.missing ?? p.missing).map((p) => p.id));
  if (removed.size === 0) throw new FolderRemovalError('Every photo of the library is on disk: nothing to forget.', true);
  return { folder: null, rules: pathRules(), removed, trimmed: new Set(), faces: library.faces.filter((f) => removed.has(f.photoId)) };
}

/** The unnamed groups left with no face once `goneFaces` go (they go too). */
function groupsLeftEmpty(library: Library, people: readonly PersonRecord[], goneFaces: ReadonlySet<string>): Set<string> {
  const holding = new Set(library.faces.filter((f) => !goneFaces.has(f.id) && f.personId !== null).map((f) => f.personId!));
  return new Set(people.filter((p) => p.name === null && !holding.has(p.id)).map((p) => p.id));
}

/** Whether the user set `face` aside: not to be asked about (isPinnedUnknown), or in a hidden unnamed group (hidePeople pins its faces). */
function setAsideIn(library: Library): (face: FaceRecord) => boolean {
  const hiddenGroups = new Set(library.people.people.filter((p) => p.hidden && p.name === null).map((p) => p.id));
  return (f) => isPinnedUnknown(f) || (f.personId !== null && hiddenGroups.has(f.personId));
}

/**
 * What the user said of the faces that go, by face id, as it will hold once they have gone: a face of a group that goes
 * with them comes back set aside when the group was hidden, else unknown, and "not" that group no more.
 */
function decisionsToKeep(library: Library, s: Selection): Map<string, DecisionToKeep> {
  const goneFaces = new Set(s.faces.map((f) => f.id));
  const emptied = groupsLeftEmpty(library, library.people.people, goneFaces);
  const setAside = setAsideIn(library);
  const decisions = new Map<string, DecisionToKeep>();
  for (const f of s.faces) {
    const aside = setAside(f);
    if (!aside && f.assignedBy !== 'user' && f.rejectedPersonIds.length === 0) continue;
    const rejectedPersonIds = f.rejectedPersonIds.filter((id) => !emptied.has(id));
    const groupGoes = f.personId !== null && emptied.has(f.personId);
    if (groupGoes && !aside && rejectedPersonIds.length === 0) continue;
    const kept: DecisionToKeep = groupGoes ? { personId: null, assignedBy: aside ? 'user' : null, rejectedPersonIds } : { personId: f.personId, assignedBy: f.assignedBy, rejectedPersonIds };
    decisions.set(f.id, f.notAFace ? { ...kept, notAFace: true } : kept);
  }
  return decisions;
}

/**
 * How long a removal waits for its folder's disk to answer before it counts only the photos already marked missing: a
 * dead network share or a drive that stopped answering never answers, and removing its folder is the way out of it (a
 * review: the dialog never opened, and the removal, queued before every import, waited for ever).
 */
export const NOT_ON_DISK_WAIT_MS = 3000;

/**
 * Of the photos a folder's removal takes, those no longer on disk: looked at once, the folder's own photos only (their
 * folders listed, not every photo's file stat'ed; a folder of 50,000 photos is a few listings), as missingPathChanges
 * does. None when forgetting the photos missing from disk. A disk that does not answer within NOT_ON_DISK_WAIT_MS, or a
 * removal cancelled meanwhile, leaves the photos marked missing only. `looks`: tests.
 */
async function notOnDisk(library: Library, s: Selection, signal?: AbortSignal, looks?: FileLooks): Promise<Set<string>> {
  if (s.folder === null || s.removed.size === 0) return new Set();
  const photos = [...s.removed].map((id) => library.photo(id)).filter((p) => p !== undefined);
  let stop: () => void = () => {};
  const given = new Promise<null>((resolve) => {
    const timer = setTimeout(() => resolve(null), NOT_ON_DISK_WAIT_MS);
    const cancelled = () => resolve(null);
    signal?.addEventListener('abort', cancelled, { once: true });
    stop = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancelled);
    };
  });
  try {
    const changes = signal?.aborted ? null : await Promise.race([missingPathChanges(library, looks, photos), given]);
    return new Set(photos.filter((p) => changes?.get(p.id)?.missing ?? p.missing).map((p) => p.id));
  } finally {
    stop();
  }
}

function planOf(library: Library, s: Selection, notOnDisk: ReadonlySet<string>, decisions = decisionsToKeep(library, s)): FolderRemovalPlan {
  const lost = new Map<string, number>();
  for (const f of s.faces) if (f.personId !== null) lost.set(f.personId, (lost.get(f.personId) ?? 0) + 1);
  const total = new Map<string, number>();
  for (const f of library.faces) if (f.personId !== null && lost.has(f.personId)) total.set(f.personId, (total.get(f.personId) ?? 0) + 1);
  const namedPeople = library.people.people
    .filter((p) => p.name !== null && lost.has(p.id))
    .map((p) => ({ personId: p.id, name: p.name!, faces: lost.get(p.id)!, facesLeft: total.get(p.id)! - lost.get(p.id)! }))
    .sort((a, b) => b.faces - a.faces || a.name.localeCompare(b.name));
  const setAside = setAsideIn(library);
  const keepable = [...decisions.keys()].filter((id) => {
    const face = library.face(id);
    const photo = face && library.photo(face.photoId);
    return photo !== undefined && keptIndexOf(photo, face!) !== null;
  });
  return {
    folder: s.folder,
    photos: s.removed.size,
    photosKeptElsewhere: s.trimmed.size,
    faces: s.faces.length,
    decidedFaces: s.faces.filter((f) => !setAside(f) && (f.assignedBy === 'user' || f.rejectedPersonIds.length > 0)).length,
    setAsideFaces: s.faces.filter(setAside).length,
    decisionsKept: keepable.length,
    photosNotOnDisk: notOnDisk.size,
    decisionsNotOnDisk: keepable.filter((id) => notOnDisk.has(library.face(id)!.photoId)).length,
    namedPeople,
    watched: s.folder !== null && watchedResolved(library.settings, s.rules).some((w) => isInside(s.folder!, w, s.rules)),
  };
}

/**
 * What removing `folder` would take out of the library, changing nothing; its photos' files are looked at (notOnDisk).
 * `platform`: tests (main/paths.ts).
 */
export async function planFolderRemoval(library: Library, folder: string, platform?: NodeJS.Platform, looks?: FileLooks): Promise<FolderRemovalPlan> {
  const selection = select(library, folder, pathRules(platform));
  return planOf(library, selection, await notOnDisk(library, selection, undefined, looks));
}

/**
 * Throws the FolderRemovalError planFolderRemoval would (nothing to remove, a folder inside a watched one), without
 * looking at the disk: a removal is refused at once, and looks at its files itself.
 */
export function checkFolderRemoval(library: Library, folder: string, platform?: NodeJS.Platform): void {
  select(library, folder, pathRules(platform));
}

/** What forgetting the photos missing from disk would take out of the library, changing nothing. */
export function planMissingRemoval(library: Library, onDisk?: PathChanges): FolderRemovalPlan {
  return planOf(library, selectMissing(library, onDisk), new Set());
}

/** Forgets the photos missing from disk, with their faces and what the user said of them (as removeFolder does). */
export function removeMissingPhotos(library: Library, options: { signal?: AbortSignal; onProgress?: ProgressListener } = {}): Promise<FolderRemovalSummary> {
  return removeSelection(library, selectMissing(library), options);
}

/**
 * Removes `folder` from the library in one transaction (a failed write leaves all of it there; a crash between two
 * documents is repaired on open like any interrupted transaction), then deletes the thumbnails of the faces that
 * went. Cancelling is possible until the transaction starts.
 */
export async function removeFolder(
  library: Library,
  folder: string,
  options: { signal?: AbortSignal; onProgress?: ProgressListener; platform?: NodeJS.Platform; looks?: FileLooks } = {},
): Promise<FolderRemovalSummary> {
  return removeSelection(library, select(library, folder, pathRules(options.platform)), options);
}

async function removeSelection(library: Library, selection: Selection, options: { signal?: AbortSignal; onProgress?: ProgressListener; looks?: FileLooks }): Promise<FolderRemovalSummary> {
  const started = performance.now();
  const progress = new ProgressTracker('remove-photos', options.onProgress);
  const decisions = decisionsToKeep(library, selection);
  const plan = planOf(library, selection, await notOnDisk(library, selection, options.signal, options.looks), decisions);
  progress.report('remove', 0, plan.faces);
  if (options.signal?.aborted) throw new JobCancelledError('remove-photos');

  const goneFaces = new Set(selection.faces.map((f) => f.id));
  const thumbs = selection.faces.map((f) => f.thumb);
  const rows = new Set(selection.faces.map((f) => f.vectorRow));
  // What their analysis found, and what the user said of their faces, is kept before they go (a crash in between
  // leaves only entries of photos still here): the same photos imported again are not analysed again, and take back
  // their names and answers (QA: Amy's faces came back unnamed).
  const keeping = await keepAnalyses(library, selection.removed, decisions);
  if (options.signal?.aborted) throw new JobCancelledError('remove-photos');
  const said = {
    decisionsKept: keeping.decisionsKept,
    decisionsLost: plan.decidedFaces + plan.setAsideFaces - keeping.decisionsKept,
    // Kept less than planned (a failed write): those not on disk are at most all that was.
    decisionsNotOnDisk: Math.min(plan.decisionsNotOnDisk, keeping.decisionsKept),
    photosNotOnDisk: plan.photosNotOnDisk,
  };
  let groupsRemoved: number;
  try {
    groupsRemoved = await library.transaction((tx) => applyRemoval(tx, library, selection, goneFaces, said));
  } catch (err) {
    // The transaction put everything back: say so, in the words of the import's own write failures.
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : code === 'EROFS' ? 'the library folder is read-only' : 'it refused the write';
    throw new Error(`Could not write to the library at ${library.dir} (${why}: ${(err as Error).message}); nothing was removed. Free space or fix the folder and try again.`);
  }
  await library.saveIndex();
  // The vector rows of the faces that went, where they end the files (a folder imported last, the usual mistake).
  await library.releaseRows(rows);

  // The record is gone; a thumbnail left behind by a crash here is only a file nobody names.
  progress.resetWindow();
  let deleted = 0;
  for (const thumb of thumbs) {
    await unlink(join(library.dir, thumb)).catch(() => {});
    if (++deleted % 200 === 0) progress.report('thumbnails', deleted, thumbs.length);
  }
  progress.report('thumbnails', thumbs.length, thumbs.length);
  return {
    ...plan,
    decisionsKept: said.decisionsKept,
    decisionsNotOnDisk: said.decisionsNotOnDisk,
    groupsRemoved,
    analysesKept: keeping.kept,
    keptAnalysesProblem: keeping.problem,
    seconds: Math.round(performance.now() - started) / 1000,
  };
}

/**
 * The removal itself, inside one transaction; returns how many unnamed groups went. `said`: of how many faces what the
 * user said was kept to come back with them, and lost (logged with the removal, for undo to say).
 */
function applyRemoval(
  tx: LibraryTransaction,
  library: Library,
  selection: Selection,
  goneFaces: ReadonlySet<string>,
  said: Pick<NonNullable<Decision['removal']>, 'decisionsKept' | 'decisionsLost' | 'decisionsNotOnDisk' | 'photosNotOnDisk'>,
): number {
  const photos = tx.photos;
  let kept = 0;
  for (const photo of photos) {
    if (selection.removed.has(photo.id)) continue;
    if (selection.folder !== null && selection.trimmed.has(photo.id)) forgetPathsUnder(photo, selection.folder, selection.rules);
    photos[kept++] = photo;
  }
  photos.length = kept;

  if (goneFaces.size > 0) {
    const faces = tx.faces;
    let keptFaces = 0;
    for (const face of faces) if (!goneFaces.has(face.id)) faces[keptFaces++] = face;
    faces.length = keptFaces;
  }

  // Unnamed groups with no face left go; a named person stays with what is left of them.
  const people = tx.people.people;
  const emptied = groupsLeftEmpty(library, people, goneFaces);
  let keptPeople = 0;
  for (const person of people) {
    if (emptied.has(person.id)) continue;
    if (person.coverFaceId !== null && goneFaces.has(person.coverFaceId)) person.coverFaceId = null;
    people[keptPeople++] = person;
  }
  people.length = keptPeople;
  if (emptied.size > 0) {
    for (const face of tx.faces) {
      if (face.rejectedPersonIds.some((id) => emptied.has(id))) face.rejectedPersonIds = face.rejectedPersonIds.filter((id) => !emptied.has(id));
    }
  }

  // Undo goes back through the user's decisions newest first. It cannot take a removal back, and stops there, saying
  // so: the removal is logged for that, a removal that only forgot copies too (QA: undo right after one took back an
  // older, unrelated decision). The decisions about the faces that went no longer name them.
  const decisions = tx.people.decisions as Decision[];
  if (goneFaces.size > 0) forgetRemovedFaces(decisions, goneFaces, selection.folder);
  const trimmedOnly = selection.removed.size === 0 && selection.folder !== null && selection.trimmed.size > 0;
  if (selection.removed.size > 0 || trimmedOnly) decisions.push({
    id: `decision-${decisions.length + 1}-${Date.now().toString(36)}`,
    at: new Date().toISOString(),
    kind: 'remove',
    description: trimmedOnly
      ? `Took ${selection.folder} out of the library; its photos stay, from their copies elsewhere.`
      : `Removed ${plural(selection.removed.size, 'photo')} from the library${selection.folder !== null ? ` (${selection.folder})` : ''}.`,
    personIds: [],
    faceIds: [],
    before: null,
    undoneAt: null,
    removal: { folder: selection.folder, photos: selection.removed.size, ...said },
  });

  if (selection.folder !== null) {
    const folder = selection.folder;
    const { rules } = selection;
    const watched = tx.settings[WATCHED_FOLDERS_KEY];
    const stillWatched = watchedFolders(tx.settings, rules).filter((w) => !isInside(folder, rules.path.resolve(w), rules));
    if (Array.isArray(watched) && stillWatched.length !== watched.length) tx.settings[WATCHED_FOLDERS_KEY] = stillWatched;
    const unwatched = unwatchedFolders(tx.settings, rules);
    const stillUnwatched = unwatched.filter((w) => !isInside(folder, rules.path.resolve(w), rules));
    if (stillUnwatched.length !== unwatched.length) tx.settings[UNWATCHED_FOLDERS_KEY] = stillUnwatched;
  }
  return emptied.size;
}

function forgetPathsUnder(photo: PhotoRecord, folder: string, rules: PathRules): void {
  const forgotten = photo.paths.filter((p) => isInside(folder, p, rules));
  photo.removedPaths = uniquePaths([...(photo.removedPaths ?? []), ...forgotten], rules);
  photo.paths = photo.paths.filter((p) => !isInside(folder, p, rules));
  if (photo.fileStamps) photo.fileStamps = Object.fromEntries(Object.entries(photo.fileStamps).filter(([path]) => !isInside(folder, path, rules)));
}
