// Camera RAW files (CR2, CR3, NEF, ARW, DNG, ORF, RW2, RAF, PEF, …) read by the JPEG the camera stores inside them.
// Developing the sensor's mosaic needs a RAW converter that knows each camera (LibRaw); the libvips sharp ships has
// none. Every camera also stores the picture as it rendered it, as a JPEG (full-size on most, 1.5 MP and up on the
// rest). Photo managers show RAW files by that JPEG too, and it is plenty to find faces in. The camera records how it
// was held and when in the RAW's own tags, seldom in that JPEG: they are written into the JPEG handed to sharp, so
// the picture turns and dates as the camera said.

/** The extensions that nominate a camera RAW file. What the content is decides how it is read. */
export const RAW_EXTENSIONS: readonly string[] = [
  '.dng', '.cr2', '.cr3', '.crw', '.nef', '.nrw', '.arw', '.srf', '.sr2', '.orf', '.rw2', '.rwl', '.raf', '.pef',
  '.srw', '.3fr', '.erf', '.kdc', '.dcr', '.mrw', '.mef', '.mos', '.iiq', '.x3f',
];

const RAW_EXTENSION_SET = new Set(RAW_EXTENSIONS);

export function isRawName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && RAW_EXTENSION_SET.has(name.slice(dot).toLowerCase());
}

/** Why a RAW file's picture cannot be had, in words (decode.ts says it as the other formats' refusals). */
export class CameraRawError extends Error {}

/**
 * The long side under which an embedded JPEG is only a thumbnail: faces in a 160x120 one are a few pixels wide, and
 * importing it would show a blur and find nobody.
 */
export const SMALLEST_USABLE_PREVIEW_EDGE = 640;

/** TIFF's value types' sizes in bytes, by type number (1 BYTE … 13 IFD). */
const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];

const TAG = {
  compression: 259,
  photometric: 262,
  stripOffsets: 273,
  orientation: 274,
  stripByteCounts: 279,
  dateTime: 306,
  subIfds: 330,
  jpegOffset: 513,
  jpegLength: 514,
  exifIfd: 34665,
  dngVersion: 50706,
  /** Panasonic's RW2 keeps its full-size JPEG in tag 0x2e. */
  panasonicJpeg: 0x2e,
} as const;

/** The EXIF tags that date a picture, copied from the RAW into its JPEG: DateTimeOriginal, …Digitized, their zones and fractions. */
const EXIF_DATE_TAGS = [36867, 36868, 36880, 36881, 36882, 37520, 37521, 37522];
/** Photometric interpretations only sensor data has: a colour filter array, linear raw. */
const SENSOR_PHOTOMETRICS = new Set([32803, 34892]);
/** Compressions only RAW files use (Nikon, Sony, Panasonic, Kodak, packed and lossy-DNG sensor data). */
const SENSOR_COMPRESSIONS = new Set([32767, 32769, 32770, 34316, 34713, 34892, 65000]);

interface TiffEntry {
  type: number;
  count: number;
  /** Where the value is, from the start of the bytes: inside the entry when it fits in 4 bytes. */
  at: number;
}

/** A TIFF structure inside `bytes`, its offsets counted from `base` (0 for a TIFF-based RAW, a box's start in CR3). */
class TiffReader {
  readonly little: boolean;

  constructor(
    readonly bytes: Uint8Array,
    readonly base: number,
  ) {
    this.little = bytes[base] === 0x49;
  }

  u16(at: number): number {
    if (at < 0 || at + 2 > this.bytes.length) return -1;
    const [a, b] = [this.bytes[at], this.bytes[at + 1]];
    return this.little ? a | (b << 8) : (a << 8) | b;
  }

  u32(at: number): number {
    if (at < 0 || at + 4 > this.bytes.length) return -1;
    const [a, b, c, d] = [this.bytes[at], this.bytes[at + 1], this.bytes[at + 2], this.bytes[at + 3]];
    return (this.little ? (d << 24) | (c << 16) | (b << 8) | a : (a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  }

  /** The first IFD's offset, from the header (byte order, magic, offset: the magic differs in ORF and RW2). */
  firstIfd(): number {
    return this.u32(this.base + 4);
  }

  /** An IFD's entries by tag and the next IFD's offset (0: none), or null where the bytes do not hold one. */
  ifd(offset: number): { entries: Map<number, TiffEntry>; next: number } | null {
    const start = this.base + offset;
    const count = this.u16(start);
    if (offset <= 0 || count <= 0 || count > 1000 || start + 2 + count * 12 + 4 > this.bytes.length) return null;
    const entries = new Map<number, TiffEntry>();
    for (let i = 0; i < count; i++) {
      const at = start + 2 + i * 12;
      const type = this.u16(at + 2);
      const itemCount = this.u32(at + 4);
      const size = (TYPE_SIZES[type] ?? 0) * itemCount;
      if (size === 0) continue;
      const valueAt = size <= 4 ? at + 8 : this.base + this.u32(at + 8);
      if (valueAt + size > this.bytes.length) continue;
      entries.set(this.u16(at), { type, count: itemCount, at: valueAt });
    }
    return { entries, next: this.u32(start + 2 + count * 12) };
  }

  /** An entry's numbers (SHORT, LONG or IFD values), or [] for another type. */
  numbers(entry: TiffEntry | undefined): number[] {
    if (!entry) return [];
    const read = entry.type === 3 ? (i: number) => this.u16(entry.at + i * 2) : entry.type === 4 || entry.type === 13 ? (i: number) => this.u32(entry.at + i * 4) : null;
    if (!read) return [];
    return Array.from({ length: Math.min(entry.count, 64) }, (_, i) => read(i));
  }

  /** An ASCII entry's bytes as written (its closing NUL included), or null for another type. */
  ascii(entry: TiffEntry | undefined): Uint8Array | null {
    if (!entry || entry.type !== 2 || entry.count > 64) return null;
    return this.bytes.subarray(entry.at, entry.at + entry.count);
  }
}

/** What the RAW's own tags say of its picture: how the camera was held, and the dating tags to copy. */
interface RawTags {
  orientation: number;
  /** IFD0's DateTime, copied as written. */
  dateTime: Uint8Array | null;
  /** The Exif IFD's dating tags (EXIF_DATE_TAGS), copied as written. */
  exifDates: Map<number, Uint8Array>;
}

/** A JPEG found inside the file: where it starts and ends, and its picture's size. */
interface EmbeddedJpeg {
  start: number;
  end: number;
  width: number;
  height: number;
}

/** What a RAW file holds: where its JPEGs may start (from its structure), and its tags (null where they are not read). */
interface RawLayout {
  starts: Array<{ start: number; length?: number }>;
  tags: RawTags | null;
}

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  at + text.length <= bytes.length && Array.from(text).every((char, i) => bytes[at + i] === char.charCodeAt(0));

/** The byte order and magic of a TIFF-based RAW: TIFF's own (CR2, NEF, ARW, DNG, PEF, …), Olympus's, Panasonic's. */
function isTiffHeaded(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 'II*\0') || ascii(bytes, 0, 'MM\0*') || ascii(bytes, 0, 'IIRO') || ascii(bytes, 0, 'IIRS') || ascii(bytes, 0, 'MMOR') || ascii(bytes, 0, 'IIU\0');
}

/** Canon's CR3, an ISO-BMFF file of brand "crx ". */
function isCr3(bytes: Uint8Array): boolean {
  return ascii(bytes, 4, 'ftypcrx ');
}

/** The RAW formats known by their first bytes alone: Fujifilm's RAF, Canon's CRW, Sigma's X3F, Minolta's MRW. */
function hasRawMagic(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 'FUJIFILMCCD-RAW') || ascii(bytes, 6, 'HEAPCCDR') || ascii(bytes, 0, 'FOVb') || ascii(bytes, 0, '\0MRM');
}

/**
 * Whether the bytes are a camera RAW file rather than a picture sharp reads: by content, as every format is judged
 * here (a .tif that is a DNG is read as RAW, and a scanner's TIFF named .dng as TIFF). A TIFF-based RAW is told from a
 * TIFF by what only sensor data has: a DNG version, a colour filter array, a RAW compression; or Canon's "CR" mark.
 */
export function isCameraRaw(bytes: Uint8Array): boolean {
  if (isCr3(bytes) || hasRawMagic(bytes)) return true;
  if (!isTiffHeaded(bytes)) return false;
  if (!ascii(bytes, 0, 'II*\0') && !ascii(bytes, 0, 'MM\0*')) return true; // ORF, RW2: their own magic
  // CR2's header: TIFF's, then "CR", version 2.0, IFD0 right after it. (Only the mark, and a TIFF whose pixel data
  // starts with the bytes "CR" would be taken for one: a review.)
  if (ascii(bytes, 8, 'CR\x02\0') && new TiffReader(bytes, 0).firstIfd() === 16) return true;
  let sensorData = false;
  walkTiff(new TiffReader(bytes, 0), (entries, reader, isFirst) => {
    if (isFirst && entries.has(TAG.dngVersion)) sensorData = true;
    if (reader.numbers(entries.get(TAG.photometric)).some((value) => SENSOR_PHOTOMETRICS.has(value))) sensorData = true;
    if (reader.numbers(entries.get(TAG.compression)).some((value) => SENSOR_COMPRESSIONS.has(value))) sensorData = true;
  });
  return sensorData;
}

/**
 * Calls `visit` on each IFD of a TIFF structure (telling it which is IFD0): the chain from the header, and the SubIFDs
 * that hold NEF's and DNG's full-size pictures, two levels down at most; each IFD once, however often it is pointed at.
 */
function walkTiff(reader: TiffReader, visit: (entries: Map<number, TiffEntry>, reader: TiffReader, isFirst: boolean) => void): void {
  const seen = new Set<number>();
  const visitChain = (offset: number, depth: number) => {
    for (let link = 0; offset > 0 && link < 8 && !seen.has(offset); link++) {
      seen.add(offset);
      const ifd = reader.ifd(offset);
      if (!ifd) return;
      visit(ifd.entries, reader, depth === 0 && link === 0);
      if (depth < 2) for (const sub of reader.numbers(ifd.entries.get(TAG.subIfds))) visitChain(sub, depth + 1);
      offset = ifd.next;
    }
  };
  visitChain(reader.firstIfd(), 0);
}

/** The JPEGs a TIFF structure points at, and its orientation and dating tags. */
function tiffLayout(reader: TiffReader): RawLayout {
  const starts: RawLayout['starts'] = [];
  const tags: RawTags = { orientation: 1, dateTime: null, exifDates: new Map() };
  walkTiff(reader, (entries, r, isFirst) => {
    if (isFirst) {
      const [orientation] = r.numbers(entries.get(TAG.orientation));
      if (orientation >= 1 && orientation <= 8) tags.orientation = orientation;
      tags.dateTime = r.ascii(entries.get(TAG.dateTime));
      const exif = r.ifd(r.numbers(entries.get(TAG.exifIfd))[0] ?? 0);
      for (const tag of EXIF_DATE_TAGS) {
        const value = r.ascii(exif?.entries.get(tag));
        if (value) tags.exifDates.set(tag, value);
      }
    }
    const [jpegOffset] = r.numbers(entries.get(TAG.jpegOffset));
    const [jpegLength] = r.numbers(entries.get(TAG.jpegLength));
    if (jpegOffset > 0 && jpegLength > 0) starts.push({ start: r.base + jpegOffset, length: jpegLength });
    // A picture stored as one JPEG strip (CR2's full-size one, DNG's previews); lossless sensor strips are passed by
    // when read (their frame is not one sharp decodes).
    const [compression] = r.numbers(entries.get(TAG.compression));
    const strips = r.numbers(entries.get(TAG.stripOffsets));
    const [stripLength] = r.numbers(entries.get(TAG.stripByteCounts));
    if ((compression === 6 || compression === 7) && strips.length === 1 && stripLength > 0) starts.push({ start: r.base + strips[0], length: stripLength });
    const panasonic = entries.get(TAG.panasonicJpeg);
    if (panasonic && panasonic.type === 7) starts.push({ start: panasonic.at, length: panasonic.count });
  });
  return { starts, tags };
}

/** CR3 keeps its TIFF tags in boxes CMT1 (IFD0) and CMT2 (the Exif IFD), each a TIFF structure of its own. */
function cr3Layout(bytes: Uint8Array): RawLayout {
  const box = (name: string): TiffReader | null => {
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1 << 20)).indexOf(name);
    return head >= 4 && isTiffHeaded(bytes.subarray(head + 4, head + 8)) ? new TiffReader(bytes, head + 4) : null;
  };
  const tags: RawTags = { orientation: 1, dateTime: null, exifDates: new Map() };
  const ifd0Reader = box('CMT1');
  const ifd0 = ifd0Reader?.ifd(ifd0Reader.firstIfd());
  if (ifd0Reader && ifd0) {
    const [orientation] = ifd0Reader.numbers(ifd0.entries.get(TAG.orientation));
    if (orientation >= 1 && orientation <= 8) tags.orientation = orientation;
    tags.dateTime = ifd0Reader.ascii(ifd0.entries.get(TAG.dateTime));
  }
  const exifReader = box('CMT2');
  const exif = exifReader?.ifd(exifReader.firstIfd());
  for (const tag of EXIF_DATE_TAGS) {
    const value = exifReader?.ascii(exif?.entries.get(tag));
    if (value) tags.exifDates.set(tag, value);
  }
  return { starts: [], tags: ifd0 ? tags : null };
}

/** Where the file's structure says its JPEGs are, and its tags; RAF's header names its JPEG, which carries its own EXIF. */
function rawLayout(bytes: Uint8Array): RawLayout {
  if (isCr3(bytes)) return cr3Layout(bytes);
  if (ascii(bytes, 0, 'FUJIFILMCCD-RAW')) {
    // Big-endian, as RAF's header is.
    const u32be = (at: number) => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
    return { starts: bytes.length >= 92 ? [{ start: u32be(84), length: u32be(88) }] : [], tags: null };
  }
  if (isTiffHeaded(bytes)) return tiffLayout(new TiffReader(bytes, 0));
  return { starts: [], tags: null };
}

/** Frames sharp cannot decode: lossless (SOF3, 7, 11, 15), which is how CR2 and DNG store sensor data. */
const LOSSLESS_FRAMES = new Set([0xc3, 0xc7, 0xcb, 0xcf]);

/** Fill bytes (0xFF) more than this before a marker: no encoder writes so many, a file made to stall would. */
const MOST_FILL_BYTES = 64;

/**
 * What walking a file's JPEGs costs and met: the bytes left to look at (so a file made of JPEG starts cannot take
 * long), and the largest picture that began but ran past the file's end (the file was cut short).
 */
interface JpegWalk {
  budget: number;
  cutShort: { width: number; height: number } | null;
}

/**
 * The JPEG starting at `start`, followed marker by marker to its end, or null where no whole JPEG of a kind sharp
 * decodes starts there.
 */
function jpegAt(bytes: Buffer, start: number, limit: number, walk: JpegWalk): EmbeddedJpeg | null {
  if (start < 0 || start + 4 > limit || bytes[start] !== 0xff || bytes[start + 1] !== 0xd8) return null;
  let at = start + 2;
  let size: { width: number; height: number } | null = null;
  const ranOut = () => {
    // Its frame read, its end past the file's: a picture cut short, not noise that looked like a JPEG's start.
    if (size && limit === bytes.length && (!walk.cutShort || size.width * size.height > walk.cutShort.width * walk.cutShort.height)) walk.cutShort = size;
    return null;
  };
  while (walk.budget > 0) {
    if (at + 2 > limit) return ranOut();
    if (bytes[at] !== 0xff) return null;
    let marker = bytes[at + 1];
    for (let fill = 0; marker === 0xff; fill++) {
      if (fill >= MOST_FILL_BYTES) return null;
      if (at + 2 >= limit) return ranOut();
      marker = bytes[++at + 1];
    }
    walk.budget -= 1;
    if (marker === 0xd9) return size && size.width > 0 && size.height > 0 ? { start, end: at + 2, ...size } : null;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (at + 4 > limit) return ranOut();
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    const segmentEnd = at + 2 + length;
    if (length < 2) return null;
    if (segmentEnd > limit) return ranOut();
    walk.budget -= length;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (LOSSLESS_FRAMES.has(marker) || length < 8) return null;
      size = { height: (bytes[at + 5] << 8) | bytes[at + 6], width: (bytes[at + 7] << 8) | bytes[at + 8] };
    }
    at = segmentEnd;
    if (marker !== 0xda) continue;
    // The scan's entropy-coded data runs to the next marker: 0xFF followed by neither 0x00 (a stuffed byte) nor a restart.
    for (;;) {
      const ff = bytes.indexOf(0xff, at);
      if (ff < 0 || ff + 1 >= limit) return ranOut();
      walk.budget -= ff - at + 1;
      const next = bytes[ff + 1];
      at = ff;
      if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break;
      at = ff + 2;
    }
  }
  return null;
}

/** The largest JPEG inside a RAW file that sharp can decode: those its structure names, and any other it holds (CR3's). */
function largestEmbeddedJpeg(bytes: Buffer, layout: RawLayout, walk: JpegWalk): EmbeddedJpeg | null {
  const found: EmbeddedJpeg[] = [];
  for (const { start, length } of layout.starts) {
    const jpeg = jpegAt(bytes, start, length ? Math.min(bytes.length, start + length) : bytes.length, walk);
    if (jpeg) found.push(jpeg);
  }
  // The rest, by their start marker: CR3's, X3F's, MRW's, ORF's (in its maker notes), and any a layout missed.
  const startMarker = Buffer.from([0xff, 0xd8, 0xff]);
  for (let from = 0, tries = 0; tries < 256 && walk.budget > 0; tries++) {
    const start = bytes.indexOf(startMarker, from);
    if (start < 0) break;
    const jpeg = jpegAt(bytes, start, bytes.length, walk);
    if (jpeg) found.push(jpeg);
    // A JPEG's own thumbnail (inside its EXIF) is never better than it: look on after its end.
    from = jpeg ? jpeg.end : start + 3;
  }
  return found.reduce<EmbeddedJpeg | null>((best, jpeg) => (!best || jpeg.width * jpeg.height > best.width * best.height ? jpeg : best), null);
}

/** TIFF bytes (little-endian) holding IFD0's Orientation and DateTime, and an Exif IFD with the dating tags. */
function exifTiff(tags: RawTags): Buffer {
  const ifd0: Array<[number, number, Uint8Array | number]> = [[TAG.orientation, 3, tags.orientation]];
  if (tags.dateTime) ifd0.push([TAG.dateTime, 2, tags.dateTime]);
  const exif: Array<[number, number, Uint8Array | number]> = [...tags.exifDates].sort(([a], [b]) => a - b).map(([tag, value]) => [tag, 2, value]);
  if (exif.length > 0) ifd0.push([TAG.exifIfd, 4, 0]);
  const ifdSize = (entries: unknown[]) => 2 + entries.length * 12 + 4;
  const ifd0At = 8;
  const exifAt = ifd0At + ifdSize(ifd0);
  let dataAt = exifAt + (exif.length > 0 ? ifdSize(exif) : 0);
  const out = Buffer.alloc(dataAt + [...ifd0, ...exif].reduce((sum, [, , value]) => sum + (typeof value === 'number' || value.length <= 4 ? 0 : value.length + (value.length % 2)), 0));
  out.write('II*\0', 0, 'latin1');
  out.writeUInt32LE(ifd0At, 4);
  const writeIfd = (at: number, entries: Array<[number, number, Uint8Array | number]>) => {
    out.writeUInt16LE(entries.length, at);
    entries.forEach(([tag, type, value], i) => {
      const entryAt = at + 2 + i * 12;
      out.writeUInt16LE(tag, entryAt);
      out.writeUInt16LE(type, entryAt + 2);
      if (typeof value === 'number') {
        out.writeUInt32LE(1, entryAt + 4);
        if (type === 3) out.writeUInt16LE(value, entryAt + 8);
        else out.writeUInt32LE(tag === TAG.exifIfd ? exifAt : value, entryAt + 8);
        return;
      }
      out.writeUInt32LE(value.length, entryAt + 4);
      if (value.length <= 4) {
        out.set(value, entryAt + 8);
        return;
      }
      out.writeUInt32LE(dataAt, entryAt + 8);
      out.set(value, dataAt);
      dataAt += value.length + (value.length % 2);
    });
    out.writeUInt32LE(0, at + 2 + entries.length * 12);
  };
  writeIfd(ifd0At, ifd0);
  if (exif.length > 0) writeIfd(exifAt, exif);
  return out;
}

/** The JPEG with its own EXIF segment replaced by one holding the RAW's tags; its other segments and data as they are. */
function withRawTags(jpeg: Buffer, tags: RawTags): Buffer {
  const tiff = exifTiff(tags);
  const app1 = Buffer.alloc(4 + 6 + tiff.length);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(2 + 6 + tiff.length, 2);
  app1.write('Exif\0\0', 4, 'latin1');
  tiff.copy(app1, 10);
  const kept: Buffer[] = [jpeg.subarray(0, 2), app1];
  let at = 2;
  // Header segments up to the first scan; an EXIF one (APP1 "Exif\0\0") is the camera's own, replaced by the RAW's.
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) {
    const length = jpeg.readUInt16BE(at + 2);
    const segment = jpeg.subarray(at, at + 2 + length);
    if (!(jpeg[at + 1] === 0xe1 && ascii(segment, 4, 'Exif\0\0'))) kept.push(segment);
    at += 2 + length;
  }
  kept.push(jpeg.subarray(at));
  return Buffer.concat(kept);
}

/**
 * A RAW file's picture as a JPEG sharp reads: the largest the camera stored in it, carrying the RAW's orientation and
 * dates. Throws CameraRawError when it holds none, or only a thumbnail.
 */
export function rawPreviewJpeg(bytes: Uint8Array): Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layout = rawLayout(buffer);
  // Each JPEG is walked twice at most (named by the tags, found by its marker): twice the file, and some to spare.
  const walk: JpegWalk = { budget: 2 * buffer.length + (1 << 20), cutShort: null };
  const best = largestEmbeddedJpeg(buffer, layout, walk);
  const usable = best && Math.max(best.width, best.height) >= SMALLEST_USABLE_PREVIEW_EDGE ? best : null;
  if (!usable) {
    // A picture its tags place past the file's end, or one that begins and runs past it: the file was cut short (a
    // copy stopped part way), not made so.
    const cutShort =
      layout.starts.some(({ start, length }) => start + (length ?? 0) > buffer.length) ||
      (walk.cutShort !== null && Math.max(walk.cutShort.width, walk.cutShort.height) >= SMALLEST_USABLE_PREVIEW_EDGE);
    if (cutShort) throw new CameraRawError('the file is cut short: the picture inside it runs past its end', { cause: 'cut-short' });
    if (best) throw new CameraRawError(`only a thumbnail inside it (${best.width}x${best.height} pixels), too small to find faces in: export it as JPEG from your RAW developer`);
    throw new CameraRawError('no picture inside it that Familiar can read, only the sensor data: export it as JPEG from your RAW developer');
  }
  const { start, end } = usable;
  const jpeg = Buffer.from(buffer.subarray(start, end));
  return layout.tags ? withRawTags(jpeg, layout.tags) : jpeg;
}
