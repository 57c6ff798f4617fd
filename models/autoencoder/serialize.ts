// On-disk form of a trained autoencoder: a JSON manifest (architecture, weight layout, faceness calibration,
// training figures) and one little-endian float32 blob with every weight in paramSpecs order.
import type { Tf } from '../backend.js';
import type { FacenessCalibration } from './faceness.js';
import { Autoencoder, paramSpecs, validateConfig, type AutoencoderConfig } from './model.js';

export const AUTOENCODER_FORMAT = 'familiar-autoencoder';
export const AUTOENCODER_FORMAT_VERSION = 1;

export interface AutoencoderManifest {
  format: typeof AUTOENCODER_FORMAT;
  formatVersion: number;
  config: AutoencoderConfig;
  params: Array<{ name: string; shape: number[] }>;
  faceness: FacenessCalibration | null;
}

export function manifestFor(config: AutoencoderConfig, faceness: FacenessCalibration | null): AutoencoderManifest {
  return {
    format: AUTOENCODER_FORMAT,
    formatVersion: AUTOENCODER_FORMAT_VERSION,
    config,
    params: paramSpecs(config).map(({ name, shape }) => ({ name, shape })),
    faceness,
  };
}

export function packWeights(weights: Float32Array[]): Uint8Array {
  const total = weights.reduce((a, w) => a + w.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    flat.set(w, offset);
    offset += w.length;
  }
  // Float32Array is platform-endian; every platform Electron ships on is little-endian, so no swapping needed.
  return new Uint8Array(flat.buffer);
}

/** The size in bytes of the weights file a manifest's architecture has (packWeights): any other size is damage. */
export function weightsBytes(manifest: AutoencoderManifest): number {
  validateConfig(manifest.config);
  return paramSpecs(manifest.config).reduce((total, s) => total + s.shape.reduce((a, b) => a * b, 1), 0) * 4;
}

export function unpackWeights(bytes: Uint8Array, manifest: AutoencoderManifest): Float32Array[] {
  if (manifest.format !== AUTOENCODER_FORMAT) throw new Error('This file is not a Familiar autoencoder.');
  if (manifest.formatVersion > AUTOENCODER_FORMAT_VERSION) {
    throw new Error(`This autoencoder was saved by a newer Familiar (format ${manifest.formatVersion}).`);
  }
  const expected = weightsBytes(manifest);
  const sizes = paramSpecs(manifest.config).map((s) => s.shape.reduce((a, b) => a * b, 1));
  if (bytes.byteLength !== expected) {
    throw new Error(`The autoencoder weights file is damaged (${bytes.byteLength} bytes, expected ${expected}).`);
  }
  const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const weights: Float32Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    weights.push(flat.slice(offset, offset + size));
    offset += size;
  }
  return weights;
}

export function loadAutoencoder(tf: Tf, manifest: AutoencoderManifest, bytes: Uint8Array): Autoencoder {
  return new Autoencoder(tf, manifest.config, unpackWeights(bytes, manifest));
}
