import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../main/store/library.js';
import { FORGOT_OLD_WHO_IS_THIS_MARKS } from '../../../main/store/upgrades.js';
import { addPhotos } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-upgrades-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const decision = (kind: string, at: string, personIds: string[], faceIds: string[]) => ({
  id: `decision-${kind}-${at}`,
  at,
  kind,
  description: kind,
  personIds,
  faceIds,
  before: { faces: [], people: [] },
  undoneAt: null,
});

describe('one-time upgrades on open', () => {
  it('forgets the "not" marks an older "Who is this?" split gave, once, and keeps faces a later decision changed', async () => {
    const library = await Library.open(dir);
    expect(library.people.upgrades).toEqual([FORGOT_OLD_WHO_IS_THIS_MARKS]); // a new library has nothing to upgrade
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
    expect(upgraded.people.upgrades).toEqual([FORGOT_OLD_WHO_IS_THIS_MARKS]);
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
});
