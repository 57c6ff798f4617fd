// Naming faces that are someone else's is a correction, as moving them is: the person they leave is remembered as
// "not them". QA's sisters: a group of both, named "Serena" on a cover of Venus, vouched for Venus's six photos; naming
// those six "Venus" left Serena with her own six as guesses, and the next Regroup put them all with Venus, Serena
// emptied and the sisters merged again. Real faces (lfw_subset backbone descriptors from the shared cache).
import { describe, expect, it } from 'vitest';
import { listPeople, nameFaces, recluster, undoDecision } from '../../../main/people/index.js';
import { lfwLibraryPerTest } from '../../helpers/lfw-library-per-test.js';
import { addPersonWithFaces } from '../embedder/fixture.js';

const { library, descriptorsOf } = lfwLibraryPerTest('name-faces-elsewhere');

describe('naming faces that another person holds', () => {
  it('marks them not that person, so a regrouping keeps the faces left with them', async () => {
    const venus = await addPersonWithFaces(library(), 'person-serena', 'Serena', descriptorsOf('Venus_Williams').slice(0, 6), 6);
    const serena = await addPersonWithFaces(library(), 'person-sisters', null, descriptorsOf('Serena_Williams').slice(0, 6), 0);
    // As the mistaken name left it: the six Venus faces confirmed as "Serena", her own six Familiar's guesses.
    await library().transaction((tx) => {
      for (const f of tx.faces) if (serena.includes(f.id)) f.personId = 'person-serena';
      tx.people.people = tx.people.people.filter((p) => p.id !== 'person-sisters');
    });
    const named = await nameFaces(library(), venus, 'Venus');
    expect(named.description).toBe('New person "Venus", from 6 faces.');
    const venusId = library().face(venus[0])!.personId!;
    for (const id of venus) expect(library().face(id)).toMatchObject({ personId: venusId, assignedBy: 'user', rejectedPersonIds: ['person-serena'] });
    expect(named.personIds).toEqual([venusId, 'person-serena']);

    await recluster(library());
    const faces = (name: string) => listPeople(library()).find((p) => p.name === name)?.faceCount ?? 0;
    expect(faces('Serena')).toBe(6);
    expect(faces('Venus')).toBe(6);
    for (const id of serena) expect(library().face(id)!.personId, id).toBe('person-serena');

    // The name undone (a regrouping is not a decision: one undo takes back the name), the six are Serena's again,
    // with no "not" on them.
    await undoDecision(library());
    for (const id of venus) expect(library().face(id)).toMatchObject({ personId: 'person-serena', rejectedPersonIds: [] });
  });
});
