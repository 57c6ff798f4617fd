// Convolution gradients expressed with kernels the wasm backend runs fast (XNNPACK conv2d, 4-D transposes, pad,
// slice), so training on wasm never needs the pure-JS cpu backend.
//
// Why not the obvious routes: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter at all, and its
// Conv2DBackpropInput is a scalar C++ loop ~8x slower than the forward convolution. Strided slices, 6-D
// transposes, large 2-D transposes and DepthToSpace are also slow there, and a matMul whose right operand is large
// repacks it on every call, so the formulations below avoid all of those.
//
// Both functions take and return tensors of whatever backend is active, which lets the tests compare them with
// the cpu backend's reference kernels on identical inputs.
import type { Tf } from '../backend.js';
import type * as TfModule from '@tensorflow/tfjs';

type Tensor4D = TfModule.Tensor4D;
type Tensor = TfModule.Tensor;
type PadAttr = 'valid' | 'same' | number | TfModule.backend_util.ExplicitPadding;
type DataFormat = 'NHWC' | 'NCHW';

export interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: PadAttr;
  dataFormat: DataFormat;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: PadAttr;
  dataFormat: DataFormat;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];

/** Explicit NHWC padding of the input to `dataFormat`'s conv geometry (channels-first pads reordered). */
function explicitPadNHWC(pad: PadAttr, dataFormat: DataFormat): PadAttr {
  if (!Array.isArray(pad) || dataFormat === 'NHWC') return pad;
  // NCHW explicit padding lists [batch, channel, height, width]; NHWC wants [batch, height, width, channel].
  return [pad[0], pad[2], pad[3], pad[1]] as TfModule.backend_util.ExplicitPadding;
}

/**
 * dL/dW of y = conv2d(x, W): dW[kh, kw, ci, co] = sum over (b, oh, ow) of x[b, oh*s + kh - pad, ow*s + kw - pad, ci]
 * * dy[b, oh, ow, co]. That sum is itself a convolution once batch and channels swap roles: input x as
 * [CI, H, W, B] (channels = batch), filter dy as [OH, OW, B, CO], dilation = the forward stride, giving
 * [CI, KH, KW, CO]. XNNPACK then packs only dy as its "weights" (an explicit im2col + matMul packs the much larger
 * patch matrix on every call and measured 3-13x slower on the autoencoder's layers).
 */
export function conv2dBackpropFilter(tf: Tf, x: Tensor4D, dy: Tensor4D, attrs: Conv2DBackpropFilterAttrs): Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const format = dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast';
  const convInfo = tf.backend_util.computeConv2DInfo(
    x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, format,
  );
  const { filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth, strideHeight: sh, strideWidth: sw } = convInfo;
  const { top, left } = convInfo.padInfo;
  return tf.tidy(() => {
    // x as [CI, H, W, B] and dy as [OH, OW, B, CO], straight from either data format.
    let xT: Tensor4D = tf.transpose(x, dataFormat === 'NCHW' ? [1, 2, 3, 0] : [3, 1, 2, 0]);
    const dyT: Tensor4D = tf.transpose(dy, dataFormat === 'NCHW' ? [2, 3, 0, 1] : [1, 2, 0, 3]);
    // Rows the forward conv read: top padding, then x, then bottom padding up to (OH-1)*s + KH; rows of x past
    // that were never read (valid/floor geometry) are cropped.
    const bottom = kh + (outHeight - 1) * sh - inHeight - top;
    const right = kw + (outWidth - 1) * sw - inWidth - left;
    if (bottom < 0 || right < 0) {
      xT = tf.slice(xT, [0, 0, 0, 0], [-1, inHeight + Math.min(0, bottom), inWidth + Math.min(0, right), -1]);
    }
    if (top > 0 || left > 0 || bottom > 0 || right > 0) {
      xT = tf.pad(xT, [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]]);
    }
    const dW = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [sh, sw]);
    return tf.transpose(dW, [1, 2, 0, 3]);
  });
}

/** Gather indices that rearrange W [KH*KW (+1 zero row)] into the sub-pixel filter of conv2dBackpropInput. */
const subPixelIndexCache = new Map<string, Int32Array>();
function subPixelTapIndex(kh: number, kw: number, sh: number, sw: number): Int32Array {
  const key = `${kh}x${kw}/${sh}x${sw}`;
  let index = subPixelIndexCache.get(key);
  if (!index) {
    const mh = Math.ceil(kh / sh);
    const mw = Math.ceil(kw / sw);
    const zeroRow = kh * kw;
    index = new Int32Array(mh * mw * sh * sw);
    let i = 0;
    for (let a = 0; a < mh; a++) {
      for (let b = 0; b < mw; b++) {
        for (let r1 = 0; r1 < sh; r1++) {
          for (let r2 = 0; r2 < sw; r2++) {
            const row = r1 + (mh - 1 - a) * sh;
            const col = r2 + (mw - 1 - b) * sw;
            index[i++] = row < kh && col < kw ? row * kw + col : zeroRow;
          }
        }
      }
    }
    subPixelIndexCache.set(key, index);
  }
  return index;
}

/**
 * dL/dx of y = conv2d(x, W) (also the forward pass of conv2dTranspose). With stride s, input row h = u*s + r - pad
 * only meets filter rows r, r+s, r+2s...: each residue r is a stride-1 "full" correlation of dy with that
 * flipped sub-filter. All s*s residues run as ONE stride-1 conv with s*s*CI output channels, then a depth-to-space
 * (as a 4-D transpose) interleaves them and a slice removes the padding. Stride 1 is the plain flipped-filter conv.
 */
export function conv2dBackpropInput(tf: Tf, dy: Tensor4D, filter: Tensor4D, attrs: Conv2DBackpropInputAttrs): Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const inputShapeNHWC = (dataFormat === 'NCHW'
    ? NCHW_TO_NHWC.map((axis) => inputShape[axis])
    : inputShape) as [number, number, number, number];
  const convInfo = tf.backend_util.computeConv2DInfo(
    inputShapeNHWC, filter.shape, strides, 1, explicitPadNHWC(pad, dataFormat), dimRoundingMode, false, 'channelsLast',
  );
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels, strideHeight: sh, strideWidth: sw } = convInfo;
  const { top, left } = convInfo.padInfo;
  const [batch, height, width] = inputShapeNHWC;
  return tf.tidy(() => {
    const dyNHWC = dataFormat === 'NCHW' ? tf.transpose(dy, NCHW_TO_NHWC) : dy;
    const mh = Math.ceil(kh / sh);
    const mw = Math.ceil(kw / sw);
    const tapsWithZero = tf.concat([tf.reshape(filter, [kh * kw, inChannels, outChannels]), tf.zeros([1, inChannels, outChannels])]);
    const gathered = tf.gather(tapsWithZero, tf.tensor1d(subPixelTapIndex(kh, kw, sh, sw), 'int32'));
    const subPixelFilter = tf.reshape(
      tf.transpose(tf.reshape(gathered, [mh * mw, sh * sw, inChannels, outChannels]), [0, 3, 1, 2]),
      [mh, mw, outChannels, sh * sw * inChannels],
    ) as Tensor4D;
    if (sh === 1 && sw === 1) {
      // Stride 1 (the full-resolution convs): padded so the conv's output is dx itself, without the rows of the full
      // correlation that the slice below would drop (6 % more work at 64x64, and a copy of the result).
      const [, outHeight, outWidth] = dyNHWC.shape;
      const pads = [kh - 1 - top, height - outHeight + top, kw - 1 - left, width - outWidth + left];
      if (pads.every((p) => p >= 0)) {
        const dx = tf.conv2d(dyNHWC, subPixelFilter, 1, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]]);
        return dataFormat === 'NCHW' ? tf.transpose(dx, NHWC_TO_NCHW) : dx;
      }
    }
    const phases = tf.conv2d(dyNHWC, subPixelFilter, 1, [[0, 0], [mh - 1, mh - 1], [mw - 1, mw - 1], [0, 0]]);
    const [, hz, wz] = phases.shape;
    let full: Tensor4D = phases;
    if (sh > 1 || sw > 1) {
      // depth-to-space with block (sh, sw): channel (r1*sw + r2)*CI + ci of pixel (u, v) -> pixel (u*sh + r1, v*sw + r2).
      const split = tf.reshape(phases, [batch * hz, wz, sh, sw * inChannels]);
      full = tf.reshape(tf.transpose(split, [0, 2, 1, 3]), [batch, hz * sh, wz * sw, inChannels]);
    }
    // full[h + top] = dx[h]; rows past the last output-covered row get no gradient, so zero-pad if short.
    const missingRows = Math.max(0, top + height - full.shape[1]);
    const missingCols = Math.max(0, left + width - full.shape[2]);
    if (missingRows > 0 || missingCols > 0) full = tf.pad(full, [[0, 0], [0, missingRows], [0, missingCols], [0, 0]]);
    const dx = tf.slice(full, [0, top, left, 0], [batch, height, width, inChannels]);
    return dataFormat === 'NCHW' ? tf.transpose(dx, NHWC_TO_NCHW) : dx;
  });
}

/** The inputs a kernel receives are Tensors when called through ops; wrap bare TensorInfos just in case. */
export function asTensor(tf: Tf, info: TfModule.TensorInfo): Tensor {
  return info instanceof tf.Tensor ? info : tf.engine().makeTensorFromTensorInfo(info);
}
