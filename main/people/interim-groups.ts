// People while an import runs. An import of 20,000 photos takes hours (~0.5 s a photo), and grouping its faces only at
// its end left People empty all that time (QA). So the faces an import has stored so far are grouped at checkpoints,
// with the code its end uses (assignNewFaces: on a first import that is the whole clustering), and People fills in as
// the photos arrive, as in Immich or Google Photos.
//
// A checkpoint's groups are provisional: their faces keep `unplaced`, and the next grouping (the end's too) draws them
// again from the faces stored by then as if no checkpoint had been, so an import ends exactly as one without
// checkpoints would (person ids aside). Each grouping keeps the ids of the groups it draws again, so the People
// list does not reshuffle under the user. A group the user acted on meanwhile (named, hidden, merged, a cover chosen,
// a face confirmed or rejected) is the user's: its faces stay in it, and later groupings only add to it.
//
// Except a group the user named: only the faces the name vouched for (and its cover) stay. Naming confirms the faces
// like the group, and of a group that looks like two people only the part on its cover (main/people/decisions.ts);
// the rest were left "to check". A checkpoint groups lookalikes together as often as the end does (QA: Andy Roddick
// and Amelie Mauresmo, one group at a checkpoint and at the end alike), and keeping the faces left to check made them
// the named person's for good: the other person's later photos were placed with them through those faces, and the
// named group ended with both. So they are drawn again, and join the named person only as any new face of a named
// person does, by placement (docs/architecture.md "Screens during an import").
//
// An import stopped before its last file (cancelled, or closed or crashed during and grouped at the next open) groups
// the faces it kept in the same provisional way: its groups were drawn from part of the photos, and two people with a
// couple of photos each in that part can make one group. Made final, that group took every later photo of both by
// placement when the import was resumed (QA: Amelie Mauresmo 10 and David Nalbandian 8 in one group, where the import
// uninterrupted kept them apart). So the import that resumes it draws them again with the rest, and ends as the
// uninterrupted import would.
//
// Cost (docs/architecture.md "Screens during an import"): a checkpoint each time the import's faces grew by half, so
// all the checkpoints together cost about twice the end's grouping, on top of it.
import { smallestGroup } from '../../models/cluster/methods.js';
import type { Library, LibraryTransaction } from '../store/library.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { assignNewFaces, type AssignSummary } from './clustering.js';
import type { PeopleLibrary } from './library.js';
import { thresholdsFor } from './thresholds.js';

/**
 * settings.json: the faces imports left unplaced have all been grouped, provisionally, by a stopped import's grouping,
 * so an open finds none to group. Cleared when an import starts: it may store faces no grouping has seen.
 */
export const STOPPED_IMPORT_GROUPED_KEY = 'stoppedImportGrouped';

/** Whether the library holds faces an import stored that no grouping has seen: Familiar closed or crashed during it. */
export function hasUngroupedFaces(library: Pick<PeopleLibrary, 'faces' | 'settings'>): boolean {
  return library.settings[STOPPED_IMPORT_GROUPED_KEY] !== true && library.faces.some((f) => f.unplaced === true);
}

/** Said before an import stores a face: the faces left unplaced are no longer all grouped. */
export async function importStarting(library: Pick<PeopleLibrary, 'settings' | 'transaction'>): Promise<void> {
  if (library.settings[STOPPED_IMPORT_GROUPED_KEY] === undefined) return;
  await library.transaction((tx) => {
    delete tx.settings[STOPPED_IMPORT_GROUPED_KEY];
  });
}

/** Photos an import stores before its first checkpoint. */
export const FIRST_CHECKPOINT_PHOTOS = 100;
/** A checkpoint once the import's faces are this many times those of the last: the checkpoints' work stays ~2x the end's. */
export const CHECKPOINT_GROWTH = 1.5;

/**
 * What the library holds from the groupings of an import so far, read from the faces (so it survives a crash). A
 * stopped import's grouping counts as a checkpoint of the import that resumes it.
 */
interface Interim {
  /** Faces a checkpoint placed that the next grouping places again: face id → the person it placed them with. */
  provisional: Map<string, string>;
  /**
   * Faces a checkpoint placed in a group the user has acted on since (of a named group, those the user vouched for),
   * and the import's faces the user placed: they stay there for good.
   */
  settle: Set<string>;
  /** Groups drawn by checkpoints that nobody acted on, holding nothing but provisional faces: drawn again. */
  groups: Set<string>;
}

const placedByCheckpoint = (f: FaceRecord) => f.unplaced === true && f.assignedBy === 'cluster' && f.personId !== null;

/**
 * Reads the interim state. A person is of this import when all its faces are (`importFaces`): a checkpoint drew it.
 * A face a checkpoint placed with a person from before the import is placed again (the end would place it anew), and
 * so is one in a named group that the name did not vouch for (`keepsOnlyVouched`).
 */
function readInterim(library: PeopleLibrary, importFaces: ReadonlySet<string>): Interim {
  const actedOn = new Set<string>();
  for (const p of library.people.people) if (p.name !== null || p.hidden || p.coverFaceId !== null || p.onePerson || p.birthday !== undefined) actedOn.add(p.id);
  const older = new Set<string>();
  const notProvisional = new Set<string>();
  for (const f of library.faces) {
    for (const id of f.rejectedPersonIds) actedOn.add(id);
    if (f.personId === null) continue;
    if (f.assignedBy === 'user') actedOn.add(f.personId);
    if (!importFaces.has(f.id)) older.add(f.personId);
    if (!placedByCheckpoint(f)) notProvisional.add(f.personId);
  }
  const vouched = keepsOnlyVouched(library);
  const interim: Interim = { provisional: new Map(), settle: new Set(), groups: new Set() };
  for (const f of library.faces) {
    // Settled now, so the next grouping places faces by them: the faces a name vouched for are its person's only ones.
    if (f.unplaced === true && f.assignedBy === 'user') interim.settle.add(f.id);
    if (!placedByCheckpoint(f)) continue;
    const personId = f.personId!;
    const stays = !vouched.has(personId) || vouched.get(personId) === f.id;
    if (!older.has(personId) && actedOn.has(personId) && stays) interim.settle.add(f.id);
    else interim.provisional.set(f.id, personId);
    if (!older.has(personId) && !actedOn.has(personId) && !notProvisional.has(personId)) interim.groups.add(personId);
  }
  return interim;
}

/**
 * Named groups that keep, of the faces checkpoints placed in them, only those the user vouched for: named groups with
 * a face of the user's (naming vouches for the faces like the group), each with its cover, which stays too (or '').
 * A named group with no face of the user's keeps them all, as a group acted on otherwise does: none would stay.
 */
function keepsOnlyVouched(library: PeopleLibrary): Map<string, string> {
  const named = new Map(library.people.people.filter((p) => p.name !== null).map((p) => [p.id, p.coverFaceId ?? '']));
  const vouched = new Map<string, string>();
  for (const f of library.faces) if (f.assignedBy === 'user' && f.personId !== null && named.has(f.personId)) vouched.set(f.personId, named.get(f.personId)!);
  return vouched;
}

function sameInterim(a: Interim, b: Interim): boolean {
  if (a.provisional.size !== b.provisional.size || a.settle.size !== b.settle.size || a.groups.size !== b.groups.size) return false;
  for (const [id, personId] of a.provisional) if (b.provisional.get(id) !== personId) return false;
  for (const id of a.settle) if (!b.settle.has(id)) return false;
  for (const id of a.groups) if (!b.groups.has(id)) return false;
  return true;
}

/** The library as the grouping is to see it: the faces a checkpoint placed provisionally in no group yet. */
function withoutProvisionalPlaces(
  library: PeopleLibrary & Partial<Pick<Library, 'backboneOf'>>,
  provisional: ReadonlyMap<string, string>,
  transaction: PeopleLibrary['transaction'],
): PeopleLibrary & Partial<Pick<Library, 'backboneOf'>> {
  const copies = new Map<string, FaceRecord>();
  const asUnplaced = (f: FaceRecord): FaceRecord => {
    if (!provisional.has(f.id)) return f;
    let copy = copies.get(f.id);
    if (!copy) copies.set(f.id, (copy = { ...f, personId: null, assignedBy: null }));
    return copy;
  };
  const none = provisional.size === 0;
  let faces: readonly FaceRecord[] | undefined;
  return {
    get faces() {
      return none ? library.faces : (faces ??= library.faces.map(asUnplaced));
    },
    get photos() {
      return library.photos;
    },
    get people() {
      return library.people;
    },
    get settings() {
      return library.settings;
    },
    get info() {
      return library.info;
    },
    face: (id) => {
      const f = library.face(id);
      return f && asUnplaced(f);
    },
    photo: (id) => library.photo(id),
    copiesOf: (photoId) => library.copiesOf(photoId),
    get hasCopies() {
      return library.hasCopies;
    },
    facesOfPhoto: (photoId) => (none ? library.facesOfPhoto(photoId) : library.facesOfPhoto(photoId).map(asUnplaced)),
    embeddingOf: (f) => library.embeddingOf(f),
    search: (vector, k, filter) => library.search(vector, k, filter && ((f) => filter(asUnplaced(f)))),
    transaction,
    // A re-saved copy of a face is known by its backbone vector, not the trained embedding (clustering.ts rejectionsOfCopies).
    ...(library.backboneOf && { backboneOf: (f: FaceRecord) => library.backboneOf!(f) }),
  };
}

/** A decision changed the interim groups while a checkpoint computed: it is skipped (the next one sees the decision). */
class InterimChanged extends Error {
  constructor() {
    super('The groups changed while the faces were grouped.');
  }
}

export interface GroupStoredOptions {
  signal?: AbortSignal;
  /** A checkpoint: the groups drawn are provisional (their faces keep `unplaced`). Otherwise the import's end. */
  checkpoint?: boolean;
  /**
   * The grouping of an import stopped before its last file: provisional as a checkpoint's, so the import that resumes
   * it draws them again with the rest; a decision made meanwhile makes it compute again, as at the end.
   */
  stopped?: boolean;
  /** Faces settled in a group the user acted on, over the import's groupings (they are placed for good). */
  settled?: Set<string>;
}

/**
 * Places and groups an import's faces (`faceIds`: those it stored, and any left unplaced before) with assignNewFaces,
 * over what checkpoints drew before: their provisional places are undone, and made again, in the one transaction that
 * writes the result. The groups drawn again keep the id of the group most of their faces were in.
 */
export async function groupStoredFaces(library: PeopleLibrary, faceIds: readonly string[], options: GroupStoredOptions = {}): Promise<AssignSummary> {
  const settled = options.settled ?? new Set<string>();
  const importFaces = new Set(faceIds);
  const provisional = options.checkpoint === true || options.stopped === true;
  for (let attempt = 0; ; attempt++) {
    const seen = readInterim(library, importFaces);
    // The end of an import is not skipped: it computes again after a decision, and applies anyway after a few.
    const strict = options.checkpoint === true || attempt < 3;
    const batch = faceIds.filter((id) => !settled.has(id) && !seen.settle.has(id));
    const batchSet = new Set(batch);
    const transaction = (<R>(fn: (tx: LibraryTransaction) => R | Promise<R>): Promise<R> =>
      library.transaction(async (tx) => {
        const now = readInterim(library, importFaces);
        if (strict && !sameInterim(seen, now)) return CHANGED as R;
        // Said in the same write: every face left unplaced is grouped for now (a stopped import's), or placed for good.
        const grouped = library.settings[STOPPED_IMPORT_GROUPED_KEY];
        if (options.stopped && grouped !== true) tx.settings[STOPPED_IMPORT_GROUPED_KEY] = true;
        else if (!provisional && grouped !== undefined) delete tx.settings[STOPPED_IMPORT_GROUPED_KEY];
        return apply(tx, now, fn, batchSet, settled, provisional, smallestGroup(thresholdsFor(library.info, library.settings).cluster));
      }).then((result) => {
        if (result === CHANGED) throw new InterimChanged();
        return result;
      })) as PeopleLibrary['transaction'];
    try {
      return await assignNewFaces(withoutProvisionalPlaces(library, seen.provisional, transaction), batch, { signal: options.signal });
    } catch (err) {
      if (!(err instanceof InterimChanged) || options.checkpoint) throw err;
    }
  }
}

const CHANGED = Symbol('changed');

/**
 * Inside the grouping's transaction: undo the provisional places, let assignNewFaces write, keep the groups' ids.
 * `provisional`: a checkpoint's or a stopped import's grouping, which the next one draws again.
 */
async function apply<R>(
  tx: LibraryTransaction,
  interim: Interim,
  write: (tx: LibraryTransaction) => R | Promise<R>,
  batch: ReadonlySet<string>,
  settled: Set<string>,
  provisional: boolean,
  minGroup: number,
): Promise<R> {
  const faces = tx.faces as FaceRecord[];
  const order = [...(tx.people.people as PersonRecord[])];
  for (const f of faces) {
    if (interim.settle.has(f.id)) {
      delete f.unplaced;
      settled.add(f.id);
    } else if (interim.provisional.has(f.id)) {
      f.personId = null;
      f.assignedBy = null;
    }
  }
  tx.people.people = order.filter((p) => !interim.groups.has(p.id));
  const waiting = new Set(faces.filter((f) => f.unplaced && batch.has(f.id)).map((f) => f.id));
  const known = new Set(tx.people.people.map((p) => p.id));
  const result = await write(tx);
  const created = (tx.people.people as PersonRecord[]).filter((p) => !known.has(p.id));
  const members = new Map<string, FaceRecord[]>(created.map((p) => [p.id, []]));
  for (const f of faces) if (f.personId !== null) members.get(f.personId)?.push(f);
  const dissolved = new Set<string>();
  if (provisional) {
    for (const [id, list] of members) {
      // A checkpoint groups the import's faces only: unknown faces from before that a group took in wait for the end.
      let kept = list.filter((f) => batch.has(f.id));
      if (kept.length < minGroup) kept = [];
      const stays = new Set(kept);
      for (const f of list) {
        if (stays.has(f)) continue;
        f.personId = null;
        f.assignedBy = null;
      }
      members.set(id, kept);
      if (kept.length === 0) dissolved.add(id);
    }
  }
  // A group drawn again keeps the id of the group most of its faces were in: the People list keeps its cards.
  const reused = new Map<string, string>();
  const taken = new Set<string>();
  for (const [id, list] of [...members].sort((a, b) => b[1].length - a[1].length)) {
    if (dissolved.has(id)) continue;
    const votes = new Map<string, number>();
    for (const f of list) {
      const was = interim.provisional.get(f.id);
      if (was !== undefined && interim.groups.has(was) && !taken.has(was)) votes.set(was, (votes.get(was) ?? 0) + 1);
    }
    let best: string | null = null;
    for (const [was, count] of votes) if (count * 2 > list.length && (best === null || count > votes.get(best)!)) best = was;
    if (best === null) continue;
    taken.add(best);
    reused.set(id, best);
    for (const f of list) f.personId = best;
  }
  const before = new Set(order);
  tx.people.people = [
    ...order.filter((p) => !interim.groups.has(p.id) || taken.has(p.id)),
    ...(tx.people.people as PersonRecord[]).filter((p) => !before.has(p) && !reused.has(p.id) && !dissolved.has(p.id)),
  ];
  if (provisional) for (const f of faces) if (waiting.has(f.id) && f.assignedBy !== 'user') f.unplaced = true;
  return result;
}

export interface ImportCheckpointsOptions {
  /** Faces in the library before the import (those not in it are the import's). */
  facesBefore: ReadonlySet<string>;
  photosBefore: number;
  signal?: AbortSignal;
  firstAfterPhotos?: number;
  /** After each checkpoint that wrote its groups. */
  onGrouped?: () => void;
}

/**
 * The checkpoints of one import: `stored()` after each batch of photos it writes starts one when due (never two at
 * once); `idle()` waits for the one in progress; `settled` goes to the end's grouping.
 */
export class ImportCheckpoints {
  readonly settled = new Set<string>();
  private running: Promise<void> | null = null;
  private lastFaces: number | null = null;

  constructor(
    private readonly library: PeopleLibrary,
    private readonly options: ImportCheckpointsOptions,
  ) {}

  stored(): void {
    if (this.running || this.options.signal?.aborted) return;
    const photos = this.library.photos.length - this.options.photosBefore;
    const faces = this.library.faces.length - this.options.facesBefore.size;
    if (this.lastFaces === null ? photos < (this.options.firstAfterPhotos ?? FIRST_CHECKPOINT_PHOTOS) : faces < this.lastFaces * CHECKPOINT_GROWTH) return;
    if (faces < 2) return;
    const previous = this.lastFaces;
    this.lastFaces = faces;
    this.running = this.checkpoint()
      .then((wrote) => {
        if (wrote) this.options.onGrouped?.();
        else this.lastFaces = previous; // a decision came in between: the next batch tries again
      })
      .finally(() => (this.running = null));
  }

  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async checkpoint(): Promise<boolean> {
    const { facesBefore } = this.options;
    const faceIds = this.library.faces.filter((f) => (!facesBefore.has(f.id) && !f.drawn) || f.unplaced).map((f) => f.id);
    try {
      await groupStoredFaces(this.library, faceIds, { signal: this.options.signal, checkpoint: true, settled: this.settled });
      return true;
    } catch {
      // Cancelled, a decision came in between, or a write failed: the import goes on, and its end groups the faces.
      return false;
    }
  }
}
