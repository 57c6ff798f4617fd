// The custom wasm convolution gradient kernels must agree with the pure-JS cpu backend's reference kernels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TfModule from '@tensorflow/tfjs';
import { initBackend, type Tf } from '../../../models/backend.js';

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
