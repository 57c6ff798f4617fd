// Camera RAW files built around real photos, laid out as cameras lay them out: TIFF structures (NEF, DNG, RW2 and
// CR2 are TIFF with their own tags), Canon's CR3 (ISO-BMFF with TIFF tags in boxes) and Fujifilm's RAF (a header
// naming its JPEG). No RAW file can be downloaded here, and none ships in an npm package; the layouts follow the
// formats' specifications (TIFF 6.0, DNG 1.4) and real files read with exiftool.

/** A TIFF value: numbers of a type (SHORT 3, LONG 4, BYTE 1), or bytes (ASCII 2, UNDEFINED 7). */
export type TiffValue = { type: 1 | 3 | 4; values: number[] } | { type: 2 | 7; bytes: Uint8Array };

export const short = (...values: number[]): TiffValue => ({ type: 3, values });
export const long = (...values: number[]): TiffValue => ({ type: 4, values });
export const bytesOf = (...values: number[]): TiffValue => ({ type: 1, values });
export const text = (value: string): TiffValue => ({ type: 2, bytes: Buffer.from(`${value}\0`, 'latin1') });
export const undefinedBytes = (bytes: Uint8Array): TiffValue => ({ type: 7, bytes });

/** Tags the fixtures use. */
export const T = {
  newSubfileType: 254,
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  make: 271,
  stripOffsets: 273,
  orientation: 274,
  samplesPerPixel: 277,
  stripByteCounts: 279,
  dateTime: 306,
  subIfds: 330,
  jpegOffset: 513,
  jpegLength: 514,
  exifIfd: 34665,
  dateTimeOriginal: 36867,
  offsetTimeOriginal: 36881,
  dngVersion: 50706,
  panasonicJpeg: 0x2e,
} as const;

/**
 * Writes a TIFF structure piece by piece: data first, then each IFD once what it points at has its offset, the first
 * IFD last (the header points at it). `magic` is the first 4 bytes: "II*\0", "MM\0*", or a maker's ("IIU\0" RW2).
 */
export class TiffWriter {
  private readonly chunks: Buffer[] = [];
  private length = 8;
  readonly little: boolean;

  constructor(private readonly magic = 'II*\0') {
    this.little = magic.startsWith('II');
  }

  /** Places bytes (at an even offset, as TIFF wants) and says where. */
  data(bytes: Uint8Array): number {
    if (this.length % 2) this.push(Buffer.alloc(1));
    const at = this.length;
    this.push(Buffer.from(bytes));
    return at;
  }

  /** Writes an IFD of these entries (in tag order, as TIFF wants) and says where; `next` chains another after it. */
  ifd(entries: Array<[number, TiffValue]>, next = 0): number {
    const sorted = [...entries].sort(([a], [b]) => a - b);
    const encoded = sorted.map(([tag, value]) => {
      const bytes = 'bytes' in value ? Buffer.from(value.bytes) : this.numbers(value.type, value.values);
      const count = 'bytes' in value ? value.bytes.length : value.values.length;
      return { tag, type: value.type, count, bytes, at: bytes.length > 4 ? this.data(bytes) : -1 };
    });
    const table = Buffer.alloc(2 + encoded.length * 12 + 4);
    const u16 = (value: number, at: number) => (this.little ? table.writeUInt16LE(value, at) : table.writeUInt16BE(value, at));
    const u32 = (value: number, at: number) => (this.little ? table.writeUInt32LE(value, at) : table.writeUInt32BE(value, at));
    u16(encoded.length, 0);
    encoded.forEach(({ tag, type, count, bytes, at }, i) => {
      const entry = 2 + i * 12;
      u16(tag, entry);
      u16(type, entry + 2);
      u32(count, entry + 4);
      if (at >= 0) u32(at, entry + 8);
      else bytes.copy(table, entry + 8);
    });
    u32(next, 2 + encoded.length * 12);
    return this.data(table);
  }

  /** The whole file, its header pointing at `firstIfd`. */
  finish(firstIfd: number): Buffer {
    const header = Buffer.alloc(8);
    header.write(this.magic, 0, 'latin1');
    if (this.little) header.writeUInt32LE(firstIfd, 4);
    else header.writeUInt32BE(firstIfd, 4);
    return Buffer.concat([header, ...this.chunks]);
  }

  private numbers(type: 1 | 3 | 4, values: number[]): Buffer {
    const size = type === 1 ? 1 : type === 3 ? 2 : 4;
    const out = Buffer.alloc(values.length * size);
    values.forEach((value, i) => {
      if (size === 1) out.writeUInt8(value, i);
      else if (size === 2) this.little ? out.writeUInt16LE(value, i * 2) : out.writeUInt16BE(value, i * 2);
      else this.little ? out.writeUInt32LE(value, i * 4) : out.writeUInt32BE(value, i * 4);
    });
    return out;
  }

  private push(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
}

/** Bytes standing for sensor data: noise, as compressed sensor data looks. */
export function sensorNoise(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** Lossless-JPEG sensor data as CR2 and DNG store it: a JPEG whose frame (SOF3) no photo decoder reads. */
export function losslessJpegSensorData(length: number): Buffer {
  const head = Buffer.from([0xff, 0xd8, 0xff, 0xc3, 0x00, 0x0e, 0x0e, 0x0f, 0xa0, 0x0b, 0x40, 0x02, 0x01, 0x11, 0x00, 0x02, 0x11, 0x00]);
  return Buffer.concat([head, sensorNoise(length - head.length - 2, 7).map((byte) => (byte === 0xff ? 0xfe : byte)), Buffer.from([0xff, 0xd9])]);
}

/**
 * A Nikon NEF: IFD0 with a thumbnail, the full-size JPEG and the sensor data in SubIFDs, dates in the Exif IFD. The
 * JPEG is the file's last part (so a file cut short loses it, its tags whole).
 */
export function nefFile(options: { preview: Buffer; thumbnail?: Buffer; orientation?: number; dateTimeOriginal?: string; offsetTimeOriginal?: string }): Buffer {
  const build = (previewAt: number) => {
    const tiff = new TiffWriter('II*\0');
    const preview = tiff.ifd([
      [T.newSubfileType, long(1)],
      [T.compression, short(6)],
      [T.jpegOffset, long(previewAt)],
      [T.jpegLength, long(options.preview.length)],
    ]);
    const sensorBytes = sensorNoise(300_000);
    const sensor = tiff.ifd([
      [T.newSubfileType, long(0)],
      [T.width, long(6048)],
      [T.height, long(4024)],
      [T.compression, short(34713)],
      [T.photometric, short(32803)],
      [T.stripOffsets, long(tiff.data(sensorBytes))],
      [T.stripByteCounts, long(sensorBytes.length)],
    ]);
    const exif = tiff.ifd([
      ...(options.dateTimeOriginal ? [[T.dateTimeOriginal, text(options.dateTimeOriginal)] as [number, TiffValue]] : []),
      ...(options.offsetTimeOriginal ? [[T.offsetTimeOriginal, text(options.offsetTimeOriginal)] as [number, TiffValue]] : []),
    ]);
    const thumbnailEntries: Array<[number, TiffValue]> = options.thumbnail
      ? [[T.jpegOffset, long(tiff.data(options.thumbnail))], [T.jpegLength, long(options.thumbnail.length)]]
      : [];
    const ifd0 = tiff.ifd([
      [T.newSubfileType, long(1)],
      [T.make, text('NIKON CORPORATION')],
      [T.orientation, short(options.orientation ?? 1)],
      [T.dateTime, text('2020:01:01 00:00:00')],
      [T.subIfds, long(preview, sensor)],
      [T.exifIfd, long(exif)],
      ...thumbnailEntries,
    ]);
    return tiff.finish(ifd0);
  };
  // Where the JPEG lands does not change the size of what comes before it.
  const head = build(0);
  const previewAt = head.length + (head.length % 2);
  return Buffer.concat([build(previewAt), Buffer.alloc(previewAt - head.length), options.preview]);
}

/**
 * An Adobe DNG, big-endian as some writers make them: IFD0 is a small uncompressed RGB thumbnail (the picture a plain
 * TIFF reader shows), the sensor data (lossless JPEG) and a JPEG preview are SubIFDs.
 */
export function dngFile(options: { preview: Buffer; thumbnailRgb: { data: Buffer; width: number; height: number }; orientation?: number }): Buffer {
  const tiff = new TiffWriter('MM\0*');
  const sensorBytes = losslessJpegSensorData(200_000);
  const sensor = tiff.ifd([
    [T.newSubfileType, long(0)],
    [T.width, long(4032)],
    [T.height, long(3024)],
    [T.compression, short(7)],
    [T.photometric, short(32803)],
    [T.stripOffsets, long(tiff.data(sensorBytes))],
    [T.stripByteCounts, long(sensorBytes.length)],
  ]);
  const preview = tiff.ifd([
    [T.newSubfileType, long(1)],
    [T.compression, short(7)],
    [T.photometric, short(6)],
    [T.stripOffsets, long(tiff.data(options.preview))],
    [T.stripByteCounts, long(options.preview.length)],
  ]);
  const { data, width, height } = options.thumbnailRgb;
  const ifd0 = tiff.ifd([
    [T.newSubfileType, long(1)],
    [T.width, long(width)],
    [T.height, long(height)],
    [T.bitsPerSample, short(8, 8, 8)],
    [T.compression, short(1)],
    [T.photometric, short(2)],
    [T.stripOffsets, long(tiff.data(data))],
    [T.orientation, short(options.orientation ?? 1)],
    [T.samplesPerPixel, short(3)],
    [T.stripByteCounts, long(data.length)],
    [T.subIfds, long(sensor, preview)],
    [T.dngVersion, bytesOf(1, 4, 0, 0)],
  ]);
  return tiff.finish(ifd0);
}

/** A Panasonic RW2: its own magic, its full-size JPEG inside tag 0x2e. */
export function rw2File(options: { preview: Buffer; orientation?: number }): Buffer {
  const tiff = new TiffWriter('IIU\0');
  const ifd0 = tiff.ifd([
    [T.panasonicJpeg, undefinedBytes(options.preview)],
    [T.orientation, short(options.orientation ?? 1)],
  ]);
  return tiff.finish(ifd0);
}

/** An ISO-BMFF box. */
function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** A Canon CR3: IFD0's tags in box CMT1 and the Exif IFD's in CMT2 (each a TIFF of its own), its JPEG in mdat. */
export function cr3File(options: { preview: Buffer; orientation?: number; dateTimeOriginal?: string; offsetTimeOriginal?: string }): Buffer {
  const cmt1 = new TiffWriter('II*\0');
  const cmt1Bytes = cmt1.finish(cmt1.ifd([[T.make, text('Canon')], [T.orientation, short(options.orientation ?? 1)]]));
  const cmt2 = new TiffWriter('II*\0');
  const cmt2Bytes = cmt2.finish(
    cmt2.ifd([
      ...(options.dateTimeOriginal ? [[T.dateTimeOriginal, text(options.dateTimeOriginal)] as [number, TiffValue]] : []),
      ...(options.offsetTimeOriginal ? [[T.offsetTimeOriginal, text(options.offsetTimeOriginal)] as [number, TiffValue]] : []),
    ]),
  );
  const canonUuid = Buffer.from('85c0b687820f11e08111f4ce462b6a48', 'hex');
  return Buffer.concat([
    box('ftyp', Buffer.from('crx \0\0\0\x01crx isom', 'latin1')),
    box('moov', box('uuid', canonUuid, box('CMT1', cmt1Bytes), box('CMT2', cmt2Bytes))),
    box('mdat', sensorNoise(100_000, 3), options.preview, sensorNoise(100_000, 5)),
  ]);
}

/** A Fujifilm RAF: a header naming where its JPEG is (big-endian), the JPEG carrying its own EXIF. */
export function rafFile(options: { preview: Buffer }): Buffer {
  const header = Buffer.alloc(160);
  header.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
  header.writeUInt32BE(header.length, 84);
  header.writeUInt32BE(options.preview.length, 88);
  return Buffer.concat([header, options.preview, sensorNoise(200_000, 9)]);
}
