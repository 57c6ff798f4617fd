// Netpbm pictures (PBM, PGM, PPM: what a scanner's `scanimage` writes by default, and research face sets such as
// ORL). The prebuilt libvips sharp ships has no ppmload, so they are read here and handed on as PNG, which every
// reader of photos (analysis, the viewer's images, the face studio's crops) then takes as any other photo.
import sharp, { type Sharp } from 'sharp';

/** A Netpbm picture's pixels at 8 bits: grey (1 channel: PBM, PGM) or RGB (3: PPM). */
export interface NetpbmPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

/** Why a file that starts like a Netpbm picture cannot be read; said after "damaged image: ". */
export class NetpbmError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NetpbmError';
  }
}

/** Past this many pixels a side, a header's size is garbage, not a picture (the import's pixel limit is far lower). */
const MAX_SIDE = 2 ** 31 - 1;

/** P1-P6 by their magic number: plain (ASCII) or raw (binary); bitmap, grey map or pixmap. */
const KINDS = {
  P1: { channels: 1, binary: false, bitmap: true },
  P2: { channels: 1, binary: false, bitmap: false },
  P3: { channels: 3, binary: false, bitmap: false },
  P4: { channels: 1, binary: true, bitmap: true },
  P5: { channels: 1, binary: true, bitmap: false },
  P6: { channels: 3, binary: true, bitmap: false },
} as const;
type Kind = keyof typeof KINDS;

/** Whether bytes hold a Netpbm picture (by content: a .jpg that is really a PGM is one too). */
export function isNetpbm(bytes: Uint8Array): boolean {
  // The magic number and then whitespace: "P5\n", never the start of a text that happens to begin with "P5".
  return bytes.length >= 3 && bytes[0] === 0x50 && bytes[1] >= 0x31 && bytes[1] <= 0x36 && isSpace(bytes[2]);
}

const isSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0b || byte === 0x0c;
const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

/** Reads the header's and plain rasters' numbers, skipping whitespace and comments ("#" to the end of the line). */
class Reader {
  at = 2;
  constructor(private readonly bytes: Uint8Array) {}

  private skipSpaceAndComments(): void {
    const bytes = this.bytes;
    while (this.at < bytes.length) {
      if (isSpace(bytes[this.at])) this.at++;
      else if (bytes[this.at] === 0x23) while (this.at < bytes.length && bytes[this.at] !== 0x0a && bytes[this.at] !== 0x0d) this.at++;
      else break;
    }
  }

  /** The next decimal number (`what` names it in a refusal: "its width"); `digits` 1 reads a plain PBM's pixels, which need no space between them. */
  number(what: string, digits = Infinity): number {
    this.skipSpaceAndComments();
    const start = this.at;
    let value = 0;
    while (this.at < this.bytes.length && isDigit(this.bytes[this.at]) && this.at - start < digits) value = value * 10 + this.bytes[this.at++] - 0x30;
    if (this.at === start) throw new NetpbmError(this.at >= this.bytes.length ? 'the picture data is cut short' : `${what} is not a number`);
    return value;
  }

  /** The one whitespace byte that ends a binary picture's header. */
  endOfHeader(): number {
    if (this.at >= this.bytes.length || !isSpace(this.bytes[this.at])) throw new NetpbmError('the header does not end where it should');
    return this.at + 1;
  }
}

/** A Netpbm picture's size, read from its header alone (nothing is allocated): to refuse a huge one before decoding. */
export function netpbmSize(bytes: Uint8Array): { width: number; height: number } {
  return readSize(new Reader(bytes));
}

function readSize(reader: Reader): { width: number; height: number } {
  const width = reader.number('its width');
  const height = reader.number('its height');
  if (width === 0 || height === 0) throw new NetpbmError('the picture has no pixels (a side of 0)');
  if (width > MAX_SIDE || height > MAX_SIDE) throw new NetpbmError('its header claims a size no picture has');
  return { width, height };
}

/** Decodes a Netpbm picture to 8-bit pixels; throws NetpbmError, in words, for a damaged one. Multi-image files give their first. */
export function decodeNetpbm(bytes: Uint8Array): NetpbmPixels {
  if (!isNetpbm(bytes)) throw new NetpbmError('it is not a PBM, PGM or PPM picture');
  const kind = KINDS[String.fromCharCode(bytes[0], bytes[1]) as Kind];
  const reader = new Reader(bytes);
  const { width, height } = readSize(reader);
  const maxValue = kind.bitmap ? 1 : reader.number('its largest value');
  if (maxValue === 0 || maxValue > 65535) throw new NetpbmError(`its largest value (${maxValue}) is outside 1-65535`);
  const channels = kind.channels;
  const count = width * height * channels;
  // Checked before anything is allocated: a header may claim a size its few bytes cannot hold (a bomb, or a file cut
  // short). Plain pixels take at least a byte each; binary ones a bit, a byte or two.
  const start = kind.binary ? reader.endOfHeader() : reader.at;
  const needed = !kind.binary ? count : kind.bitmap ? Math.ceil(width / 8) * height : count * (maxValue > 255 ? 2 : 1);
  if (bytes.length - start < needed) throw new NetpbmError('the picture data is cut short');
  const data = new Uint8Array(count);
  // Bitmaps: 1 is black. Others: 0 is black, maxValue white; scaled to 0-255.
  const toByte = (value: number) => (kind.bitmap ? (value ? 0 : 255) : Math.round((Math.min(value, maxValue) * 255) / maxValue));
  if (!kind.binary) {
    for (let i = 0; i < count; i++) data[i] = toByte(reader.number('a pixel value', kind.bitmap ? 1 : Infinity));
    return { data, width, height, channels };
  }
  if (kind.bitmap) {
    // P4: each row packed 8 pixels a byte, most significant bit first, the row padded to a whole byte.
    const rowBytes = Math.ceil(width / 8);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data[y * width + x] = toByte((bytes[start + y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1);
    }
    return { data, width, height, channels };
  }
  const wide = maxValue > 255;
  if (!wide && maxValue === 255) {
    data.set(bytes.subarray(start, start + count));
    return { data, width, height, channels };
  }
  for (let i = 0; i < count; i++) data[i] = toByte(wide ? (bytes[start + 2 * i] << 8) | bytes[start + 2 * i + 1] : bytes[start + i]);
  return { data, width, height, channels };
}

/** A decoded Netpbm picture as a sharp pipeline. */
export function netpbmPipeline(pixels: NetpbmPixels): Sharp {
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });
}
