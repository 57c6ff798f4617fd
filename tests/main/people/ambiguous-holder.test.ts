// "Which one?" about a face clustering filed under a named person, on real faces (lfw_subset backbone descriptors from
// the shared cache): the person it is filed under is always one of the two offered, since the question is there to
// confirm or correct that placement, and "Neither of them" takes it off them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ambiguousFaces, nameFaces, rejectFaces } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { questionThresholds } from '../../../main/people/thresholds.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos, addPersonWithFaces } from '../embedder/fixture.js';
import { useLfwReviewPeople } from '../../helpers/lfw-review-people.js';
import { namedLibrary } from '../../helpers/review-simulation.js';

const { people, strangers, opened } = useLfwReviewPeople();

let dir: string | undefined;
let library: Library | undefined;

afterEach(async () => {
  await library?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  [library, dir] = [undefined, undefined];
});

describe('which one? about a face filed under someone', () => {
  it('offers the person it is filed under, with the nearest other, though someone named since lies nearer (QA: Serena, Venus and "Cousin Vee")', async () => {
    const lfw = new Map((await loadLfwPeople()).map((p) => [p.identity, p]));
    const serena = lfw.get('Serena_Williams')!;
    const venus = lfw.get('Venus_Williams')!;
    const venusPhoto = (n: number) => venus.photos.findIndex((p) => p.endsWith(`Venus_Williams_${String(n).padStart(4, '0')}.jpg`));
    const [named, filedUnderSerena] = [venusPhoto(5), venusPhoto(8)];
    expect(Math.min(named, filedUnderSerena)).toBeGreaterThanOrEqual(0);
    dir = mkdtempSync(join(tmpdir(), 'familiar-which-holder-'));
    library = await Library.open(dir);
    await addPersonWithFaces(library, 'person-serena', 'Serena Williams', serena.descriptors, 3);
    await addPersonWithFaces(library, 'person-venus', 'Venus Williams', venus.descriptors.filter((_, i) => i !== named && i !== filedUnderSerena), 3);
    // Venus_0008, which the grouping filed under Serena; and Venus_0005, which the user named "Cousin Vee" under
    // "Someone else?" (a new person, that one face confirmed).
    const [face] = await addFacePhotos(library, [venus.descriptors[filedUnderSerena]], () => ({ personId: 'person-serena', assignedBy: 'cluster' }));
    const [veeFace] = await addFacePhotos(library, [venus.descriptors[named]]);
    await nameFaces(library, [veeFace], 'Cousin Vee');
    const vee = library.face(veeFace)!.personId!;
    expect(library.face(face)).toMatchObject({ personId: 'person-serena', assignedBy: 'cluster' });

    const question = ambiguousFaces(library).find((q) => q.faceId === face)!;
    expect(question).toBeDefined();
    // Cousin Vee's one face is the nearest, then Venus's, then Serena's: the two nearest were offered, Serena not.
    expect(question.candidates.map((c) => c.personId)).toEqual([vee, 'person-serena']);
    const [a, b] = question.candidates;
    expect(question.margin).toBeCloseTo(b.distance - a.distance, 6);
    expect(library.face(b.nearestFaceId)!.personId).toBe('person-serena');

    // "Neither of them" (both people offered, one decision): the face leaves Serena, and is not asked about again.
    await rejectFaces(library, [face], question.candidates.map((c) => c.personId));
    expect(library.face(face)).toMatchObject({ personId: null, rejectedPersonIds: expect.arrayContaining([vee, 'person-serena']) });
    expect(ambiguousFaces(library).find((q) => q.faceId === face)).toBeUndefined();
  });

  it('asks about a face filed under a named person while another named person lies nearer, however much nearer', async () => {
    const lfw = new Map((await loadLfwPeople()).map((p) => [p.identity, p]));
    const serena = lfw.get('Serena_Williams')!;
    const venus = lfw.get('Venus_Williams')!;
    dir = mkdtempSync(join(tmpdir(), 'familiar-which-filed-away-'));
    library = await Library.open(dir);
    await addPersonWithFaces(library, 'person-serena', 'Serena Williams', serena.descriptors, 3);
    await addPersonWithFaces(library, 'person-venus', 'Venus Williams', venus.descriptors.slice(0, 3), 3);
    // The rest of Venus's photos, loose; the one that lies farthest nearer Venus than Serena, filed under Serena.
    const loose = await addFacePhotos(library, venus.descriptors.slice(3));
    const nearestConfirmed = (id: string, personId: string) =>
      library!.search(library!.embeddingOf(library!.face(id)!), 60).find((h) => library!.face(h.faceId)!.assignedBy === 'user' && library!.face(h.faceId)!.personId === personId)!.distance;
    const gap = (id: string) => nearestConfirmed(id, 'person-serena') - nearestConfirmed(id, 'person-venus');
    const filed = loose.reduce((a, b) => (gap(b) > gap(a) ? b : a));
    await library.transaction((tx) => Object.assign(tx.faces.find((f) => f.id === filed)!, { personId: 'person-serena', assignedBy: 'cluster' }));
    // Far nearer Venus's confirmed faces than Serena's, beyond the two margins that put a face in doubt: it was never asked.
    expect(gap(filed)).toBeGreaterThan(2 * questionThresholds(library).placeMargin);

    const question = ambiguousFaces(library).find((q) => q.faceId === filed);
    expect(question?.candidates.map((c) => c.personId)).toEqual(['person-venus', 'person-serena']);
    expect(question!.margin).toBeCloseTo(question!.candidates[1].distance - question!.candidates[0].distance, 6);
  });

  it('offers the holder on every question about a face filed under a named person', async () => {
    const fx = opened(await namedLibrary(people, strangers, 2, 1));
    const lib = fx.library;
    // Clustering's placements: every face of a named person placed with them, a stranger with the named person nearest it.
    await lib.transaction((tx) => {
      for (const f of tx.faces) {
        if (f.assignedBy === 'user') continue;
        const truth = fx.truth(f.id);
        if (truth !== null) Object.assign(f, { personId: truth, assignedBy: 'cluster' });
      }
    });
    const truthPlaced = new Map(lib.faces.map((f) => [f.id, f.personId]));
    await lib.transaction((tx) => {
      for (const f of tx.faces) {
        if (fx.truth(f.id) !== null) continue;
        const nearest = lib.search(lib.embeddingOf(f), 3).find((h) => h.faceId !== f.id && truthPlaced.get(h.faceId));
        if (nearest) Object.assign(f, { personId: truthPlaced.get(nearest.faceId), assignedBy: 'cluster' });
      }
    });
    const questions = ambiguousFaces(lib).filter((q) => q.currentPersonId !== null);
    expect(questions.length).toBeGreaterThan(5);
    for (const q of questions) {
      expect(q.candidates.map((c) => c.personId)).toContain(q.currentPersonId);
      expect(q.candidates[0].distance).toBeLessThanOrEqual(q.candidates[1].distance);
      expect(q.margin).toBeCloseTo(q.candidates[1].distance - q.candidates[0].distance, 6);
    }
  });
});
