// "Not a face" on a box the detector drew around no face: it could only be set aside, and stayed drawn on its photo
// and counted among the library's faces for good (QA). On a real imported library: the box leaves the photo (viewer,
// tiles, counts, "Who is this?"), an analysis of the photo again or the folder imported again does not bring it back,
// Undo and a name given to it later do, and a face the user named is not taken for no face by a slip.
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { recognisableFaces } from '../../../main/embedder/unseen-groups.js';
import { nameFaces, notAFaces, undoDecision } from '../../../main/people/index.js';
import type { FaceSummary, LibraryCounts, PhotoSummary } from '../../../preload/contract.js';
import { importedLibrary } from '../../helpers/imported-library.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';

const FOLDER = 'face_recognition/_group_photos';
const { engine, library } = importedLibrary('remove-box', [FOLDER]);

let jobs: JobRegistry;
let api: Awaited<ReturnType<typeof openEngineHandlers>>;
beforeAll(async () => {
  jobs = new JobRegistry(new EventHub());
  api = await openEngineHandlers({ libraryDir: library().dir, mode: 'browser', version: 'test', events: new EventHub(), jobs, generated: new GeneratedImages(), engine: engine() });
});
afterAll(async () => {
  await jobs.shutdown();
});

const call = async <T>(name: string, args: object) => (await (api.handlers as Record<string, (a: object) => unknown>)[name]!(args)) as T;
/** The photo with the most faces, and its smallest face: the box to take for no face. */
function target() {
  const photo = [...library().photos].sort((a, b) => library().facesOfPhoto(b.id).length - library().facesOfPhoto(a.id).length)[0];
  const faces = library().facesOfPhoto(photo.id);
  const smallest = faces.reduce((a, b) => (a.box[2] * a.box[3] <= b.box[2] * b.box[3] ? a : b));
  return { photo, faces, face: smallest };
}
const shownIn = async (photoId: string) => (await call<{ faces: FaceSummary[] }>('photos.get', { photoId })).faces.map((f) => f.id);
const tileOf = async (photoId: string) => (await call<{ photos: PhotoSummary[] }>('photos.list', { offset: 0, limit: 100, personIds: [], only: false })).photos.find((p) => p.id === photoId)!;
const facesCounted = async () => (await call<{ counts: LibraryCounts }>('library.info', {})).counts.faces;
const asked = async () => (await call<{ faces: { faces: FaceSummary[] } }>('unknown.queue', { offset: 0, limit: 500 })).faces.faces.map((f) => f.id);

describe('a box that is not a face', () => {
  it('leaves its photo, its tile, the counts and "Who is this?"; Undo puts it back as it was', async () => {
    const { photo, faces, face } = target();
    expect(faces.length).toBeGreaterThan(1);
    const before = { shown: await shownIn(photo.id), tile: (await tileOf(photo.id)).faceCount, counted: await facesCounted(), state: { ...library().face(face.id)! } };
    expect(before.shown).toContain(face.id);

    expect(engine().faces().map((f) => f.id)).toContain(face.id);
    expect(recognisableFaces(library()).map((f) => f.id)).toContain(face.id);

    const done = await call<{ description: string }>('faces.notAFace', { faceIds: [face.id] });
    expect(done.description).toBe('Removed a box that was not a face.');
    expect(await shownIn(photo.id)).toEqual(before.shown.filter((id) => id !== face.id));
    expect((await tileOf(photo.id)).faceCount).toBe(before.tile - 1);
    expect(await facesCounted()).toBe(before.counted - 1);
    expect(await asked()).not.toContain(face.id);
    expect((await call<{ faces: Array<{ face: FaceSummary }> }>('who', { photoId: photo.id })).faces.map((f) => f.face.id)).not.toContain(face.id);
    // Nor does `familiar faces` list it, or the embedder learn from it (a "not this person" example of no face).
    expect(engine().faces().map((f) => f.id)).not.toContain(face.id);
    expect(recognisableFaces(library()).map((f) => f.id)).not.toContain(face.id);

    const undone = await undoDecision(library());
    expect(undone.message).toBe('The box is back on its photo.');
    expect(library().face(face.id)).toEqual(before.state);
    expect(await shownIn(photo.id)).toEqual(before.shown);
    expect(await facesCounted()).toBe(before.counted);
  });

  it('is not found again when its photo is analysed again, nor when its folder comes back', async () => {
    const { photo, face } = target();
    await notAFaces(library(), [face.id]);
    // Analysed again (as after an upgrade of the analysis): the same box is found, and stays no face.
    await library().transaction((tx) => {
      const record = tx.photos.find((p) => p.id === photo.id)!;
      record.analysis = null;
      tx.put('photos', [record]);
    });
    const again = await engine().import([join(sharedFacesDir(), FOLDER)]);
    expect(again.analysed).toBe(1);
    const found = library().facesOfPhoto(photo.id).find((f) => f.id === face.id);
    expect(found?.notAFace).toBe(true);
    expect(await shownIn(photo.id)).not.toContain(face.id);

    // Taken out of the library and imported again: the analysis kept beside it brings back the "not a face" too.
    const folder = dirname(photo.paths[0]);
    await engine().removeFolder(folder);
    expect(library().face(face.id)).toBeUndefined();
    await engine().import([folder]);
    expect(library().face(face.id)?.notAFace).toBe(true);
    expect(await shownIn(photo.id)).not.toContain(face.id);
  });

  it('is a face again when a box is drawn on it in the viewer, which Undo takes back', async () => {
    // A review: the box drawn opened a face the viewer no longer showed, so a box said no face by mistake had no way back.
    const { photo, face } = target();
    expect(library().face(face.id)?.notAFace).toBe(true);
    const drawn = await call<{ face: FaceSummary; added: boolean; description: string; decisionId: string | null }>('faces.addDrawn', { photoId: photo.id, box: face.box });
    expect(drawn).toMatchObject({ added: false, description: 'You had said that box holds no face: it is a face again.' });
    expect(drawn.face.id).toBe(face.id);
    expect(drawn.decisionId).not.toBeNull();
    expect(library().face(face.id)?.notAFace).toBeUndefined();
    expect(await shownIn(photo.id)).toContain(face.id);
    const undone = await undoDecision(library(), { onlyIfLatestId: drawn.decisionId! });
    expect(undone.message).toBe('The box is off its photo again: you had said it holds no face.');
    expect(library().face(face.id)?.notAFace).toBe(true);
    expect(await shownIn(photo.id)).not.toContain(face.id);
  });

  it('is a face again once named, and a face the user named is not taken for no face', async () => {
    const { photo, face } = target();
    expect(library().face(face.id)?.notAFace).toBe(true);
    await nameFaces(library(), [face.id], 'Someone Behind');
    expect(library().face(face.id)?.notAFace).toBeUndefined();
    expect(await shownIn(photo.id)).toContain(face.id);
    await expect(notAFaces(library(), [face.id])).rejects.toThrow(
      'You said that face is Someone Behind. If it is no face at all, say first that it is not Someone Behind (Not Someone Behind).',
    );
    expect(library().face(face.id)?.notAFace).toBeUndefined();
  });
});
