// One person appears once in a photo, on real group photos analysed by the real pipeline. The stock group photos
// of compreface hold faces of different people closer together than the same-person distance (the 128-d ResNet is
// weakest on small faces of people it never saw), so a clustering that ignores the photo draws one "person" out
// of several people photographed together: exactly how siblings get merged. Import, recluster, suggestions and
// "who is this" must never put one person twice in a photo on their own; the user still may.
import { describe, expect, it } from 'vitest';
import { cosineDistanceOf } from '../../../models/cluster/vectors.js';
import { ambiguousFaces, nameFaces, recluster, suggestionsFor, undoLast, whoInPhoto } from '../../../main/people/index.js';
import { suggestionReach } from '../../../main/people/queries.js';
import { thresholdsFor } from '../../../main/people/thresholds.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { importedLibrary } from '../../helpers/imported-library.js';

const { library } = importedLibrary('same-photo', ['compreface/_group_photos', 'face_recognition/_group_photos', 'face_recognition/kit_harington', 'face_recognition/rose_leslie']);
const distance = (a: FaceRecord, b: FaceRecord) => cosineDistanceOf(library().embeddingOf(a), library().embeddingOf(b));

/** Pairs of faces of one photo, closest first. */
function samePhotoPairs(): Array<{ a: FaceRecord; b: FaceRecord; distance: number }> {
  const out: Array<{ a: FaceRecord; b: FaceRecord; distance: number }> = [];
  for (const photo of library().photos) {
    const faces = library().facesOfPhoto(photo.id);
    for (let i = 0; i < faces.length; i++) for (let j = i + 1; j < faces.length; j++) out.push({ a: faces[i], b: faces[j], distance: distance(faces[i], faces[j]) });
  }
  return out.sort((x, y) => x.distance - y.distance);
}

/** Persons holding two faces of one photo that the user did not put there both. */
function peopleTwiceInAPhoto(): string[] {
  const seen = new Map<string, FaceRecord>();
  const out: string[] = [];
  for (const f of library().faces) {
    if (f.personId === null) continue;
    const key = `${f.personId}:${f.photoId}`;
    const other = seen.get(key);
    if (other && !(other.assignedBy === 'user' && f.assignedBy === 'user')) out.push(`${f.personId} in ${library().photo(f.photoId)?.paths[0]}`);
    seen.set(key, f);
  }
  return out;
}

describe('one person appears once in a photo', () => {
  it('the group photos hold different people within the same-person distance of each other (what the rule is for)', () => {
    const { sameDistance } = thresholdsFor(library().info, library().settings);
    const close = samePhotoPairs().filter((p) => p.distance < sameDistance);
    expect(close.length).toBeGreaterThanOrEqual(5);
  });

  it('after the import, no group holds two faces of one photo', () => {
    expect(peopleTwiceInAPhoto()).toEqual([]);
    // And the import still found the people who are there: Kit and Rose each form a group with their photo together.
    const kitWithRose = library().photos.find((p) => p.paths[0].endsWith('kit_with_rose.jpg'))!;
    const groups = library().facesOfPhoto(kitWithRose.id).map((f) => f.personId);
    expect(groups.filter((g) => g !== null)).toHaveLength(2);
    expect(new Set(groups).size).toBe(2);
  });

  it('a recluster redraws the groups the clustering drew across a photo, and none holds two faces of one photo', async () => {
    const summary = await recluster(library());
    expect(summary.samePhotoSplits).toBeGreaterThanOrEqual(1);
    expect(peopleTwiceInAPhoto()).toEqual([]);
  });

  it('the user may still name two faces of one photo alike, and a recluster keeps both', async () => {
    const { a, b } = samePhotoPairs()[0];
    await nameFaces(library(), [a.id, b.id], 'Mirror Image');
    await recluster(library());
    expect(library().face(a.id)!.personId).not.toBeNull();
    expect(library().face(a.id)!.personId).toBe(library().face(b.id)!.personId);
    await undoLast(library());
    expect(library().face(a.id)!.assignedBy).not.toBe('user');
  });

  it('suggestions never offer the other face of a photo where the user confirmed the person', async () => {
    const reach = suggestionReach(thresholdsFor(library().info, library().settings));
    const pair = samePhotoPairs().find((p) => p.a.assignedBy !== 'user' && p.b.assignedBy !== 'user')!;
    expect(pair.distance).toBeLessThan(reach);
    await nameFaces(library(), [pair.a.id], 'Ana');
    const ana = library().face(pair.a.id)!.personId!;
    const offered = suggestionsFor(library(), ana, 200).map((s) => s.faceId);
    expect(offered).not.toContain(pair.b.id);
    // Who is in that photo: Ana once, on her own face.
    const who = whoInPhoto(library(), pair.a.photoId);
    expect(who.find((w) => w.faceId === pair.a.id)!.best?.personId).toBe(ana);
    expect(who.filter((w) => w.best?.personId === ana)).toHaveLength(1);
    await undoLast(library());
  });

  it('"Which one?" never asks whether a face is someone the user already placed in its photo', async () => {
    const pair = samePhotoPairs().find((p) => p.a.assignedBy !== 'user' && p.b.assignedBy !== 'user')!;
    // b's nearest face outside its photo becomes Cleo, so b lies between Ana (its photo-mate) and Cleo.
    const cleo = library()
      .faces.filter((f) => f.photoId !== pair.b.photoId && f.assignedBy !== 'user')
      .sort((x, y) => distance(x, pair.b) - distance(y, pair.b))[0];
    await nameFaces(library(), [pair.a.id], 'Ana');
    await nameFaces(library(), [cleo.id], 'Cleo');
    const ana = library().face(pair.a.id)!.personId!;
    for (const question of ambiguousFaces(library())) {
      const inPhoto = library().facesOfPhoto(question.photoId).filter((f) => f.id !== question.faceId && f.assignedBy === 'user').map((f) => f.personId);
      for (const c of question.candidates) expect(inPhoto).not.toContain(c.personId);
    }
    expect(ambiguousFaces(library()).find((q) => q.faceId === pair.b.id)?.candidates.map((c) => c.personId) ?? []).not.toContain(ana);
    await undoLast(library());
    await undoLast(library());
  });

  it('who is in a photo names each person at most once', async () => {
    const kit = library().faces.filter((f) => library().photo(f.photoId)!.paths[0].includes('/kit_harington/'));
    const rose = library().faces.filter((f) => library().photo(f.photoId)!.paths[0].includes('/rose_leslie/'));
    await nameFaces(library(), kit.map((f) => f.id), 'Kit');
    await nameFaces(library(), rose.map((f) => f.id), 'Rose');
    for (const photo of library().photos) {
      const named = whoInPhoto(library(), photo.id).flatMap((w) => (w.best ? [w.best.personId] : []));
      expect(new Set(named).size).toBe(named.length);
    }
    const kitWithRose = library().photos.find((p) => p.paths[0].endsWith('kit_with_rose.jpg'))!;
    expect(new Set(whoInPhoto(library(), kitWithRose.id).map((w) => w.best?.name))).toEqual(new Set(['Kit', 'Rose']));
  });
});
