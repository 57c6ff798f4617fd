// What `familiar train embedder` prints when it is done: the faces it was tested on are the share set aside, said as
// such. QA read "Recognised 39 of 39 faces you confirmed" as all it had looked at, when ~210 were confirmed.
import { describe, expect, it } from 'vitest';
import { trainingSummary } from '../../../main/cli/commands/train.js';
import { adoptionDecision, type TrainEmbedderResult } from '../../../main/embedder/index.js';

const result: TrainEmbedderResult = {
  adopted: true,
  why: 'the new one did better on the faces set aside to test it',
  reason: 'It is better on the confirmed faces set aside to check it (…).',
  version: 'v1',
  previousVersion: 'raw',
  before: { identificationAccuracy: 1, tar: 0.9578059071729957, far: 0.001, meanMargin: -0.066, probes: 39, genuinePairs: 237 },
  after: { identificationAccuracy: 1, tar: 1, far: 0.001, meanMargin: -0.107, probes: 39, genuinePairs: 237 },
  history: [],
  bestEpoch: 8,
  stoppedEarly: true,
  data: {
    confirmedFaces: 212, trainFaces: 182, notThemFaces: 9, validationFaces: 39, people: 29, rejections: 99, photoNegatives: 8,
    // As People counts them: 3 confirmed faces too small to learn from; 4 answers on faces set aside to test.
    confirmedOfNamed: 215, ofHiddenPeople: 0, notRecognisable: 3, questioned: 0, answers: 95, answersOnTestFaces: 4,
  },
  samePersonDistance: 0.11886896565556526,
  questioned: { twoPeople: [], unlikeFaces: 0, words: '' },
  unseenGroups: { groups: 34, keptWhole: 34, torn: 0, tornSizes: [] },
  seconds: 12.3,
  nothingNew: null,
};

describe('familiar train embedder', () => {
  it('says how many confirmed faces it learnt from and how many were set aside to test it, in counts', () => {
    const lines = trainingSummary(result).split('\n');
    expect(lines[0]).toBe('Trained on 173 of the 215 faces you confirmed, of 29 people: 39 were set aside to test it and 3 are too small, unclear or drawn by hand to learn from.');
    expect(lines[1]).toBe('Learnt who they are not from 91 of your 95 "not this person" answers (4 on faces set aside to test it) and 8 faces photographed with them.');
    expect(lines[2]).toBe('Recognised 39 of the 39 confirmed faces set aside to test it (was 39); matched 237 of the 237 pairs of photos of one person (was 227).');
    // The same-person distance it carried over, rounded.
    expect(lines.at(-1)).toBe('Now using v1; same-person distance 0.119. Roll back with "familiar models use raw".');
  });

  it('says why it kept the current version before the figures, in the engine\'s words, so a gain too small to count does not read as thrown away (QA)', () => {
    // The result as the engine makes it: its decision's why and reason, on the figures it decided on.
    const keptOn = (before: TrainEmbedderResult['before'], after: TrainEmbedderResult['after']): TrainEmbedderResult => {
      const decision = adoptionDecision(before, after);
      expect(decision.adopt).toBe(false);
      return { ...result, adopted: false, version: null, why: decision.why, reason: decision.reason, before, after };
    };
    const before = { ...result.before, identificationAccuracy: 0.9, tar: 0.22, genuinePairs: 200 };
    const kept = keptOn(before, { ...result.after, identificationAccuracy: 0.9, tar: 0.25, genuinePairs: 200 });
    const lines = trainingSummary(kept).split('\n');
    expect(lines[2]).toBe('Kept the current version: the new one did better, but by too little to be sure of it.');
    expect(lines[3]).toBe('Recognised 35 of the 39 confirmed faces set aside to test it (was 35); matched 50 of the 200 pairs of photos of one person (was 44).');
    expect(lines.at(-1)).toBe(kept.reason);
    expect(kept.reason).toMatch(/^The new model's gain is within what chance gives on 39 faces/);
    // Worse on one figure: that is why, whatever the other gained.
    const fewer = trainingSummary(keptOn(before, { ...kept.after, identificationAccuracy: 0.85 })).split('\n');
    expect(fewer[2]).toBe('Kept the current version: the new one recognised fewer of the faces set aside to test it.');
  });

  it('says only that nothing was trained, and how to train all the same, when nothing is new since the version in use', () => {
    const reason = 'Nothing new to learn from since v1 was trained: the same 212 confirmed faces of 29 people (…).';
    const nothingNew = { since: 'v1', kept: false, trainedAt: '2026-12-01T10:00:00.000Z', confirmedFaces: 212, people: 29 };
    expect(trainingSummary({ ...result, adopted: false, version: null, reason, history: [], nothingNew })).toBe(`${reason}\nTo train all the same: familiar train embedder --anyway.`);
  });

  it('repeats the options given in the command that trains all the same', () => {
    const reason = 'Nothing new to learn from since v1 was trained: the same 212 confirmed faces of 29 people (…).';
    const nothingNew = { since: 'v1', kept: false, trainedAt: '2026-12-01T10:00:00.000Z', confirmedFaces: 212, people: 29 };
    const untrained = { ...result, adopted: false as const, version: null, reason, history: [], nothingNew };
    expect(trainingSummary(untrained, { epochs: 3 }).split('\n').at(-1)).toBe('To train all the same: familiar train embedder --epochs 3 --anyway.');
    expect(trainingSummary(untrained, { epochs: 3, margin: 0.3 }).split('\n').at(-1)).toBe('To train all the same: familiar train embedder --epochs 3 --margin 0.3 --anyway.');
  });
});
