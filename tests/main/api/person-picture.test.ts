// One rule decides a person's picture in every view of the API (main/people/queries.ts, pictureOf): the cover the user
// chose, else one choice among their faces. On photos imported by the real engine: Colin Powell named from two photos
// and a cover chosen, Tony Blair's group named with no cover chosen; some of Powell's faces in an unnamed group, some
// in no group, as are some of Blair's. Before, "Is this <Name>?" (about a group or a face) and the same-name dialog
// showed the person's face nearest the one asked about, another face each time, not the one on their card (QA).
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { nameFaces, namePerson, setCover } from '../../../main/people/index.js';
import type { CallResult } from '../../../preload/contract.js';
import { importedLibrary, mainFacesOf } from '../../helpers/imported-library.js';

const { engine, library } = importedLibrary('person-picture', ['lfw_subset/Colin_Powell', 'lfw_subset/Tony_Blair']);

describe("a person's picture through the API", () => {
  it('is the same on the list, their page, "Is this <Name>?" about a group or a face, and the same-name question', async () => {
    const powell = mainFacesOf(library(), 'Colin_Powell');
    const blair = mainFacesOf(library(), 'Tony_Blair');
    const { personIds } = await nameFaces(library(), powell.slice(0, 3).map((f) => f.id), 'Colin Powell');
    const colin = personIds[0];
    await setCover(library(), colin, powell[2].id);
    const [group, blairLoose] = ['person-powell-group', blair.slice(6).map((f) => f.id)];
    const powellLoose = powell.slice(3, 6).map((f) => f.id);
    await library().transaction((tx) => {
      const createdAt = new Date().toISOString();
      tx.people.people.push({ id: group, name: null, hidden: false, coverFaceId: null, createdAt }, { id: 'person-blair', name: null, hidden: false, coverFaceId: null, createdAt });
      for (const f of tx.faces) {
        if (powellLoose.includes(f.id) || blairLoose.includes(f.id)) Object.assign(f, { personId: null, assignedBy: null });
        else if (powell.slice(6).some((p) => p.id === f.id)) Object.assign(f, { personId: group, assignedBy: 'cluster' });
        else if (blair.slice(0, 6).some((p) => p.id === f.id)) Object.assign(f, { personId: 'person-blair', assignedBy: 'cluster' });
      }
    });
    await namePerson(library(), 'person-blair', 'Tony Blair');
    const api = await openEngineHandlers({ libraryDir: library().dir, mode: 'browser', version: 'test', events: new EventHub(), jobs: new JobRegistry(new EventHub()), generated: new GeneratedImages(), engine: engine() });
    const call = async <T>(name: string, input: unknown) => (await api.handlers[name as keyof typeof api.handlers]!(input as never)) as T;

    const list = await call<CallResult<'people.list'>>('people.list', {});
    const pictureOf = (personId: string) => list.find((p) => p.id === personId)!.cover;
    expect(pictureOf(colin)).toBe(`thumb/${powell[2].id}`);
    for (const personId of [colin, 'person-blair']) expect((await call<CallResult<'people.get'>>('people.get', { personId })).cover).toBe(pictureOf(personId));

    const maybe = await call<CallResult<'unknown.maybe'>>('unknown.maybe', { groupId: group });
    expect(maybe).toMatchObject({ personId: colin, face: pictureOf(colin) });
    const faceMaybes = await Promise.all([...powellLoose, ...blairLoose].map((faceId) => call<CallResult<'unknown.faceMaybe'>>('unknown.faceMaybe', { faceId })));
    const asked = faceMaybes.flatMap((a) => (a.maybe ? [a.maybe] : []));
    // Measured: most of each one's faces in no group are asked about, Blair's (no cover chosen) among them.
    expect(new Set(asked.map((a) => a.personId))).toEqual(new Set([colin, 'person-blair']));
    for (const a of asked) expect(a.face).toBe(pictureOf(a.personId));

    const namesake = await call<CallResult<'people.namesake'>>('people.namesake', { personId: group, name: 'Colin Powell' });
    expect(namesake).toMatchObject({ personId: colin, face: pictureOf(colin) });
    await api.close();
  });
});
