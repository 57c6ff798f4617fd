// A hostile album generated at test time (never committed): mutated JPEG/PNG/WebP/GIF/TIFF/PGM/PPM (bit flips,
// truncations, chunk length lies, header fields overwritten), decompression bombs and absurd dimensions, EXIF with
// garbage or huge fields, non-images with image names, a deep folder tree and symlink loops — next to a few good
// photos that must still be imported. Seeded: the same seed writes the same bytes.
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDeflate, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { seededRandom } from './library-state.js';

export interface FuzzFile {
  path: string;
  kind: string;
  /** 'import': a good photo that must be imported; 'either': imported or skipped with a reason, never a crash. */
  expect: 'import' | 'either';
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid-CRC PNG whose IHDR declares `width` x `height` over a tiny IDAT: a decompression bomb's header. */
function pngDeclaring(width: number, height: number, idat = deflateSync(Buffer.alloc(1024))): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A real bomb: 10000x10000 grey pixels (300 MB decoded) deflated, streamed row by row, to a few hundred KB. */
async function pngBomb(): Promise<Buffer> {
  const side = 10000;
  const row = Buffer.alloc(1 + side * 3, 0x80);
  row[0] = 0; // filter: none
  const deflate = createDeflate({ level: 1 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  for (let y = 0; y < side; y++) {
    if (!deflate.write(row)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await finished;
  return pngDeclaring(side, side, Buffer.concat(out));
}

/** Overwrites the height/width of the first SOFn segment of a JPEG. */
function jpegWithSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i + 9 < out.length; ) {
    if (out[i] !== 0xff) break;
    const marker = out[i + 1];
    const length = out.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + length;
  }
  return out;
}

/** A JPEG with an APP1 Exif segment inserted after SOI. */
function jpegWithApp1(jpeg: Buffer, payload: Buffer): Buffer {
  const segment = Buffer.alloc(4);
  segment[0] = 0xff;
  segment[1] = 0xe1;
  segment.writeUInt16BE(Math.min(0xffff, payload.length + 2), 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, payload.subarray(0, 0xffff - 2), jpeg.subarray(2)]);
}

/** A TIFF (little-endian) IFD with ImageWidth/ImageLength set absurdly large and almost no data. */
function tiffDeclaring(width: number, height: number): Buffer {
  const entries: Array<[number, number, number, number]> = [
    [256, 4, 1, width], // ImageWidth LONG
    [257, 4, 1, height], // ImageLength LONG
    [258, 3, 1, 8], // BitsPerSample
    [259, 3, 1, 1], // no compression
    [262, 3, 1, 1], // BlackIsZero
    [273, 4, 1, 8 + 2 + 12 * 9 + 4], // StripOffsets: just after the IFD
    [277, 3, 1, 1], // SamplesPerPixel
    [278, 4, 1, height], // RowsPerStrip
    [279, 4, 1, 64], // StripByteCounts (a lie)
  ];
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4 + 64);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 2 + i * 12;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(type, at + 2);
    ifd.writeUInt32LE(count, at + 4);
    if (type === 3) ifd.writeUInt16LE(value, at + 8);
    else ifd.writeUInt32LE(value, at + 8);
  });
  const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]);
  return Buffer.concat([header, ifd]);
}

function gifDeclaring(jpegless: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpegless);
  out.writeUInt16LE(width, 6);
  out.writeUInt16LE(height, 8);
  return out;
}

/** WebP VP8X header claiming a 16384x16384 canvas (the format's maximum) around a tiny bitstream. */
function webpCanvasLie(webp: Buffer): Buffer {
  const out = Buffer.from(webp);
  const at = out.indexOf('VP8X', 12, 'latin1');
  if (at < 0) return out;
  const w = 16383;
  out.writeUIntLE(w, at + 12, 3);
  out.writeUIntLE(w, at + 15, 3);
  return out;
}

function flipBits(bytes: Buffer, random: () => number, count: number, keepHeader: number): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < count; i++) {
    const at = keepHeader + Math.floor(random() * (out.length - keepHeader));
    out[at] ^= 1 << Math.floor(random() * 8);
  }
  return out;
}

function truncateAt(bytes: Buffer, random: () => number): Buffer {
  return bytes.subarray(0, 1 + Math.floor(random() * (bytes.length - 1)));
}

/** Random 4-byte big-endian length fields (PNG chunks, JPEG segments lie about their size). */
function lieAboutLengths(bytes: Buffer, random: () => number, format: string): Buffer {
  const out = Buffer.from(bytes);
  if (format === 'png') {
    for (let at = 8; at + 8 <= out.length; ) {
      const length = out.readUInt32BE(at);
      if (random() < 0.5) out.writeUInt32BE([0, 0x7fffffff, 0xffffffff, length * 7 + 1][Math.floor(random() * 4)] >>> 0, at);
      at += 12 + length;
    }
  } else {
    for (let i = 0; i < 4; i++) {
      const at = 2 + Math.floor(random() * Math.max(1, out.length - 4));
      out.writeUInt16BE(Math.floor(random() * 0x10000), at);
    }
  }
  return out;
}

async function seedImages(): Promise<Record<string, Buffer>> {
  const width = 96;
  const height = 72;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set([x * 2, y * 3, (x + y) % 256], (y * width + x) * 3);
  const image = () => sharp(pixels, { raw: { width, height, channels: 3 } });
  return {
    jpeg: await image().withMetadata({ exif: { IFD0: { Make: 'Fuzz', Model: 'Corpus' } } }).jpeg({ quality: 80 }).toBuffer(),
    png: await image().png().toBuffer(),
    webp: await image().webp({ quality: 80 }).toBuffer(),
    webpx: await image().ensureAlpha().webp({ quality: 80, lossless: true }).toBuffer(),
    gif: await image().gif().toBuffer(),
    tiff: await image().tiff({ compression: 'lzw' }).toBuffer(),
    ...netpbmSeeds(pixels, width, height),
  };
}

/** The Netpbm variants main/library/netpbm.ts reads: raw grey, raw colour at 16 bits, plain colour, a raw bitmap. */
function netpbmSeeds(rgb: Buffer, width: number, height: number): Record<string, Buffer> {
  const head = (magic: string, ...fields: number[]) => Buffer.from(`${magic}\n# fuzz corpus\n${fields.join(' ')}\n`, 'latin1');
  const grey = Buffer.from(Array.from({ length: width * height }, (_, i) => rgb[i * 3]));
  const wide = Buffer.alloc(rgb.length * 2);
  rgb.forEach((v, i) => wide.writeUInt16BE(v * 257, i * 2));
  const rowBytes = Math.ceil(width / 8);
  const bits = Buffer.alloc(rowBytes * height);
  for (let i = 0; i < width * height; i++) if (grey[i] < 96) bits[Math.floor(i / width) * rowBytes + ((i % width) >> 3)] |= 0x80 >> (i % width & 7);
  return {
    pgm: Buffer.concat([head('P5', width, height, 255), grey]),
    ppm16: Buffer.concat([head('P6', width, height, 65535), wide]),
    pnmplain: Buffer.concat([head('P3', width, height, 255), Buffer.from([...rgb].join(' '), 'latin1')]),
    pbm: Buffer.concat([head('P4', width, height), bits]),
  };
}

const EXTENSION: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', webpx: 'webp', gif: 'gif', tiff: 'tif', pgm: 'pgm', ppm16: 'ppm', pnmplain: 'pnm', pbm: 'pbm' };

export interface CorpusOptions {
  seed: number;
  /** Mutants of each kind per format (bit flips, truncations, length lies). */
  mutantsPerKind: number;
  /** Real photos (paths) copied in as the good files that must be imported. */
  goodPhotos: string[];
  /** Folder depth of the deep tree. */
  depth?: number;
}

export async function generateFuzzCorpus(dir: string, options: CorpusOptions): Promise<FuzzFile[]> {
  const random = seededRandom(options.seed);
  const files: FuzzFile[] = [];
  const add = async (rel: string, bytes: Buffer | string, kind: string, expect: FuzzFile['expect'] = 'either') => {
    const path = join(dir, rel);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, bytes);
    files.push({ path, kind, expect });
  };

  for (const [i, photo] of options.goodPhotos.entries()) {
    const path = join(dir, 'good', `photo-${i}.jpg`);
    await mkdir(join(dir, 'good'), { recursive: true });
    await copyFile(photo, path);
    files.push({ path, kind: 'good photo', expect: 'import' });
  }

  const seeds = await seedImages();
  for (const [format, bytes] of Object.entries(seeds)) {
    const ext = EXTENSION[format];
    await add(`seed/${format}.${ext}`, bytes, `valid ${format}`, 'import');
    for (let m = 0; m < options.mutantsPerKind; m++) {
      await add(`flip/${format}-${m}.${ext}`, flipBits(bytes, random, 1 + Math.floor(random() * 24), m % 2 ? 0 : 16), `${format} bit flips`);
      await add(`truncated/${format}-${m}.${ext}`, truncateAt(bytes, random), `${format} truncated`);
      await add(`lengths/${format}-${m}.${ext}`, lieAboutLengths(bytes, random, format), `${format} length fields lie`);
    }
    // The wrong extension: content decides.
    await add(`misnamed/${format}-as-other.${ext === 'png' ? 'jpg' : 'png'}`, bytes, `${format} named as another format`);
  }

  // Decompression bombs and absurd dimensions.
  await add('bombs/png-100000x100000.png', pngDeclaring(100000, 100000), 'PNG header declaring 100000x100000');
  await add('bombs/png-1x2147483647.png', pngDeclaring(1, 0x7fffffff), 'PNG 1 x 2^31-1');
  await add('bombs/png-0x0.png', pngDeclaring(0, 0), 'PNG 0x0');
  await add('bombs/png-10000x10000-real.png', await pngBomb(), 'real PNG bomb (10000x10000, 300 MB of pixels)');
  await add('bombs/jpeg-65500x65500.jpg', jpegWithSize(seeds.jpeg, 65500, 65500), 'JPEG SOF declaring 65500x65500');
  await add('bombs/jpeg-0x0.jpg', jpegWithSize(seeds.jpeg, 0, 0), 'JPEG SOF declaring 0x0');
  await add('bombs/gif-65535x65535.gif', gifDeclaring(seeds.gif, 65535, 65535), 'GIF screen 65535x65535');
  await add('bombs/tiff-1000000x1000000.tif', tiffDeclaring(1_000_000, 1_000_000), 'TIFF declaring 10^6 x 10^6');
  await add('bombs/tiff-60000x60000.tif', tiffDeclaring(60000, 60000), 'TIFF declaring 60000x60000 with 64 bytes of data');
  await add('bombs/webp-canvas-16383.webp', webpCanvasLie(seeds.webpx), 'WebP VP8X canvas 16383x16383');
  await add('bombs/ppm-100000x100000.ppm', Buffer.from(`P6\n100000 100000\n255\n${'x'.repeat(64)}`, 'latin1'), 'PPM declaring 100000x100000 with 64 bytes of data');
  await add('bombs/pgm-7000x7000.pgm', Buffer.concat([Buffer.from('P5\n7000 7000\n255\n', 'latin1'), Buffer.alloc(7000 * 7000, 0x80)]), 'real PGM of 49 megapixels (under the limit for formats read whole)', 'import');
  await add('bombs/pgm-width-of-40-digits.pgm', Buffer.from(`P5\n${'9'.repeat(40)} 1\n255\n\0`, 'latin1'), 'PGM width of 40 digits');

  // EXIF with garbage or huge fields.
  const exifHeader = Buffer.from('Exif\0\0', 'latin1');
  await add('exif/garbage.jpg', jpegWithApp1(seeds.jpeg, Buffer.concat([exifHeader, Buffer.from(Array.from({ length: 4000 }, () => Math.floor(random() * 256)))])), 'EXIF of random bytes');
  await add('exif/huge.jpg', jpegWithApp1(seeds.jpeg, Buffer.concat([exifHeader, Buffer.from('MM\0*\0\0\0\x08', 'latin1'), Buffer.alloc(65000, 0x41)])), 'EXIF segment of 64 KB');
  const ifdLie = Buffer.from('MM\0*\0\0\0\x08\xff\xff', 'latin1'); // 65535 IFD entries announced, none present
  await add('exif/ifd-count-lie.jpg', jpegWithApp1(seeds.jpeg, Buffer.concat([exifHeader, ifdLie])), 'EXIF IFD announcing 65535 entries');
  const offsetLoop = Buffer.from('II*\0\x08\0\0\0\x01\0\x69\x87\x04\0\x01\0\0\0\x08\0\0\0\x08\0\0\0', 'latin1'); // ExifIFD pointing back at IFD0
  await add('exif/offset-loop.jpg', jpegWithApp1(seeds.jpeg, Buffer.concat([exifHeader, offsetLoop])), 'EXIF IFD pointer loop');

  // Not images at all, with image names.
  await add('fake/notes.jpg', 'Shopping list: milk, eggs\n'.repeat(50), 'text named .jpg');
  await add('fake/page.png', '<!doctype html><html><body>not a picture</body></html>', 'HTML named .png');
  await add('fake/random.webp', Buffer.from(Array.from({ length: 8192 }, () => Math.floor(random() * 256))), 'random bytes named .webp');
  await add('fake/elf.gif', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(2000)]), 'ELF executable named .gif');
  await add('fake/empty.tiff', Buffer.alloc(0), 'empty file named .tiff');
  await add('fake/signature-only.png', PNG_SIGNATURE, 'PNG signature and nothing else');
  await add('fake/soi-only.jpg', Buffer.from([0xff, 0xd8, 0xff]), 'JPEG start marker and nothing else');
  await add('fake/zip.jpeg', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(500)]), 'zip archive named .jpeg');

  // A deep folder tree with a good image at the bottom.
  let deep = 'deep';
  for (let d = 0; d < (options.depth ?? 64); d++) deep = join(deep, `level-${d}`);
  await add(join(deep, 'bottom.png'), seeds.png, 'image at the bottom of a deep folder tree', 'import');

  // Symlink loops: a folder linking to its parent, two folders linking to each other, a file linking to itself.
  await mkdir(join(dir, 'loops', 'a'), { recursive: true });
  await mkdir(join(dir, 'loops', 'b'), { recursive: true });
  await symlink('..', join(dir, 'loops', 'a', 'parent'));
  await symlink(join(dir, 'loops', 'b'), join(dir, 'loops', 'a', 'to-b'));
  await symlink(join(dir, 'loops', 'a'), join(dir, 'loops', 'b', 'to-a'));
  await symlink('self.jpg', join(dir, 'loops', 'self.jpg'));
  files.push({ path: join(dir, 'loops', 'self.jpg'), kind: 'symlink to itself', expect: 'either' });
  await add('loops/a/inside.webp', seeds.webp, 'image inside a symlink loop', 'import');
  return files;
}

/** Rewrites `path` over and over (valid image, truncated, garbage, gone) until stopped: a file changing while read. */
export function keepChanging(path: string, valid: Buffer, seed: number): { stop: () => Promise<void> } {
  const random = seededRandom(seed);
  let running = true;
  const loop = (async () => {
    const { rm } = await import('node:fs/promises');
    while (running) {
      const choice = random();
      if (choice < 0.3) await writeFile(path, valid).catch(() => {});
      else if (choice < 0.6) await writeFile(path, truncateAt(valid, random)).catch(() => {});
      else if (choice < 0.85) await writeFile(path, flipBits(valid, random, 8, 0)).catch(() => {});
      else await rm(path, { force: true });
      await new Promise((r) => setTimeout(r, 2 + random() * 10));
    }
    await writeFile(path, valid);
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
