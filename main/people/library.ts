// What the people module needs from the store (main/store/library.ts's Library satisfies it), and the lookups
// every people operation shares.
import { randomBytes } from 'node:crypto';
import type { Library } from '../store/library.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { FACENESS_REVIEW_THRESHOLD } from '../../models/autoencoder/faceness.js';
import { whyUnrecognisable, type Unrecognisable } from '../../models/face-quality.js';
import { CLOSER_LOOK_ZOOM } from '../library/closer-look.js';
import { landmarkPoints } from '../store/landmarks.js';
import { DEFAULT_ANALYSIS_MAX_SIDE, type PhotoRecord } from '../store/types.js';
import { foldName, namesakesOf } from '../../preload/names.js';
import { closest } from '../cli/did-you-mean.js';

export type PeopleLibrary = Pick<
  Library,
  'faces' | 'photos' | 'people' | 'settings' | 'info' | 'face' | 'photo' | 'facesOfPhoto' | 'copiesOf' | 'hasCopies' | 'embeddingOf' | 'search' | 'transaction'
>;

/** The library as the two-people judgements read it (judging-spaces.ts): the backbone's vectors when the store has them. */
export type JudgedLibrary = PeopleLibrary & Partial<Pick<Library, 'backboneOf'>>;

export class PeopleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeopleError';
  }
}

export function newPersonId(): string {
  return `person-${randomBytes(6).toString('hex')}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * A person by id, or by name, compared as everywhere else (preload/names.ts: "JOSE" is José, "zoe" Zoë); the name
 * must be unique.
 */
export function resolvePerson(people: readonly PersonRecord[], ref: string): PersonRecord {
  const trimmed = ref.trim();
  if (!trimmed) throw new PeopleError('A person reference must not be empty.');
  const byId = people.find((p) => p.id === trimmed);
  if (byId) return byId;
  const byName = namesakesOf(people, trimmed);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    throw new PeopleError(`"${trimmed}" is ambiguous: ${byName.length} people have that name (${byName.map((p) => `"${p.name}" ${p.id}`).join(', ')}); use an id.`);
  }
  const meant = peopleMeant(trimmed, people);
  const guess = meant.length > 0 ? `; did you mean ${meant.map((p) => `"${p.name}"`).join(' or ')}?` : '.';
  throw new PeopleError(`No person "${trimmed}"${guess} Give a person id or the name of a named person ("familiar people" lists them).`);
}

/** Named people a mistyped name may stand for: a typo away ("Barak Obama"), else those it is one word of ("obama"), up to 3. */
function peopleMeant(typed: string, people: readonly PersonRecord[]): PersonRecord[] {
  const named = people.filter((p): p is PersonRecord & { name: string } => p.name !== null);
  const word = foldName(typed);
  const typo = closest(word, named.map((p) => foldName(p.name)));
  if (typo !== null) return named.filter((p) => foldName(p.name) === typo).slice(0, 1);
  return named.filter((p) => foldName(p.name).split(' ').includes(word)).slice(0, 3);
}

export function resolveFace(library: Pick<PeopleLibrary, 'face'>, ref: string): FaceRecord {
  const face = library.face(ref.trim());
  if (!face) throw new PeopleError(`No face "${ref}" in this library ("familiar people --json" lists face ids).`);
  return face;
}

export function personLabel(p: PersonRecord): string {
  return p.name !== null ? `"${p.name}"` : `unnamed group ${p.id}`;
}

/**
 * People as a sentence names them, in decisions' words and what their undo says: by name, and unnamed groups counted
 * (their ids mean nothing to a reader); more than three named, counted too ("Hid 10 people."): a toast is no list.
 */
export function peopleInWords(people: readonly PersonRecord[]): string {
  const named = people.filter((p) => p.name !== null).map((p) => `"${p.name}"`);
  const unnamed = people.length - named.length;
  const parts = unnamed === 0 ? named : [...named, unnamed === 1 ? 'an unnamed group' : `${unnamed} unnamed groups`];
  if (parts.length === 0) return 'nobody';
  if (named.length > 3) return `${people.length} people`;
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** Faces grouped by person id. */
export function facesByPerson(faces: readonly FaceRecord[]): Map<string, FaceRecord[]> {
  const out = new Map<string, FaceRecord[]>();
  for (const f of faces) {
    if (f.personId === null) continue;
    let list = out.get(f.personId);
    if (!list) out.set(f.personId, (list = []));
    list.push(f);
  }
  return out;
}

/** A face the user set aside ("Don't ask about this face", ignoreFaces): no job assigns it again, nor asks about it. */
export function isPinnedUnknown(f: FaceRecord): boolean {
  return f.assignedBy === 'user' && f.personId === null;
}

/**
 * Whether a face makes a photo not "only" the people searched for (searchPhotos, the Photos screen's "Only them"):
 * any face but theirs, except one the user set aside ("Don't ask about this face": a box drawn where there was none, a
 * poster, a stranger far behind) or one waiting for review as likely no face (QA: a set-aside empty box kept the photo
 * out of "Only them" for good).
 */
export function someoneElseIn(face: FaceRecord, wanted: ReadonlySet<string>): boolean {
  if (face.personId !== null) return !wanted.has(face.personId);
  return !isPinnedUnknown(face) && !isForReview(face);
}

/** Whether a detection is shown and counted as a face: not one the user said holds no face (notAFaces). */
export function isShownFace(f: FaceRecord): boolean {
  return f.notAFace !== true;
}

/**
 * A detection the autoencoder scored as unlikely to be a face (a detector false positive): it waits on the review
 * list instead of joining people, unless the user put it somewhere themselves.
 */
export function isForReview(f: FaceRecord): boolean {
  return f.assignedBy !== 'user' && f.faceness !== null && f.faceness < FACENESS_REVIEW_THRESHOLD;
}

/**
 * A face stored before `analysedSide` was recorded was analysed at most this large (the closer look's decode): its
 * size there is estimated generously, so an upgrade never sets aside a face the recognition net saw well.
 */
const LARGEST_ANALYSIS_SIDE = DEFAULT_ANALYSIS_MAX_SIDE * CLOSER_LOOK_ZOOM;

const unrecognisableCache = new WeakMap<FaceRecord, Unrecognisable | null>();

/**
 * Why a face is too small, cut off by the photo's edge or too unlike a face for its embedding to tell people apart
 * (models/face-quality.ts), or null. Such a face is never grouped or placed by a job; it waits under "Who is this?"
 * after the others, and the user may still name it, confirm it from suggestions or move it.
 */
export function unrecognisable(f: FaceRecord, photo: Pick<PhotoRecord, 'width' | 'height'> | undefined): Unrecognisable | null {
  let reason = unrecognisableCache.get(f);
  if (reason === undefined) {
    const side = Math.min(f.box[2], f.box[3]);
    const longest = photo ? Math.max(photo.width, photo.height) : 0;
    const analysedSide = f.analysedSide ?? (longest > 0 ? side * Math.min(1, LARGEST_ANALYSIS_SIDE / longest) : side);
    reason = whyUnrecognisable({ analysedSide, landmarks: landmarkPoints(f.landmarks), box: f.box, frame: photo && photo.width > 0 && photo.height > 0 ? photo : null });
    unrecognisableCache.set(f, reason);
  }
  return reason;
}

/**
 * A face no job may group: likely not a face (isForReview), too small, cut off or unclear to recognise, or kept as the
 * user drew it where the detector found none (FaceRecord.undetected: its vector may be of no face at all, and on
 * `npm run bench:drawn-faces` 13 of 112 boxes drawn on no face joined a group by the placement rule alone). The faces of the first kind
 * may still be placed with a person they clearly look like (mayOnlyBePlaced).
 */
export function isLeftToUser(library: Pick<PeopleLibrary, 'photo'>, f: FaceRecord): boolean {
  return f.assignedBy !== 'user' && (isForReview(f) || f.undetected === true || unrecognisable(f, library.photo(f.photoId)) !== null);
}

/**
 * Whether a face's vector may stand for it where likeness decides: as a neighbour that places a face, an anchor or a
 * candidate of suggestions, the evidence of "Is this <Name>?" or "Looks like <Name>". Not a box kept as the user drew
 * it where the detector found no face (FaceRecord.undetected): it is whoever the user says, but its vector may be of no
 * face at all, and the faces near it anyone's. As a neighbour it placed a stranger with the person the user named it.
 */
export function isComparable(f: Pick<FaceRecord, 'undetected'>): boolean {
  return f.undetected !== true;
}

/**
 * A face the autoencoder doubts, recognisable otherwise: it forms no group, but joins a person by the placement rule
 * (its nearest faces are that person's, well ahead of anyone else's). The doubt is a statistical tail of a model's
 * own errors: every model puts about 1 face in 200 there, real faces against odd light or backgrounds among them, and
 * a face that close to someone's faces is theirs.
 */
export function mayOnlyBePlaced(library: Pick<PeopleLibrary, 'photo'>, f: FaceRecord): boolean {
  return f.assignedBy !== 'user' && isForReview(f) && !f.undetected && unrecognisable(f, library.photo(f.photoId)) === null;
}
