// AvgPool's input gradient on XNNPACK. tfjs-backend-wasm 4.22's AvgPoolGrad is a scalar C++ loop: the SSIM loss's
// three 7x7 pools of the output cost ~40 ms of CPU each per batch of 32 64x64 crops, two SSIM terms a training step.
// With stride 1 the gradient is itself an average pool: each input pixel gets dy summed over the windows that covered
// it, divided by the window size (tfjs divides by the full window, padding included, on every backend), which is the
// window's mean over dy zero-padded by the window less one. Other strides and dilations keep the built-in kernel.
import type { Tf } from '../backend.js';
import type * as TfModule from '@tensorflow/tfjs';

type Tensor4D = TfModule.Tensor4D;

export interface AvgPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | TfModule.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * dL/dx of y = avgPool(x) for stride 1 and dilation 1 (NHWC), or null when the geometry needs the built-in kernel:
 * dx[i] = (1 / window) * sum over k < window of dy[i + top - k], dy zero outside its bounds.
 */
export function avgPoolGradStride1(tf: Tf, dy: Tensor4D, input: Pick<Tensor4D, 'shape'>, attrs: AvgPoolGradAttrs): Tensor4D | null {
  const info = tf.backend_util.computePool2DInfo(input.shape, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const { filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // Padded so the valid pool's output row i covers dy rows i + top - (kh - 1) ... i + top.
  const pads = [kh - 1 - top, inHeight - outHeight + top, kw - 1 - left, inWidth - outWidth + left];
  if (pads.some((p) => p < 0)) return null;
  return tf.tidy(() =>
    tf.avgPool(tf.pad(dy, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]]), [kh, kw], 1, 'valid'),
  );
}
