// Small real-face sets for the autoencoder tests: ORL crops (tight grey faces) and centre crops of LFW photos.
import { loadCropSet } from '../../../main/autoencoder/crops.js';
import type { ImageSet } from '../../../models/autoencoder/train.js';
import type { AutoencoderConfig } from '../../../models/autoencoder/model.js';
import { listDataset } from '../../helpers/shared-faces.js';

/** A model small enough to train for a few epochs in seconds, same architecture as the app's. */
export const SMALL_CONFIG: AutoencoderConfig = {
  imageSize: 32,
  latentDim: 32,
  channels: [8, 16, 32, 32],
  outputStageChannels: 8,
  variational: false,
  skips: true,
  restoration: { fullResChannels: 8, residual: true },
};

/** Centre crop of LFW's 250x250 photos that holds the face. */
export const LFW_FACE_FRACTION = 0.45;

export async function lfwFaces(count: number, size: number, offset = 0): Promise<ImageSet> {
  const images = (await listDataset('lfw_subset')).filter((i) => i.identity !== null);
  // Every k-th image spreads the sample over many people.
  const step = Math.max(1, Math.floor(images.length / (count + offset)));
  const files = images.filter((_, i) => i % step === 0).slice(offset, offset + count).map((i) => i.file);
  return (await loadCropSet(files, size, { centreFraction: LFW_FACE_FRACTION })).set;
}

export async function orlFaces(count: number, size: number): Promise<ImageSet> {
  const images = (await listDataset('orl_att_faces')).filter((i) => i.identity !== null);
  const step = Math.max(1, Math.floor(images.length / count));
  return (await loadCropSet(images.filter((_, i) => i % step === 0).slice(0, count).map((i) => i.file), size)).set;
}
