// A user decision commits what it changed: the faces it touched go to faces.journal as one line, and no other face is
// compared with what disk holds (docs/architecture.md, "Scale"). So every face a decision changes must be said: after
// each decision, what disk holds (what an open after a crash right then reads) is what the library holds in memory.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  confirmFaces,
  deletePerson,
  hidePerson,
  ignoreFaces,
  keepAsOnePerson,
  listPeople,
  mergePeople,
  moveFaces,
  nameFaces,
  namePerson,
  recluster,
  rejectFaces,
  separatePerson,
  setCover,
  splitPerson,
  undoLast,
} from '../../../main/people/index.js';
import { recordAddedFace } from '../../../main/people/decisions.js';
import { Library } from '../../../main/store/library.js';
import { makePeopleFixture, type PeopleFixture } from '../people/fixture.js';

let fx: PeopleFixture;
beforeEach(async () => {
  fx = await makePeopleFixture({ faces: 240, reserve: 4 });
  await recluster(fx.library);
});
afterEach(async () => {
  await fx.close();
});

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const inMemory = () => plain({ faces: fx.library.faces, photos: fx.library.photos, people: fx.library.people });

/** What disk holds now: what an open after a crash right here reads (read-only, beside the writer: it changes nothing). */
async function onDisk(): Promise<ReturnType<typeof inMemory>> {
  const reader = await Library.open(fx.dir, { readOnly: true });
  try {
    // (The index is saved on close: its absence is no damage.)
    expect(reader.repairs.filter((r) => !r.part.startsWith('index/'))).toEqual([]);
    return plain({ faces: reader.faces, photos: reader.photos, people: reader.people });
  } finally {
    await reader.close();
  }
}

/** The faces each line of faces.journal put, after its first line (the version of faces.json it goes over). */
async function journalLines(): Promise<string[][]> {
  const text = await readFile(join(fx.dir, 'faces.journal'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).slice(1).map((line) => (JSON.parse(line) as { put: Array<{ id: string }> }).put.map((f) => f.id));
}

describe('decisions commit what they changed', () => {
  it('puts exactly the faces a decision changed, and disk holds every decision at once', async () => {
    const facesJson = await readFile(join(fx.dir, 'faces.json'));
    const [a, b, c, d, e] = listPeople(fx.library);
    const linesBefore = (await journalLines()).length;
    // One face confirmed: one line holding that face alone; faces.json is not rewritten.
    const stranger = b.faceIds[0];
    await confirmFaces(fx.library, [stranger], a.id);
    expect((await journalLines()).slice(linesBefore)).toEqual([[stranger]]);
    expect(await readFile(join(fx.dir, 'faces.json'))).toEqual(facesJson);
    expect(await onDisk()).toEqual(inMemory());

    const steps: Array<[string, () => Promise<unknown>]> = [
      ['name', () => namePerson(fx.library, a.id, 'Ada')],
      ['name another', () => namePerson(fx.library, b.id, 'Bea')],
      ['move', () => moveFaces(fx.library, [c.faceIds[0]], a.id)],
      ['reject', () => rejectFaces(fx.library, [a.faceIds[1]], a.id)],
      ['name faces', () => nameFaces(fx.library, [d.faceIds[0], d.faceIds[1]], 'Dee')],
      ['merge', () => mergePeople(fx.library, a.id, [b.id])],
      ['separate again', () => separatePerson(fx.library, a.id, 'Bea')],
      ['split', () => splitPerson(fx.library, c.id, c.faceIds.slice(1, 3))],
      ['one person', () => keepAsOnePerson(fx.library, c.id)],
      ['ignore', () => ignoreFaces(fx.library, [e.faceIds[0]])],
      ['hide', () => hidePerson(fx.library, e.id, true)],
      ['cover', () => setCover(fx.library, c.id, c.faceIds[3])],
      ['undo', () => undoLast(fx.library)],
      ['undo again', () => undoLast(fx.library)],
      ['delete', () => deletePerson(fx.library, d.id)],
      ['undo the delete', () => undoLast(fx.library)],
    ];
    for (const [what, step] of steps) {
      await step();
      expect(await onDisk(), what).toEqual(inMemory());
    }
  });

  it('takes a marked face out again on undo, its photo with it, saying only those', async () => {
    const [added] = await fx.importMore(1);
    const photoId = fx.library.face(added)!.photoId;
    await recordAddedFace(fx.library, added, 'Marked a face.');
    const row = fx.library.face(added)!.vectorRow;
    const facesJson = await stat(join(fx.dir, 'faces.json'));
    const undone = await undoLast(fx.library);
    expect(undone.releasedRows).toEqual([row]);
    await fx.library.releaseRows(new Set(undone.releasedRows)); // as main/people/undo.ts gives the row back
    expect(fx.library.face(added)).toBeUndefined();
    expect(fx.library.photo(photoId)!.faceIds).toEqual([]);
    expect((await stat(join(fx.dir, 'faces.json'))).mtimeMs).toBe(facesJson.mtimeMs);
    expect(await onDisk()).toEqual(inMemory());
  });

  it('a decision refused part-way leaves the faces it had changed as disk holds them', async () => {
    const [a, b, c] = listPeople(fx.library);
    const before = inMemory();
    // The first face left out is changed before the second, which is not in what is merged, refuses the merge.
    await expect(mergePeople(fx.library, a.id, [b.id], { leaveOut: [b.faceIds[0], c.faceIds[0]] })).rejects.toThrow(/only its faces can be left out/);
    expect(inMemory()).toEqual(before);
    expect(await onDisk()).toEqual(before);
    // And the next decision writes only what it changes.
    await confirmFaces(fx.library, [b.faceIds[1]], a.id);
    expect((await journalLines()).at(-1)).toEqual([b.faceIds[1]]);
    expect(await onDisk()).toEqual(inMemory());
  });
});
