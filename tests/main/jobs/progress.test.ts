import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../../main/jobs/progress.js';

/** A tracker on a clock the test moves, in milliseconds. */
function tracked(total: number) {
  let t = 0;
  const tracker = new ProgressTracker('train-autoencoder', undefined, 1_000, () => t);
  return {
    tracker,
    at: (ms: number) => (t = ms),
    report: (done: number) => tracker.report('train', done, total),
  };
}

describe('ProgressTracker', () => {
  it('says nothing of the time left until a stretch of work has been timed', () => {
    const { report, at } = tracked(10);
    expect(report(0).etaSeconds).toBeNull();
    at(200);
    expect(report(0.1).etaSeconds).toBeNull();
    at(2_000);
    expect(report(1).etaSeconds).toBeCloseTo(18, 5);
  });

  it('holds steady when every pass ends with a pause of its own', () => {
    // Twelve passes of ten batches: 3 s of batches, then a 2 s check at the pass's end (QA: 6:03, 4:43, 6:43, 6:51).
    const { report, at } = tracked(12);
    let t = 0;
    const estimates: number[] = [];
    report(0);
    for (let pass = 0; pass < 12; pass++) {
      for (let batch = 1; batch <= 10; batch++) {
        t += 300;
        at(t);
        const eta = report(pass + batch / 10).etaSeconds;
        if (pass >= 3 && eta !== null) estimates.push(eta + t / 1000);
      }
      t += 2_000;
      at(t);
      report(pass + 1);
    }
    // The finish time it foresees (now + time left) moves little once three passes have been timed: the true one is 60 s.
    const spread = Math.max(...estimates) - Math.min(...estimates);
    expect(spread).toBeLessThan(8);
    for (const finish of estimates) expect(Math.abs(finish - 60)).toBeLessThan(7);
  });

  it('estimates from an assumed pace (the last run\'s) until its own first stretch, which replaces it', () => {
    const { report, at, tracker } = tracked(12);
    tracker.assumePace(30);
    expect(report(0).etaSeconds).toBe(360);
    at(1_500);
    // The first batch, a tenth of a pass in 1.5 s: 15 s a pass here, whatever the last run took.
    expect(report(0.1).etaSeconds).toBeCloseTo(11.9 * 15, 5);
    tracker.assumePace(30); // a pace of its own is never overridden
    expect(report(0.1).etaSeconds).toBeCloseTo(11.9 * 15, 5);
  });

  it('does not take passes replayed in no time for speed', () => {
    const { report, at, tracker } = tracked(12);
    tracker.resetWindow();
    for (let pass = 1; pass <= 6; pass++) report(pass); // a resumed run reports the passes it had made, at once
    at(5_000);
    expect(report(7).etaSeconds).toBeCloseTo(25, 5); // one pass in 5 s, five to go
  });

  it('says 0 at the end and forgets the pace of the stage before', () => {
    const { report, at, tracker } = tracked(4);
    at(1_000);
    report(1);
    at(3_000);
    expect(report(2).etaSeconds).not.toBeNull();
    expect(report(4).etaSeconds).toBe(0);
    tracker.resetWindow();
    expect(tracker.report('save', 0, 4).etaSeconds).toBeNull();
  });
});
