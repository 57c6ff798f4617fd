// Gradient kernels the wasm backend lacks or runs too slowly for training, registered at backend start
// (models/backend.ts calls this once after choosing wasm). Each one is checked against the cpu backend in
// tests/models/wasm-kernels/.
//
//   Conv2DBackpropFilter  missing in tfjs-backend-wasm 4.22: conv2d's filter gradient (and conv2dTranspose's);
//                         a dilated conv2d with batch and channels swapped.
//   Conv2DBackpropInput   present but a scalar loop ~8x slower than the forward conv: conv2d's input gradient and
//                         the forward pass of conv2dTranspose; replaced by a sub-pixel formulation on XNNPACK.
//   AvgPoolGrad           present but a scalar loop (the SSIM loss's costliest kernel); with stride 1 an average
//                         pool of the padded gradient on XNNPACK, other geometries left to the built-in kernel.
import type * as TfModule from '@tensorflow/tfjs';
import type { Tf } from '../backend.js';
import { avgPoolGradStride1, type AvgPoolGradAttrs } from './avg-pool-grad.js';
import {
  asTensor,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
} from './conv2d-grads.js';

export { conv2dBackpropFilter, conv2dBackpropInput } from './conv2d-grads.js';
export { avgPoolGradStride1 } from './avg-pool-grad.js';

const BACKEND = 'wasm';

/** Kernel names this module provides for the wasm backend. */
export const WASM_GRADIENT_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'AvgPoolGrad'] as const;

/** The kernel functions registered here, so registering twice never takes one of them for a built-in to fall back on. */
const ours = new WeakSet<TfModule.KernelFunc>();

function register(tf: Tf, kernelName: string, kernelFunc: TfModule.KernelFunc): void {
  // Replacing a built-in registration is deliberate (Conv2DBackpropInput); unregister first so tfjs does not warn.
  if (tf.getKernel(kernelName, BACKEND)) tf.unregisterKernel(kernelName, BACKEND);
  ours.add(kernelFunc);
  tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
}

export function registerWasmGradientKernels(tf: Tf): void {
  register(tf, 'Conv2DBackpropFilter', ({ inputs, attrs }) => {
    const { x, dy } = inputs as { x: TfModule.TensorInfo; dy: TfModule.TensorInfo };
    return conv2dBackpropFilter(
      tf,
      asTensor(tf, x) as TfModule.Tensor4D,
      asTensor(tf, dy) as TfModule.Tensor4D,
      attrs as unknown as Conv2DBackpropFilterAttrs,
    );
  });
  register(tf, 'Conv2DBackpropInput', ({ inputs, attrs }) => {
    const { dy, filter } = inputs as { dy: TfModule.TensorInfo; filter: TfModule.TensorInfo };
    return conv2dBackpropInput(
      tf,
      asTensor(tf, dy) as TfModule.Tensor4D,
      asTensor(tf, filter) as TfModule.Tensor4D,
      attrs as unknown as Conv2DBackpropInputAttrs,
    );
  });
  const builtInAvgPoolGrad = tf.getKernel('AvgPoolGrad', BACKEND)?.kernelFunc;
  if (builtInAvgPoolGrad && !ours.has(builtInAvgPoolGrad)) {
    register(tf, 'AvgPoolGrad', (args) => {
      const { dy, input } = args.inputs as { dy: TfModule.TensorInfo; input: TfModule.TensorInfo };
      const dx = avgPoolGradStride1(tf, asTensor(tf, dy) as TfModule.Tensor4D, input as TfModule.Tensor4D, args.attrs as unknown as AvgPoolGradAttrs);
      return dx ?? builtInAvgPoolGrad(args);
    });
  }
}
