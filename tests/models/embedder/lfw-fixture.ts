// lfw_subset as the embedder's tests and benchmark see it: one backbone descriptor per photo (the face nearest
// the image centre, the one LFW labels), grouped by identity, from the shared embedding cache.
import { readFile } from 'node:fs/promises';
import { loadDatasetEmbeddings, type CachedImage } from '../../helpers/shared-faces.js';

export interface LfwPerson {
  identity: string;
  /** Photo paths inside the dataset, parallel to descriptors. */
  photos: string[];
  descriptors: Float32Array[];
}

function centralFace<F extends { box: CachedImage['faces'][number]['box'] }>(img: { width: number; height: number; faces: F[] }): F | null {
  let best: F | null = null;
  let bestDistance = Infinity;
  for (const face of img.faces) {
    const d = Math.hypot(face.box[0] + face.box[2] / 2 - img.width / 2, face.box[1] + face.box[3] / 2 - img.height / 2);
    if (d < bestDistance) {
      bestDistance = d;
      best = face;
    }
  }
  return best;
}

/**
 * People of lfw_subset sorted by name; photos where no face was found are skipped. `cacheFile` reads an
 * embedding cache of another pipeline version instead of the current one (benchmarks comparing pipelines).
 */
export async function loadLfwPeople(cacheFile?: string): Promise<LfwPerson[]> {
  const images: Array<Pick<CachedImage, 'identity' | 'relative' | 'width' | 'height'> & { faces: Array<Pick<CachedImage['faces'][number], 'box'> & { descriptor: ArrayLike<number> }> }> =
    cacheFile ? (JSON.parse(await readFile(cacheFile, 'utf8')) as { images: CachedImage[] }).images : await loadDatasetEmbeddings('lfw_subset');
  const byIdentity = new Map<string, LfwPerson>();
  for (const img of images) {
    if (!img.identity) continue;
    const face = centralFace(img);
    if (!face) continue;
    const person = byIdentity.get(img.identity) ?? { identity: img.identity, photos: [], descriptors: [] };
    person.photos.push(img.relative);
    person.descriptors.push(Float32Array.from(face.descriptor));
    byIdentity.set(img.identity, person);
  }
  return [...byIdentity.values()].sort((a, b) => (a.identity < b.identity ? -1 : 1));
}
