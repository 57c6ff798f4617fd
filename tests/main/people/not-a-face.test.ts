// Detections the autoencoder doubts are faces, on a real imported library: once a faceness check scores a face a
// job had placed as unlike a face, it leaves its group unless it clearly looks like that person (every model doubts
// a few real faces), "Who is this?" asks about it last and says why, and faces the user placed stay put.
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { nameFaces, recluster } from '../../../main/people/index.js';
import { releaseFacesForReview } from '../../../main/people/clustering.js';
import type { FaceSummary } from '../../../preload/contract.js';
import { FACENESS_REVIEW_THRESHOLD } from '../../../models/autoencoder/faceness.js';
import { importedLibrary } from '../../helpers/imported-library.js';

const { engine, library } = importedLibrary('not-a-face', ['lfw_subset/Abdullah_Gul', 'lfw_subset/Tony_Blair']);

/** The largest face of each of a person's photos (the others are people beside them). */
function mainFaces(folder: string) {
  return library()
    .photos.filter((p) => p.paths[0].includes(`/${folder}/`))
    .map((p) => library().facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)));
}

async function setFaceness(ids: string[], faceness: number) {
  await library().transaction((tx) => {
    for (const f of tx.faces) if (ids.includes(f.id)) f.faceness = faceness;
  });
}

describe('detections that look unlike a face', () => {
  it('leave a group they do not look like; one clearly like its person stays with them, even after a recluster', async () => {
    const gul = mainFaces('Abdullah_Gul');
    const group = gul[0].personId;
    expect(group).not.toBeNull();
    expect(gul.every((f) => f.personId === group && f.assignedBy === 'cluster')).toBe(true);
    // Blair's faces: one confirmed by the user, another put in Gul's group as a job would, then all doubted.
    const blair = mainFaces('Tony_Blair');
    await nameFaces(library(), [blair[0].id], 'Tony Blair');
    const blairId = library().face(blair[0].id)!.personId!;
    await library().transaction((tx) => {
      const f = tx.faces.find((g) => g.id === blair[1].id)!;
      f.personId = group;
      f.assignedBy = 'cluster';
    });
    await setFaceness([gul[0].id, blair[0].id, blair[1].id], FACENESS_REVIEW_THRESHOLD / 2);

    // Every model doubts a few real faces (the tail of its own errors): Gul's face is his other faces' nearest.
    expect(await releaseFacesForReview(library())).toBe(1);
    expect(library().face(blair[1].id)).toMatchObject({ personId: null, assignedBy: null });
    expect(library().face(gul[0].id)).toMatchObject({ personId: group, assignedBy: 'cluster' });
    expect(library().face(blair[0].id)).toMatchObject({ personId: blairId, assignedBy: 'user' });
    expect(mainFaces('Abdullah_Gul').every((f) => f.personId === group)).toBe(true);
    expect(await releaseFacesForReview(library())).toBe(0);

    // A recluster draws groups from the faces nobody doubts, then places the doubted ones with the person they
    // clearly look like: Blair's face joins Blair, not Gul.
    await recluster(library());
    const gulAfter = library().face(mainFaces('Abdullah_Gul')[1].id)!.personId;
    expect(library().face(gul[0].id)!.personId).toBe(gulAfter);
    expect(library().face(blair[1].id)!.personId).toBe(blairId);
  });

  it('wait last under "Who is this?", which says why', async () => {
    const jobs = new JobRegistry(new EventHub());
    const api = await openEngineHandlers({ libraryDir: library().dir, mode: 'browser', version: 'test', events: new EventHub(), jobs, generated: new GeneratedImages(), engine: engine() });
    const queue = async () => ((await api.handlers['unknown.queue']!({ offset: 0, limit: 500 })) as { faces: { total: number; faces: FaceSummary[] } }).faces.faces;
    const before = await queue();
    expect(before.length).toBeGreaterThan(1);
    const stray = before[0];
    await setFaceness([stray.id], FACENESS_REVIEW_THRESHOLD / 2);
    const faces = await queue();
    const doubted = faces.filter((f) => f.unrecognisable === 'not-a-face');
    expect(doubted.map((f) => f.id)).toEqual([stray.id]);
    expect(faces.at(-1)!.id).toBe(stray.id);
    await jobs.shutdown();
  });
});
