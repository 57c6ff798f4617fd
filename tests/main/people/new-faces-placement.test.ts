// New faces placed after an import, on real faces: new photos of people already named join them (QA: 4-6 of 8 named
// people's new photos became "Add a name" groups, and Regroup then put them right), strangers do not, and a re-saved
// copy of a photo whose face the user said was not someone is not placed, suggested or asked about as them.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineDistanceOf } from '../../../models/cluster/vectors.js';
import { seededRandom, shuffleInPlace } from '../../../models/embedder/random.js';
import { EDITED_FACE_DISTANCE } from '../../../models/cluster/same-face.js';
import {
  ambiguousFaces,
  assignNewFaces,
  groupCandidates,
  namePerson,
  recluster,
  rejectFaces,
  suggestionsFor,
  undoLast,
} from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import type { FaceRecord, PhotoRecord } from '../../../main/store/types.js';
import { importedLibrary } from '../../helpers/imported-library.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';

describe('new photos of people already named', () => {
  let library: Library;
  let dir: string;
  const identityOf = new Map<string, string>();
  /** The named person of each identity named. */
  const personOf = new Map<string, string>();
  const strangers = new Set<string>();
  let later: string[] = [];
  let photoCount = 0;

  /** One-face photos of the given faces, stored unplaced as an import stores them; returns their face ids. */
  async function store(items: Array<{ identity: string; descriptor: Float32Array }>): Promise<string[]> {
    const rows = await library.appendVectors(items.map((i) => i.descriptor));
    const photos: PhotoRecord[] = [];
    const faces: FaceRecord[] = [];
    rows.forEach((vectorRow, i) => {
      const photoId = (++photoCount).toString(16).padStart(16, '0').repeat(4);
      const id = `${photoId.slice(0, 16)}-0`;
      identityOf.set(id, items[i].identity);
      const analysis = { pipelineVersion: 'lfw-cache', analysedAt: new Date().toISOString() };
      photos.push({ id: photoId, paths: [`/album/${photoCount}.jpg`], missing: false, width: 250, height: 250, orientation: 1, takenAt: null, bytes: 1000, format: 'jpeg', analysis, faceIds: [id] });
      faces.push({ id, photoId, box: [70, 70, 110, 110], score: 0.99, landmarks: [], vectorRow, personId: null, assignedBy: null, rejectedPersonIds: [], faceness: null, thumb: `thumbs/${id}.webp` });
    });
    await library.transaction((tx) => {
      tx.photos.push(...photos);
      tx.faces.push(...faces);
    });
    return faces.map((f) => f.id);
  }

  beforeAll(async () => {
    // lfw_subset: 40 people with 8+ photos never in the library (strangers arriving later), the other 118 in it with
    // all but 3 of their photos, and the 100 one-photo people. Regrouped, and 8 people named from their groups.
    const all = await loadLfwPeople();
    const many = shuffleInPlace(all.filter((p) => p.descriptors.length >= 8), seededRandom(1));
    const outside = many.slice(0, 40);
    const inside = many.slice(40);
    dir = mkdtempSync(join(tmpdir(), 'familiar-new-faces-'));
    library = await Library.open(dir);
    const first: Array<{ identity: string; descriptor: Float32Array }> = [];
    const arriving: typeof first = [];
    for (const p of inside) p.descriptors.forEach((descriptor, i) => (i < p.descriptors.length - 3 ? first : arriving).push({ identity: p.identity, descriptor }));
    for (const p of all.filter((q) => q.descriptors.length === 1)) first.push({ identity: p.identity, descriptor: p.descriptors[0] });
    for (const p of outside) {
      strangers.add(p.identity);
      for (const descriptor of p.descriptors.slice(0, 3)) arriving.push({ identity: p.identity, descriptor });
    }
    await store(first);
    await recluster(library);
    for (const p of inside.slice(0, 8)) {
      const counts = new Map<string, number>();
      for (const f of library.faces) if (identityOf.get(f.id) === p.identity && f.personId) counts.set(f.personId, (counts.get(f.personId) ?? 0) + 1);
      const [group] = [...counts].sort((a, b) => b[1] - a[1])[0];
      await namePerson(library, group, p.identity.replace(/_/g, ' '));
      personOf.set(p.identity, group);
    }
    const groupsBefore = new Set(library.people.people.map((p) => p.id));
    later = await store(arriving);
    await assignNewFaces(library, later);
    newGroupOf = (f) => f.personId !== null && !groupsBefore.has(f.personId);
  }, 300_000); // ~12 s in a full run

  let newGroupOf: (f: FaceRecord) => boolean = () => false;

  afterAll(async () => {
    await library?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('join them, not a new unnamed group', () => {
    const theirs = later.map((id) => library.face(id)!).filter((f) => personOf.has(identityOf.get(f.id)!));
    expect(theirs).toHaveLength(24);
    // Measured (seed 1): 24 of 24 with their person; before, 7 (17 in new unnamed groups). Regroup puts 24.
    const right = theirs.filter((f) => f.personId === personOf.get(identityOf.get(f.id)!));
    expect(right.length).toBeGreaterThanOrEqual(22);
    expect(right.every((f) => f.assignedBy === 'cluster')).toBe(true);
    expect(theirs.filter(newGroupOf).length).toBeLessThanOrEqual(1);
  });

  it('take no more strangers into a named person than placement itself does', () => {
    const named = new Set(personOf.values());
    const arrived = later.map((id) => library.face(id)!).filter((f) => strangers.has(identityOf.get(f.id)!));
    expect(arrived).toHaveLength(120);
    // Measured (seed 1): 1 of 120, placed by the placement rule (nearest face within 0.055, the margin clear).
    expect(arrived.filter((f) => f.personId !== null && named.has(f.personId)).length).toBeLessThanOrEqual(2);
    // Their 3 photos each still make groups of their own.
    expect(arrived.filter(newGroupOf).length).toBeGreaterThan(60);
  });
});

describe('a re-saved copy of a photo whose face the user said is not someone', () => {
  const PEOPLE = ['Colin_Powell', 'Donald_Rumsfeld', 'Jacques_Chirac', 'Tony_Blair'];
  const { engine, library } = importedLibrary('resaved-copy', PEOPLE.map((p) => `lfw_subset/${p}`));
  let copies: string;

  beforeAll(async () => {
    copies = await mkdtemp(join(tmpdir(), 'familiar-copies-'));
  });
  afterAll(async () => {
    if (copies) await rm(copies, { recursive: true, force: true });
  });

  const faceOf = (file: string) => {
    const photo = library().photos.find((p) => p.paths[0].endsWith(`/${file}`))!;
    return library().facesOfPhoto(photo.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b));
  };

  it('takes over the rejection: never placed, suggested or asked about as that person', async () => {
    const blair = faceOf('Tony_Blair_0001.jpg').personId!;
    expect(blair).not.toBeNull();
    await namePerson(library(), blair, 'Tony Blair');
    // The user said one of his photos is someone else ("Not Tony Blair").
    const original = library().faces.find((f) => f.personId === blair && f.photoId !== faceOf('Tony_Blair_0001.jpg').photoId)!;
    const file = library().photo(original.photoId)!.paths[0];
    await rejectFaces(library(), [original.id], blair);
    expect(library().face(original.id)!.rejectedPersonIds).toContain(blair);

    // Saved again smaller and at another quality (a messenger's copy), imported as a new photo.
    const copyPath = join(copies, 'IMG-20240101-WA0001.jpg');
    const meta = await sharp(file).metadata();
    await writeFile(copyPath, await sharp(await readFile(file)).resize({ width: Math.round(meta.width! * 0.8) }).jpeg({ quality: 60 }).toBuffer());
    const before = new Set(library().faces.map((f) => f.id));
    await engine().import([copyPath]);
    const copy = library().faces.find((f) => !before.has(f.id))!;
    expect(copy).toBeTruthy();
    expect(cosineDistanceOf(library().backboneOf(copy), library().backboneOf(original))).toBeLessThanOrEqual(EDITED_FACE_DISTANCE);

    expect(copy.rejectedPersonIds).toContain(blair);
    expect(copy.personId).not.toBe(blair);
    expect(suggestionsFor(library(), blair, 500).some((s) => s.faceId === copy.id)).toBe(false);
    expect(ambiguousFaces(library()).some((q) => q.faceId === copy.id && q.candidates.some((c) => c.personId === blair))).toBe(false);
    const group = copy.personId;
    if (group !== null) expect(groupCandidates(library()).some((o) => o.groupId === group && o.personId === blair)).toBe(false);

    // Undoing the original's "Not" takes it back from the copy too, which carried it only because of that decision
    // (it used to keep it: an undone No about two groups then split them again at every Regroup).
    await undoLast(library());
    expect(library().face(original.id)!.rejectedPersonIds).not.toContain(blair);
    expect(library().face(copy.id)!.rejectedPersonIds).not.toContain(blair);
  });
});
