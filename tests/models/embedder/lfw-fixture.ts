// lfw_subset as the embedder's tests and benchmark see it: one backbone descriptor per photo (the face nearest
// the image centre, the one LFW labels), grouped by identity, from the shared embedding cache.
import { loadDatasetEmbeddings, type CachedImage } from '../../helpers/shared-faces.js';

export interface LfwPerson {
  identity: string;
  /** Photo paths inside the dataset, parallel to descriptors. */
  photos: string[];
  descriptors: Float32Array[];
}

function centralFace(img: CachedImage): CachedImage['faces'][number] | null {
  let best: CachedImage['faces'][number] | null = null;
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

/** People of lfw_subset sorted by name; photos where no face was found are skipped. */
export async function loadLfwPeople(): Promise<LfwPerson[]> {
  const images = await loadDatasetEmbeddings('lfw_subset');
  const byIdentity = new Map<string, LfwPerson>();
  for (const img of images) {
    if (!img.identity) continue;
    const face = centralFace(img);
    if (!face) continue;
    const person = byIdentity.get(img.identity) ?? { identity: img.identity, photos: [], descriptors: [] };
    person.photos.push(img.relative);
    person.descriptors.push(face.descriptor);
    byIdentity.set(img.identity, person);
  }
  return [...byIdentity.values()].sort((a, b) => (a.identity < b.identity ? -1 : 1));
}
