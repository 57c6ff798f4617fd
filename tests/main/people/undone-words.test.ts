// What Undo says, for every kind of decision, on real faces (lfw_subset descriptors). QA: "Undone: Deleted "Rose
// Leslie"; 3 faces no longer have a name." read as the opposite of what had happened: undo repeated the decision's
// own sentence. It says what came back now, and `familiar undo` prints the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  confirmFaces,
  deletePeople,
  hidePeople,
  ignoreFaces,
  keepAsOnePerson,
  mergePeople,
  moveFaces,
  nameFaces,
  namePerson,
  rejectFaces,
  setCover,
  splitPerson,
  twoPeopleQuestion,
  undoDecision,
} from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos, addPersonWithFaces } from '../embedder/fixture.js';
import { runCli } from './fixture.js';

let dir: string;
let library: Library;
/** Rose's faces (the first three confirmed), Kit's (all confirmed), the sisters' group (unnamed), faces in no group. */
let rose: string[];
let kit: string[];
let loose: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-undone-words-'));
  library = await Library.open(dir);
  const everyone = await loadLfwPeople();
  const of = (identity: string) => everyone.find((p) => p.identity === identity)!.descriptors;
  rose = await addPersonWithFaces(library, 'person-rose', 'Rose Leslie', of('Laura_Bush').slice(0, 5), 3);
  kit = await addPersonWithFaces(library, 'person-kit', 'Kit', of('Colin_Powell').slice(0, 4), 4);
  await addPersonWithFaces(library, 'person-sisters', null, [...of('Venus_Williams'), ...of('Serena_Williams')], 0);
  loose = await addFacePhotos(library, of('Jennifer_Aniston').slice(0, 3));
}, 60_000);

afterEach(async () => {
  await library.close();
  rmSync(dir, { recursive: true, force: true });
});

const undoSays = async () => (await undoDecision(library)).message;

describe('what Undo says', () => {
  it('says what came back, for each kind of decision', async () => {
    await deletePeople(library, ['person-rose']);
    expect(await undoSays()).toBe('"Rose Leslie" is back, with 5 faces.');
    await deletePeople(library, ['person-rose', 'person-kit']);
    expect(await undoSays()).toBe('"Rose Leslie" and "Kit" are back, with 9 faces.');

    await hidePeople(library, ['person-kit'], true);
    expect(await undoSays()).toBe('"Kit" is shown again.');
    await hidePeople(library, ['person-kit', 'person-sisters'], true);
    expect(await undoSays()).toBe('"Kit" and an unnamed group are shown again.');

    await namePerson(library, 'person-kit', 'Christopher');
    expect(await undoSays()).toBe('"Christopher" is called "Kit" again.');
    await namePerson(library, 'person-sisters', 'Venus');
    expect(await undoSays()).toBe('Took back the name "Venus": its faces are an unnamed group again.');
    // Named for the part like the cover only: the other part was set apart as a group of its own, and comes back too.
    const sisters = library.faces.filter((f) => f.personId === 'person-sisters').length;
    const { leaves } = twoPeopleQuestion(library, 'person-sisters')!;
    await namePerson(library, 'person-sisters', 'Venus', { twoPeople: 'cover-part' });
    expect(library.faces.filter((f) => f.personId === 'person-sisters')).toHaveLength(sisters - leaves.length);
    expect(await undoSays()).toBe(`Took back the name "Venus": its ${sisters - leaves.length} faces and the ${leaves.length} set apart are one unnamed group of ${sisters} again.`);
    expect(library.faces.filter((f) => f.personId === 'person-sisters')).toHaveLength(sisters);

    await confirmFaces(library, [rose[4]], 'person-rose');
    expect(await undoSays()).toBe('Took back confirming 1 face as "Rose Leslie".');
    await rejectFaces(library, [rose[3], rose[4]], 'person-rose');
    expect(await undoSays()).toBe('Took back "not Rose Leslie" for 2 faces.');
    await moveFaces(library, [rose[4]], 'person-kit');
    expect(await undoSays()).toBe('Took back moving 1 face to "Kit": it is where it was.');
    await ignoreFaces(library, loose);
    expect(await undoSays()).toBe('Familiar may ask about those 3 faces again.');
    await nameFaces(library, loose, 'Jen');
    expect(await undoSays()).toBe('Took back the new person "Jen": the 3 faces are where they were.');

    await mergePeople(library, 'person-kit', ['person-rose']);
    expect(await undoSays()).toBe('"Rose Leslie" and "Kit" are apart again.');
    await setCover(library, 'person-kit', kit[2]);
    expect(await undoSays()).toBe('"Kit" has the cover from before again.');

    const parts = twoPeopleQuestion(library, 'person-sisters')!;
    await splitPerson(library, 'person-sisters', parts.leaves);
    expect(await undoSays()).toBe(`The ${parts.leaves.length} faces split off are back with an unnamed group.`);
    const kept = await keepAsOnePerson(library, 'person-sisters');
    expect(await undoSays()).toBe(`Took back "one person" for an unnamed group: ${kept.faceIds.length} faces are unconfirmed again.`);
    expect(await undoSays()).toBeNull();
  });

  it('counts unnamed groups instead of naming each "an unnamed group"', async () => {
    // QA: "An unnamed group and an unnamed group are apart again."
    const everyone = await loadLfwPeople();
    await addPersonWithFaces(library, 'person-group', null, everyone.find((p) => p.identity === 'George_W_Bush')!.descriptors.slice(0, 4), 0);
    await mergePeople(library, 'person-sisters', ['person-group']);
    expect(await undoSays()).toBe('The two unnamed groups are apart again.');
    await hidePeople(library, ['person-sisters', 'person-group'], true);
    expect(await undoSays()).toBe('The two unnamed groups are shown again.');
    await mergePeople(library, 'person-kit', ['person-sisters', 'person-group']);
    expect(await undoSays()).toBe('"Kit" and 2 unnamed groups are apart again.');
  });

  it('is what `familiar undo` prints', async () => {
    await deletePeople(library, ['person-rose']);
    await library.close();
    try {
      expect((await runCli(dir, 'undo')).out).toBe('"Rose Leslie" is back, with 5 faces.\n');
    } finally {
      library = await Library.open(dir);
    }
  });
});
