// Names from Google Photos. Google keeps them out of the photo files; Google Takeout exports a JSON file beside
// each photo whose "people" list names who is in it, without saying which face is whom. Familiar places those
// names with the embedding: a photo with one face and one name is that person; the faces of group photos go to
// the listed name whose known faces (named by the user, or learnt from the one-face photos) they lie nearest,
// within the same-person distance, one face per name; when a photo has as many faces as names and only one of
// each is left, they go together. A name no face is near enough to stays unplaced.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FaceRecord } from '../store/types.js';
import { foldName } from '../../preload/names.js';

/** Takeout JSON files are small; anything bigger is not one. */
const MAX_JSON_BYTES = 1024 * 1024;
const SUPPLEMENTAL = '.supplemental-metadata';

/**
 * The Takeout JSON file among `entries` (names in the photo's folder) that describes `photoName`, if any. Takeout
 * writes `IMG_1.jpg.json` (before 2024) or `IMG_1.jpg.supplemental-metadata.json`, cuts the whole name to 51
 * characters (`IMG_1.jpg.supplemental-metad.json`), moves a copy's "(1)" to the end (`IMG_1(1).jpg` ->
 * `IMG_1.jpg.supplemental-metadata(1).json`), and gives an edited copy (`IMG_1-edited.jpg`) no file of its own.
 */
export function takeoutJsonFor(photoName: string, entries: ReadonlySet<string>): string | null {
  const copy = /^(.*)\((\d+)\)(\.[^.]+)$/.exec(photoName);
  const base = (copy ? copy[1] + copy[3] : photoName).replace(/-edited(\.[^.]+)$/, '$1');
  const suffix = copy ? `(${copy[2]})` : '';
  const exact = [`${base}${suffix}.json`, `${base}${SUPPLEMENTAL}${suffix}.json`];
  for (const name of exact) if (entries.has(name)) return name;
  for (const entry of entries) {
    if (!entry.endsWith(`${suffix}.json`) || !entry.startsWith(`${base}.`)) continue;
    const middle = entry.slice(base.length, entry.length - `${suffix}.json`.length);
    // A cut-short ".supplemental-metadata" (at least ".s", so "IMG_1.jpg.json" stays the photo's own).
    if (middle.length >= 2 && SUPPLEMENTAL.startsWith(middle)) return entry;
  }
  return null;
}

/** Lists folders once per run: a Takeout folder holds thousands of photos. */
export class FolderListing {
  private readonly folders = new Map<string, Promise<Set<string>>>();

  entries(folder: string): Promise<Set<string>> {
    let listing = this.folders.get(folder);
    if (!listing) {
      listing = readdir(folder).then(
        (names) => new Set(names),
        () => new Set<string>(),
      );
      this.folders.set(folder, listing);
    }
    return listing;
  }
}

/** The people a Takeout JSON file lists for a photo, or null when there is no such file. Throws on a file that is not Takeout JSON. */
export async function readTakeoutPeople(photoPath: string, listing: FolderListing): Promise<{ path: string; names: string[] } | null> {
  const folder = dirname(photoPath);
  const json = takeoutJsonFor(basename(photoPath), await listing.entries(folder));
  if (json === null) return null;
  const path = join(folder, json);
  const info = await stat(path);
  // A pipe or device under a Takeout name would block the read or never end it (QA: the import hung on a FIFO).
  if (!info.isFile()) throw new Error(`${json} is not a regular file (a device, pipe or socket)`);
  if (info.size > MAX_JSON_BYTES) throw new Error(`${json} is ${(info.size / 1024 / 1024).toFixed(1)} MB, too big to be Takeout metadata`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new Error(`${json} is not valid JSON`);
  }
  const people = (parsed as { people?: unknown }).people;
  if (people === undefined) return { path, names: [] };
  if (!Array.isArray(people)) throw new Error(`${json} has a "people" entry that is not a list`);
  const names = people
    .map((p) => (typeof (p as { name?: unknown })?.name === 'string' ? (p as { name: string }).name.normalize('NFC').trim() : ''))
    .filter((name) => name.length > 0);
  // One name once, however spelled (preload/names.ts: "Zoe" and "Zoë" are one name).
  return { path, names: [...new Map(names.map((n) => [foldName(n), n])).values()] };
}

/** A photo whose files say who is in it and not which face: Google Takeout's people list, or people keywords. */
export interface TakeoutPhoto {
  /** The photo's path whose list this is (a photo in two folders may have a list in each). */
  path: string;
  faces: readonly FaceRecord[];
  names: string[];
  listedBy: 'takeout' | 'keywords';
}

/** Known faces kept per name for placing it: enough to be near any new photo of the person, bounded in cost. */
const MAX_EXEMPLARS = 256;

const cosineDistance = (a: Float32Array, b: Float32Array) => {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return 1 - dot;
};

/** Distance from `embedding` to the nearest of `faces` (Infinity when there are none). */
function nearest(embedding: Float32Array, faces: readonly Float32Array[]): number {
  let best = Infinity;
  for (const face of faces) best = Math.min(best, cosineDistance(embedding, face));
  return best;
}

/**
 * Which face of each photo is which listed name (see the file comment). `known` holds, per name key (`keyOf`: by
 * default the name as names are compared, preload/names.ts, so "Zoë" is Zoe's), the embeddings of faces already known
 * to be that person. Returns the placements; every face and every name is used at most once per photo.
 */
export function placeTakeoutNames(
  photos: readonly TakeoutPhoto[],
  known: ReadonlyMap<string, Float32Array[]>,
  embeddingOf: (face: FaceRecord) => Float32Array,
  maxDistance: number,
  keyOf: (name: string) => string = foldName,
): Array<{ face: FaceRecord; name: string; path: string }> {
  // At most MAX_EXEMPLARS faces a name: a child with 5,000 photos must not make every group photo cost 5,000 distances.
  const exemplars = new Map([...known].map(([name, list]) => [name, list.slice(0, MAX_EXEMPLARS)]));
  const placed = new Map<string, { face: FaceRecord; name: string; path: string }>();
  const learn = (face: FaceRecord, name: string, path: string) => {
    placed.set(face.id, { face, name, path });
    const key = keyOf(name);
    const list = exemplars.get(key) ?? [];
    if (list.length < MAX_EXEMPLARS) list.push(embeddingOf(face));
    exemplars.set(key, list);
  };
  // One face, one name: that person, unless their known faces say it is a bystander (the named face undetected).
  for (const photo of photos) {
    if (photo.faces.length !== 1 || photo.names.length !== 1) continue;
    const known = exemplars.get(keyOf(photo.names[0])) ?? [];
    const embedding = embeddingOf(photo.faces[0]);
    if (known.length === 0 || nearest(embedding, known) < 2 * maxDistance) learn(photo.faces[0], photo.names[0], photo.path);
  }
  // Group photos: nearest pairs first; twice, so a name first learnt in one group photo helps place it in another.
  const rest = photos.filter((p) => !(p.faces.length === 1 && p.names.length === 1));
  for (let round = 0; round < 2; round++) {
    for (const photo of rest) {
      const used = new Set(photo.faces.filter((f) => placed.has(f.id)).map((f) => keyOf(placed.get(f.id)!.name)));
      const pairs: Array<{ face: FaceRecord; name: string; distance: number }> = [];
      for (const face of photo.faces) {
        if (placed.has(face.id)) continue;
        const embedding = embeddingOf(face);
        for (const name of photo.names) {
          if (used.has(keyOf(name))) continue;
          const distance = nearest(embedding, exemplars.get(keyOf(name)) ?? []);
          if (distance < maxDistance) pairs.push({ face, name, distance });
        }
      }
      pairs.sort((a, b) => a.distance - b.distance);
      for (const pair of pairs) {
        if (placed.has(pair.face.id) || used.has(keyOf(pair.name))) continue;
        used.add(keyOf(pair.name));
        learn(pair.face, pair.name, photo.path);
      }
      // As many faces as names, and all but one of each placed: the last face is the last name.
      const faceLeft = photo.faces.filter((f) => !placed.has(f.id));
      const nameLeft = photo.names.filter((n) => !used.has(keyOf(n)));
      if (photo.faces.length === photo.names.length && faceLeft.length === 1 && nameLeft.length === 1 && photo.faces.length > 1) {
        learn(faceLeft[0], nameLeft[0], photo.path);
      }
    }
  }
  return [...placed.values()];
}
