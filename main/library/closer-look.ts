// Small faces in large photos. The detector sees every photo at 512 px, so in a 12-megapixel group photo analysed
// at 1,024 px a face 110 px tall in the original is ~14 px at its input, and two thirds of such faces are missed
// (docs/models.md, `npm run bench:import`). When the first analysis finds a face that small and the file has more
// pixels than were analysed, the photo is decoded again at twice the size and the detector looks at overlapping
// tiles of it (models/detector.ts detectInTiles). The faces found there replace the first analysis's matching
// faces (their landmarks and descriptors come from twice the pixels) or join them. Portraits and photos without
// people cost nothing more. Last, a face still too small to recognise that the file holds larger (someone behind a
// portrait's subject) is described again from a crop of the full-size file (describeSmallFacesAgain).
import { sameFaceBoxes } from '../../models/detector.js';
import { MAX_PANORAMA_SIDE } from '../../models/pipeline.js';
import { MIN_RECOGNISABLE_SIDE } from '../../models/face-quality.js';
import type { Box, DetectedFace, Point } from '../../models/types.js';
import type { DecodedPhoto } from './decode.js';
import type { FaceAnalysisService } from './import.js';
import { CLOSER_LOOK_MAX_SIDE, findFacesInFile } from './tagged-faces.js';

/** Side of the detector's input: what a face's size is measured against. */
const DETECTOR_INPUT = 512;
/** A face this small at the detector's input is where it starts to miss faces: more may be there. */
export const SMALL_FACE_AT_DETECTOR = 24;
/** The closer look decodes at this many times the analysis size. */
export const CLOSER_LOOK_ZOOM = 2;
/** ...and only when the file has at least this many times the analysed pixels per side. */
const MIN_GAIN = 1.5;

/**
 * True when the file holds more pixels to look at and `faces` (analysed on `decoded`) show people at a distance:
 * two small faces, or a small face as the largest one. One small face beside a large one is a portrait with
 * something in the background (in compreface's portraits: a garden gnome), not worth a closer look.
 */
export function wantsCloserLook(faces: readonly DetectedFace[], decoded: Pick<DecodedPhoto, 'scaleX' | 'scaleY'> & { image: { width: number; height: number } }): boolean {
  if (faces.length === 0 || Math.min(decoded.scaleX, decoded.scaleY) < MIN_GAIN) return false;
  const atDetector = DETECTOR_INPUT / Math.max(decoded.image.width, decoded.image.height);
  const sizes = faces.map((f) => Math.max(f.box[2], f.box[3]) * atDetector);
  const small = sizes.filter((s) => s <= SMALL_FACE_AT_DETECTOR).length;
  return small >= 2 || (small === 1 && Math.max(...sizes) <= SMALL_FACE_AT_DETECTOR);
}

/** A photo this many times wider than tall (or taller than wide) is a panorama. */
const PANORAMA_ASPECT = 2.5;
/** A panorama's closer look decodes it so its short side is about this long (the detector's input)... */
const PANORAMA_SHORT_SIDE = 512;
/**
 * ...with its long side at most this (the most the pipeline takes for a panorama). Its tiles are squares of its short
 * side, half overlapping: about twice as many as the panorama is times wider than tall (75 for a 30,000 x 800 one).
 */
const PANORAMA_MAX_SIDE = MAX_PANORAMA_SIDE;

/** How much longer than one photo's time limit a panorama's closer look may take: its tiles are many. */
export function closerLookTimeFactor(closer: { side: number; panorama: boolean }): number {
  return closer.panorama ? Math.max(1, Math.ceil(closer.side / 4096)) : 1;
}

/**
 * The size (longest side) to decode the photo at for a closer look, or null when it needs none: twice the analysis
 * size for people at a distance (wantsCloserLook), and for a panorama, whose short side the analysis size leaves a
 * few dozen pixels tall, a size that gives it a tile's height. QA: a face 230 px tall in a 30,000 x 800 panorama was
 * 10 px at the analysis size, and the import found nothing. A photo that is simply large (20,000 x 15,000) with one
 * small face and none found is not tiled: every landscape would pay for it.
 */
export function closerLookSide(
  faces: readonly DetectedFace[],
  decoded: Pick<DecodedPhoto, 'scaleX' | 'scaleY'> & { image: { width: number; height: number } },
  maxSide: number,
): { side: number; panorama: boolean } | null {
  if (wantsCloserLook(faces, decoded)) return { side: maxSide * CLOSER_LOOK_ZOOM, panorama: false };
  const { width, height } = decoded.image;
  const aspect = Math.max(width, height) / Math.max(1, Math.min(width, height));
  if (aspect < PANORAMA_ASPECT || Math.min(width, height) >= PANORAMA_SHORT_SIDE || Math.min(decoded.scaleX, decoded.scaleY) < MIN_GAIN) return null;
  const fileLongSide = Math.max(width * decoded.scaleX, height * decoded.scaleY);
  const side = Math.min(PANORAMA_MAX_SIDE, Math.round(PANORAMA_SHORT_SIDE * aspect), Math.round(fileLongSide));
  return side >= Math.max(width, height) * MIN_GAIN ? { side, panorama: true } : null;
}

/**
 * The first analysis's faces with the closer look's merged in, all in the first analysis's pixels. `closer` are in
 * the larger decode's pixels, `ratio` = first decode's size / larger decode's size. A closer face that matches a
 * first face (overlap, or each box holding the other's centre) replaces it; the others are added.
 */
export function mergeCloserLook(first: readonly DetectedFace[], closer: readonly DetectedFace[], ratio: number): DetectedFace[] {
  const scaled = closer.map((f) => ({
    ...f,
    box: [f.box[0] * ratio, f.box[1] * ratio, f.box[2] * ratio, f.box[3] * ratio] as DetectedFace['box'],
    landmarks: f.landmarks.map(([x, y]): Point => [x * ratio, y * ratio]),
  }));
  const replaced = new Set<number>();
  const out: DetectedFace[] = [];
  for (const face of scaled) {
    const match = first.findIndex((g, i) => !replaced.has(i) && sameFaceBoxes(g.box, face.box));
    if (match >= 0) replaced.add(match);
    out.push(face);
  }
  return [...first.filter((_, i) => !replaced.has(i)), ...out];
}

/** The most faces of one photo described again from the full-size file, largest first: bounds the cost of a crowd. */
const MAX_FACES_DESCRIBED_AGAIN = 8;

/**
 * Faces analysed too small to recognise (models/face-quality.ts) in a file that holds them larger: someone in the
 * background of a 12-megapixel portrait is under 32 px at the analysis size, and the closer look only runs for people
 * at a distance. Each such face is looked for again in a crop of the file decoded at up to 4,096 px
 * (main/library/tagged-faces.ts) and, where it is found there, takes that face's landmarks, descriptor and crop.
 * `decoded` is the first analysis's decode; boxes in and out are in its pixels. `turned`: that decode is the file's
 * picture turned that many quarters clockwise (`decoded` describes the turned picture).
 */
export async function describeSmallFacesAgain(
  content: Buffer,
  faces: readonly DetectedFace[],
  decoded: Pick<DecodedPhoto, 'scaleX' | 'scaleY' | 'width' | 'height'>,
  analyzer: FaceAnalysisService,
  analysisMaxSide: number,
  turned?: 1 | 2 | 3,
): Promise<DetectedFace[]> {
  const fullSize = Math.min(1, Math.max(analysisMaxSide, CLOSER_LOOK_MAX_SIDE) / Math.max(decoded.width, decoded.height));
  const toFile = (b: Box): Box => [b[0] * decoded.scaleX, b[1] * decoded.scaleY, b[2] * decoded.scaleX, b[3] * decoded.scaleY];
  const wanted = faces
    .map((face, index) => ({ face, index, inFile: Math.min(...toFile(face.box).slice(2)) }))
    .filter(({ face, inFile }) => face.analysedSide < MIN_RECOGNISABLE_SIDE && inFile * fullSize >= MIN_RECOGNISABLE_SIDE)
    .sort((a, b) => b.inFile - a.inFile)
    .slice(0, MAX_FACES_DESCRIBED_AGAIN);
  if (wanted.length === 0) return [...faces];
  const found = await findFacesInFile(content, wanted.map((w) => toFile(w.face.box)), analyzer, analysisMaxSide, turned ? { turned } : {});
  const out = [...faces];
  wanted.forEach(({ face, index }, k) => {
    const again = found[k];
    if (!again || again.analysedSide <= face.analysedSide) return;
    out[index] = {
      box: [again.box[0] / decoded.scaleX, again.box[1] / decoded.scaleY, again.box[2] / decoded.scaleX, again.box[3] / decoded.scaleY],
      score: again.score,
      landmarks: again.landmarks.map(([x, y]): Point => [x / decoded.scaleX, y / decoded.scaleY]),
      descriptor: again.descriptor,
      analysedSide: again.analysedSide,
      crop: again.crop,
    };
  });
  return out;
}
