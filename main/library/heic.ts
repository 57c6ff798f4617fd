// HEIC: HEIF holding HEVC pictures, what iPhones have taken since 2017. The prebuilt libvips sharp ships reads HEIF's
// boxes (size, EXIF) and AVIF's AV1, but has no HEVC decoder (patents), so a family's phone photos were skipped. They
// are decoded here by libheif built to WebAssembly with libde265 (libheif-js, LGPL-3.0, its own module), which applies
// the file's rotation and mirroring, into an uncompressed PNG that every reader of photos hands to sharp as it hands
// it a JPEG (decode.ts sharpReadable): the import, the viewer's images and the face studio's crops.
import { createRequire } from 'node:module';
import sharp from 'sharp';

/** The parts of libheif-js's decoder used here (it ships no types). */
interface HeifImage {
  get_width(): number;
  get_height(): number;
  is_primary(): boolean;
  display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (result: { data: Uint8ClampedArray } | null) => void): void;
  free(): void;
}
interface LibHeif {
  HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[]; decoder: { delete(): void } };
  ready?: Promise<unknown>;
}

/** The HEIF brands whose pictures are HEVC (or may be: mif1, msf1 and miaf are any HEIF), as the file's ftyp box lists them. */
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'miaf']);
/** AVIF's brands: sharp reads those itself. */
const AV1_BRANDS = new Set(['avif', 'avis']);

/**
 * Whether the bytes are a HEIF file for libheif rather than sharp: its ftyp box (ISO-BMFF's first) names a HEIF brand
 * and no AVIF one. Goes by content, as every format does here: an iPhone photo renamed .jpg is read too.
 */
export function isHevcHeif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || String.fromCharCode(...bytes.subarray(4, 8)) !== 'ftyp') return false;
  const boxSize = Math.min(bytes.length, (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]);
  // The major brand (8-12), the minor version (12-16), then the compatible brands.
  const brands = [String.fromCharCode(...bytes.subarray(8, 12))];
  for (let at = 16; at + 4 <= Math.max(16, boxSize); at += 4) brands.push(String.fromCharCode(...bytes.subarray(at, at + 4)));
  return !brands.some((brand) => AV1_BRANDS.has(brand)) && brands.some((brand) => HEVC_BRANDS.has(brand));
}

/** Why a HEIF file cannot be read, in words (decode.ts words it as the other formats' refusals). */
export class HeicError extends Error {}

let instance: LibHeif | null = null;
/**
 * libheif's WebAssembly, its module embedded in the script (nothing read from disk, so it loads from app.asar too):
 * one instance per thread, made again after one failed in a way libheif did not report (a WebAssembly trap leaves an
 * instance unusable).
 */
async function libheif(): Promise<LibHeif> {
  if (!instance) {
    const makeInstance = createRequire(import.meta.url)('libheif-js/libheif-wasm/libheif-bundle.js') as () => LibHeif;
    instance = makeInstance();
  }
  await instance.ready;
  return instance;
}

/**
 * The primary picture of a HEIC file as an uncompressed RGB PNG (photos are opaque), rotated and mirrored as the file
 * says. `maxPixels`: a picture larger than this is refused from its header, before its pixels are
 * decoded (`tooLarge` says so in the caller's words).
 */
export async function heicAsPng(bytes: Uint8Array, options: { maxPixels: number; tooLarge: (width: number, height: number) => Error }): Promise<Buffer> {
  const decoder = new (await libheif()).HeifDecoder();
  let images: HeifImage[] = [];
  let refusal: Error | null = null;
  try {
    // libheif-js says why a file does not parse with console.log, on stdout, where a CLI's --json lines go; the
    // refusal is worded here instead. The decode is synchronous: nothing else logs meanwhile.
    const log = console.log;
    console.log = () => {};
    try {
      images = decoder.decode(bytes);
    } catch {
      throw new HeicError('its HEIF boxes cannot be read (the file is damaged, or only part of a photo)');
    } finally {
      console.log = log;
    }
    const image = images.find((candidate) => candidate.is_primary()) ?? images[0];
    if (!image) throw new HeicError('the file holds no picture (it is damaged, or only part of a photo)');
    const width = image.get_width();
    const height = image.get_height();
    if (!(width > 0 && height > 0)) throw new HeicError('the file does not say how large the picture is');
    if (width * height > options.maxPixels) throw (refusal = options.tooLarge(width, height));
    const rgba = await new Promise<Uint8ClampedArray>((resolve, reject) => {
      image.display({ data: new Uint8ClampedArray(width * height * 4), width, height }, (result) =>
        result ? resolve(result.data) : reject(new HeicError('the HEVC picture data cannot be decoded (the file is damaged, or only part of a photo)')),
      );
    });
    return await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } })
      .removeAlpha()
      .png({ compressionLevel: 0 })
      .toBuffer();
  } catch (err) {
    if (err instanceof HeicError || err === refusal) throw err;
    // A trap, or an exception libheif's C++ threw: this instance is done with; the photo is said to be damaged.
    instance = null;
    throw new HeicError('its picture data cannot be decoded (the file is damaged, or only part of a photo)');
  } finally {
    try {
      for (const image of images) image.free();
      decoder.decoder.delete();
    } catch {
      instance = null;
    }
  }
}
