// Decodes face crops into the autoencoder's input: square RGB Float32 in [0, 1] at the model's size.
// Library thumbs are already aligned crops; shared test photos (LFW, 250x250 with the face centred) take a
// centre window first.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { RgbImage } from '../../models/types.js';
import type { ImageSet } from '../../models/autoencoder/train.js';
import { isCameraRaw } from '../library/camera-raw.js';
import { heicForSharp, rawForSharp, readNetpbm } from '../library/decode.js';
import { isHevcHeif } from '../library/heic.js';
import { isNetpbm, netpbmPipeline } from '../library/netpbm.js';

/** Share of a thumbnail's side kept around its centre: library thumbs are already tight aligned face crops. */
export const THUMB_CENTRE_FRACTION = 1;

export interface CropOptions {
  /** Keep only the centred square of this share of the shorter side before resizing (1 = whole image). */
  centreFraction?: number;
  /** loadCropSet: allocate the set in a SharedArrayBuffer (handed to a worker thread without a copy). */
  shared?: boolean;
}

/** One image file -> size x size x 3 floats in [0, 1]. Throws a one-sentence error on unreadable files. */
export async function loadCrop(file: string, size: number, options: CropOptions = {}): Promise<Float32Array> {
  // Bytes, not the path: libvips may map the file, and a file truncated meanwhile would kill the process (SIGBUS).
  let pipeline = await openImage(file);
  const fraction = options.centreFraction ?? 1;
  if (fraction < 1) {
    const meta = await pipeline.clone().metadata().catch((err: Error) => {
      throw new Error(`Cannot read the image ${file}: ${err.message}`);
    });
    const side = Math.max(1, Math.round(Math.min(meta.width ?? 0, meta.height ?? 0) * fraction));
    const left = Math.max(0, Math.floor(((meta.width ?? side) - side) / 2));
    const top = Math.max(0, Math.floor(((meta.height ?? side) - side) / 2));
    pipeline = pipeline.extract({ left, top, width: side, height: side });
  }
  const { data } = await pipeline
    .resize(size, size, { fit: 'cover', kernel: 'lanczos3' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((err: Error) => {
      throw new Error(`Cannot decode the image ${file}: ${err.message}`);
    });
  return rgbBytesToFloats(data, size, data.length / (size * size));
}

async function readImageBytes(file: string): Promise<Buffer> {
  return readFile(file).catch((err: Error) => {
    throw new Error(`Cannot read the image ${file}: ${err.message}`);
  });
}

/**
 * An image file as a sharp pipeline, EXIF-rotated; a PGM or PPM (the ORL face set) through netpbm.ts, a HEIC
 * through heic.ts and a camera RAW through camera-raw.ts, refused past the import's pixel limit as the import refuses
 * them (a file replaced since it was imported).
 */
async function openImage(file: string): Promise<Sharp> {
  const bytes = await readImageBytes(file);
  if (isHevcHeif(bytes)) {
    const png = await heicForSharp(bytes).catch((err: Error) => {
      throw new Error(`Cannot decode the image ${file}: ${err.message}.`);
    });
    return sharp(png, { failOn: 'error' });
  }
  if (isCameraRaw(bytes)) {
    // The JPEG inside, carrying the RAW's orientation: turned as the import turned it.
    let jpeg: Buffer;
    try {
      jpeg = rawForSharp(bytes);
    } catch (err) {
      throw new Error(`Cannot decode the image ${file}: ${(err as Error).message}.`);
    }
    return sharp(jpeg, { failOn: 'error' }).rotate();
  }
  if (!isNetpbm(bytes)) return sharp(bytes, { failOn: 'error' }).rotate();
  try {
    return netpbmPipeline(readNetpbm(bytes));
  } catch (err) {
    throw new Error(`Cannot decode the image ${file}: ${(err as Error).message}.`);
  }
}

/** Interleaved bytes with `channels` per pixel (1 = grey, 3 = RGB) -> RGB floats in [0, 1]. */
export function rgbBytesToFloats(bytes: Uint8Array, size: number, channels: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  for (let p = 0; p < size * size; p++) {
    for (let c = 0; c < 3; c++) out[p * 3 + c] = bytes[p * channels + (channels === 1 ? 0 : c)] / 255;
  }
  return out;
}

/** Decodes many files into one ImageSet, skipping (and reporting) unreadable ones. */
export async function loadCropSet(
  files: string[],
  size: number,
  options: CropOptions = {},
  onSkip?: (file: string, reason: string) => void,
): Promise<{ set: ImageSet; files: string[] }> {
  const decoded: Float32Array[] = [];
  const kept: string[] = [];
  for (const file of files) {
    try {
      decoded.push(await loadCrop(file, size, options));
      kept.push(file);
    } catch (err) {
      onSkip?.(file, err instanceof Error ? err.message : String(err));
    }
  }
  const length = decoded.length * size * size * 3;
  const images = options.shared ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float32Array(length);
  decoded.forEach((d, i) => images.set(d, i * size * size * 3));
  return { set: { images, count: decoded.length, size }, files: kept };
}

/** An RgbImage -> PNG file (sharp). */
export async function writePng(image: RgbImage, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .png()
    .toFile(file);
}

/** Float crop(s) in [0, 1] -> RgbImage bytes. */
export function floatsToRgb(values: Float32Array, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
  return { data, width, height };
}

/**
 * `count` random square windows (15-45% of the shorter side) of one photo, as crops: what a face detector's false
 * positives look like to the autoencoder. Positions come from `random`, so a seed repeats them.
 */
export async function randomWindows(file: string, size: number, count: number, random: () => number): Promise<Float32Array> {
  const { data, info } = await (await openImage(file))
    .resize(1024, 1024, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((err: Error) => {
      throw new Error(`Cannot decode the image ${file}: ${err.message}`);
    });
  const out = new Float32Array(count * size * size * 3);
  const short = Math.min(info.width, info.height);
  for (let n = 0; n < count; n++) {
    const side = Math.max(8, Math.round(short * (0.15 + 0.3 * random())));
    const left = Math.floor(random() * (info.width - side + 1));
    const top = Math.floor(random() * (info.height - side + 1));
    const window = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .extract({ left, top, width: side, height: side })
      .resize(size, size, { kernel: 'lanczos3' })
      .raw()
      .toBuffer();
    out.set(rgbBytesToFloats(window, size, info.channels), n * size * size * 3);
  }
  return out;
}
