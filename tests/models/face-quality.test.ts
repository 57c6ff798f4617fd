// Which faces are too small, cut off or too unlike a face to be grouped on their own, on real photos: every labelled
// face of LFW passes, and so do ORL's and yalefaces' faces nearest the limits and face-api.js's tight crops, which
// touch every edge of their photo;
// the strangers at LFW's edges, which clustering drew into one "person" of thirty strangers before this check, do not.
import { describe, expect, it } from 'vitest';
import { MIN_RECOGNISABLE_SIDE, whyUnrecognisable } from '../../models/face-quality.js';
import type { Point } from '../../models/types.js';
import { listDataset, loadDatasetEmbeddings, type CachedImage } from '../helpers/shared-faces.js';
import { centralFace } from './embedder/lfw-fixture.js';

// These photos are small enough to be analysed at their own size, so a box side is the side the recognition net saw.
const lfw = await loadDatasetEmbeddings('lfw_subset');
const verdict = (img: CachedImage, face: CachedImage['faces'][number]) =>
  whyUnrecognisable({ analysedSide: Math.min(face.box[2], face.box[3]), landmarks: face.landmarks, box: face.box, frame: img });
const findFace = (file: string, x: number, y: number) => {
  const img = lfw.find((i) => i.relative.endsWith(`/${file}`))!;
  const face = img.faces.find((f) => Math.abs(f.box[0] - x) < 3 && Math.abs(f.box[1] - y) < 3)!;
  expect(face, file).toBeDefined();
  return verdict(img, face);
};

/**
 * ORL's photos (person: photo numbers) where the pipeline's face lay nearest a limit, of each person's ten: the smallest
 * box, the landmarks fitting a face worst, the least sure find, and the box touching the photo's edge that is least as
 * wide as tall. Chosen over all 400 at PIPELINE_VERSION ...-v7, where every face passed well inside the limits (boxes
 * 61 px and larger against 32, fits 0.065 at worst against 0.3, boxes at the edge 0.66 as wide as tall against 0.6):
 * analysing every photo of ORL and yalefaces took 260 s of each full run; these 163 of the 564 take under a third of that.
 */
const ORL_NEAREST_LIMITS =
  's1: 1 9, s2: 2 3 8 9, s3: 2 4 9, s4: 3 4 7 10, s5: 7 8 9, s6: 2 4 7, s7: 2 8, s8: 1 4 7 9, s9: 1 3 6, s10: 1 6, ' +
  's11: 1 2 3 10, s12: 4 10, s13: 2 5 6, s14: 1 7 10, s15: 4 6 8, s16: 2 3 6 7, s17: 3 4 6 10, s18: 1 7 9, s19: 6 7 9, ' +
  's20: 1 5 7, s21: 1 2 3, s22: 4 6 7, s23: 4 7 9, s24: 3 5 8, s25: 1 4 5, s26: 2 5 7, s27: 7 8, s28: 1 4 10, s29: 2 5 9, ' +
  's30: 2 4 10, s31: 1 5 7, s32: 1 6 7, s33: 3 4 6, s34: 2 7 8, s35: 2 9 10, s36: 1 2 5, s37: 3 9 10, s38: 3 4 9, ' +
  's39: 1 2 3 6, s40: 2 4 8 9';

/**
 * yalefaces' photos (person: conditions) chosen alike over all 164 (no box touches the edge there; boxes 106 px and
 * larger, fits 0.049 at worst, the least sure finds lit from one side).
 */
const YALE_NEAREST_LIMITS =
  'subject01: happy rightlight surprised, subject02: glasses leftlight surprised, subject03: noglasses rightlight surprised, ' +
  'subject04: leftlight rightlight surprised, subject05: rightlight surprised wink, subject06: rightlight surprised, ' +
  'subject07: happy leftlight wink, subject08: rightlight surprised, subject09: leftlight surprised, ' +
  'subject10: glasses happy rightlight, subject11: centerlight rightlight sad, subject12: leftlight surprised, ' +
  'subject13: happy rightlight wink, subject14: rightlight surprised, subject15: happy rightlight wink';

/** "person: a b, other: c" as [person, [a, b]], ... */
const perPerson = (list: string) =>
  list.split(', ').map((entry): [string, string[]] => {
    const [person, picks] = entry.split(': ');
    return [person, picks.split(' ')];
  });
const orlPhotos = async () => perPerson(ORL_NEAREST_LIMITS).flatMap(([person, numbers]) => numbers.map((n) => `${person}/${n}.pgm`));
const yalePhotos = async () => perPerson(YALE_NEAREST_LIMITS).flatMap(([person, conditions]) => conditions.map((c) => `${person}/${person}.${c}.gif`));
const faceApiCrops = async () => (await listDataset('face-api.js')).filter((img) => img.identity !== null).map((img) => img.relative);

describe('whyUnrecognisable on real photos', () => {
  it('passes every labelled face of LFW', () => {
    const failing = lfw.flatMap((img) => {
      const face = centralFace(img);
      return face && verdict(img, face) !== null ? [`${img.relative}: ${verdict(img, face)}`] : [];
    });
    expect(failing).toEqual([]);
  });

  // ORL and yalefaces: every person, in the photos where the pipeline's face lay nearest a limit (ORL_NEAREST_LIMITS).
  // face-api.js: every tight crop (not the group photos).
  it.each([
    ['orl_att_faces', orlPhotos],
    ['yalefaces', yalePhotos],
    ['face-api.js', faceApiCrops],
  ])('passes the single-face photos of %s nearest the limits, tight crops included', async (dataset, photos) => {
    const images = (await loadDatasetEmbeddings(dataset, await photos())).filter((img) => img.faces.length === 1);
    expect(images.length).toBeGreaterThan(30);
    const failing = images.filter((img) => verdict(img, img.faces[0]) !== null).map((img) => `${img.relative}: ${verdict(img, img.faces[0])}`);
    expect(failing).toEqual([]);
    // The first run analyses these photos (ORL's tight crops each with the padded retry, ~0.5 s a crop in a full run);
    // at a load of 18 on two cores, real-model work ran 9 times slower.
  }, 1_800_000);

  it('flags the tiny strangers that used to make one group of thirty people', () => {
    for (const [file, x, y] of [
      ['Adrien_Brody_0007.jpg', 186, 69],
      ['Fidel_Castro_0009.jpg', 203, 155],
      ['Guillermo_Coria_0004.jpg', 36, 119],
      ['Jennifer_Garner_0001.jpg', 8, 142],
      ['Paul_Burrell_0007.jpg', 191, 38],
      ['Winona_Ryder_0002.jpg', 198, 118],
    ] as const) {
      expect(findFace(file, x, y), file).toBe('small');
    }
  });

  it('flags strangers cut off by the photo\'s edge, and not a whole face beside them', () => {
    expect(findFace('Atal_Bihari_Vajpayee_0002.jpg', 2, 53)).toBe('cut');
    expect(findFace('David_Beckham_0003.jpg', 1, 54)).toBe('cut');
    expect(findFace('John_Ashcroft_0006.jpg', 2, 0)).toBe('cut');
    expect(findFace('Mohammad_Khatami_0003.jpg', 69, 77)).toBeNull();
  });

  it('flags 68 points that do not make a face shape, whatever their size', () => {
    const img = lfw[0];
    const face = centralFace(img)!;
    const input = { analysedSide: 200, landmarks: face.landmarks, box: face.box, frame: img };
    expect(whyUnrecognisable(input)).toBeNull();
    // The same points with the mouth above the eyes: a pattern the landmark net forced onto something else.
    const [, cy] = face.landmarks[30];
    const scrambled = face.landmarks.map(([x, y], i): Point => (i >= 48 ? [x, 2 * cy - y - 40] : [x, y]));
    expect(whyUnrecognisable({ ...input, landmarks: scrambled })).toBe('unclear');
    expect(whyUnrecognisable({ ...input, analysedSide: MIN_RECOGNISABLE_SIDE - 1 })).toBe('small');
  });
});
