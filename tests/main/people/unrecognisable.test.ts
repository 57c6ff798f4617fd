// Faces too small to recognise, on real photos through the real engine. Seventeen LFW photos with a stranger 14-57 px
// tall or cut off at the edge, and Abdullah Gul's ten photos: before faces were checked, the strangers' descriptors
// (mostly blur) lay close enough together that clustering drew them into one "person" of seventeen strangers, the
// largest group of the library and the first thing "Who is this?" asked about.
import { describe, expect, it } from 'vitest';
import { unrecognisable } from '../../../main/people/library.js';
import { nameFaces, recluster, suggestionsFor } from '../../../main/people/index.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { importedLibrary } from '../../helpers/imported-library.js';

const STRANGERS = [
  'Adrien_Brody/Adrien_Brody_0006.jpg',
  'Adrien_Brody/Adrien_Brody_0007.jpg',
  'Atal_Bihari_Vajpayee/Atal_Bihari_Vajpayee_0002.jpg',
  'David_Beckham/David_Beckham_0003.jpg',
  'Fidel_Castro/Fidel_Castro_0009.jpg',
  'Gary_Bald/Gary_Bald_0001.jpg',
  'Guillermo_Coria/Guillermo_Coria_0004.jpg',
  'Igor_Ivanov/Igor_Ivanov_0008.jpg',
  'Jennifer_Garner/Jennifer_Garner_0001.jpg',
  'John_Ashcroft/John_Ashcroft_0006.jpg',
  'Mohammad_Khatami/Mohammad_Khatami_0003.jpg',
  'Paul_Burrell/Paul_Burrell_0007.jpg',
  'Pervez_Musharraf/Pervez_Musharraf_0005.jpg',
  'Tommy_Franks/Tommy_Franks_0004.jpg',
  'Tommy_Franks/Tommy_Franks_0009.jpg',
  'Vladimir_Putin/Vladimir_Putin_0007.jpg',
  'Winona_Ryder/Winona_Ryder_0002.jpg',
];

const { library } = importedLibrary('unrecognisable', [...STRANGERS.map((p) => `lfw_subset/${p}`), 'lfw_subset/Abdullah_Gul']);
const why = (f: FaceRecord) => unrecognisable(f, library().photo(f.photoId));
const small = () => library().faces.filter((f) => why(f) === 'small');
const setAside = () => library().faces.filter((f) => why(f) !== null);

describe('faces too small to recognise', () => {
  it('records the size the recognition net saw, and finds the strangers too small', () => {
    for (const f of library().faces) {
      // 250 px photos are analysed as they are: the analysed side is the box's.
      expect(f.analysedSide).toBeCloseTo(Math.min(f.box[2], f.box[3]), 0);
    }
    expect(small().length).toBeGreaterThanOrEqual(12);
  });

  it('groups none of them (small or cut off), on import or on recluster, while the real person still forms a group', async () => {
    const check = () => {
      expect(setAside().filter((f) => f.personId !== null && f.assignedBy !== 'user')).toEqual([]);
      // The largest face of each of his photos is his (the others are people beside him).
      const gul = library()
        .photos.filter((p) => p.paths[0].includes('/Abdullah_Gul/'))
        .map((p) => library().facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)));
      expect(gul).toHaveLength(10);
      const groups = new Set(gul.map((f) => f.personId));
      expect(groups.size).toBe(1);
      expect([...groups][0]).not.toBeNull();
      // No group of strangers: a group holds at most one face that is not its photo's main (largest) face.
      const main = new Set(library().photos.map((p) => library().facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)).id));
      for (const personId of new Set(library().faces.map((f) => f.personId).filter((p) => p !== null))) {
        const strangers = library().faces.filter((f) => f.personId === personId && !main.has(f.id));
        expect(strangers.length, `group with ${strangers.map((f) => library().photo(f.photoId)!.paths[0].split('/').at(-1)).join(', ')}`).toBeLessThanOrEqual(1);
      }
    };
    check();
    await recluster(library());
    check();
  });

  it('lets the user name one, and keeps that name through a recluster', async () => {
    const face = small()[0];
    await nameFaces(library(), [face.id], 'Someone in the back');
    await recluster(library());
    const after = library().face(face.id)!;
    expect(after.assignedBy).toBe('user');
    expect(library().people.people.find((p) => p.id === after.personId)?.name).toBe('Someone in the back');
    // Suggestions may still offer small faces: the user decides each (this one's person is the small face itself).
    expect(() => suggestionsFor(library(), after.personId!, 10)).not.toThrow();
  });

  it('estimates faces stored before the analysed size was recorded generously, from the largest analysis', () => {
    const face = library().faces.find((f) => why(f) === null)!;
    const legacy = (box: FaceRecord['box']): FaceRecord => ({ ...face, box, analysedSide: undefined });
    // A 250 px photo was analysed as it is.
    expect(unrecognisable(legacy([10, 10, 20, 20]), { width: 250, height: 250 })).toBe('small');
    expect(unrecognisable(legacy([10, 10, 90, 90]), { width: 250, height: 250 })).toBeNull();
    // An 8000 px photo: at most 2048 px were analysed (the closer look), so a 100 px face was ~26 px there...
    expect(unrecognisable(legacy([10, 10, 100, 100]), { width: 8000, height: 6000 })).toBe('small');
    // ...and a 150 px face in a 4000 px photo was ~77 px: never set aside by an upgrade.
    expect(unrecognisable(legacy([10, 10, 150, 150]), { width: 4000, height: 3000 })).toBeNull();
  });
});
