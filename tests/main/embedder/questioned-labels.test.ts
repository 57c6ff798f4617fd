// Training does not learn what the app still asks the user about (main/embedder/questioned-labels.ts): the faces of two
// named people merged though they lie beyond the same-person distance ("may be two people"), and a face confirmed into
// someone it looks unlike. QA merged Penny into Amy and confirmed a Leonard face into her; the head trained on that put
// them together, and then `unlike` and `split` saw nothing. Real lfw_subset faces throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainEmbedder, type TrainEmbedderResult } from '../../../main/embedder/index.js';
import { collectUserLabels, NotEnoughLabelsError } from '../../../main/embedder/training-data.js';
import { confirmFaces, keepAsOnePerson, leastAlikeFirst, mergePeople, twoPeopleQuestion } from '../../../main/people/index.js';
import { distanceAcross, liesBeyond } from '../../../main/people/two-people-apart.js';
import { normalizeRows } from '../../../models/embedder/head.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { hardPeopleFixture, type EmbedderFixture } from './fixture.js';

let fx: EmbedderFixture;
let merged: { into: string; name: string; own: FaceRecord[]; brought: FaceRecord[] };
let stranger: { face: FaceRecord; into: string; others: FaceRecord[] };
let confirmedBefore: number;
/** Confirmed faces unlike their person's others before the stranger: lfw_subset has odd photos (a disguise, a profile). */
let unlikeBefore: number;
let result: TrainEmbedderResult;

const library = () => fx.library;
const confirmedOf = (personId: string) => library().faces.filter((f) => f.personId === personId && f.assignedBy === 'user');
const backbone = (f: FaceRecord) => library().backboneOf(f);

/** The mean backbone distance between two sets of faces. */
function apartOnBackbone(a: readonly FaceRecord[], b: readonly FaceRecord[]): number {
  const faces = [...a, ...b];
  const data = new Float32Array(faces.length * 128);
  faces.forEach((f, i) => data.set(normalizeRows(Float32Array.from(backbone(f)), 128), i * 128));
  const rows = faces.map((_, i) => i);
  return distanceAcross({ dim: 128, count: faces.length, data }, [rows.slice(0, a.length), rows.slice(a.length)]);
}

beforeAll(async () => {
  // The 24 people of lfw_subset the backbone confuses most, 6 faces of each confirmed.
  fx = await hardPeopleFixture();
  const people = library().people.people.filter((p) => confirmedOf(p.id).length > 0);
  // The two lying nearest QA's Amy and Penny (0.117), beyond the same-person distance, merged: a question left open.
  const pairs = people.flatMap((p, i) => people.slice(i + 1).map((q) => ({ p, q, apart: apartOnBackbone(confirmedOf(p.id), confirmedOf(q.id)) })));
  const { p: a, q: b } = pairs.filter((pair) => pair.apart > 0.11).sort((x, y) => x.apart - y.apart)[0];
  merged = { into: a.id, name: a.name!, own: confirmedOf(a.id), brought: confirmedOf(b.id) };
  await mergePeople(library(), a.id, [b.id]);
  // A face of a third person nobody placed, confirmed into a fourth it looks unlike.
  const [c, d] = people.filter((p) => p.id !== a.id && p.id !== b.id);
  unlikeBefore = people.reduce((sum, p) => sum + (p.id === a.id || p.id === b.id ? 0 : leastAlikeFirst(library(), p.id).unlikeConfirmed), 0);
  const face = library().faces.find((f) => f.personId === null && fx.identityOf.get(f.id) === fx.identityOf.get(confirmedOf(c.id)[0].id))!;
  stranger = { face, into: d.id, others: confirmedOf(d.id) };
  await confirmFaces(library(), [face.id], d.id);
  confirmedBefore = library().faces.filter((f) => f.assignedBy === 'user').length;
  result = await trainEmbedder(library(), { epochs: 12, seed: 3 });
}, 300_000);

afterAll(async () => {
  await fx?.close();
});

describe('training on confirmations the app questions', () => {
  it('leaves out every confirmed face of the people merged and the stranger, and says so', () => {
    expect(twoPeopleQuestion(library(), merged.into)).not.toBeNull();
    expect(leastAlikeFirst(library(), stranger.into).unlikeConfirmed).toBe(1);
    const faces = merged.own.length + merged.brought.length;
    const unlike = unlikeBefore + 1;
    expect(result.questioned).toMatchObject({ twoPeople: [{ personId: merged.into, name: merged.name, faces }], unlikeFaces: unlike });
    expect(result.data.confirmedFaces).toBe(confirmedBefore - faces - unlike);
    expect(result.data.people).toBe(22);
    expect(result.questioned.words).toBe(
      `Not learnt from until you answer on their pages: the ${faces} faces of ${merged.name}, who may be two people; and ${unlike} faces you confirmed that look unlike the person's others.`,
    );
  });

  it('trains a head that keeps the merged people apart and the stranger unlike, so the page and split still see them', () => {
    // Trained on them all, the head put the two 0.108 apart and the stranger 0.129 from the person's faces, both within
    // its same-person distance of 0.152: one person, and no stranger, to it. Left out: 0.308 and 0.452, against 0.193.
    expect(result.adopted, result.reason).toBe(true);
    const sameDistance = result.samePersonDistance!;
    const embedded = (f: FaceRecord) => library().embeddingOf(f);
    expect(liesBeyond(merged.own, merged.brought, embedded, sameDistance)).toBe(true);
    expect(liesBeyond(stranger.others, [stranger.face], embedded, sameDistance)).toBe(true);
  });

  it('learns them once the user answers: "one person" makes the merged faces one person\'s again', async () => {
    await keepAsOnePerson(library(), merged.into);
    expect(twoPeopleQuestion(library(), merged.into)).toBeNull();
    const labels = collectUserLabels(library().faces, backbone, 128, 0.2, () => true, new Set([stranger.face.id]));
    const into = labels.personIds.indexOf(merged.into);
    const labelled = (id: string) => labels.train.labels[labels.trainFaceIds.indexOf(id)] ?? labels.validation.labels[labels.validationFaceIds.indexOf(id)];
    expect([...merged.own, ...merged.brought].every((f) => labelled(f.id) === into)).toBe(true);
    // Still a face that is not someone (a rejection, a photo), but no one's own.
    expect(labels.validationFaceIds).not.toContain(stranger.face.id);
    expect(labels.train.labels[labels.trainFaceIds.indexOf(stranger.face.id)] ?? -1).toBe(-1);
  });

  it('says how many confirmed faces wait for an answer when too few are left to train on', () => {
    const faces = library().faces.filter((f) => f.personId === merged.into || f.personId === stranger.into);
    const questioned = new Set(faces.filter((f) => f.personId === merged.into).map((f) => f.id));
    expect(() => collectUserLabels(faces, backbone, 128, 0.2, () => true, questioned)).toThrow(NotEnoughLabelsError);
    expect(() => collectUserLabels(faces, backbone, 128, 0.2, () => true, questioned)).toThrow(
      `(found ${stranger.others.length + 1} confirmed faces of 1 person, 1 with two or more; ${questioned.size} more wait for your answer on their person's page, as they may be someone else)`,
    );
  });
});
