// Reading a photo for analysis: the format is sniffed from the content, EXIF orientation applied, big JPEG/WebP
// shrunk while decoding, and decompression bombs refused before any pixel is allocated.
import { open, stat } from 'node:fs/promises';
import exifr from 'exifr';
import sharp, { type FailOnOptions, type Metadata, type OutputInfo } from 'sharp';
import type { RgbImage } from '../../models/types.js';
import { CameraRawError, isCameraRaw, rawPreviewJpeg } from './camera-raw.js';
import { CAMERA_RAW_FORMAT, formatInWords, NETPBM_FORMAT } from './formats.js';
import { plausibleClockYear } from '../store/capture-dates.js';
import { HeicError, heicAsPng, isHevcHeif } from './heic.js';
import { decodeNetpbm, isNetpbm, NetpbmError, netpbmPipeline, netpbmSize, type NetpbmPixels } from './netpbm.js';

/** Above this many pixels only formats that libvips can shrink while decoding are read (downscaled); others are refused. */
export const MAX_FULL_DECODE_PIXELS = 50_000_000;
/** Absolute ceiling, even with shrink-on-load: a header claiming more is a bomb or garbage. */
export const MAX_SHRINK_DECODE_PIXELS = 1_000_000_000;
const SHRINK_ON_LOAD_FORMATS = new Set(['jpeg', 'webp']);

/** The most pixels a photo of `format` may have to be decoded at all: the import's rule, for every reader of photos. */
export function decodePixelLimit(format: string | undefined): number {
  return format !== undefined && SHRINK_ON_LOAD_FORMATS.has(format) ? MAX_SHRINK_DECODE_PIXELS : MAX_FULL_DECODE_PIXELS;
}
/** Photo files bigger than this are refused before being read (a 1-gigapixel JPEG is about this size). */
export const MAX_PHOTO_FILE_BYTES = 512 * 1024 * 1024;
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
  /** With takenAt: the UTC offset in minutes its camera's clock was read in (PhotoRecord.takenOffset); else null. */
  takenOffset: number | null;
  /** Whether EXIF said takenOffset (PhotoRecord.takenOffsetKnown); false when it is this machine's zone, or no date. */
  takenOffsetKnown: boolean;
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

/**
 * The whole file, read once. Photos are always decoded from these bytes, never from the path: libvips may map a
 * file into memory, and a file truncated while mapped kills the process with SIGBUS. Reading first also means the
 * hash, the metadata and the pixels all come from the same content.
 */
export async function readPhotoBytes(path: string): Promise<Buffer> {
  // Opening a pipe waits for a writer forever, and a device reads without end (QA: `familiar who` on a FIFO hung, on
  // /dev/zero it grew to gigabytes): only regular files are opened.
  if (!(await stat(path)).isFile()) {
    throw new UnreadablePhotoError((await stat(path)).isDirectory() ? 'it is a folder, not a photo' : 'not a regular file (a device, pipe or socket)');
  }
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_PHOTO_FILE_BYTES) {
      throw new UnreadablePhotoError(`file too large: ${(size / 1024 / 1024).toFixed(0)} MB, over the ${MAX_PHOTO_FILE_BYTES / 1024 / 1024} MB limit for one photo`);
    }
    // readFile on the handle reads to the end even if the file grew or shrank since stat.
    const bytes = await handle.readFile();
    if (bytes.length > MAX_PHOTO_FILE_BYTES) throw new UnreadablePhotoError('file too large: it grew past the limit while being read');
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * Whether a failure to reach a path says it is not there: deleted, renamed, or a folder on its way no longer one. Any
 * other failure (EIO, EACCES, a network drive that timed out) says nothing of it, and must not make photos missing.
 */
export function saysItIsGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Why the system would not give a file's bytes, in plain words: its own ("EIO: i/o error, read", "EMFILE: too many
 * open files") tell the user nothing. Said after "cannot read it: ".
 */
export function readErrorInWords(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EIO') return 'the disk could not read it (a failing disk, or a drive or card taken out)';
  if (code === 'ETIMEDOUT' || code === 'EHOSTDOWN' || code === 'EHOSTUNREACH' || code === 'ENOTCONN' || code === 'ESTALE') {
    return 'the network drive it is on did not answer';
  }
  if (code === 'EMFILE' || code === 'ENFILE') return 'too many files were open at once; import again to read it';
  if (code === 'ENAMETOOLONG') return 'its path is too long';
  if (code === 'EBUSY') return 'another program is using it';
  return code ? `the system refused to read it (${code})` : 'the system refused to read it';
}

function asUnreadable(err: unknown): never {
  if (err instanceof UnreadablePhotoError) throw err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') throw new UnreadablePhotoError('the file does not exist (or vanished before it could be read)');
  if (code === 'EISDIR') throw new UnreadablePhotoError('it is a folder, not a photo');
  throw new UnreadablePhotoError(code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `cannot read it: ${readErrorInWords(err)}`);
}

/**
 * What libvips said when decoding failed, in plain words. Its message is shared by the threads decoding at once: a
 * failure may come with another photo's message, or none ("Unknown error", QA's "damaged image: Unknown error" for a
 * JPEG cut short), so only a truncation it names is said as one; anything else is cut short or damaged.
 */
function damageInWords(message: string, format: string): string {
  if (/truncat|premature end|unexpected end/i.test(message)) return `damaged image: the ${formatInWords(format)} data is cut short`;
  if (message === '' || /^unknown error$/i.test(message)) return 'damaged image: the file is cut short or damaged';
  // libvips's words ("vipspng: libpng read error") in plain ones.
  return `damaged image: the ${formatInWords(format)} data is damaged and cannot be read`;
}

const JPEG_DATA_LOST = 'damaged image: part of the JPEG data is damaged, so the picture comes out garbled';

/**
 * libjpeg's warnings that mean picture data was lost: a marker met before the picture's end, a code no table has,
 * bytes skipped to find the next restart marker. Its others are harmless (bytes before a marker in the header,
 * padding before the end) and such photos import as before: every photo in ../shared/faces decodes without a warning.
 */
const LOST_JPEG_DATA = /Corrupt JPEG data: (premature end of data segment|bad (Huffman|arithmetic) code|\d+ extraneous bytes before marker 0xd[0-7])/i;

/**
 * What libjpeg said in a failed strict decode of a JPEG that decodes leniently: whether it named lost data, something
 * else, or nothing. A file cut short is another photo's (this one would not decode leniently).
 */
function jpegWarningIn(err: unknown): 'data lost' | 'other' | 'none' {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n').filter((line) => /VipsJpeg/.test(line) && !/premature end of JPEG/i.test(line));
  return lines.length === 0 ? 'none' : lines.some((line) => LOST_JPEG_DATA.test(line)) ? 'data lost' : 'other';
}

/** The strict decodes that check a JPEG's warning, one at a time: see jpegDataLost. */
let lossCheckQueue: Promise<unknown> = Promise.resolve();

/**
 * Whether a JPEG that decodes leniently but `warned` lost picture data. libvips's messages are shared by the decodes
 * running at once: one may carry another photo's warning, or none ("Warning treated as error"). So a first warning
 * that names no loss settles it, and a loss is said only when two more strict decodes, one at a time, name it too.
 */
async function jpegDataLost(warned: unknown, decodeStrictly: () => Promise<unknown>): Promise<boolean> {
  if (jpegWarningIn(warned) === 'other') return false;
  for (let check = 0; check < 2; check++) {
    const heard = lossCheckQueue.then(() => decodeStrictly().then(() => 'none' as const, jpegWarningIn));
    lossCheckQueue = heard.catch(() => undefined);
    if ((await heard) !== 'data lost') return false;
  }
  return true;
}

/**
 * Each capture date a photo may carry, most telling first: where it is read from (EXIF, or XMP inside the file by
 * namespace), its tag, the EXIF tag that says which UTC offset its clock was in (EXIF 2.31; an XMP date says its own
 * offset) and the one with the fraction of a second (exifr's names). XMP's dates rank as digiKam and Lightroom write
 * them for a scan: what the user said of when it was taken (exif:DateTimeOriginal, photoshop:DateCreated) before the
 * scanner's own dates (EXIF's digitised, xmp:CreateDate), which say when it was scanned (QA: scans dated only in XMP
 * took their file's copy date).
 */
const DATE_TAGS = [
  { from: 'exif', date: 'DateTimeOriginal', offset: 'OffsetTimeOriginal', subSec: 'SubSecTimeOriginal' },
  { from: 'xmp:exif', date: 'DateTimeOriginal' },
  { from: 'xmp:photoshop', date: 'DateCreated' },
  { from: 'exif', date: 'CreateDate', offset: 'OffsetTimeDigitized', subSec: 'SubSecTimeDigitized' },
  { from: 'exif', date: 'DateTimeDigitized', offset: 'OffsetTimeDigitized', subSec: 'SubSecTimeDigitized' },
  { from: 'xmp:xmp', date: 'CreateDate' },
  { from: 'exif', date: 'ModifyDate', offset: 'OffsetTime', subSec: 'SubSecTime' },
] as const;

/**
 * When the photo was taken, and the UTC offset its camera's clock was in. EXIF dates are the camera's clock, with no
 * zone unless the camera also wrote OffsetTimeOriginal (many recent phones and cameras do); without one the clock is read as a
 * time in this machine's zone. takenOffset is always what takes takenAt back to the clock as written, so a library
 * opened on a machine in another zone still compares the clocks (main/library/import.ts, sameMoment); takenOffsetKnown
 * says whether the photo gave it, and so where it was taken, or this machine's zone stood in.
 */
async function captureDate(file: Buffer): Promise<Pick<DecodedPhoto, 'takenAt' | 'takenOffset' | 'takenOffsetKnown'>> {
  // The date the picture was taken, or digitised; else the file's own EXIF date (IFD0 DateTime, "ModifyDate"), as
  // Immich and digiKam fall back to: a scan or an exported photo often has only that, and QA's dated album showed
  // every such photo under "No date". XMP is read apart: exifr files its exif namespace where EXIF's own tags go.
  const exif = await parsedOrNone(() =>
    exifr.parse(file, { pick: DATE_TAGS.flatMap((t) => (t.from === 'exif' ? [t.date, t.offset, t.subSec] : [])), reviveValues: false }),
  );
  const xmp = await parsedOrNone(() => exifr.parse(file, { tiff: false, xmp: true, mergeOutput: false, reviveValues: false }));
  for (const tag of DATE_TAGS) {
    const written = tag.from === 'exif' ? exif?.[tag.date] : (xmp?.[tag.from.slice(4)] as Record<string, unknown> | undefined)?.[tag.date];
    const clock = clockOf(written);
    if (clock === null) continue;
    const offset = (tag.from === 'exif' ? offsetOf(exif?.[tag.offset]) : null) ?? clock.offset;
    const millis = tag.from === 'exif' && clock.millis === 0 ? subSecondOf(exif?.[tag.subSec]) : clock.millis;
    const [year, month, day, hours, minutes, seconds] = clock.fields;
    const asUtc = Date.UTC(year, month - 1, day, hours, minutes, seconds, millis);
    if (offset !== null) return { takenAt: new Date(asUtc - offset * 60_000).toISOString(), takenOffset: offset, takenOffsetKnown: true };
    // No offset said: this machine's zone on that date (across a clock change, what the zone makes of it), to the
    // minute: a zone's offset before about 1911 had seconds in it (Paris +0:09:21), which would turn a scan dated
    // midnight 1 January 1900 into 23:59 on 31 December 1899 (QA).
    const local = new Date(year, month - 1, day, hours, minutes, seconds, millis).getTime();
    if (Number.isNaN(local)) continue;
    const takenOffset = Math.round((asUtc - local) / 60_000);
    return { takenAt: new Date(asUtc - takenOffset * 60_000).toISOString(), takenOffset, takenOffsetKnown: false };
  }
  return { takenAt: null, takenOffset: null, takenOffsetKnown: false };
}

/** What exifr read, or null: missing or garbage metadata simply gives no capture date. */
async function parsedOrNone(parse: () => Promise<unknown>): Promise<Record<string, unknown> | null> {
  try {
    const parsed = await parse();
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** An EXIF fraction of a second ("25": 0.25 s; burst shots a second holds several of) in milliseconds; 0 if none. */
function subSecondOf(value: unknown): number {
  const digits = typeof value === 'string' || typeof value === 'number' ? /^\s*(\d+)\s*$/.exec(String(value))?.[1] : undefined;
  return digits === undefined ? 0 : Math.min(999, Math.round(Number(`0.${digits}`) * 1000));
}

/** A date as its clock's fields, and what an ISO (XMP) date also says: the fraction of a second and its UTC offset. */
interface Clock {
  fields: [number, number, number, number, number, number];
  millis: number;
  /** Minutes east of UTC, from a date that ends with one ("+05:30", "Z"); null when it says none. */
  offset: number | null;
}

/**
 * An EXIF date ("2011:02:03 04:05:06", also written with dashes, or without the time) or an XMP one (ISO 8601:
 * "2011-02-03T04:05:06.25+01:00", "2011-02-03T04:05Z") as its fields; null if it is no date. A year or a month alone
 * (XMP allows "1975") is not a day the grid can place.
 */
function clockOf(value: unknown): Clock | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})[:-](\d{1,2})[:-](\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?/.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hours, minutes, seconds] = match.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v)));
  if (!plausibleClockYear(year) || hours > 23 || minutes > 59 || seconds > 59) return null;
  // A day the month does not have (2011:02:30, 0000:00:00) is no date.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const zone = match[8];
  return {
    fields: [year, month, day, hours, minutes, seconds],
    millis: subSecondOf(match[7]),
    offset: zone === undefined ? null : zone === 'Z' ? 0 : offsetOf(zone),
  };
}

/** An EXIF offset ("+02:00", "-05:30") in minutes east of UTC; null if absent or not one. */
function offsetOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  // UTC-12 to UTC+14 are the zones there are.
  if (Number(match[3]) > 59 || minutes > 14 * 60) return null;
  return match[1] === '-' ? -minutes : minutes;
}

function tooLargeToReadWhole(width: number, height: number, format: string): UnreadablePhotoError {
  return new UnreadablePhotoError(
    `image too large: ${width}x${height} ${formatInWords(format)} is ${((width * height) / 1e6).toFixed(1)} megapixels, over the ${MAX_FULL_DECODE_PIXELS / 1e6} MP limit for formats that cannot be read downscaled`,
  );
}

/**
 * A Netpbm picture's pixels (PGM, PPM, PBM; see netpbm.ts), its size checked from the header before any pixel is
 * allocated: it cannot be read downscaled, so it takes the limit of the formats that cannot. Every reader of photo
 * files decodes Netpbm through here: the import, the viewer's images and the face studio's crops.
 */
export function readNetpbm(bytes: Uint8Array): NetpbmPixels {
  try {
    const { width, height } = netpbmSize(bytes);
    if (width * height > MAX_FULL_DECODE_PIXELS) throw tooLargeToReadWhole(width, height, NETPBM_FORMAT);
    return decodeNetpbm(bytes);
  } catch (err) {
    if (err instanceof NetpbmError) throw new UnreadablePhotoError(`damaged image: ${err.message}`);
    throw err;
  }
}

/** A Netpbm picture as bytes sharp reads: an uncompressed PNG (lossless and quick to write). */
export async function netpbmForSharp(bytes: Uint8Array): Promise<Buffer> {
  return netpbmPipeline(readNetpbm(bytes)).png({ compressionLevel: 0 }).toBuffer();
}

/**
 * A HEIC photo (heic.ts) as bytes sharp reads: an uncompressed PNG, its pixels rotated as the file says. It cannot be
 * read downscaled, so it takes the limit of the formats that cannot.
 */
export async function heicForSharp(bytes: Uint8Array): Promise<Buffer> {
  try {
    return await heicAsPng(bytes, { maxPixels: MAX_FULL_DECODE_PIXELS, tooLarge: (width, height) => tooLargeToReadWhole(width, height, 'heif') });
  } catch (err) {
    if (err instanceof HeicError) throw new UnreadablePhotoError(`damaged image: ${err.message}`);
    throw err;
  }
}

/** A camera RAW photo (camera-raw.ts) as bytes sharp reads: the JPEG inside it, turned and dated as the RAW says. */
export function rawForSharp(bytes: Uint8Array): Buffer {
  try {
    return rawPreviewJpeg(bytes);
  } catch (err) {
    if (err instanceof CameraRawError) throw new UnreadablePhotoError(err.cause === 'cut-short' ? `damaged image: ${err.message}` : `camera RAW photo with ${err.message}`);
    throw err;
  }
}

/**
 * A photo's bytes as sharp reads them: the file's own, or for the formats its libvips lacks a picture it reads (a PNG
 * for Netpbm and HEIC, the embedded JPEG for camera RAW).
 */
export async function sharpReadable(bytes: Buffer): Promise<Buffer> {
  if (isNetpbm(bytes)) return netpbmForSharp(bytes);
  if (isHevcHeif(bytes)) return heicForSharp(bytes);
  if (isCameraRaw(bytes)) return rawForSharp(bytes);
  return bytes;
}

/** Decodes a photo from its bytes (or reads them from a path first; see readPhotoBytes for why never from the path). */
export async function decodePhoto(source: string | Buffer, maxSide: number): Promise<DecodedPhoto> {
  const bytes = typeof source === 'string' ? await readPhotoBytes(source).catch(asUnreadable) : source;
  if (bytes.length === 0) throw new UnreadablePhotoError('empty file (0 bytes)');
  const netpbm = isNetpbm(bytes);
  const heic = !netpbm && isHevcHeif(bytes);
  const raw = !netpbm && !heic && isCameraRaw(bytes);
  const file = netpbm || heic || raw ? await sharpReadable(bytes) : bytes;
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    const message = firstLine(err);
    if (/unsupported image format/i.test(message)) throw new UnreadablePhotoError('not an image (its content is not a format Familiar reads)');
    // In plain words: libvips's own ("has corrupt header: gifload_buffer: Invalid frame data") tell the user nothing.
    throw new UnreadablePhotoError('damaged image: the start of the file cannot be read (it is damaged, or only part of a photo)');
  }
  // What sharp decodes (a RAW's JPEG is read shrunk, and strictly, as a JPEG is) and what the photo is recorded as.
  const decodedAs = netpbm ? NETPBM_FORMAT : heic ? 'heif' : (meta.format ?? 'unknown');
  const format = raw ? CAMERA_RAW_FORMAT : decodedAs;
  const rawWidth = meta.width ?? 0;
  const rawHeight = meta.height ?? 0;
  if (rawWidth <= 0 || rawHeight <= 0) throw new UnreadablePhotoError(`damaged image: the ${formatInWords(format)} file does not say how large the picture is`);
  const pixels = rawWidth * rawHeight;
  const megapixels = (pixels / 1e6).toFixed(1);
  const canShrink = SHRINK_ON_LOAD_FORMATS.has(decodedAs);
  if (pixels > MAX_FULL_DECODE_PIXELS && !canShrink) throw tooLargeToReadWhole(rawWidth, rawHeight, format);
  if (pixels > MAX_SHRINK_DECODE_PIXELS) {
    throw new UnreadablePhotoError(`image too large: ${rawWidth}x${rawHeight} is ${megapixels} megapixels (likely a decompression bomb)`);
  }
  const orientation = meta.orientation ?? 1;
  const swapped = orientation >= 5 && orientation <= 8;
  const width = swapped ? rawHeight : rawWidth;
  const height = swapped ? rawWidth : rawHeight;

  const decodeWith = (failOn: FailOnOptions) =>
    sharp(file, { limitInputPixels: canShrink ? MAX_SHRINK_DECODE_PIXELS : MAX_FULL_DECODE_PIXELS, failOn, animated: false })
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true, fastShrinkOnLoad: true })
      .flatten({ background: '#808080' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .toBuffer({ resolveWithObject: true });
  const asUndecodable = (err: unknown): never => {
    const message = firstLine(err);
    if (/timeout/i.test(message)) throw new UnreadablePhotoError(`decoding took longer than ${DECODE_TIMEOUT_SECONDS} s`);
    throw new UnreadablePhotoError(damageInWords(message, format));
  };
  let decoded: { data: Buffer; info: OutputInfo };
  if (decodedAs === 'jpeg') {
    // A JPEG damaged part way through decodes without an error: libjpeg only warns, and fills what it lost with grey
    // or garbage (faces found in it are nonsense). So a JPEG is decoded first failing on warnings; one that warns is
    // decoded again as the other formats are, and refused only when its warning says data was lost.
    decoded = await decodeWith('warning').catch(async (warned: unknown) => {
      if (/timeout/i.test(firstLine(warned))) return asUndecodable(warned);
      const leniently = await decodeWith('truncated').catch(asUndecodable);
      if (await jpegDataLost(warned, () => decodeWith('warning'))) throw new UnreadablePhotoError(JPEG_DATA_LOST);
      return leniently;
    });
  } else {
    decoded = await decodeWith('truncated').catch(asUndecodable);
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
    // A HEIC's EXIF as libvips reads it from the file's boxes (its PNG has none).
    ...(await captureDate(heic ? await heicExif(bytes) : file)),
    scaleX: width / info.width,
    scaleY: height / info.height,
  };
}

/** A HEIC file's EXIF block (TIFF-headed), read by libvips from its boxes; empty when it has none or cannot be read. */
async function heicExif(bytes: Uint8Array): Promise<Buffer> {
  const exif = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .then((meta) => meta.exif)
    .catch(() => undefined);
  return exif ?? Buffer.alloc(0);
}
