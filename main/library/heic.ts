// HEIC: HEIF holding HEVC pictures, what iPhones have taken since 2017. The prebuilt libvips sharp ships reads HEIF's
// boxes (size, EXIF) and AVIF's AV1, but has no HEVC decoder (patents), so a family's phone photos were skipped. They
// are decoded by libheif built to WebAssembly with libde265 (libheif-js, LGPL-3.0, its own module), which applies the
// file's rotation and mirroring, into an uncompressed PNG that every reader of photos hands to sharp as it hands it a
// JPEG (decode.ts sharpReadable): the import, the viewer's images and the face studio's crops. The WebAssembly decodes
// synchronously (about a second for 12 megapixels), so it runs in a thread of its own (heic-worker.ts), one photo at a
// time, never in the thread that asks: the engine's answers the window.
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { siblingModule, startWorker } from '../jobs/worker-host.js';

/** The parts of libheif-js used here (it ships no types): its decoder, and the C API's decode that it wraps. */
interface HeifImage {
  handle: unknown;
  get_width(): number;
  get_height(): number;
  is_primary(): boolean;
  free(): void;
}
interface HeifChannel {
  id: number;
  width: number;
  height: number;
  stride: number;
  data: Uint8Array;
}
interface LibHeif {
  HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[]; decoder: { delete(): void } };
  ready?: Promise<unknown>;
  heif_js_decode_image2(handle: unknown, colorspace: number, chroma: number): { code?: number; image: unknown; channels: HeifChannel[] } | null;
  heif_image_release(image: unknown): void;
  heif_colorspace: { heif_colorspace_RGB: number };
  heif_chroma: { heif_chroma_interleaved_RGB: number };
  heif_channel: { heif_channel_interleaved: number };
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

const DAMAGED = 'its picture data cannot be decoded (the file is damaged, or only part of a photo)';

/** A HEIC's primary picture: RGB, rows packed. */
export interface HeicPicture {
  width: number;
  height: number;
  rgb: Uint8Array;
}
export interface HeicRequest {
  id: number;
  bytes: Uint8Array;
  maxPixels: number;
}
export type HeicReply = { id: number; picture: HeicPicture } | { id: number; tooLarge: [number, number] } | { id: number; damaged: string };

/** A picture past the caller's pixel limit, found from its header before its pixels are decoded. */
export class HeicTooLarge extends Error {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    super(`${width}x${height} is too large`);
  }
}

let instance: LibHeif | null = null;
/**
 * libheif's WebAssembly, its module embedded in the script (nothing read from disk, so it loads from app.asar too):
 * one instance per thread, made again after one failed in a way libheif did not report (a WebAssembly trap leaves an
 * instance unusable).
 */
function libheif(): LibHeif {
  if (!instance) {
    const makeInstance = createRequire(import.meta.url)('libheif-js/libheif-wasm/libheif-bundle.js') as () => LibHeif;
    instance = makeInstance();
  }
  return instance;
}

/** Resolves once this thread's libheif can decode (its WebAssembly compiled). */
export async function heicReady(): Promise<void> {
  await libheif().ready;
}

/**
 * Decodes a HEIC's primary picture (after heicReady), rotated and mirrored as the file says (heic-worker.ts runs this). Throws
 * HeicTooLarge past `maxPixels`, HeicError for a file it cannot decode. libheif-js says why a file fails with
 * console.log, on stdout, where a CLI's --json lines go: it is kept quiet, and the refusal worded here instead.
 */
export function decodeHeic(bytes: Uint8Array, maxPixels: number): HeicPicture {
  const log = console.log;
  console.log = () => {};
  let decoder: InstanceType<LibHeif['HeifDecoder']> | null = null;
  let images: HeifImage[] = [];
  try {
    const heif = libheif();
    decoder = new heif.HeifDecoder();
    images = decoder.decode(bytes);
    const image = images.find((candidate) => candidate.is_primary()) ?? images[0];
    if (!image) throw new HeicError('the file holds no picture it can read (it is damaged, or only part of a photo)');
    const width = image.get_width();
    const height = image.get_height();
    if (!(width > 0 && height > 0)) throw new HeicError('the file does not say how large the picture is');
    if (width * height > maxPixels) throw new HeicTooLarge(width, height);
    const decoded = heif.heif_js_decode_image2(image.handle, heif.heif_colorspace.heif_colorspace_RGB, heif.heif_chroma.heif_chroma_interleaved_RGB);
    if (!decoded || decoded.code) throw new HeicError(DAMAGED);
    try {
      const channel = decoded.channels.find((candidate) => candidate.id === heif.heif_channel.heif_channel_interleaved);
      if (!channel || channel.width !== width || channel.height !== height) throw new HeicError(DAMAGED);
      // The channel is a view of the WebAssembly memory, its rows padded: copied out, packed.
      const rgb = new Uint8Array(width * height * 3);
      const row = width * 3;
      for (let y = 0; y < height; y++) rgb.set(channel.data.subarray(y * channel.stride, y * channel.stride + row), y * row);
      return { width, height, rgb };
    } finally {
      heif.heif_image_release(decoded.image);
    }
  } catch (err) {
    if (err instanceof HeicError || err instanceof HeicTooLarge) throw err;
    // A trap, or an exception libheif's C++ threw: this instance is done with; the photo is said to be damaged.
    instance = null;
    throw new HeicError(DAMAGED);
  } finally {
    try {
      for (const image of images) image.free();
      decoder?.decoder.delete();
    } catch {
      instance = null;
    }
    console.log = log;
  }
}

/** The decoding thread is stopped once idle this long: its WebAssembly memory, grown by the largest photo, goes with it. */
const IDLE_MS = 20_000;

/** heic-worker.ts, started when a HEIC comes and stopped when idle; started again after one that died. */
class DecodingThread {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (reply: HeicReply) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;

  decode(bytes: Uint8Array, maxPixels: number): Promise<HeicReply> {
    const worker = this.started();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    return new Promise<HeicReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Held while it works, so a CLI waits for it; not once idle.
      worker.ref();
      worker.postMessage({ id, bytes, maxPixels } satisfies HeicRequest);
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(siblingModule(import.meta.url, 'heic-worker'));
    worker.on('message', (reply: HeicReply) => {
      this.waiting.get(reply.id)?.resolve(reply);
      this.waiting.delete(reply.id);
      this.whenIdle(worker);
    });
    // Killed by the system (out of memory) or ended by a fault: the photos it had are refused, the next starts anew.
    const ended = (err?: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const { reject } of this.waiting.values()) reject(err instanceof HeicError ? err : new HeicError(DAMAGED));
      this.waiting.clear();
    };
    worker.on('error', ended);
    worker.on('exit', () => ended());
    this.worker = worker;
    return worker;
  }

  private whenIdle(worker: Worker): void {
    if (this.waiting.size > 0) return;
    worker.unref();
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.waiting.size > 0) return;
      this.worker = null;
      void worker.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }
}

const decodingThread = new DecodingThread();

/**
 * The primary picture of a HEIC file as an uncompressed RGB PNG (photos are opaque), rotated and mirrored as the file
 * says, decoded in heic-worker.ts. `maxPixels`: a picture larger than this is refused from its header, before its pixels
 * are decoded (`tooLarge` says so in the caller's words).
 */
export async function heicAsPng(bytes: Uint8Array, options: { maxPixels: number; tooLarge: (width: number, height: number) => Error }): Promise<Buffer> {
  const reply = await decodingThread.decode(bytes, options.maxPixels);
  if ('tooLarge' in reply) throw options.tooLarge(...reply.tooLarge);
  if ('damaged' in reply) throw new HeicError(reply.damaged);
  const { width, height, rgb } = reply.picture;
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}
