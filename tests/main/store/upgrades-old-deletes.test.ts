// A library where a person was deleted by an older build, opened by this one, on real faces (lfw_subset backbone
// descriptors from the shared cache), each person named from 6 of their 10 photos and the rest placed by a regrouping.
// The older "delete person" pinned the faces unknown (personId null, assignedBy 'user', "not" the person), the state
// "Don't ask about this face" gives: no regrouping took them and "Who is this?" never asked about them. Opening the
// library releases them, once; the faces the user set aside on purpose stay aside.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ignoreFaces, listPeople, recluster, undoLast } from '../../../main/people/index.js';
import { isPinnedUnknown } from '../../../main/people/library.js';
import type { Decision, PersonRecord } from '../../../main/people/types.js';
import { Library } from '../../../main/store/library.js';
import { ALL_UPGRADES, FORGOT_OLD_WHO_IS_THIS_MARKS } from '../../../main/store/upgrades.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { makeEmbedderFixture, type EmbedderFixture } from '../embedder/fixture.js';

const PEOPLE = ['George_W_Bush', 'Jeb_Bush', 'Laura_Bush', 'Colin_Powell'];
const GEORGE = 'George W Bush';
const COLIN = 'Colin Powell';

let fx: EmbedderFixture;

beforeEach(async () => {
  const everyone = await loadLfwPeople();
  const others = everyone.filter((p) => p.descriptors.length >= 10 && !PEOPLE.includes(p.identity)).slice(0, 12);
  fx = await makeEmbedderFixture([...everyone.filter((p) => PEOPLE.includes(p.identity)), ...others], { confirmed: 6, seed: 1 });
  await recluster(fx.library);
});

afterEach(async () => {
  await fx?.close();
});

const library = () => fx.library;
const personNamed = (name: string) => library().people.people.find((p) => p.name === name)!;
const facesOf = (personId: string) => library().faces.filter((f) => f.personId === personId);

/** "Delete person" as builds before December 2026 wrote it (decisions.ts deletePerson then), with its undo record. */
async function deleteTheOldWay(person: PersonRecord): Promise<void> {
  await library().transaction((tx) => {
    const faces = tx.faces.filter((f) => f.personId === person.id);
    const position = tx.people.people.findIndex((p) => p.id === person.id);
    const before: Decision['before'] = {
      faces: faces.map((f) => ({ id: f.id, personId: f.personId, assignedBy: f.assignedBy, rejectedPersonIds: [...f.rejectedPersonIds] })),
      people: [{ id: person.id, record: structuredClone(person), position }],
    };
    for (const f of faces) {
      f.personId = null;
      f.assignedBy = 'user';
      f.rejectedPersonIds = [...new Set([...f.rejectedPersonIds, person.id])];
    }
    tx.people.people.splice(position, 1);
    tx.people.decisions.push({
      id: `decision-${tx.people.decisions.length + 1}-old`,
      at: new Date().toISOString(),
      kind: 'delete',
      description: `Deleted "${person.name}"; ${faces.length} faces returned to unknown.`,
      personIds: [person.id],
      faceIds: faces.map((f) => f.id),
      before,
      undoneAt: null,
    } satisfies Decision);
  });
}

describe('opening a library where an older build deleted a person', () => {
  it('releases the faces the delete set aside, once, and keeps those the user set aside or changed since', async () => {
    const [george, colin] = [personNamed(GEORGE), personNamed(COLIN)];
    const georgeFaces = facesOf(george.id).map((f) => f.id);
    expect(georgeFaces).toHaveLength(10);
    const unnamedBefore = listPeople(library()).filter((p) => p.name === null && p.faceCount > 0).length;

    // As the older build left it, in the order the user did it: "Don't ask about this face" on two of Colin Powell's
    // faces, George deleted, then one of his faces set aside after all, and another set aside and undone.
    const colinIgnored = facesOf(colin.id).slice(-2).map((f) => f.id);
    await ignoreFaces(library(), colinIgnored);
    await deleteTheOldWay(george);
    const [ignoredSince, ignoredAndUndone] = georgeFaces;
    await ignoreFaces(library(), [ignoredSince]);
    await ignoreFaces(library(), [ignoredAndUndone]);
    await undoLast(library());
    await library().transaction((tx) => {
      // The older build saved them in November, before the upgrade entry this one adds.
      tx.people.decisions.forEach((d, i) => {
        const decision = d as Decision;
        decision.at = new Date(Date.parse('2026-11-20T10:00:00Z') + i * 60_000).toISOString();
        if (decision.undoneAt !== null) decision.undoneAt = decision.at;
      });
      tx.people.upgrades = [FORGOT_OLD_WHO_IS_THIS_MARKS];
    });
    const setAside = library().faces.filter(isPinnedUnknown).map((f) => f.id);
    expect(setAside.sort()).toEqual([...georgeFaces, ...colinIgnored].sort());
    await library().close();

    fx.library = await Library.open(fx.dir);
    expect(library().repairs).toEqual([]);
    expect(library().people.upgrades).toEqual(ALL_UPGRADES);
    const released = georgeFaces.filter((id) => id !== ignoredSince);
    // Unknown faces like any a delete leaves now: in no group, nobody's, and not "not George" (he is gone).
    for (const id of released) expect(library().face(id)).toMatchObject({ personId: null, assignedBy: null, rejectedPersonIds: [] });
    expect(library().face(ignoredAndUndone)!.assignedBy).toBeNull();
    // What the user set aside stays aside: Colin's faces ignored on purpose, and George's face ignored after the delete.
    for (const id of [...colinIgnored, ignoredSince]) expect(isPinnedUnknown(library().face(id)!)).toBe(true);
    expect(library().face(ignoredSince)!.rejectedPersonIds).toEqual([george.id]);

    // The next regrouping groups them: George again, as one unnamed group "Who is this?" asks about.
    await recluster(library());
    const groups = listPeople(library()).filter((p) => p.name === null && p.faceCount > 0);
    expect(groups.length).toBe(unnamedBefore + 1);
    const grouped = released.map((id) => library().face(id)!.personId).filter((id) => id !== null && groups.some((g) => g.id === id));
    expect(grouped.length).toBeGreaterThanOrEqual(released.length - 1);
    expect(new Set(grouped).size).toBe(1);
    for (const id of [...colinIgnored, ignoredSince]) expect(isPinnedUnknown(library().face(id)!)).toBe(true);

    // Once: a face set aside after the upgrade (here without a decision, as nothing but the upgrade could undo it) stays.
    const [again] = released;
    await library().transaction((tx) => {
      for (const f of tx.faces) if (f.id === again) Object.assign(f, { personId: null, assignedBy: 'user' });
    });
    await library().close();
    fx.library = await Library.open(fx.dir);
    expect(library().people.upgrades).toEqual(ALL_UPGRADES);
    expect(isPinnedUnknown(library().face(again)!)).toBe(true);
  });
});
