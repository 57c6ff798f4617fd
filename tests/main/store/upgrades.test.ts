import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../main/store/library.js';
import { ALL_UPGRADES, FORGOT_OLD_WHO_IS_THIS_MARKS } from '../../../main/store/upgrades.js';
import { addPhotos } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-upgrades-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const decision = (kind: string, at: string, personIds: string[], faceIds: string[], undoneAt: string | null = null) => ({
  id: `decision-${kind}-${at}`,
  at,
  kind,
  description: kind,
  personIds,
  faceIds,
  before: { faces: [], people: [] },
  undoneAt,
});

describe('one-time upgrades on open', () => {
  it('forgets the "not" marks an older "Who is this?" split gave, once, and keeps faces a later decision changed', async () => {
    const library = await Library.open(dir);
    expect(library.people.upgrades).toEqual(ALL_UPGRADES); // a new library has nothing to upgrade
    await addPhotos(library, 1, 3);
    const [a, b, c] = library.faces.map((f) => f.id);
    // As an older build left it: a split of a and b off the group, its name a second later, and then a "Not" of b.
    await library.transaction((tx) => {
      delete tx.people.upgrades;
      tx.people.decisions.push(
        decision('split', '2026-11-20T10:00:00.000Z', ['person-g', 'person-apart'], [a, b]),
        decision('name', '2026-11-20T10:00:01.000Z', ['person-g'], []),
        decision('reject', '2026-11-21T10:00:00.000Z', ['person-g'], [b]),
      );
      for (const f of tx.faces) if (f.id === a || f.id === b) Object.assign(f, { personId: 'person-apart', rejectedPersonIds: ['person-g'] });
    });
    await library.close();

    const upgraded = await Library.open(dir);
    expect(upgraded.repairs).toEqual([]);
    expect(upgraded.people.upgrades).toEqual(ALL_UPGRADES);
    expect(upgraded.face(a)!.rejectedPersonIds).toEqual([]);
    expect(upgraded.face(b)!.rejectedPersonIds).toEqual(['person-g']);
    // Recorded: a mark said since stays.
    await upgraded.transaction((tx) => {
      for (const f of tx.faces) if (f.id === a || f.id === c) f.rejectedPersonIds = ['person-g'];
    });
    await upgraded.close();
    const again = await Library.open(dir);
    expect(again.face(a)!.rejectedPersonIds).toEqual(['person-g']);
    await again.close();
  });

  it('forgets the "not the part split off" marks of the faces that stayed, in a library that ran the first upgrade already', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 4);
    const [a, b, c, d] = library.faces.map((f) => f.id);
    // An older "Who is this?": a and b split off the group (which the upgrade then forgot was said), c and d stayed
    // and were marked not the part split off; later the user said "Not" of d themselves.
    const stayed = (id: string) => ({ id, personId: 'person-g', assignedBy: null, rejectedPersonIds: [] });
    await library.transaction((tx) => {
      tx.people.upgrades = [FORGOT_OLD_WHO_IS_THIS_MARKS];
      const split = decision('split', '2026-11-20T10:00:00.000Z', ['person-g', 'person-apart'], [a, b]);
      split.before.faces = [stayed(a), stayed(b), stayed(c), stayed(d)] as never[];
      tx.people.decisions.push(split, decision('name', '2026-11-20T10:00:01.000Z', ['person-g'], []), decision('reject', '2026-11-21T10:00:00.000Z', ['person-apart'], [d]));
      for (const f of tx.faces) {
        if (f.id === a || f.id === b) Object.assign(f, { personId: 'person-apart', rejectedPersonIds: f.id === a ? ['person-g'] : [] });
        if (f.id === c || f.id === d) Object.assign(f, { personId: 'person-g', rejectedPersonIds: ['person-apart'] });
      }
    });
    await library.close();

    const upgraded = await Library.open(dir);
    expect(upgraded.people.upgrades).toEqual(ALL_UPGRADES);
    expect(upgraded.face(c)!.rejectedPersonIds).toEqual([]);
    // Said since (a later decision changed it), and a split-off face the first upgrade had already been through: kept.
    expect(upgraded.face(d)!.rejectedPersonIds).toEqual(['person-apart']);
    expect(upgraded.face(a)!.rejectedPersonIds).toEqual(['person-g']);
    await upgraded.close();
  });

  it('releases the faces of an older delete, a face dropped with its photo\'s analysis too, but not those of a delete undone or made since', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    const [a, b, c, d, e, g] = library.faces.map((f) => f.id);
    const pinnedUnknown = (...rejected: string[]) => ({ personId: null, assignedBy: 'user' as const, rejectedPersonIds: rejected });
    await library.transaction((tx) => {
      tx.people.upgrades = [FORGOT_OLD_WHO_IS_THIS_MARKS];
      tx.people.decisions.push(
        decision('delete', '2026-11-20T10:00:00.000Z', ['person-old'], [a, 'lost-face']),
        decision('delete', '2026-11-20T11:00:00.000Z', ['person-undone'], [b], '2026-11-20T11:00:05.000Z'),
        decision('delete', '2026-12-02T10:00:00.000Z', ['person-since'], [c]),
        // An older build used after the change (QA): its delete is known by the "not" it gave for the person deleted.
        { ...decision('delete', '2026-12-06T10:00:00.000Z', ['person-old-build'], [e]), before: { faces: [{ id: e, personId: 'person-old-build', assignedBy: 'cluster', rejectedPersonIds: ['person-y'] }], people: [] } },
        // This build's delete of a named person and a group: the group's faces set aside on purpose, one of them said
        // not the person earlier (review: the upgrade released it, and forgot the "not").
        { ...decision('delete', '2026-12-06T11:00:00.000Z', ['person-p', 'person-g'], [g]), before: { faces: [{ id: g, personId: 'person-g', assignedBy: 'cluster', rejectedPersonIds: ['person-p'] }], people: [] } },
      );
      for (const f of tx.faces) if (f.id === a) Object.assign(f, pinnedUnknown('person-old'));
      for (const f of tx.faces) if (f.id === e) Object.assign(f, pinnedUnknown('person-old-build', 'person-y'));
      for (const f of tx.faces) if (f.id === g) Object.assign(f, pinnedUnknown('person-p'));
      for (const f of tx.faces) if (f.id === b || f.id === c) Object.assign(f, pinnedUnknown());
      // A face of the person, dropped with its photo's analysis: it comes back as it was when the photo is analysed again.
      const photo = tx.photos.find((p) => p.id === tx.faces.find((f) => f.id === d)!.photoId)!;
      photo.analysis = null;
      photo.lostFaces = [{ id: 'lost-face', box: [1, 1, 5, 5], ...pinnedUnknown('person-old', 'person-x') }];
    });
    await library.close();

    const upgraded = await Library.open(dir);
    expect(upgraded.repairs).toEqual([]);
    expect(upgraded.people.upgrades).toEqual(ALL_UPGRADES);
    expect(upgraded.face(a)).toMatchObject({ personId: null, assignedBy: null, rejectedPersonIds: [] });
    expect(upgraded.face(e)).toMatchObject({ personId: null, assignedBy: null, rejectedPersonIds: ['person-y'] });
    expect(upgraded.face(g)).toMatchObject(pinnedUnknown('person-p'));
    expect(upgraded.photos.flatMap((p) => p.lostFaces ?? [])).toEqual([{ id: 'lost-face', box: [1, 1, 5, 5], personId: null, assignedBy: null, rejectedPersonIds: ['person-x'] }]);
    for (const id of [b, c]) expect(upgraded.face(id)).toMatchObject(pinnedUnknown());
    await upgraded.close();
  });
});
