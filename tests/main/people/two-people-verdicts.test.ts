// The People cards' "may be two people" marker (main/people/two-people-verdicts.ts) on real faces: lfw_subset's cached
// descriptors of Serena and Venus Williams (0.065 apart on average, under the same-person distance), Colin Powell and
// Alejandro Toledo. Two people the clustering grouped as one get the marker once the background fill ran; a split or
// moving the stranger faces out clears it; a one-person group never gets it, nor a merge the user made (their answer);
// a decision judges again only the people it touched, and a copy's link made or parted only the people of its faces.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hidePeople, mergePeople, moveFaces, redoDecision, rejectFaces, splitPerson, twoPeopleQuestion, undoDecision, undoLast } from '../../../main/people/index.js';
import { TwoPeopleVerdicts } from '../../../main/people/two-people-verdicts.js';
import { notACopy } from '../../../main/library/copies.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos, addPersonWithFaces } from '../embedder/fixture.js';

let lfw: LfwPerson[] | undefined;
let dir: string;
let library: Library;
const faceIds = new Map<string, string[]>();

async function person(id: string, identity: string): Promise<void> {
  lfw ??= await loadLfwPeople();
  const descriptors = lfw.find((p) => p.identity === identity)!.descriptors;
  expect(descriptors.length).toBe(10);
  faceIds.set(id, await addPersonWithFaces(library, id, null, descriptors, 0));
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-two-people-verdicts-'));
  library = await Library.open(dir);
  await person('serena', 'Serena_Williams');
  await person('venus', 'Venus_Williams');
  await person('powell', 'Colin_Powell');
  await person('toledo', 'Alejandro_Toledo');
});

/** Verdicts on the test's library, stopped after it (their worker thread ended). */
const made: TwoPeopleVerdicts[] = [];
function verdictsFor(options: ConstructorParameters<typeof TwoPeopleVerdicts>[1]): TwoPeopleVerdicts {
  const verdicts = new TwoPeopleVerdicts(library, options);
  made.push(verdicts);
  return verdicts;
}

afterEach(async () => {
  for (const verdicts of made.splice(0)) verdicts.stop();
  await library.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The faces of `from` placed with `into` by the clustering, as a regrouping that took two people for one leaves them. */
async function groupedAsOne(into: string, from: string): Promise<void> {
  await library.transaction((tx) => {
    for (const f of tx.faces) if (f.personId === from) Object.assign(f, { personId: into, assignedBy: 'cluster' });
    tx.people.people.splice(tx.people.people.findIndex((p) => p.id === from), 1);
  });
}

/** The verdicts with every person's judgement counted. */
function counted(verdicts: TwoPeopleVerdicts): Map<string, number> {
  const judged = new Map<string, number>();
  const judge = (verdicts as unknown as { judge: (p: { person: { id: string } }) => unknown }).judge.bind(verdicts);
  (verdicts as unknown as { judge: (p: { person: { id: string } }) => unknown }).judge = (p) => {
    judged.set(p.person.id, (judged.get(p.person.id) ?? 0) + 1);
    return judge(p);
  };
  return judged;
}

/** The people whose digest the verdicts work out from now on, in order. */
function hashedBy(verdicts: TwoPeopleVerdicts): string[] {
  const inner = verdicts as unknown as { keyOf: (person: { id: string }, ...rest: unknown[]) => string };
  const keyOf = inner.keyOf.bind(verdicts);
  const hashed: string[] = [];
  inner.keyOf = (person, ...rest) => {
    hashed.push(person.id);
    return keyOf(person, ...rest);
  };
  return hashed;
}

describe('the "may be two people" marker', () => {
  it('marks two people grouped as one once the fill ran, never a one-person group, and clears after a split', async () => {
    const verdicts = verdictsFor({ sliceMs: 1 });
    await verdicts.settled();
    // Four people of ten photos each: nobody is two people.
    expect([...verdicts.marked()]).toEqual([]);

    await groupedAsOne('serena', 'venus');
    // The list never waits: right after the change the merged group has no verdict yet, so no marker.
    expect(verdicts.marked().has('serena')).toBe(false);
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['serena']);
    // The person page's panel asks the same kept verdict.
    const question = verdicts.question('serena')!;
    expect(question).toEqual(twoPeopleQuestion(library, 'serena'));

    await splitPerson(library, 'serena', question.leaves);
    // Stale "two people" is never shown: the split group's digest changed, so its marker is gone before any judging.
    verdicts.refresh();
    expect(verdicts.marked().has('serena')).toBe(false);
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual([]);
  });

  it('clears once the stranger faces are taken out, and marks the group they are moved into', async () => {
    const verdicts = verdictsFor({ sliceMs: 1 });
    await groupedAsOne('serena', 'venus');
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['serena']);
    // Venus's faces taken out by hand ("Not Serena"): Serena is one person again.
    await rejectFaces(library, faceIds.get('venus')!, 'serena');
    await verdicts.settled();
    expect(verdicts.marked().size).toBe(0);
    // Moved to Powell instead, they are two people in his group, the user's placement or not: Powell's own faces are
    // the part that looks like someone else now.
    await moveFaces(library, faceIds.get('venus')!, 'powell');
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['powell']);
  });

  it('leaves a merge the user made unmarked: merging is their answer that the faces are one person', async () => {
    const verdicts = verdictsFor({ sliceMs: 1 });
    await mergePeople(library, 'serena', ['venus']);
    await verdicts.settled();
    expect(verdicts.marked().size).toBe(0);
  });

  it('judges again only the people a decision touched, and everyone after the distance changes', async () => {
    // Every group judged on this thread, where the count sees it.
    const verdicts = verdictsFor({ sliceMs: 1, judgedInWorkerFrom: Infinity });
    const judged = counted(verdicts);
    await verdicts.settled();
    expect(Object.fromEntries(judged)).toEqual({ serena: 1, venus: 1, powell: 1, toledo: 1 });

    // One face of Powell's rejected: Powell alone is judged again.
    await rejectFaces(library, [faceIds.get('powell')![0]], 'powell');
    await verdicts.settled();
    expect(Object.fromEntries(judged)).toEqual({ serena: 1, venus: 1, powell: 2, toledo: 1 });

    // A merge touches the two people: the one merged away is gone, the one kept is judged again.
    await mergePeople(library, 'serena', ['venus']);
    await verdicts.settled();
    expect(Object.fromEntries(judged)).toEqual({ serena: 2, venus: 1, powell: 2, toledo: 1 });
    // Undo brings back the faces as they were: the kept digest no longer matches, so Serena is judged a third time, and
    // Venus is back.
    await undoLast(library);
    await verdicts.settled();
    expect(Object.fromEntries(judged)).toEqual({ serena: 3, venus: 2, powell: 2, toledo: 1 });
    expect(verdicts.marked().size).toBe(0);

    // Hidden people are not judged (no card), and are judged when shown again.
    await hidePeople(library, ['toledo'], true);
    await verdicts.settled();
    expect(judged.get('toledo')).toBe(1);

    // Another same-person distance changes what every verdict cuts at: everyone shown is judged again.
    await library.transaction((tx) => {
      tx.settings.samePersonDistance = 0.1;
    });
    await verdicts.settled();
    expect(Object.fromEntries(judged)).toEqual({ serena: 4, venus: 3, powell: 3, toledo: 1 });
  });

  it('judges large groups in a worker thread, with the same verdicts', async () => {
    const verdicts = verdictsFor({ judgedInWorkerFrom: 1 });
    await groupedAsOne('serena', 'venus');
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['serena']);
    // Worked out in the thread, not here after it failed.
    expect(verdicts as unknown as { worker: unknown; workerFailed: boolean }).toMatchObject({ worker: expect.anything(), workerFailed: false });
    expect(verdicts.question('serena')).toEqual(twoPeopleQuestion(library, 'serena'));
  });

  /**
   * The verdicts with the thread's answer for `personId` held back until `release` is called: resolves once the thread
   * was asked about them, with how often it was asked about each person and every verdict kept for them since.
   */
  function heldInThread(verdicts: TwoPeopleVerdicts, personId: string) {
    type Inner = { judgeInWorker: (p: { person: { id: string } }) => Promise<unknown>; answers: Map<number, (answer: unknown) => void>; keep: (id: string, kept: { question: unknown } | null) => void };
    const inner = verdicts as unknown as Inner;
    const asked = new Map<string, number>();
    const kept: unknown[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolveHeld) => {
      const judgeInWorker = inner.judgeInWorker.bind(verdicts);
      inner.judgeInWorker = (p) => {
        asked.set(p.person.id, (asked.get(p.person.id) ?? 0) + 1);
        const answer = judgeInWorker(p); // the request is posted before this returns
        if (p.person.id === personId && asked.get(personId) === 1) {
          const [[id, deliver]] = [...inner.answers];
          let answered: unknown;
          let arrived!: () => void;
          const arrival = new Promise<void>((resolve) => (arrived = resolve));
          inner.answers.set(id, (a) => {
            answered = a;
            arrived();
          });
          release = () => void arrival.then(() => deliver(answered));
          resolveHeld();
        }
        return answer;
      };
    });
    const keep = inner.keep.bind(verdicts);
    inner.keep = (id, verdict) => {
      if (id === personId) kept.push(verdict?.question ?? null);
      keep(id, verdict);
    };
    return { held, asked, kept, release: () => release() };
  }

  it('drops what the thread judged if the group changed while it worked', async () => {
    const verdicts = verdictsFor({ judgedInWorkerFrom: 1 });
    await groupedAsOne('serena', 'venus');
    const thread = heldInThread(verdicts, 'serena');
    verdicts.refresh();
    await thread.held;
    // Split while the thread has the group: its answer is about faces Serena no longer has.
    const { leaves } = twoPeopleQuestion(library, 'serena')!;
    await splitPerson(library, 'serena', leaves);
    verdicts.refresh();
    thread.kept.length = 0;
    thread.release();
    await verdicts.settled();
    // The answer came, was not kept, and Serena was judged again as she is now: one person.
    expect(thread.kept).toEqual([null]);
    expect(thread.asked.get('serena')).toBe(2);
    expect(verdicts.marked().size).toBe(0);
  });

  it('keeps what the thread judged when only someone else changed while it worked', async () => {
    const verdicts = verdictsFor({ judgedInWorkerFrom: 1 });
    await groupedAsOne('serena', 'venus');
    const thread = heldInThread(verdicts, 'serena');
    verdicts.refresh();
    await thread.held;
    await rejectFaces(library, [faceIds.get('powell')![0]], 'powell');
    verdicts.refresh();
    thread.release();
    await verdicts.settled();
    expect(thread.asked.get('serena')).toBe(1);
    expect([...verdicts.marked()]).toEqual(['serena']);
  });

  it('hashes again only the people a decision says it touched, and after a change nobody named only those it changed', async () => {
    const verdicts = verdictsFor({ sliceMs: 1, judgedInWorkerFrom: Infinity });
    await verdicts.settled();
    const hashed = hashedBy(verdicts);
    // Venus's faces moved into Serena's group, told as the handlers tell it: only the two are hashed.
    let from = library.revision;
    let result = await moveFaces(library, faceIds.get('venus')!, 'serena');
    verdicts.touched(from, library.revision, result);
    verdicts.refresh();
    expect(hashed.sort()).toEqual(['serena']); // Venus has no faces left: no card, nothing to hash
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['serena']);

    // Something else committed between: the decision is not all that changed, so every face is compared with what its
    // person's last check saw, and only the people whose faces changed are hashed (QA: 35 ms at 100k hashing everyone).
    hashed.length = 0;
    from = library.revision;
    await library.transaction((tx) => {
      tx.faces.find((f) => f.id === faceIds.get('toledo')![0])!.score = 0.5;
    });
    result = await rejectFaces(library, [faceIds.get('powell')![0]], 'powell');
    verdicts.touched(from, library.revision, result);
    verdicts.refresh();
    expect(hashed.sort()).toEqual(['powell', 'toledo']);
    await verdicts.settled();

    // A setting that leaves the distance as it was: nobody is hashed.
    hashed.length = 0;
    await library.transaction((tx) => {
      tx.settings.analysisMaxSide = 1000;
    });
    verdicts.refresh();
    expect(hashed).toEqual([]);
    // A batch nobody named that groups Toledo's faces into Powell's (as an import's or a regrouping's does): the two
    // are hashed, and Powell's card is marked once judged; a chosen cover, a face put anew as it was, the same.
    await groupedAsOne('powell', 'toledo');
    verdicts.refresh();
    expect(hashed.sort()).toEqual(['powell']); // Toledo is gone: no card, nothing to hash
    expect(verdicts.marked().has('powell')).toBe(false);
    await verdicts.settled();
    expect([...verdicts.marked()].sort()).toEqual(['powell', 'serena']);
    hashed.length = 0;
    await library.transaction((tx) => {
      tx.people.people.find((p) => p.id === 'serena')!.coverFaceId = faceIds.get('venus')![0];
    });
    verdicts.refresh();
    expect(hashed).toEqual(['serena']);
    hashed.length = 0;
    const again = { ...library.face(faceIds.get('powell')![1])! };
    await library.transaction((tx) => tx.put('faces', [again]));
    verdicts.refresh();
    expect(hashed).toEqual(['powell']);
    await verdicts.settled();
    expect([...verdicts.marked()].sort()).toEqual(['powell', 'serena']);
    // The same marks as every person judged afresh.
    const fresh = verdictsFor({ sliceMs: 1, judgedInWorkerFrom: Infinity });
    await fresh.settled();
    expect([...fresh.marked()].sort()).toEqual(['powell', 'serena']);
  });

  it("hashes again only the people whose faces a copy's link made or parted leaves in or out of the question", async () => {
    // A copy of Powell's first photo, its face with his, linked to the original's as an import links a resized copy's.
    lfw ??= await loadLfwPeople();
    const [copyFace] = await addFacePhotos(library, [lfw.find((p) => p.identity === 'Colin_Powell')!.descriptors[0]], () => ({ personId: 'powell', assignedBy: 'cluster' }));
    const copyPhotoId = library.face(copyFace)!.photoId;
    const link = { photoId: library.face(faceIds.get('powell')![0])!.photoId, faces: { [copyFace]: faceIds.get('powell')![0] } };
    await library.transaction((tx) => tx.put('photos', [{ ...library.photo(copyPhotoId)!, copyOf: link }]));
    const verdicts = verdictsFor({ sliceMs: 1, judgedInWorkerFrom: Infinity });
    await verdicts.settled();
    const hashed = hashedBy(verdicts);
    const judged = counted(verdicts);

    // "Not a copy" names nobody and moves no face (the handlers only refresh): Powell alone is hashed, and judged again
    // on his eleven faces.
    await notACopy(library, copyPhotoId);
    verdicts.refresh();
    expect(hashed).toEqual(['powell']);
    await verdicts.settled();
    expect(Object.fromEntries(judged)).toEqual({ powell: 1 });

    // Linked again in one transaction that says it touched Toledo only (as an import's link names only the faces it
    // told what was said of their originals): Powell is hashed with him, not everyone.
    hashed.length = 0;
    const from = library.revision;
    await library.transaction((tx) => tx.put('photos', [{ ...library.photo(copyPhotoId)!, copyOf: link }]));
    verdicts.touched(from, library.revision, { personIds: ['toledo'] });
    verdicts.refresh();
    expect(hashed.sort()).toEqual(['powell', 'toledo']);
    await verdicts.settled();
    expect(Object.fromEntries(judged)).toEqual({ powell: 2 });

    // A photo put again with its link as it was changes no verdict: nobody is hashed.
    hashed.length = 0;
    await library.transaction((tx) => tx.put('photos', [{ ...library.photo(copyPhotoId)! }]));
    verdicts.refresh();
    expect(hashed).toEqual([]);
    expect([...verdicts.marked()]).toEqual([]);
  });

  it('hashes again only the people an undo or a redo changed, as the handlers tell it (one transaction each)', async () => {
    const verdicts = verdictsFor({ sliceMs: 1, judgedInWorkerFrom: Infinity });
    await verdicts.settled();
    let from = library.revision;
    verdicts.touched(from, library.revision, await moveFaces(library, faceIds.get('venus')!, 'serena'));
    verdicts.refresh();
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['serena']);
    const hashed = hashedBy(verdicts);
    // Undo (QA: 35 ms at 100k faces re-keying everyone): Venus's faces go back, and only the two sisters are hashed.
    from = library.revision;
    const undone = await undoDecision(library);
    expect(library.revision).toBe(from + 1);
    expect(undone.personIds.sort()).toEqual(['serena', 'venus']);
    verdicts.touched(from, library.revision, undone);
    verdicts.refresh();
    expect(hashed.sort()).toEqual(['serena', 'venus']);
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual([]);
    // Redo: the same two.
    hashed.length = 0;
    from = library.revision;
    const redone = await redoDecision(library);
    expect(library.revision).toBe(from + 1);
    verdicts.touched(from, library.revision, redone);
    verdicts.refresh();
    expect(hashed.sort()).toEqual(['serena']); // Venus has no faces left again: no card, nothing to hash
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['serena']);
  });

  it('checks nothing while a job commits, and everything once it ends', async () => {
    let busy = false;
    const verdicts = verdictsFor({ sliceMs: 1, busy: () => busy });
    await groupedAsOne('serena', 'venus');
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['serena']);
    const check = vi.spyOn(verdicts as unknown as { check: () => void }, 'check');
    busy = true;
    // A batch of the job's: every card asks, nothing is checked.
    await groupedAsOne('powell', 'toledo');
    verdicts.refresh();
    verdicts.marked();
    verdicts.marked();
    // A decision meanwhile: the people it touched show no marker until checked (a stale "two people" after a split).
    const from = library.revision;
    const result = await splitPerson(library, 'serena', twoPeopleQuestion(library, 'serena')!.leaves);
    verdicts.touched(from, library.revision, result);
    verdicts.refresh();
    expect(verdicts.marked().size).toBe(0);
    expect(check).not.toHaveBeenCalled();
    busy = false;
    verdicts.refresh(); // the job's end
    expect(check).toHaveBeenCalledTimes(1);
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['powell']);
  });

  it('works in slices off the request path, drops stale work, says when the marks changed, and stops', async () => {
    const onMarksChanged = vi.fn();
    let busy = true;
    const verdicts = verdictsFor({ sliceMs: 0, busyWaitMs: 5, busy: () => busy, onMarksChanged });
    verdicts.marked(); // the list read the marks once: a change to them is announced
    await groupedAsOne('serena', 'venus');
    verdicts.refresh();
    // Held off while a job commits: nothing judged.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(verdicts.marked().size).toBe(0);
    busy = false;
    // A commit while the fill waits: the queue is made again from the library as it is then.
    await rejectFaces(library, [faceIds.get('powell')![0]], 'powell');
    await verdicts.settled();
    expect([...verdicts.marked()]).toEqual(['serena']);
    expect(onMarksChanged).toHaveBeenCalledTimes(1);

    verdicts.stop();
    await splitPerson(library, 'serena', verdicts.question('serena')!.leaves);
    verdicts.refresh();
    await verdicts.settled();
    // Stopped (the library closing): nothing is judged, nothing announced.
    expect(onMarksChanged).toHaveBeenCalledTimes(1);
  });
});
