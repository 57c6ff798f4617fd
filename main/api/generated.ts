// Images the studio generates (interpolation frames, arithmetic results, denoised crops) live in memory only,
// under random ids, until evicted: nothing the studio makes is written to disk, and a ref cannot name a file.
import { randomBytes } from 'node:crypto';

export interface StoredImage {
  body: Buffer;
  contentType: string;
}

export class GeneratedImages {
  private readonly images = new Map<string, StoredImage>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** Keeps an encoded image and returns its id (the `generated/<id>` ref). */
  put(body: Buffer, contentType = 'image/png'): string {
    const id = randomBytes(16).toString('hex');
    this.images.set(id, { body, contentType });
    this.bytes += body.length;
    for (const [oldId, old] of this.images) {
      if (this.bytes <= this.maxBytes || oldId === id) break;
      this.images.delete(oldId);
      this.bytes -= old.body.length;
    }
    return id;
  }

  get(id: string): StoredImage | undefined {
    const image = this.images.get(id);
    if (image) {
      // Most recently used last, so eviction drops the images nobody looked at for longest.
      this.images.delete(id);
      this.images.set(id, image);
    }
    return image;
  }
}
