// A first import of one person's photos, the way many albums start (a folder of the new baby): Abdullah Gul's ten
// LFW photos through the real engine. Clustering caps how far a group may reach (HDBSCAN's maxDistance), and a library
// whose faces within reach form a single group used to get no group at all: HDBSCAN proper never selects the
// component that is the whole data set.
import { describe, expect, it } from 'vitest';
import { listPeople, recluster } from '../../../main/people/index.js';
import { importedLibrary } from '../../helpers/imported-library.js';

const { library } = importedLibrary('first-import', ['lfw_subset/Abdullah_Gul']);

describe('a first import of one person', () => {
  it('makes one group of their photos, on import and on recluster', async () => {
    const check = () => {
      const groups = listPeople(library());
      expect(groups).toHaveLength(1);
      // The main (largest) face of each of his ten photos is in it.
      const main = library().photos.map((p) => library().facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)));
      expect(main).toHaveLength(10);
      expect(main.every((f) => f.personId === groups[0].id)).toBe(true);
    };
    check();
    await recluster(library());
    check();
  });
});
