// lfw_subset as the embedder's tests and benchmark see it: one backbone descriptor per photo (the face nearest
// the image centre, the one LFW labels), grouped by identity, from the shared embedding cache.
// LFW crops are centred on the labelled face, so a detected face whose box does not cover the image centre is
// someone else in the background (the detector missed the labelled face): such photos are skipped rather than
// counted under the wrong name. On lfw_subset that is 6 of 1,678 photos (e.g. Gray_Davis_0006, whose only
// face is a bystander in the top-right corner); kept, each showed up as "confused" with ~80 other people.
import { readFile } from 'node:fs/promises';
import { identityOf, loadDatasetEmbeddings, type CachedImage } from '../../helpers/shared-faces.js';

export interface LfwPerson {
  identity: string;
  /** Photo paths inside the dataset, parallel to descriptors. */
  photos: string[];
  descriptors: Float32Array[];
}

/** The face nearest the image centre, provided its box covers the centre (else the labelled face was missed). */
export function centralFace<F extends { box: CachedImage['faces'][number]['box'] }>(img: { width: number; height: number; faces: F[] }): F | null {
  const cx = img.width / 2;
  const cy = img.height / 2;
  let best: F | null = null;
  let bestDistance = Infinity;
  for (const face of img.faces) {
    const [x, y, w, h] = face.box;
    if (x > cx || x + w < cx || y > cy || y + h < cy) continue;
    const d = Math.hypot(x + w / 2 - cx, y + h / 2 - cy);
    if (d < bestDistance) {
      bestDistance = d;
      best = face;
    }
  }
  return best;
}

/**
 * People of lfw_subset sorted by name (LFW's label errors corrected: LABEL_CORRECTIONS in tests/helpers/shared-faces.ts); photos where no face covering the centre was found are skipped. `cacheFile` reads an
 * embedding cache of another pipeline version instead of the current one (benchmarks comparing pipelines).
 */
export async function loadLfwPeople(cacheFile?: string): Promise<LfwPerson[]> {
  const images: Array<Pick<CachedImage, 'identity' | 'relative' | 'width' | 'height'> & { faces: Array<Pick<CachedImage['faces'][number], 'box'> & { descriptor: ArrayLike<number> }> }> =
    cacheFile ? (JSON.parse(await readFile(cacheFile, 'utf8')) as { images: CachedImage[] }).images : await loadDatasetEmbeddings('lfw_subset');
  const byIdentity = new Map<string, LfwPerson>();
  for (const img of images) {
    // From the path, so a cache of another version written before a label correction is corrected too.
    const identity = identityOf('lfw_subset', img.relative);
    if (!identity) continue;
    const face = centralFace(img);
    if (!face) continue;
    const person = byIdentity.get(identity) ?? { identity, photos: [], descriptors: [] };
    person.photos.push(img.relative);
    person.descriptors.push(Float32Array.from(face.descriptor));
    byIdentity.set(identity, person);
  }
  return [...byIdentity.values()].sort((a, b) => (a.identity < b.identity ? -1 : 1));
}
