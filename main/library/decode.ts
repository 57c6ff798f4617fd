// Reading a photo for analysis: the format is sniffed from the content, EXIF orientation applied, big JPEG/WebP
// shrunk while decoding, and decompression bombs refused before any pixel is allocated.
import exifr from 'exifr';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { RgbImage } from '../../models/types.js';

/** Above this many pixels only formats that libvips can shrink while decoding are read (downscaled); others are refused. */
export const MAX_FULL_DECODE_PIXELS = 50_000_000;
/** Absolute ceiling, even with shrink-on-load: a header claiming more is a bomb or garbage. */
export const MAX_SHRINK_DECODE_PIXELS = 1_000_000_000;
const SHRINK_ON_LOAD_FORMATS = new Set(['jpeg', 'webp']);
/** Per-file decode time limit (libvips aborts the pipeline past it). */
export const DECODE_TIMEOUT_SECONDS = 60;

export interface DecodedPhoto {
  image: RgbImage;
  /** Original size after EXIF rotation: what boxes are reported in. */
  width: number;
  height: number;
  orientation: number;
  format: string;
  takenAt: string | null;
  /** original pixels per analysed pixel (x and y). */
  scaleX: number;
  scaleY: number;
}

/** A file that cannot be imported, with the reason shown to the user. */
export class UnreadablePhotoError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnreadablePhotoError';
  }
}

function firstLine(err: unknown): string {
  // "Input file has corrupt header: " (libvips gave no detail) reads as "has corrupt header", not "...header:".
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/^Input (file|buffer) /, '').replace(/[\s:]+$/, '').trim();
}

async function captureDate(file: string): Promise<string | null> {
  try {
    const tags = (await exifr.parse(file, { pick: ['DateTimeOriginal', 'CreateDate', 'DateTimeDigitized'], reviveValues: true })) as
      | Record<string, unknown>
      | undefined;
    for (const key of ['DateTimeOriginal', 'CreateDate', 'DateTimeDigitized']) {
      const value = tags?.[key];
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    }
  } catch {
    // Missing or garbage EXIF: the photo simply has no capture date.
  }
  return null;
}

export async function decodePhoto(file: string, maxSide: number): Promise<DecodedPhoto> {
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new UnreadablePhotoError('permission denied');
    const message = firstLine(err);
    if (/unsupported image format/i.test(message)) throw new UnreadablePhotoError('not an image (its content is not a format Familiar reads)');
    throw new UnreadablePhotoError(`not a readable image (${message})`);
  }
  const format = meta.format ?? 'unknown';
  const rawWidth = meta.width ?? 0;
  const rawHeight = meta.height ?? 0;
  if (rawWidth <= 0 || rawHeight <= 0) throw new UnreadablePhotoError(`not a readable image (the ${format} header gives no size)`);
  const pixels = rawWidth * rawHeight;
  const megapixels = (pixels / 1e6).toFixed(1);
  const canShrink = SHRINK_ON_LOAD_FORMATS.has(format);
  if (pixels > MAX_FULL_DECODE_PIXELS && !canShrink) {
    throw new UnreadablePhotoError(
      `image too large: ${rawWidth}x${rawHeight} ${format} is ${megapixels} megapixels, over the ${MAX_FULL_DECODE_PIXELS / 1e6} MP limit for formats that cannot be read downscaled`,
    );
  }
  if (pixels > MAX_SHRINK_DECODE_PIXELS) {
    throw new UnreadablePhotoError(`image too large: ${rawWidth}x${rawHeight} is ${megapixels} megapixels (likely a decompression bomb)`);
  }
  const orientation = meta.orientation ?? 1;
  const swapped = orientation >= 5 && orientation <= 8;
  const width = swapped ? rawHeight : rawWidth;
  const height = swapped ? rawWidth : rawHeight;

  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(file, { limitInputPixels: canShrink ? MAX_SHRINK_DECODE_PIXELS : MAX_FULL_DECODE_PIXELS, failOn: 'truncated', animated: false })
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true, fastShrinkOnLoad: true })
      .flatten({ background: '#808080' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    const message = firstLine(err);
    if (/timeout/i.test(message)) throw new UnreadablePhotoError(`decoding took longer than ${DECODE_TIMEOUT_SECONDS} s`);
    if (/truncat|premature end|unexpected end/i.test(message)) throw new UnreadablePhotoError(`damaged image: the ${format} data is truncated`);
    throw new UnreadablePhotoError(`damaged image: ${message}`);
  }
  const { data, info } = decoded;
  if (info.channels !== 3) throw new UnreadablePhotoError(`unexpected ${info.channels}-channel pixels after conversion to RGB`);
  // Own the whole buffer, so the pool can transfer it to a worker instead of copying.
  const pixelsCopy = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? new Uint8Array(data.buffer) : new Uint8Array(data);
  return {
    image: { data: pixelsCopy, width: info.width, height: info.height },
    width,
    height,
    orientation,
    format,
    takenAt: await captureDate(file),
    scaleX: width / info.width,
    scaleY: height / info.height,
  };
}
