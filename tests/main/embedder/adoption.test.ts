import { describe, expect, it } from 'vitest';
import { adoptionDecision } from '../../../main/embedder/train-job.js';

const metrics = (identificationAccuracy: number, tar: number, probes = 100, genuinePairs = 400) => ({
  identificationAccuracy,
  tar,
  far: 1e-3,
  meanMargin: 0,
  probes,
  genuinePairs,
});

describe('adoption rule', () => {
  it('adopts a head better beyond the noise of the held-out set and not worse on either metric', () => {
    expect(adoptionDecision(metrics(0.9, 0.8), metrics(0.97, 0.8)).adopt).toBe(true);
    expect(adoptionDecision(metrics(0.9, 0.8), metrics(0.9, 0.9)).adopt).toBe(true);
  });

  it('keeps the current embedding when a metric drops, nothing improves, or the gain is within noise', () => {
    const worseId = adoptionDecision(metrics(0.9, 0.8), metrics(0.89, 0.95));
    expect(worseId).toMatchObject({ adopt: false });
    expect(worseId.reason).toMatch(/recognises fewer of the confirmed faces set aside/);
    expect(adoptionDecision(metrics(0.9, 0.8), metrics(0.99, 0.79)).reason).toMatch(/matches fewer same-person pairs/);
    expect(adoptionDecision(metrics(0.9, 0.8), metrics(0.9, 0.8)).reason).toMatch(/no better/);
    // TAR +1 point on 400 pairs (standard error 2 points): noise.
    const noisy = adoptionDecision(metrics(0.9, 0.8), metrics(0.9, 0.81));
    expect(noisy.adopt).toBe(false);
    expect(noisy.reason).toMatch(/within what chance gives on 100 faces set aside/);
  });

  it('never adopts a head that measures the same, whatever the figures and however many faces were set aside', () => {
    for (const id of [0, 0.5, 0.9, 0.999, 1]) {
      for (const tar of [0, 0.3, 0.8, 1]) {
        for (const [probes, pairs] of [[0, 0], [1, 1], [5, 10], [125, 1986], [10_000, 1_000_000]]) {
          const same = metrics(id, tar, probes, pairs);
          expect(adoptionDecision(same, { ...same }).adopt, `${id} ${tar} ${probes}`).toBe(false);
        }
      }
    }
    // Measured before the counts were kept (no probes, no pairs): still refused.
    expect(adoptionDecision({ identificationAccuracy: 0.9, tar: 0.8, far: 1e-3, meanMargin: 0 }, { identificationAccuracy: 0.9, tar: 0.8, far: 1e-3, meanMargin: 0 }).adopt).toBe(false);
  });

  it('never adopts a head whose figures could not be measured', () => {
    for (const [current, candidate] of [
      [metrics(0.9, 0.8), metrics(NaN, 0.95)],
      [metrics(0.9, 0.8), metrics(0.99, NaN)],
      [metrics(NaN, 0.8), metrics(0.99, 0.99)],
    ]) {
      expect(adoptionDecision(current, candidate)).toMatchObject({ adopt: false, why: 'the two could not be compared' });
    }
  });

  it('says why in a few words, the first line the Training screen and the CLI show, in the order it decides', () => {
    const why = (current: ReturnType<typeof metrics>, candidate: ReturnType<typeof metrics>) => adoptionDecision(current, candidate).why;
    // Fewer faces recognised is why, whatever the pairs gained; then fewer pairs, whatever the faces gained.
    expect(why(metrics(0.9, 0.8), metrics(0.89, 0.95))).toBe('the new one recognised fewer of the faces set aside to test it');
    expect(why(metrics(0.9, 0.8), metrics(0.99, 0.79))).toBe('the new one matched fewer pairs of photos of one person');
    expect(why(metrics(0.9, 0.8), metrics(0.9, 0.8))).toBe('the new one did no better');
    expect(why(metrics(1, 1), metrics(1, 1))).toBe('it already recognises every face set aside to test it');
    expect(why(metrics(0.9, 0.8), metrics(0.9, 0.81))).toBe('the new one did better, but by too little to be sure of it');
    expect(why(metrics(0.9, 0.8), metrics(0.97, 0.8))).toBe('the new one did better on the faces set aside to test it');
  });
});
