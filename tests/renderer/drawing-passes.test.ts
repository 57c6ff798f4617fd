// The Studio's advice to train the face studio again follows the engine's measure of its drawings when it has one.
import { describe, expect, it } from 'vitest';
import { passesToDrawFaces, passesToTrainAgain } from '../../renderer/lib/drawing-passes.js';

describe('passesToTrainAgain', () => {
  it('sends no one round again when the engine measured the drawings apart, however few the passes', () => {
    // QA: 249 faces, the rule of thumb asks 30 passes; a run that made 29 and drew faces apart is fine.
    expect(passesToDrawFaces(249)).toBe(30);
    expect(passesToTrainAgain({ faces: 249, epochs: 29, drawsMuchAlike: false })).toBeNull();
  });

  it('advises more passes than were made when the drawings were measured much alike', () => {
    expect(passesToTrainAgain({ faces: 249, epochs: 12, drawsMuchAlike: true })).toBe(30);
    expect(passesToTrainAgain({ faces: 249, epochs: 40, drawsMuchAlike: true })).toBe(60);
  });

  it('falls back on the passes made for versions measured before', () => {
    expect(passesToTrainAgain({ faces: 249, epochs: 12 })).toBe(30);
    expect(passesToTrainAgain({ faces: 249, epochs: 30 })).toBeNull();
  });
});
