// What a person keeps when their faces leave them (moved to someone else, split off, each said not them), found by a
// code review: a named person left with no face is kept, listed and reachable from the CLI and their page, so the user
// can still rename them (every rename was refused with "Every face of this group is left out"); and a chosen cover
// that leaves stops being the cover (the person kept the id of another person's face). Real faces (lfw_subset backbone
// descriptors from the shared cache).
import { beforeEach, describe, expect, it } from 'vitest';
import { moveFaces, namePerson, rejectFaces, setCover, splitPerson, undoDecision } from '../../../main/people/index.js';
import { lfwLibraryPerTest } from '../../helpers/lfw-library-per-test.js';
import { addPersonWithFaces } from '../embedder/fixture.js';

const { library, descriptorsOf } = lfwLibraryPerTest('faces-leaving-person');
let annFaces: string[];

beforeEach(async () => {
  annFaces = await addPersonWithFaces(library(), 'person-ann', 'Ann', descriptorsOf('Laura_Bush').slice(0, 4), 2);
  await addPersonWithFaces(library(), 'person-bea', 'Bea', descriptorsOf('Jennifer_Aniston').slice(0, 4), 4);
});

const personRecord = (id: string) => library().people.people.find((p) => p.id === id);
const nameOf = (id: string) => personRecord(id)?.name;

describe('a named person with no face left', () => {
  it('is renamed, whether the faces were moved away or each said not them, and undo gives the name back', async () => {
    await moveFaces(library(), annFaces.slice(0, 2), 'person-bea');
    await rejectFaces(library(), annFaces.slice(2), 'person-ann');
    expect(library().faces.filter((f) => f.personId === 'person-ann')).toHaveLength(0);
    expect((await namePerson(library(), 'Ann', 'Ann Smith')).description).toBe('Renamed "Ann" to "Ann Smith".');
    expect(nameOf('person-ann')).toBe('Ann Smith');
    // A change of case only is a rename too.
    await namePerson(library(), 'person-ann', 'ann smith');
    expect(nameOf('person-ann')).toBe('ann smith');
    await undoDecision(library());
    expect(nameOf('person-ann')).toBe('Ann Smith');
    // What was said of the faces holds: nothing came back to her.
    expect(library().faces.filter((f) => f.personId === 'person-ann')).toHaveLength(0);
  });
});

describe('a chosen cover that leaves its person', () => {
  it('stops being their cover when moved to someone else or split off, and undo makes it the cover again', async () => {
    await setCover(library(), 'person-ann', annFaces[0]);
    await moveFaces(library(), [annFaces[0]], 'person-bea');
    expect(personRecord('person-ann')?.coverFaceId).toBeNull();
    await undoDecision(library());
    expect(personRecord('person-ann')?.coverFaceId).toBe(annFaces[0]);
    const split = await splitPerson(library(), 'person-ann', [annFaces[0]]);
    expect(personRecord('person-ann')?.coverFaceId).toBeNull();
    expect(library().face(annFaces[0])?.personId).toBe(split.personIds[1]);
    await undoDecision(library());
    expect(personRecord('person-ann')?.coverFaceId).toBe(annFaces[0]);
  });
});
