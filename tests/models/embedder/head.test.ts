import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { applyHead, createInitialHead, deserializeHead, serializeHead, normalizeRows } from '../../../models/embedder/head.js';
import { gaussian, seededRandom } from '../../../models/embedder/random.js';
import { applyHeadWithTensors, headForward } from '../../../models/embedder/train.js';

function randomRows(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return normalizeRows(Float32Array.from({ length: n * dim }, () => gaussian(random)), dim);
}

describe('embedder head', () => {
  it('starts as the identity up to the tiny MLP perturbation', () => {
    const head = createInitialHead(128, 64, seededRandom(3));
    const rows = randomRows(20, 128, 4);
    const out = applyHead(head, rows);
    let worst = 0;
    for (let i = 0; i < rows.length; i++) worst = Math.max(worst, Math.abs(out[i] - rows[i]));
    expect(worst).toBeLessThan(0.02);
    expect(worst).toBeGreaterThan(0);
  });

  it('returns unit vectors and treats null as the raw backbone', () => {
    const head = createInitialHead(16, 8, seededRandom(5));
    head.linear.fill(0.3);
    const rows = Float32Array.from({ length: 5 * 16 }, (_, i) => (i % 7) - 3);
    const out = applyHead(head, rows, 16);
    for (let r = 0; r < 5; r++) {
      let norm = 0;
      for (let k = 0; k < 16; k++) norm += out[r * 16 + k] ** 2;
      expect(norm).toBeCloseTo(1, 5);
    }
    const raw = applyHead(null, rows, 16);
    expect(raw[0] / raw[1]).toBeCloseTo(rows[0] / rows[1], 5);
    expect(() => applyHead(head, new Float32Array(17), 16)).toThrow(/multiple of the 16-d input/);
  });

  it('computes the same embedding in plain JS as in tensors', async () => {
    const { tf } = await initBackend();
    const random = seededRandom(9);
    const head = createInitialHead(32, 24, random, 0.3);
    for (let i = 0; i < head.linear.length; i++) head.linear[i] = gaussian(random) * 0.1;
    for (let i = 0; i < head.b1.length; i++) head.b1[i] = gaussian(random) * 0.1;
    for (let i = 0; i < head.b2.length; i++) head.b2[i] = gaussian(random) * 0.1;
    const rows = randomRows(10, 32, 10);
    const vars = {
      linear: tf.variable(tf.tensor2d(head.linear, [32, 32])),
      w1: tf.variable(tf.tensor2d(head.w1, [32, 24])),
      b1: tf.variable(tf.tensor1d(head.b1)),
      w2: tf.variable(tf.tensor2d(head.w2, [24, 32])),
      b2: tf.variable(tf.tensor1d(head.b2)),
    };
    const x = tf.tensor2d(rows, [10, 32]);
    const y = headForward(tf, vars, x);
    const fromTensors = y.dataSync();
    const fromJs = applyHead(head, rows);
    for (let i = 0; i < fromJs.length; i++) expect(fromJs[i]).toBeCloseTo(fromTensors[i], 4);
    tf.dispose([x, y, ...Object.values(vars)]);
  });

  it('supports a linear head (no MLP branch): identity when fresh, same in JS and tensors, loads back', async () => {
    const { tf } = await initBackend();
    const random = seededRandom(11);
    const head = createInitialHead(32, 0, random);
    const rows = randomRows(10, 32, 12);
    expect(Array.from(applyHead(head, rows))).toEqual(Array.from(applyHead(null, rows, 32)));
    for (let i = 0; i < head.linear.length; i++) head.linear[i] = gaussian(random) * 0.1;
    for (let i = 0; i < head.b2.length; i++) head.b2[i] = gaussian(random) * 0.1;
    const fromJs = applyHead(head, rows);
    const fromTensors = applyHeadWithTensors(tf, head, rows, 4);
    for (let i = 0; i < fromJs.length; i++) expect(fromJs[i]).toBeCloseTo(fromTensors[i], 4);
    const { manifest, data } = serializeHead(head);
    const back = deserializeHead(JSON.parse(JSON.stringify(manifest)), data);
    expect(back.hiddenDim).toBe(0);
    expect(back.w1).toHaveLength(0);
    expect(Array.from(applyHead(back, rows))).toEqual(Array.from(fromJs));
    expect(() => deserializeHead({ ...manifest, hiddenDim: -1 }, data)).toThrow(/invalid dimensions/);
  });

  it('serialises and loads back exactly, and refuses damaged files', () => {
    const head = createInitialHead(12, 6, seededRandom(1), 0.5);
    const { manifest, data } = serializeHead(head);
    const back = deserializeHead(JSON.parse(JSON.stringify(manifest)), data);
    expect(back.w1).toEqual(head.w1);
    expect(back.w2).toEqual(head.w2);
    expect(back.hiddenDim).toBe(6);
    expect(() => deserializeHead({ format: 'other' }, data)).toThrow(/not a Familiar embedder head/);
    expect(() => deserializeHead(manifest, data.subarray(0, data.length - 8))).toThrow(/wrong size|truncated/);
    const poisoned = Uint8Array.from(data);
    new DataView(poisoned.buffer).setFloat32(0, Number.NaN, true);
    expect(() => deserializeHead(manifest, poisoned)).toThrow(/non-finite/);
  });
});
