// "Are these the same person?" through the API, on photos imported by the real engine: Tony Blair's photos set apart
// as two unnamed groups (as two imports years apart can leave them). unknown.samePerson asks about the pair with the
// other group's summary and a few faces of each; unknown.samePersonAnswer's No says so in words about the two groups,
// and the question does not come back from either side.
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import type { CallResult } from '../../../preload/contract.js';
import { importedLibrary } from '../../helpers/imported-library.js';

const { engine, library } = importedLibrary('unknown-same-person', ['lfw_subset/Tony_Blair', 'lfw_subset/Colin_Powell']);

/** The largest face of each photo in a folder: the one LFW labels. */
const mainFaces = (folder: string) =>
  library()
    .photos.filter((p) => p.paths[0].includes(`/${folder}/`))
    .sort((a, b) => a.paths[0].localeCompare(b.paths[0]))
    .map((p) => library().facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)));

describe('unknown.samePerson and unknown.samePersonAnswer', () => {
  it('ask about two unnamed groups of one person, and a No is said about the groups', async () => {
    const blair = mainFaces('Tony_Blair');
    const [early, later] = ['person-blairearly', 'person-blairlater'];
    await library().transaction((tx) => {
      tx.people.people.push(...[early, later].map((id) => ({ id, name: null, hidden: false, coverFaceId: null, createdAt: new Date().toISOString() })));
      const ids = blair.map((f) => f.id);
      for (const f of tx.faces) if (ids.includes(f.id)) Object.assign(f, { personId: ids.indexOf(f.id) < 6 ? early : later, assignedBy: 'cluster' });
    });
    const api = await openEngineHandlers({ libraryDir: library().dir, mode: 'browser', version: 'test', events: new EventHub(), jobs: new JobRegistry(new EventHub()), generated: new GeneratedImages(), engine: engine() });
    const ask = async (groupId: string) => (await api.handlers['unknown.samePerson']!({ groupId })) as CallResult<'unknown.samePerson'>;

    const asked = (await ask(later))!;
    expect(asked).not.toBeNull();
    expect(asked.other).toMatchObject({ id: early, name: null, faceCount: 6 });
    expect([asked.groupFaces.count, asked.otherFaces.count]).toEqual([4, 6]);
    expect(asked.groupFaces.faces).toHaveLength(4);
    expect(asked.otherFaces.faces).toHaveLength(4);
    expect((await ask(early))?.other.id).toBe(later);

    const shown = (part: typeof asked.groupFaces) => ({ faceIds: part.faces.map((f) => f.id), count: part.count });
    const done = (await api.handlers['unknown.samePersonAnswer']!({ groupId: later, otherId: early, same: false, shown: { group: shown(asked.groupFaces), other: shown(asked.otherFaces) } })) as CallResult<'unknown.samePersonAnswer'>;
    expect(done.description).toBe("Not the same person: these two groups won't be asked about together again.");
    expect(await ask(later)).toBeNull();
    expect(await ask(early)).toBeNull();
  }, 120_000);
});
