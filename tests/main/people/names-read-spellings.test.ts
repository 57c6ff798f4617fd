// Names read from other apps' tags in two spellings of one name: one person when the faces look alike (Picasa's "Zoe"
// and digiKam's "Zoë" for one girl), two when they do not. QA: tags "Jose" on Bill Gates and "José" on Angelina Jolie
// made one person of both, all eight faces confirmed. Real faces (lfw_subset backbone descriptors).
import { describe, expect, it } from 'vitest';
import { listPeople, nameFacesInBulk } from '../../../main/people/index.js';
import { lfwLibraryPerTest } from '../../helpers/lfw-library-per-test.js';
import { addPersonWithFaces } from '../embedder/fixture.js';

const { library, descriptorsOf } = lfwLibraryPerTest('names-read-spellings');
const named = (faces: readonly string[], name: string) => faces.map((faceId) => ({ faceId, name }));
const peopleNamed = () => listPeople(library()).filter((p) => p.name !== null).map((p) => [p.name, p.faceCount]);

describe('names read in two spellings', () => {
  it('are two people when the faces under each spelling do not look alike', async () => {
    const gates = await addPersonWithFaces(library(), 'group-1', null, descriptorsOf('Bill_Gates').slice(0, 4), 0);
    const jolie = await addPersonWithFaces(library(), 'group-2', null, descriptorsOf('Angelina_Jolie').slice(0, 4), 0);
    const read = await nameFacesInBulk(library(), [...named(gates, 'Jose'), ...named(jolie, 'Jos\u00e9')], 'test sidecars');
    expect(peopleNamed().sort()).toEqual([['Jose', 4], ['Jos\u00e9', 4]]);
    // Both said new (review: the import's list had only the first spelling).
    expect(read.newPeople).toEqual(['Jose', 'Jos\u00e9']);
    expect(read.description).toBe('Named 8 faces from test sidecars (2 people, 2 new).');
  });

  it('joins a person named already only when the faces look like them', async () => {
    await addPersonWithFaces(library(), 'person-obrien', "O'Brien", descriptorsOf('Bill_Gates').slice(0, 4), 4);
    const gates = await addPersonWithFaces(library(), 'group-1', null, descriptorsOf('Bill_Gates').slice(4, 7), 0);
    const jolie = await addPersonWithFaces(library(), 'group-2', null, descriptorsOf('Angelina_Jolie').slice(0, 3), 0);
    // As a phone types the apostrophe, for the same man; and for a woman who is someone else.
    await nameFacesInBulk(library(), named(gates, 'O\u2019Brien'), 'test sidecars');
    expect(peopleNamed()).toEqual([["O'Brien", 7]]);
    await nameFacesInBulk(library(), named(jolie, 'O\u2019BRIEN'), 'test sidecars');
    expect(peopleNamed().sort()).toEqual([["O'Brien", 7], ['O\u2019BRIEN', 3]]);
  });
});
