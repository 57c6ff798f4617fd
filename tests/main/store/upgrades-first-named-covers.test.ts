// A library where an older build enrolled people by naming faces, opened by this one, on real faces (lfw_subset
// descriptors). The older build saved the first face named as the person's cover, as if the user had chosen it; the
// upgrade (main/store/upgrades.ts, forgetFirstNamedFaceCovers) forgets it, and the decision log with it: undoing a
// rename made before the upgrade put back the cover that rename had recorded, and "Separate again" the cover a merge
// had kept, a face the user never chose (QA). A cover chosen with "Make cover" stays, in the log too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergePeople, nameFaces, namePerson, separatePerson, setCover, undoDecision } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { ALL_UPGRADES, FORGOT_FIRST_NAMED_FACE_COVERS, FORGOT_FIRST_NAMED_FACE_COVERS_IN_LOG } from '../../../main/store/upgrades.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos } from '../embedder/fixture.js';

let dir: string;
let library: Library;
/** Faces in no group: Laura Bush's (named "Rose" below) and Colin Powell's ("Kit"). */
let rose: string[];
let kit: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-first-named-covers-'));
  library = await Library.open(dir);
  const everyone = await loadLfwPeople();
  const of = (identity: string) => everyone.find((p) => p.identity === identity)!.descriptors;
  rose = await addFacePhotos(library, of('Laura_Bush').slice(0, 5));
  kit = await addFacePhotos(library, of('Colin_Powell').slice(0, 4));
}, 60_000);

afterEach(async () => {
  await library.close();
  rmSync(dir, { recursive: true, force: true });
});

const personNamed = (name: string) => library.people.people.find((p) => p.name === name);
const coverOf = (name: string) => personNamed(name)?.coverFaceId;

/** Names `faces` as an older build did: the person enrolled keeps the first face named as their cover. */
async function enrolTheOldWay(faces: readonly string[], name: string): Promise<string> {
  const { personIds } = await nameFaces(library, [...faces], name);
  await library.transaction((tx) => {
    for (const p of tx.people.people) if (p.id === personIds[0]) p.coverFaceId = faces[0];
  });
  return personIds[0];
}

/** Closes the library as a build that ran the upgrades `ran` left it, and opens it with this one. */
async function reopenAfter(ran: readonly string[]): Promise<void> {
  await library.transaction((tx) => {
    tx.people.upgrades = [...ran];
  });
  await library.close();
  library = await Library.open(dir);
  expect([...library.people.upgrades!].sort()).toEqual([...ALL_UPGRADES].sort());
}

describe('opening a library where an older build kept the first face named as a cover', () => {
  it("forgets it in the decision log too: undo brings back no cover the user did not choose, and keeps the ones they did", async () => {
    const rosePerson = await enrolTheOldWay(rose, 'Rose');
    await namePerson(library, rosePerson, 'Rose Leslie');
    expect(coverOf('Rose Leslie')).toBe(rose[0]);
    await enrolTheOldWay(kit, 'Kit');
    await setCover(library, 'Kit', kit[2]);
    await namePerson(library, 'Kit', 'Kit Harington');

    await reopenAfter(ALL_UPGRADES.filter((u) => u !== FORGOT_FIRST_NAMED_FACE_COVERS && u !== FORGOT_FIRST_NAMED_FACE_COVERS_IN_LOG));
    expect(coverOf('Rose Leslie')).toBeNull();
    expect(coverOf('Kit Harington')).toBe(kit[2]);
    // Kit's rename, then "Make cover": the face the user chose comes back, the first face named does not.
    await undoDecision(library);
    expect(coverOf('Kit')).toBe(kit[2]);
    await undoDecision(library);
    expect(coverOf('Kit')).toBeNull();
    await undoDecision(library);
    expect(personNamed('Kit')).toBeUndefined();
    // Rose's rename, made before the upgrade, recorded her first face named as her cover.
    await undoDecision(library);
    expect(coverOf('Rose')).toBeNull();
  });

  it('forgets it in the log of a library that forgot it on its people already: undo and "Separate again" bring none back', async () => {
    const rosePerson = await enrolTheOldWay(rose, 'Rose');
    await namePerson(library, rosePerson, 'Rose Leslie');
    await enrolTheOldWay(kit, 'Kit');
    await mergePeople(library, 'Kit', ['Rose Leslie']);
    // What the first upgrade left: no cover on Kit, Rose merged away with hers in the log.
    await library.transaction((tx) => {
      for (const p of tx.people.people) p.coverFaceId = null;
    });
    await reopenAfter(ALL_UPGRADES.filter((u) => u !== FORGOT_FIRST_NAMED_FACE_COVERS_IN_LOG));

    // Separated again, Rose comes back with her faces and no cover; undone, the merge gives her back the same way.
    await separatePerson(library, 'Kit', 'Rose Leslie');
    expect(coverOf('Rose Leslie')).toBeNull();
    await undoDecision(library);
    await undoDecision(library);
    expect(coverOf('Rose Leslie')).toBeNull();
    expect(coverOf('Kit')).toBeNull();
    await undoDecision(library);
    await undoDecision(library);
    expect(coverOf('Rose')).toBeNull();
  });
});
