// Gradient kernels the wasm backend lacks (e.g. Conv2DBackpropFilter), registered at backend start.
// Filled in by the autoencoder work (issue 5); each kernel is checked against the cpu backend in tests.
import type { Tf } from '../backend.js';

export function registerWasmGradientKernels(_tf: Tf): void {}
