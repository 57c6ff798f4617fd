// Detections the autoencoder doubts are faces, on a real imported library: once a faceness check scores a face a
// job had placed as unlike a face, it leaves its group (it stayed there until the next recluster), "Who is this?"
// asks about it last and says why, and faces the user placed stay where the user put them.
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
  it('leave the group a job put them in, and no job puts them back; faces the user placed stay', async () => {
    const gul = mainFaces('Abdullah_Gul');
    const group = gul[0].personId;
    expect(group).not.toBeNull();
    expect(gul.every((f) => f.personId === group && f.assignedBy === 'cluster')).toBe(true);
    // Blair's faces: one confirmed by the user, then both of these scored as unlike a face.
    const blair = mainFaces('Tony_Blair');
    await nameFaces(library(), [blair[0].id], 'Tony Blair');
    await setFaceness([gul[0].id, blair[0].id], FACENESS_REVIEW_THRESHOLD / 2);

    expect(await releaseFacesForReview(library())).toBe(1);
    expect(library().face(gul[0].id)).toMatchObject({ personId: null, assignedBy: null });
    expect(library().face(blair[0].id)).toMatchObject({ assignedBy: 'user' });
    expect(library().face(blair[0].id)!.personId).not.toBeNull();
    expect(mainFaces('Abdullah_Gul').slice(1).every((f) => f.personId === group)).toBe(true);
    expect(await releaseFacesForReview(library())).toBe(0);

    await recluster(library());
    expect(library().face(gul[0].id)!.personId).toBeNull();
  });

  it('wait last under "Who is this?", which says why', async () => {
    const jobs = new JobRegistry(new EventHub());
    const api = await openEngineHandlers({ libraryDir: library().dir, mode: 'browser', version: 'test', events: new EventHub(), jobs, generated: new GeneratedImages(), engine: engine() });
    const queue = (await api.handlers['unknown.queue']!({ offset: 0, limit: 500 })) as { faces: { total: number; faces: FaceSummary[] } };
    const faces = queue.faces.faces;
    const doubted = faces.filter((f) => f.unrecognisable === 'not-a-face');
    expect(doubted.map((f) => f.id)).toEqual([mainFaces('Abdullah_Gul')[0].id]);
    expect(faces.at(-1)!.id).toBe(doubted[0].id);
    expect(faces.length).toBeGreaterThan(1);
    await jobs.shutdown();
  });
});
