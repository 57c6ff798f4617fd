// Turns an image reference (`thumb/<faceId>`, `photo/<photoId>`, `preview/<photoId>`, `generated/<id>`) into
// bytes, for both the `familiar://` protocol and the HTTP server. A ref is an id, never a path: thumbnails are
// looked up as <library>/thumbs/<faceId>.webp and must resolve (symlinks followed) inside the library folder;
// photos are read only from the paths the library recorded for that photo id; generated images come from memory.
// So no request can name an arbitrary file, whatever it encodes.
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { parseImageRef } from '../../preload/contract.js';
import { decodePixelLimit, readPhotoBytes } from '../library/decode.js';
import { isInside } from '../paths.js';
import type { GeneratedImages, StoredImage } from './generated.js';

export const PHOTO_MAX_EDGE = 2560;
export const PREVIEW_MAX_EDGE = 480;

export interface ImageSourceOptions {
  libraryDir: string;
  /** The paths the library recorded for a photo id (primary first), or undefined for an unknown id. */
  photoPaths(photoId: string): Promise<string[] | undefined> | string[] | undefined;
  generated: GeneratedImages;
  /** Bytes of downscaled photos kept in memory for the grid. */
  cacheBytes?: number;
}

export interface ServedImage extends StoredImage {
  /** Immutable for the life of the ref (thumbnails change only with a new face id; generated ids are unique). */
  immutable: boolean;
}

export class ImageSource {
  private readonly cache = new Map<string, ServedImage>();
  private cachedBytes = 0;
  private libraryRoot: Promise<string> | undefined;

  constructor(private readonly options: ImageSourceOptions) {}

  /** The image for `ref`, or undefined when the ref is malformed, unknown, outside the library or unreadable. */
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
        case 'preview':
          return await this.photo(parsed.id, parsed.kind);
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

  private async photo(photoId: string, kind: 'photo' | 'preview'): Promise<ServedImage | undefined> {
    const key = `${kind}/${photoId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const paths = (await this.options.photoPaths(photoId)) ?? [];
    for (const path of paths) {
      const info = await lstat(path).catch(() => undefined);
      if (!info) continue;
      const real = await realpath(path).catch(() => undefined);
      if (!real || !(await stat(real)).isFile()) continue;
      const edge = kind === 'photo' ? PHOTO_MAX_EDGE : PREVIEW_MAX_EDGE;
      // Rotated by EXIF so face boxes (stored in rotated pixels) line up; re-encoded so HEIC/TIFF display anywhere.
      // From bytes, not the path: a photo truncated while libvips maps it would kill the process (SIGBUS).
      const bytes = await readPhotoBytes(real).catch(() => undefined);
      if (!bytes) continue;
      // The import's caps (decodePixelLimit): a decompression bomb must not take the UI down, but a 108-megapixel
      // JPEG the import accepted (read shrunk while decoding) must show.
      const format = (await sharp(bytes, { limitInputPixels: false }).metadata().catch(() => undefined))?.format;
      const pipeline = sharp(bytes, { limitInputPixels: decodePixelLimit(format), failOn: 'none' })
        .rotate()
        .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true });
      const body = kind === 'photo' ? await pipeline.jpeg({ quality: 88 }).toBuffer() : await pipeline.webp({ quality: 78 }).toBuffer();
      const image: ServedImage = { body, contentType: kind === 'photo' ? 'image/jpeg' : 'image/webp', immutable: false };
      if (kind === 'preview') this.remember(key, image);
      return image;
    }
    return undefined;
  }

  private remember(key: string, image: ServedImage): void {
    const max = this.options.cacheBytes ?? 48 * 1024 * 1024;
    this.cache.set(key, image);
    this.cachedBytes += image.body.length;
    for (const [oldKey, old] of this.cache) {
      if (this.cachedBytes <= max) break;
      this.cache.delete(oldKey);
      this.cachedBytes -= old.body.length;
    }
  }
}
