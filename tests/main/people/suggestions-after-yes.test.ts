// A Yes in a person's suggestions leaves the other faces offered with it offered. QA: Anna Kournikova named on her
// group of four photos, her Suggestions offered her three faces in an unnamed group (with a face of Britney Spears);
// Y on the nearest emptied the queue, the other two as near her as before. That group was offered as a second group of
// hers (groupsAskedAs), and the Yes took out its face nearest her: measured without it, the group lay beyond the reach.
// A first No did the same: the face said No to counted as far as can be, and moved the group's median past the reach.
// Real faces (lfw_subset backbone descriptors from the shared cache), grouped as QA's import grouped them.
import { beforeEach, describe, expect, it } from 'vitest';
import { confirmFaces, rejectFaces, suggestionsFor, undoDecision } from '../../../main/people/index.js';
import type { Decision } from '../../../main/people/types.js';
import { lfwLibraryPerTest } from '../../helpers/lfw-library-per-test.js';
import { addPersonWithFaces } from '../embedder/fixture.js';

const { library, descriptorsOf } = lfwLibraryPerTest('suggestions-after-yes');
/** The unnamed group's faces: Anna Kournikova's photos 1, 2 and 10, and Britney Spears's 8. */
let groupFaces: string[];

beforeEach(async () => {
  const anna = descriptorsOf('Anna_Kournikova');
  const britney = descriptorsOf('Britney_Spears');
  await addPersonWithFaces(library(), 'person-anna', 'Anna Kournikova', [anna[2], anna[6], anna[7], anna[8]], 4);
  groupFaces = await addPersonWithFaces(library(), 'person-group', null, [anna[0], anna[1], anna[9], britney[7]], 0);
  await addPersonWithFaces(library(), 'person-britney', null, britney.filter((_, i) => i !== 7), 0);
});

const offered = () => suggestionsFor(library(), 'person-anna', 50).map((s) => s.faceId);

describe('a person\'s suggestions after a Yes to one of them', () => {
  it('keep offering the other faces of the group it came from, until each is answered', async () => {
    const before = offered();
    expect(before).toEqual(expect.arrayContaining(groupFaces.slice(0, 3)));
    const [first, ...rest] = before;
    await confirmFaces(library(), [first], 'person-anna');
    expect(offered()).toEqual(expect.arrayContaining(rest));
    expect(offered()).not.toContain(first);

    // A No is for good: the face rejected is not offered again, the others still are.
    await rejectFaces(library(), [rest[0]], 'person-anna');
    expect(offered()).not.toContain(rest[0]);
    expect(offered()).toEqual(expect.arrayContaining(rest.slice(1)));
  });

  it('keep offering them long after undo stops reaching the Yes', async () => {
    const [first, ...rest] = offered();
    await confirmFaces(library(), [first], 'person-anna');
    // More than UNDO_DEPTH decisions since: the Yes keeps no state before it, only whom it took the face from.
    await library().transaction((tx) => {
      for (const decision of tx.people.decisions as Decision[]) decision.before = null;
    });
    expect(offered()).toEqual(expect.arrayContaining(rest));
    expect(offered()).not.toContain(first);
  });

  it('no longer count the group as hers once the Yes is undone, but as before it', async () => {
    const before = offered();
    await confirmFaces(library(), [before[0]], 'person-anna');
    await undoDecision(library());
    expect(offered()).toEqual(before);
  });

  it('do not take in the rest of a group nearest someone else because one face of it was theirs', async () => {
    // Britney named on five of her photos; an unnamed group of three more of hers holds a photo of Anna too.
    const anna = descriptorsOf('Anna_Kournikova');
    const britney = descriptorsOf('Britney_Spears');
    await addPersonWithFaces(library(), 'person-britney-named', 'Britney Spears', britney.slice(0, 5), 5);
    const mixed = await addPersonWithFaces(library(), 'person-mixed', null, [...britney.slice(5, 7), britney[8], anna[3]], 0);
    await confirmFaces(library(), [mixed[3]], 'person-anna');
    expect(offered()).not.toEqual(expect.arrayContaining([mixed[0]]));
    expect(offered().filter((id) => mixed.slice(0, 3).includes(id))).toEqual([]);
  });

  it('do not take in a lookalike\'s group because one face of it was confirmed as theirs', async () => {
    // Venus and Serena Williams named on four photos each; an unnamed group of five more of Venus's holds one of Serena.
    const venus = descriptorsOf('Venus_Williams');
    const serena = descriptorsOf('Serena_Williams');
    await addPersonWithFaces(library(), 'person-venus', 'Venus Williams', venus.slice(0, 4), 4);
    await addPersonWithFaces(library(), 'person-serena', 'Serena Williams', serena.slice(0, 4), 4);
    const group = await addPersonWithFaces(library(), 'person-sisters', null, [...venus.slice(4, 9), serena[4]], 0);
    await confirmFaces(library(), [group[5]], 'person-serena');
    const serenaOffered = suggestionsFor(library(), 'person-serena', 50).map((s) => s.faceId);
    expect(serenaOffered.filter((id) => group.slice(0, 5).includes(id))).toEqual([]);
  });
});

describe('a person\'s suggestions after a No to one of them', () => {
  it('keep offering the other faces of the group it came from, until each is answered', async () => {
    const [first, ...rest] = offered();
    expect(rest).toEqual(expect.arrayContaining(groupFaces.slice(0, 3).filter((id) => id !== first)));
    await rejectFaces(library(), [first], 'person-anna');
    expect(offered()).toEqual(rest);

    // Britney's face said No to as well: Anna's two are still offered, neither face said No to is.
    const britneys = groupFaces[3];
    await rejectFaces(library(), [britneys], 'person-anna');
    expect(offered()).toEqual(rest.filter((id) => id !== britneys));
  });

  it('do not take in a lookalike\'s group because one face of it was said not to be them', async () => {
    // Venus and Serena Williams named on four photos each; an unnamed group of five more of Venus's holds one of Serena.
    const venus = descriptorsOf('Venus_Williams');
    const serena = descriptorsOf('Serena_Williams');
    await addPersonWithFaces(library(), 'person-venus', 'Venus Williams', venus.slice(0, 4), 4);
    await addPersonWithFaces(library(), 'person-serena', 'Serena Williams', serena.slice(0, 4), 4);
    const group = await addPersonWithFaces(library(), 'person-sisters', null, [...venus.slice(4, 9), serena[4]], 0);
    await rejectFaces(library(), [group[0]], 'person-serena');
    const serenaOffered = suggestionsFor(library(), 'person-serena', 50).map((s) => s.faceId);
    expect(serenaOffered.filter((id) => group.slice(1, 5).includes(id))).toEqual([]);
  });

  it('offer none of the group once it is said not to be her as a whole', async () => {
    // Several of its faces at once, as a No to "Is this Anna Kournikova?" marks them all: the group is not hers.
    const [first, second] = offered();
    await rejectFaces(library(), [first, second], 'person-anna');
    expect(offered().filter((id) => groupFaces.includes(id))).toEqual([]);
  });
});
