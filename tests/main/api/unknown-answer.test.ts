// "Is this <Name>?" through the API, on photos imported by the real engine: Tony Blair named from six of his photos,
// the faces of his other four set apart as an unnamed group (as a later import, at another age, would leave them).
// unknown.maybe offers him for that group; unknown.answer's No takes the question away and Yes joins the group, less
// the faces left out, in one decision; either is refused when the group changed since the screen showed it.
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { nameFaces } from '../../../main/people/index.js';
import type { CallResult } from '../../../preload/contract.js';
import { importedLibrary } from '../../helpers/imported-library.js';

const { engine, library } = importedLibrary('unknown-answer', ['lfw_subset/Tony_Blair', 'lfw_subset/Colin_Powell']);

/** The largest face of each photo in a folder: the one LFW labels. */
const mainFaces = (folder: string) =>
  library()
    .photos.filter((p) => p.paths[0].includes(`/${folder}/`))
    .sort((a, b) => a.paths[0].localeCompare(b.paths[0]))
    .map((p) => library().facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)));

describe('unknown.maybe and unknown.answer', () => {
  it('offer the named person an unnamed group lies close to, and take No and Yes as undoable answers', async () => {
    const blair = mainFaces('Tony_Blair');
    const { personIds } = await nameFaces(library(), blair.slice(0, 6).map((f) => f.id), 'Tony Blair');
    const tony = personIds[0];
    const groupId = 'person-blairlater';
    await library().transaction((tx) => {
      tx.people.people.push({ id: groupId, name: null, hidden: false, coverFaceId: null, createdAt: new Date().toISOString() });
      const later = new Set(blair.slice(6).map((f) => f.id));
      for (const f of tx.faces) if (later.has(f.id)) Object.assign(f, { personId: groupId, assignedBy: 'cluster' });
    });
    const jobs = new JobRegistry(new EventHub());
    const api = await openEngineHandlers({ libraryDir: library().dir, mode: 'browser', version: 'test', events: new EventHub(), jobs, generated: new GeneratedImages(), engine: engine() });
    const queue = async () => (await api.handlers['unknown.queue']!({ offset: 0, limit: 10 })) as CallResult<'unknown.queue'>;
    const group = async () => (await queue()).groups.find((g) => g.id === groupId);
    const maybe = async (id = groupId) => (await api.handlers['unknown.maybe']!({ groupId: id })) as CallResult<'unknown.maybe'>;

    expect(await group()).toBeDefined();
    const asked = (await maybe())!;
    expect(asked).toMatchObject({ personId: tony, name: 'Tony Blair' });
    expect(asked.distance).toBeGreaterThan(0);
    expect(asked.face).toMatch(/^thumb\//);
    // Colin Powell's group looks like nobody named.
    const others = (await queue()).groups.filter((g) => g.id !== groupId);
    expect(others.length).toBeGreaterThan(0);
    for (const other of others) expect(await maybe(other.id)).toBeNull();
    // A named person is not asked about.
    expect(await maybe(tony)).toBeNull();

    // What the screen shows of the group: its faces, and how many it has; the answer is about them.
    const shown = async () => {
      const page = (await api.handlers['faces.ofPerson']!({ personId: groupId, offset: 0, limit: 18, order: 'confirmed-first' })) as CallResult<'faces.ofPerson'>;
      return { faceIds: page.faces.map((f) => f.id), faceCount: page.total };
    };
    const answer = async (same: boolean, extra: Partial<{ faceIds: string[]; faceCount: number; leftOutFaceIds: string[] }> = {}) =>
      (await api.handlers['unknown.answer']!({ groupId, personId: tony, same, ...(await shown()), ...extra })) as CallResult<'unknown.answer'>;
    const decisions = () => library().people.decisions.length;

    const no = await answer(false);
    expect(no.description).toBe('Marked 4 faces as not "Tony Blair".');
    expect(await maybe()).toBeNull();
    // The queue says whom the group was said not to be: the name field shows him ruled out, as naming it so is refused.
    expect((await group())?.notPersonIds).toEqual([tony]);
    await api.handlers.undo!({});
    expect((await maybe())?.personId).toBe(tony);
    expect((await group())?.notPersonIds).toBeUndefined();

    // The group changed after the screen showed it (a grouping during an import keeps a group's id while it changes
    // up to half its faces): one face of it swapped for one of Colin Powell's, or one more face. Refused, unchanged.
    const seen = await shown();
    const powell = mainFaces('Colin_Powell')[0];
    const before = decisions();
    const swap = (out: string | null, into: string | null, to: string | null) =>
      library().transaction((tx) => {
        for (const f of tx.faces) if (f.id === out) f.personId = to;
        for (const f of tx.faces) if (f.id === into) f.personId = groupId;
      });
    const powellWas = powell.personId;
    await swap(seen.faceIds[0], powell.id, powellWas);
    await expect(answer(true, seen)).rejects.toThrow('This group changed while you looked at it: look again.');
    await expect(answer(false, seen)).rejects.toThrow(/This group changed/);
    await swap(powell.id, seen.faceIds[0], powellWas);
    await swap(null, powell.id, null);
    await expect(answer(true, seen)).rejects.toThrow(/This group changed/);
    await swap(powell.id, null, powellWas);
    expect(decisions()).toBe(before);
    expect(library().faces.filter((f) => f.personId === groupId)).toHaveLength(4);

    // Yes less a face clicked as someone else: one decision, so one undo takes both back.
    const [leftOut] = seen.faceIds;
    const less = await answer(true, { leftOutFaceIds: [leftOut] });
    expect(less.description).toMatch(/into "Tony Blair" \(3 faces moved\)\. 1 face left out\.$/);
    expect(decisions()).toBe(before + 1);
    expect(library().faces.filter((f) => f.personId === tony)).toHaveLength(9);
    expect(library().face(leftOut)).toMatchObject({ personId: null, rejectedPersonIds: expect.arrayContaining([tony]) });
    await api.handlers.undo!({});
    expect(library().faces.filter((f) => f.personId === groupId)).toHaveLength(4);
    expect(library().face(leftOut)).toMatchObject({ personId: groupId, rejectedPersonIds: [] });
    await expect(answer(false, { leftOutFaceIds: [leftOut] })).rejects.toThrow(/Yes only/);
    await expect(answer(true, { leftOutFaceIds: seen.faceIds })).rejects.toThrow(/Every face of this group is left out/);
    await expect(answer(true, { leftOutFaceIds: [powell.id] })).rejects.toThrow(/Only faces shown/);

    const yes = await answer(true);
    expect(yes.description).toMatch(/into "Tony Blair" \(4 faces moved\)/);
    expect(await group()).toBeUndefined();
    expect(library().faces.filter((f) => f.personId === tony)).toHaveLength(10);
    await expect(api.handlers['unknown.answer']!({ groupId: tony, personId: tony, same: true, faceIds: seen.faceIds, faceCount: 4 })).rejects.toThrow(/has a name already/);
    await jobs.shutdown();
  });
});
