// Turns an image reference (`thumb/<faceId>`, `photo/<photoId>`, `full/<photoId>`, `around/<faceId>`, `preview/<photoId>`,
// `generated/<id>`) into bytes, for both the `familiar://` protocol and the HTTP server. A ref is an id, never a path: thumbnails are
// looked up as <library>/thumbs/<faceId>.webp and must resolve (symlinks followed) inside the library folder;
// photos are read only from the paths the library recorded for that photo id, and only while each is still the file
// imported there (servedPhotoFile); generated images come from memory. So no request can name an arbitrary file,
// whatever it encodes, nor reach one through a photo swapped for a symlink.
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { FULL_IMAGE_MAX_EDGE, parseImageRef } from '../../preload/contract.js';
import { faceView, viewRegion } from '../../preload/face-zoom.js';
import { decodePixelLimit, readPhotoBytes, sharpReadable } from '../library/decode.js';
import { isInside } from '../paths.js';
import type { FileStamp } from '../store/types.js';
import type { GeneratedImages, StoredImage } from './generated.js';

export const PHOTO_MAX_EDGE = 2560;
export const PREVIEW_MAX_EDGE = 480;
/**
 * `full/<photoId>` is the photo for zooming in past `photo/` (a small face in a large photo), at most
 * FULL_IMAGE_MAX_EDGE a side. Files of the formats a browser shows are served as they are when no larger (nothing
 * re-encoded or lost): browsers turn a JPEG by its EXIF orientation as sharp does, the others only when unturned.
 * HEIC, TIFF, RAW and larger files get a rendition, kept in memory like the grid's previews.
 */
const SHOWN_AS_THEY_ARE: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export interface ImageSourceOptions {
  libraryDir: string;
  /** The paths the library recorded for a photo id (primary first), or undefined for an unknown id. */
  photoPaths(photoId: string): Promise<string[] | undefined> | string[] | undefined;
  /** What the library recorded of the photo's file: its size, and each path's size and mtime when it was read. */
  photoFile?(photoId: string): { bytes: number; fileStamps?: Record<string, FileStamp> } | undefined;
  /** A face's photo and box, and the photo's size as recorded (the box's pixels), for `around/<faceId>`. */
  faceOf?(faceId: string): { photoId: string; box: readonly [number, number, number, number]; width: number; height: number } | undefined;
  /** Where a photo refused because its file changed on disk is said (serve's stderr, the app's log). */
  log?: (message: string) => void;
  generated: GeneratedImages;
  /** Bytes of downscaled photos kept in memory for the grid. */
  cacheBytes?: number;
  /** Bytes of `full/` renditions kept in memory (a HEIC zoomed into again is not converted again). */
  fullCacheBytes?: number;
}

export interface ServedImage extends StoredImage {
  /** Immutable for the life of the ref (thumbnails change only with a new face id; generated ids are unique). */
  immutable: boolean;
  /**
   * 409 for a photo the library has but does not show, its file no longer the one imported there: the body is then a
   * sentence saying so and what to do, with no path (a client learns nothing of the files outside the library).
   */
  status?: 409;
}

/** Why a photo swapped for a link out of its folder is not shown, and why one changed on disk is not. */
export const PHOTO_MOVED = "This photo's file has been replaced by a link to a file outside its folder, so Familiar does not show it. Import its folder again to see it.";
export const PHOTO_CHANGED = 'This photo has changed on disk since it was imported, so Familiar does not show it. Import its folder again to see it.';

function refusal(sentence: string): ServedImage {
  return { body: Buffer.from(sentence + '\n'), contentType: 'text/plain; charset=utf-8', immutable: false, status: 409 };
}

export class ImageSource {
  private readonly cache: ImageCache;
  /** Kept apart from the previews: one 20 MB rendition would push hundreds of them out. */
  private readonly fullCache: ImageCache;
  /** Images being made, by key: a second request for one waits for the first. */
  private readonly making = new Map<string, Promise<ServedImage | undefined>>();
  private libraryRoot: Promise<string> | undefined;
  /** Refusals already logged: a grid asks again on every scroll. */
  private readonly refusalsSaid = new Set<string>();

  constructor(private readonly options: ImageSourceOptions) {
    this.cache = new ImageCache(options.cacheBytes ?? 48 * 1024 * 1024);
    this.fullCache = new ImageCache(options.fullCacheBytes ?? 64 * 1024 * 1024);
  }

  /**
   * The image for `ref`; why not (status 409), for a photo whose file changed on disk since it was imported; or
   * undefined when the ref is malformed, unknown, outside the library or unreadable.
   */
  async get(ref: string): Promise<ServedImage | undefined> {
    const parsed = parseImageRef(ref);
    if (!parsed) return undefined;
    try {
      switch (parsed.kind) {
        case 'thumb':
          return await this.thumb(parsed.id);
        case 'generated': {
          const image = this.options.generated.get(parsed.id);
          return image && { ...image, immutable: true };
        }
        case 'photo':
        case 'full':
        case 'preview':
          return await this.photo(parsed.id, parsed.kind);
        case 'around':
          return await this.around(parsed.id);
      }
    } catch {
      // Missing, unreadable or undecodable: the caller answers 404 either way, and learns nothing about why.
      return undefined;
    }
  }

  private async thumb(faceId: string): Promise<ServedImage | undefined> {
    this.libraryRoot ??= realpath(this.options.libraryDir);
    const root = await this.libraryRoot;
    const real = await realpath(join(root, 'thumbs', `${faceId}.webp`));
    // Both spelt by realpath, as the disk spells them, and compared as the platform compares names (main/paths.ts).
    if (!isInside(join(root, 'thumbs'), real)) return undefined;
    if (!(await stat(real)).isFile()) return undefined;
    return { body: await readFile(real), contentType: 'image/webp', immutable: true };
  }

  private async photo(photoId: string, kind: 'photo' | 'full' | 'preview', region?: Region): Promise<ServedImage | undefined> {
    // The library's record before the cache: a photo taken out of the library is not served from memory either.
    const paths = (await this.options.photoPaths(photoId)) ?? [];
    if (paths.length === 0) return undefined;
    const key = region ? `around/${region.key}` : `${kind}/${photoId}`;
    const cached = (kind === 'full' ? this.fullCache : this.cache).get(key);
    if (cached) return cached;
    // Two requests for one image (a zoom, then another before the first answer) convert it once.
    let making = this.making.get(key);
    if (!making) {
      making = this.render(photoId, paths, kind, key, region).finally(() => this.making.delete(key));
      this.making.set(key, making);
    }
    return making;
  }

  /**
   * The photo's own pixels in the view the queues zoom to on a face (preload/face-zoom.ts), cut out of the photo at
   * full size up to PHOTO_MAX_EDGE: a face in a 100-megapixel panorama is sharp in a fraction of a second, where the
   * 8,192-px `full/` image took seconds to make and the browser 200 MB to hold. None for a face shown without zooming.
   */
  private async around(faceId: string): Promise<ServedImage | undefined> {
    const face = this.options.faceOf?.(faceId);
    const view = face && faceView(face.box, face.width, face.height, true);
    if (!face || !view) return undefined;
    // Keyed by the face and what it is cut from: the box or the photo's record changes, the image does.
    return this.photo(face.photoId, 'full', { key: `${faceId}:${face.box.join(',')}:${face.width}x${face.height}`, ...viewRegion(view) });
  }

  /**
   * The real file behind a recorded path, while it is still the one imported there: inside the real folder it was
   * recorded in (a photo swapped for a symlink out of its folder, to ~/.ssh/id_rsa or a JPEG elsewhere, is not; a
   * symlink the import itself followed still has the size and mtime it had then), and of the photo's size (ids are
   * the content's, but hashing every request is too dear). Otherwise why not (said once in the log, with the path),
   * or undefined when there is no file.
   */
  private async servedPhotoFile(photoId: string, path: string): Promise<string | ServedImage | undefined> {
    const real = await realpath(path).catch(() => undefined);
    if (!real) return undefined;
    const info = await stat(real);
    if (!info.isFile()) return undefined;
    const record = this.options.photoFile?.(photoId);
    const folder = await realpath(dirname(path)).catch(() => undefined);
    const stamp = record?.fileStamps?.[path];
    const followedOnImport = stamp !== undefined && stamp.size === info.size && stamp.mtimeMs === info.mtimeMs;
    if (!folder || (!isInside(folder, real) && !followedOnImport)) {
      this.refused(`Not showing ${path}: it now leads out of its folder, to ${real}, which was never imported.`);
      return refusal(PHOTO_MOVED);
    }
    if (record && info.size !== record.bytes) {
      this.refused(`Not showing ${path}: this photo has changed on disk since it was imported; import its folder again to see it.`);
      return refusal(PHOTO_CHANGED);
    }
    return real;
  }

  private refused(sentence: string): void {
    if (this.refusalsSaid.has(sentence)) return;
    this.refusalsSaid.add(sentence);
    this.options.log?.(sentence);
  }

  private async render(photoId: string, paths: readonly string[], kind: 'photo' | 'full' | 'preview', key: string, region?: Region): Promise<ServedImage | undefined> {
    // Said when no path serves the photo and one of them is there but no longer the photo (a copy elsewhere may be).
    let refused: ServedImage | undefined;
    for (const path of paths) {
      const info = await lstat(path).catch(() => undefined);
      if (!info) continue;
      const real = await this.servedPhotoFile(photoId, path);
      if (typeof real !== 'string') {
        refused ??= real;
        continue;
      }
      // A region of the photo (`around/`) is cut out at its own pixels, up to what the viewer is sent of a whole photo.
      const edge = region || kind === 'photo' ? PHOTO_MAX_EDGE : kind === 'full' ? FULL_IMAGE_MAX_EDGE : PREVIEW_MAX_EDGE;
      // Rotated by EXIF so face boxes (stored in rotated pixels) line up; re-encoded so HEIC/TIFF display anywhere.
      // From bytes, not the path: a photo truncated while libvips maps it would kill the process (SIGBUS).
      const read = await readPhotoBytes(real).catch(() => undefined);
      // A PGM, PPM or HEIC is handed to sharp as an uncompressed PNG (netpbm.ts, heic.ts), never sent as that: browsers
      // show none of them. One past the import's pixel limit is refused from its header, before its pixels are decoded.
      const bytes = read ? await sharpReadable(read).catch(() => undefined) : read;
      if (!bytes) continue;
      // The import's caps (decodePixelLimit): a decompression bomb must not take the UI down, but a 108-megapixel
      // JPEG the import accepted (read shrunk while decoding) must show.
      const metadata = await sharp(bytes, { limitInputPixels: false }).metadata().catch(() => undefined);
      const format = metadata?.format;
      const asItIs = format !== undefined && SHOWN_AS_THEY_ARE[format];
      if (!region && kind === 'full' && bytes === read && metadata?.width && metadata.height && asItIs && Math.max(metadata.width, metadata.height) <= FULL_IMAGE_MAX_EDGE && (format === 'jpeg' || (metadata.orientation ?? 1) === 1)) {
        return { body: bytes, contentType: asItIs, immutable: false };
      }
      const rotated = sharp(bytes, { limitInputPixels: decodePixelLimit(format), failOn: 'none' }).rotate();
      const cut = region && metadata?.width && metadata.height ? regionPixels(region, metadata.width, metadata.height, (metadata.orientation ?? 1) >= 5) : undefined;
      if (region && !cut) continue;
      const pipeline = (cut ? rotated.extract(cut) : rotated).resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true });
      const body = kind === 'preview' ? await pipeline.webp({ quality: 78 }).toBuffer() : await pipeline.jpeg({ quality: kind === 'full' ? 90 : 88 }).toBuffer();
      const image: ServedImage = { body, contentType: kind === 'preview' ? 'image/webp' : 'image/jpeg', immutable: false };
      if (kind !== 'photo') (kind === 'full' ? this.fullCache : this.cache).set(key, image);
      return image;
    }
    return refused;
  }
}

/** A part of a photo in shares of its width and height (preload/face-zoom.ts's viewRegion), and its cache key. */
interface Region {
  key: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * A region's pixels in the photo as it is shown (turned by its EXIF orientation, which swaps its sides from 5 on),
 * within its edges; undefined when nothing of it is left.
 */
function regionPixels(region: Region, storedWidth: number, storedHeight: number, turned: boolean): { left: number; top: number; width: number; height: number } | undefined {
  const [width, height] = turned ? [storedHeight, storedWidth] : [storedWidth, storedHeight];
  const left = Math.max(0, Math.floor(region.x * width));
  const top = Math.max(0, Math.floor(region.y * height));
  const right = Math.min(width, Math.ceil((region.x + region.w) * width));
  const bottom = Math.min(height, Math.ceil((region.y + region.h) * height));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : undefined;
}

/** Images kept in memory up to a number of bytes, the earliest kept let go first. */
class ImageCache {
  private readonly images = new Map<string, ServedImage>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): ServedImage | undefined {
    return this.images.get(key);
  }

  set(key: string, image: ServedImage): void {
    if (image.body.length > this.maxBytes) return;
    // Made again after it was let go, or by a request that did not wait for another's.
    this.bytes -= this.images.get(key)?.body.length ?? 0;
    this.images.set(key, image);
    this.bytes += image.body.length;
    for (const [oldKey, old] of this.images) {
      if (this.bytes <= this.maxBytes) break;
      this.images.delete(oldKey);
      this.bytes -= old.body.length;
    }
  }
}
