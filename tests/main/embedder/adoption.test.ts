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
});
