// The custom wasm gradient kernels (conv2d's, and AvgPool's for the SSIM loss) must agree with the pure-JS cpu
// backend's reference kernels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TfModule from '@tensorflow/tfjs';
import { initBackend, type Tf } from '../../../models/backend.js';
import { ssimPerImage } from '../../../models/autoencoder/losses.js';

let tf: Tf;

beforeAll(async () => {
  ({ tf } = await initBackend());
  expect(tf.getBackend()).toBe('wasm');
});

afterAll(async () => {
  await tf.setBackend('wasm');
});

/** Deterministic uniform(-1, 1) values so a failure reproduces. */
function randomValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[i] = ((state >>> 0) / 4294967296) * 2 - 1;
  }
  return values;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

type Pad = 'valid' | 'same' | number | TfModule.backend_util.ExplicitPadding;

interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const cases: Case[] = [
  { name: '3x3 stride 1 same', x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3x3 stride 2 same, odd size', x: [2, 9, 11, 4], filter: [3, 3, 4, 5], strides: 2, pad: 'same' },
  { name: '4x4 stride 2 same, even size', x: [3, 16, 16, 2], filter: [4, 4, 2, 3], strides: 2, pad: 'same' },
  { name: '3x3 stride 2 valid drops a row', x: [2, 10, 8, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'valid' },
  { name: '5x5 stride 3 valid', x: [1, 17, 14, 2], filter: [5, 5, 2, 3], strides: 3, pad: 'valid' },
  { name: '1x1 stride 1', x: [2, 5, 5, 6], filter: [1, 1, 6, 4], strides: 1, pad: 'valid' },
  { name: '1x1 stride 2', x: [2, 7, 6, 3], filter: [1, 1, 3, 2], strides: 2, pad: 'same' },
  { name: 'non-square 2x5, strides [1, 2]', x: [2, 8, 12, 3], filter: [2, 5, 3, 4], strides: [1, 2], pad: 'same' },
  { name: 'numeric pad 1 stride 2', x: [2, 8, 8, 3], filter: [3, 3, 3, 3], strides: 2, pad: 1 },
  { name: 'numeric pad 2, ceil rounding', x: [1, 9, 9, 2], filter: [3, 3, 2, 2], strides: 2, pad: 2, dimRoundingMode: 'ceil' },
  { name: 'explicit asymmetric pad', x: [2, 7, 9, 2], filter: [3, 3, 2, 3], strides: 2, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  { name: 'NCHW stride 2 same', x: [2, 3, 9, 10], filter: [3, 3, 3, 4], strides: 2, pad: 'same', dataFormat: 'NCHW' },
  { name: 'wide channels 3x3 stride 1', x: [4, 8, 8, 32], filter: [3, 3, 32, 16], strides: 1, pad: 'same' },
  { name: '3x3 stride 1 valid', x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { name: '5x5 stride 1 explicit asymmetric pad', x: [2, 9, 9, 2], filter: [5, 5, 2, 3], strides: 1, pad: [[0, 0], [1, 3], [4, 0], [0, 0]] },
  { name: '3x3 stride 1, padding wider than the filter', x: [2, 6, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [4, 0], [0, 4], [0, 0]] },
];

/** Runs `compute` on the given backend with fresh tensors built from the same values; returns plain numbers. */
async function onBackend(backend: 'wasm' | 'cpu', compute: () => TfModule.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const result = tf.tidy(compute);
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function maxAbs(a: Float32Array): number {
  let worst = 0;
  for (const v of a) worst = Math.max(worst, Math.abs(v));
  return worst;
}

describe('wasm Conv2DBackpropFilter and Conv2DBackpropInput match the cpu backend', () => {
  it('are registered for wasm', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBeDefined();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const dataFormat = c.dataFormat ?? 'NHWC';
      const xValues = randomValues(size(c.x), 11);
      const filterValues = randomValues(size(c.filter), 23);
      const forward = () =>
        tf.conv2d(tf.tensor4d(xValues, c.x), tf.tensor4d(filterValues, c.filter), c.strides, c.pad as never, dataFormat, 1, c.dimRoundingMode);
      await tf.setBackend('cpu');
      const yShape = tf.tidy(() => forward().shape);
      const dyValues = randomValues(size(yShape), 37);

      const filterGrad = () =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xValues, c.x), dy: tf.tensor4d(dyValues, yShape) }, {
          strides: c.strides, pad: c.pad, dataFormat, dimRoundingMode: c.dimRoundingMode, filterShape: c.filter,
        } as never) as TfModule.Tensor;
      const inputGrad = () =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor4d(dyValues, yShape), filter: tf.tensor4d(filterValues, c.filter) }, {
          strides: c.strides, pad: c.pad, dataFormat, dimRoundingMode: c.dimRoundingMode, inputShape: c.x,
        } as never) as TfModule.Tensor;

      const dWReference = await onBackend('cpu', filterGrad);
      const dW = await onBackend('wasm', filterGrad);
      expect(maxAbs(dWReference)).toBeGreaterThan(0.1);
      expect(maxAbsDiff(dW, dWReference)).toBeLessThan(1e-3 * Math.max(1, maxAbs(dWReference)));

      const dxReference = await onBackend('cpu', inputGrad);
      const dx = await onBackend('wasm', inputGrad);
      expect(maxAbs(dxReference)).toBeGreaterThan(0.1);
      expect(maxAbsDiff(dx, dxReference)).toBeLessThan(1e-3 * Math.max(1, maxAbs(dxReference)));
    });
  }

  it('tf.grad through conv2d and conv2dTranspose matches the cpu backend', async () => {
    const xShape: [number, number, number, number] = [2, 12, 12, 3];
    const xValues = randomValues(size(xShape), 5);
    const w1Values = randomValues(3 * 3 * 3 * 8, 6);
    const w2Values = randomValues(4 * 4 * 3 * 8, 7);
    const gradients = () => {
      const x = tf.tensor4d(xValues, xShape);
      const w1 = tf.tensor4d(w1Values, [3, 3, 3, 8]);
      const w2 = tf.tensor4d(w2Values, [4, 4, 3, 8]);
      const loss = (a: TfModule.Tensor4D, b: TfModule.Tensor4D, c: TfModule.Tensor4D) => {
        const encoded = tf.relu(tf.conv2d(a, b, 2, 'same'));
        const decoded = tf.conv2dTranspose(encoded, c, xShape, 2, 'same');
        return tf.mean(tf.square(tf.sub(decoded, a)));
      };
      const grads = tf.grads(loss as never)([x, w1, w2]);
      return tf.concat(grads.map((g) => tf.reshape(g, [-1])));
    };
    const reference = await onBackend('cpu', gradients);
    const actual = await onBackend('wasm', gradients);
    expect(maxAbsDiff(actual, reference)).toBeLessThan(1e-4 * Math.max(1, maxAbs(reference)));
  });
});

interface PoolCase {
  name: string;
  x: [number, number, number, number];
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
}

const poolCases: PoolCase[] = [
  { name: "SSIM's 7x7 window, stride 1, valid", x: [2, 16, 16, 3], filterSize: 7, strides: 1, pad: 'valid' },
  { name: '3x3 stride 1 same, odd size', x: [2, 9, 11, 4], filterSize: 3, strides: 1, pad: 'same' },
  { name: '2x5 stride 1, numeric pad 1', x: [1, 8, 12, 2], filterSize: [2, 5], strides: 1, pad: 1 },
  { name: '3x3 stride 2 same (the built-in kernel)', x: [2, 9, 9, 3], filterSize: 3, strides: 2, pad: 'same' },
];

describe('wasm AvgPoolGrad (an average pool of the padded gradient for stride 1) matches the cpu backend', () => {
  for (const c of poolCases) {
    it(c.name, async () => {
      const xValues = randomValues(size(c.x), 11);
      await tf.setBackend('cpu');
      const yShape = tf.tidy(() => tf.avgPool(tf.tensor4d(xValues, c.x), c.filterSize, c.strides, c.pad).shape);
      const dyValues = randomValues(size(yShape), 37);
      const grad = () =>
        tf.engine().runKernel('AvgPoolGrad', { dy: tf.tensor4d(dyValues, yShape), input: tf.tensor4d(xValues, c.x) }, {
          filterSize: c.filterSize, strides: c.strides, pad: c.pad,
        } as never) as TfModule.Tensor;
      const reference = await onBackend('cpu', grad);
      const actual = await onBackend('wasm', grad);
      expect(maxAbs(reference)).toBeGreaterThan(0.05);
      expect(maxAbsDiff(actual, reference)).toBeLessThan(1e-5);
    });
  }

  it("gives the SSIM loss's gradient the cpu backend gives", async () => {
    const shape: [number, number, number, number] = [2, 20, 20, 3];
    // Images in [0, 1], as the loss sees them.
    const [a, b] = [5, 6].map((seed) => randomValues(size(shape), seed).map((v) => (v + 1) / 2));
    const gradient = () => tf.grad((y) => tf.mean(ssimPerImage(tf, tf.tensor4d(a, shape), y as TfModule.Tensor4D)))(tf.tensor4d(b, shape));
    const reference = await onBackend('cpu', gradient);
    const actual = await onBackend('wasm', gradient);
    expect(maxAbs(reference)).toBeGreaterThan(1e-5);
    expect(maxAbsDiff(actual, reference)).toBeLessThan(1e-3 * maxAbs(reference));
  });
});
