// Hiding several people on real faces (lfw_subset backbone descriptors from the shared cache). People's "Hide" on a
// selection was one decision per person, and its Undo showed them again one call at a time: each a new decision, so
// the faces hiding had pinned stayed pinned, and Ctrl+Z afterwards hid them again. One decision now, as deleting
// several is (delete-person-undo.test.ts): one undo takes it all back, and touches no decision made before it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { confirmFaces, decisionLog, hidePeople, hidePerson, listPeople, namePerson, recluster, redoLast, undoDecision } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { addPersonWithFaces } from '../embedder/fixture.js';

let people: Map<string, LfwPerson>;
let dir: string;
let library: Library;
let tonyFaces: string[];
let hugoFaces: string[];

beforeAll(async () => {
  people = new Map((await loadLfwPeople()).map((p) => [p.identity, p]));
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-hide-'));
  library = await Library.open(dir);
  await addPersonWithFaces(library, 'person-colin', 'Colin', people.get('Colin_Powell')!.descriptors, 10);
  tonyFaces = await addPersonWithFaces(library, 'person-tony', 'Tony', people.get('Tony_Blair')!.descriptors, 3);
  // Groups the clustering found, nobody named: hiding them is what the user does with strangers.
  hugoFaces = await addPersonWithFaces(library, 'person-hugo', null, people.get('Hugo_Chavez')!.descriptors, 0);
  await addPersonWithFaces(library, 'person-gerhard', null, people.get('Gerhard_Schroeder')!.descriptors, 0);
});

afterEach(async () => {
  await library?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every face and person as they are (a copy). */
const snapshot = (lib: Library) => structuredClone({ faces: lib.faces, people: lib.people.people });
const hiddenIds = () => library.people.people.filter((p) => p.hidden).map((p) => p.id);

describe('hiding several people at once', () => {
  it('is one decision, which pins every face shown in them, and one undo takes it all back', async () => {
    // Someone else's decision just before (another window, the CLI): the hide's undo must leave it.
    await hidePerson(library, 'person-colin', true);
    const before = snapshot(library);
    const decisions = decisionLog(library).length;

    const done = await hidePeople(library, ['person-tony', 'person-hugo', 'person-gerhard'], true);
    expect(done.description).toBe('Hid "Tony" and 2 unnamed groups.');
    expect(done.personIds).toEqual(['person-tony', 'person-hugo', 'person-gerhard']);
    expect(decisionLog(library).length).toBe(decisions + 1);
    expect(hiddenIds().sort()).toEqual(['person-colin', 'person-gerhard', 'person-hugo', 'person-tony']);
    // The faces the user saw in the hidden groups are theirs now: a regrouping keeps each group as it was.
    for (const id of [...tonyFaces, ...hugoFaces]) expect(library.face(id)!.assignedBy, id).toBe('user');

    expect((await undoDecision(library)).undone).toBe(done.description);
    expect(snapshot(library)).toStrictEqual(before);
    expect(hiddenIds()).toEqual(['person-colin']);
  });

  it('keeps each hidden group as it was through a regrouping', async () => {
    await hidePeople(library, ['person-tony', 'person-hugo'], true);
    await recluster(library);
    expect(new Set(hugoFaces.map((id) => library.face(id)!.personId))).toEqual(new Set(['person-hugo']));
    expect(new Set(tonyFaces.map((id) => library.face(id)!.personId))).toEqual(new Set(['person-tony']));
    expect(hiddenIds().sort()).toEqual(['person-hugo', 'person-tony']);
  });

  it('a regrouping counts the people and faces People shows, the hidden said apart (QA: Regroup counted a hidden group)', async () => {
    await hidePeople(library, ['person-hugo'], true);
    const summary = await recluster(library);
    const shown = listPeople(library);
    expect(summary.people).toBe(shown.length);
    expect(summary.assigned).toBe(shown.reduce((sum, p) => sum + p.faceCount, 0));
    expect({ hidden: summary.hidden, hiddenFaces: summary.hiddenFaces }).toEqual({ hidden: 1, hiddenFaces: hugoFaces.length });
    expect(summary.assigned + summary.hiddenFaces + summary.unknown + summary.notAskedAbout).toBe(summary.faces);
  });

  it('one undo takes the whole hide back and leaves the decision made before it', async () => {
    await namePerson(library, 'person-hugo', 'Hugo');
    const before = snapshot(library);
    const done = await hidePeople(library, ['person-tony', 'person-hugo'], true);
    expect(done.description).toBe('Hid "Tony" and "Hugo".');
    expect((await undoDecision(library)).undone).toBe(done.description);
    expect(snapshot(library)).toStrictEqual(before);
    expect(library.people.people.find((p) => p.id === 'person-hugo')?.name).toBe('Hugo');
  });

  it('a decision made after it is undone first, then the whole hide with one more undo', async () => {
    const before = snapshot(library);
    await hidePeople(library, ['person-tony', 'person-hugo'], true);
    await hidePerson(library, 'person-colin', true);
    expect((await undoDecision(library)).undone).toBe('Hid "Colin".');
    expect(hiddenIds().sort()).toEqual(['person-hugo', 'person-tony']);
    expect((await undoDecision(library)).undone).toBe('Hid "Tony" and an unnamed group.');
    expect(snapshot(library)).toStrictEqual(before);
  });

  it('shows several hidden people as one decision, and one undo hides them all again', async () => {
    await hidePeople(library, ['person-tony', 'person-hugo', 'person-gerhard'], true);
    const hidden = snapshot(library);
    const done = await hidePeople(library, ['person-tony', 'person-gerhard'], false);
    expect(done.description).toBe('Showed "Tony" and an unnamed group.');
    expect(hiddenIds()).toEqual(['person-hugo']);
    expect((await undoDecision(library)).undone).toBe(done.description);
    expect(snapshot(library)).toStrictEqual(hidden);
  });

  it('shows them with Familiar\'s guesses as guesses again, and what the user confirmed while they were hidden confirmed', async () => {
    const confirmedBefore = tonyFaces.filter((id) => library.face(id)!.assignedBy === 'user');
    expect(confirmedBefore).toHaveLength(3);
    const before = snapshot(library).faces;
    await hidePeople(library, ['person-tony', 'person-hugo'], true);
    // Tony's page, while he is hidden: one of his guesses confirmed by the user.
    const confirmedWhileHidden = tonyFaces.find((id) => !confirmedBefore.includes(id))!;
    await confirmFaces(library, [confirmedWhileHidden], 'person-tony');
    const done = await hidePeople(library, ['person-tony', 'person-hugo'], false);
    expect(done.description).toBe('Showed "Tony" and an unnamed group.');
    // Hide then Show confirmed every guess (QA), which training and the names export then took as the user's.
    for (const id of [...tonyFaces, ...hugoFaces]) {
      const was = before.find((f) => f.id === id)!.assignedBy;
      expect(library.face(id)!.assignedBy, id).toBe(id === confirmedWhileHidden ? 'user' : was);
    }
    // And undone, the Show hides them again as the hide left them.
    await undoDecision(library);
    for (const id of [...tonyFaces, ...hugoFaces]) expect(library.face(id)!.assignedBy, id).toBe('user');
  });

  it('takes back the pins of a hide after the person was renamed while hidden: a new name decides nothing of a face', async () => {
    const guesses = tonyFaces.filter((id) => library.face(id)!.assignedBy !== 'user');
    expect(guesses.length).toBeGreaterThan(0);
    await hidePeople(library, ['person-tony'], true);
    // A rename lists every face of the person, and changed none of them: Show kept the hide's pins (a review).
    await namePerson(library, 'person-tony', 'Anthony');
    await hidePeople(library, ['person-tony'], false);
    expect(guesses.map((id) => library.face(id)!.assignedBy)).toEqual(guesses.map(() => 'cluster'));
    expect(tonyFaces.filter((id) => library.face(id)!.assignedBy === 'user')).toHaveLength(3);
  });

  it('takes back the pins of a hide an older build logged, which listed none, by what its undo would put back', async () => {
    const guesses = tonyFaces.filter((id) => library.face(id)!.assignedBy !== 'user');
    expect(guesses.length).toBeGreaterThan(0);
    await hidePeople(library, ['person-tony'], true);
    // As an older build logged it (QA: a library it kept using, opened by this one).
    await library.transaction((tx) => {
      const hide = (tx.people.decisions as Array<{ kind: string; pinnedByHide?: string[] }>).findLast((d) => d.kind === 'hide')!;
      delete hide.pinnedByHide;
    });
    await hidePeople(library, ['person-tony'], false);
    expect(guesses.map((id) => library.face(id)!.assignedBy)).toEqual(guesses.map(() => 'cluster'));
    expect(tonyFaces.filter((id) => library.face(id)!.assignedBy === 'user')).toHaveLength(3);
  });

  it('takes back the pins of a hide of several that listed them hidden already, and of a hide redone', async () => {
    const guesses = tonyFaces.filter((id) => library.face(id)!.assignedBy !== 'user');
    const asGuesses = () => guesses.map((id) => library.face(id)!.assignedBy);
    await hidePeople(library, ['person-tony'], true);
    // "Show hidden" on, Tony and Hugo selected: the button hides, as not all of them are hidden.
    await hidePeople(library, ['person-tony', 'person-hugo'], true);
    await hidePeople(library, ['person-tony'], false);
    expect(asGuesses()).toEqual(guesses.map(() => 'cluster'));

    await hidePeople(library, ['person-tony'], true);
    await undoDecision(library);
    await redoLast(library);
    expect(asGuesses()).toEqual(guesses.map(() => 'user'));
    await hidePeople(library, ['person-tony'], false);
    expect(asGuesses()).toEqual(guesses.map(() => 'cluster'));
  });

  it('hides a person given twice once, and nobody when one of them is not in the library', async () => {
    const done = await hidePeople(library, ['person-tony', 'Tony'], true);
    expect(done.personIds).toEqual(['person-tony']);
    expect(done.description).toBe('Hid "Tony".');
    await undoDecision(library);
    const before = snapshot(library);
    await expect(hidePeople(library, ['person-hugo', 'person-nobody'], true)).rejects.toThrow();
    await expect(hidePeople(library, [], true)).rejects.toThrow('Give at least one person to hide.');
    expect(snapshot(library)).toStrictEqual(before);
  });
});
