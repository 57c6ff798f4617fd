// FaceAnalyzer: RGB pixels in, faces out (box, 68 landmarks, L2-normalised descriptor, aligned crop).
// One analyzer per worker thread; it owns no state between calls besides the loaded networks.
import { alignFace, landmarkFitResidual, type ChipSpec } from './aligner.js';
import { FaceApiResNetBackbone, type Backbone } from './backbone.js';
import { centredOnEachOther, DEFAULT_DETECTOR, detectFaces, detectInTiles, iou, type Detection, type DetectorConfig, type RawFace } from './detector.js';
import { loadFaceApiNets, type FaceApi } from './faceapi.js';
import { MAX_RECOGNISABLE_FIT_RESIDUAL } from './face-quality.js';
import { Landmarks68 } from './landmarks68.js';
import type { Tf } from './backend.js';
import type { BackendInfo, Box, DetectedFace, Point, RgbImage } from './types.js';

/**
 * Identifies everything that changes the faces and descriptors a photo gets (detector, alignment, backbone).
 * Libraries store it per photo; a different value means the photo needs analysing again.
 */
export const PIPELINE_VERSION = 'ssd0.35own-padretry-closerlook2x768-lm68sideways-dlib33align-resnet128mirror-fadecrop-v7';

/** Side of the aligned RGB crop in DetectedFace.crop (thumbnails, autoencoder input). */
export const CROP_SIZE = 160;

/** The crop: dlib's template with a wider margin than the recognition chip, so hair and chin show. */
export const CROP_SPEC: ChipSpec = { size: CROP_SIZE, template: 'dlib68', padding: 0.55, border: 'fade' };

/**
 * A face the closer look finds (tiles, models/detector.ts) is kept when its landmarks fit a face this well
 * (aligner.ts landmarkFitResidual): on lfw_subset 99% of detected faces fit within 0.22; the non-faces tiles turned
 * up in compreface's large portraits (a basket, a blurred leaf) sat at 0.44-0.52.
 */
export const MAX_TILE_FIT_RESIDUAL = 0.3;

/**
 * Inside a box the user drew around a face (AnalyzeOptions.drawnBox) the detector's finds count from this score: the
 * user has said a face is there, so a doubtful find at that place is likely the face. Likely, not surely: a find under
 * DRAWN_SURE_SCORE must match the box as drawn (DRAWN_DOUBTFUL_MIN_IOU) and fit a face closely
 * (DRAWN_DOUBTFUL_MAX_RESIDUAL).
 */
export const DRAWN_MIN_CONFIDENCE = 0.1;

/**
 * A drawn box's find scoring at least this is taken as the detector takes its finds: overlapping the box a little, or
 * centred on it (a loose box), with landmarks within MAX_TILE_FIT_RESIDUAL. In the zoomed crop of a drawn box the
 * detector answered a sky at 0.37 (QA), above its own threshold of 0.35.
 */
export const DRAWN_SURE_SCORE = 0.5;

/**
 * A doubtful find (under DRAWN_SURE_SCORE) must overlap the drawn box at least this much: QA's boxes drawn on a
 * landscape were answered by finds twice their size (overlap 0.23-0.24) whose landmarks fitted a face at 0.04-0.06, as
 * the landmark net's guesses over a large smooth region do, and a cloud by a find half outside the box (0.33). A box
 * drawn loosely, half as large again as the face, overlaps it 0.44.
 */
export const DRAWN_DOUBTFUL_MIN_IOU = 0.4;

/**
 * A doubtful find is kept only when its landmarks fit a face this well (aligner.ts landmarkFitResidual). Measured on
 * 38 lfw_subset faces the import missed (dimmed, turned 45-90°, eyes covered) with boxes drawn around them, and 168
 * boxes drawn on no face (backgrounds and shoulders of lfw photos, compreface's photos without faces): the faces fit
 * within 0.14 at scores down to 0.12, but for one turned 90° (0.18 at 0.44); the boxes on no face that the detector
 * answered at 0.11-0.37 fitted at 0.19-0.26.
 */
export const DRAWN_DOUBTFUL_MAX_RESIDUAL = 0.16;

/**
 * When a drawn box shows no face upright (nor stretched), or none scoring DRAWN_UPRIGHT_SCORE, its crop is looked at
 * turned by these quarter turns (clockwise): a face lying down, a head on a shoulder, a photo taken sideways. The
 * detector and the landmark net know upright faces only: the bench's face turned 90° scored 0.44 upright with landmarks
 * fitting at 0.18. Not upside down (2): faces rarely are in photos, and each turn is one more look at a box that may
 * hold no face.
 */
export const DRAWN_TURNS = [1, 3] as const;

/**
 * A drawn box's face found upright at this score or more is not looked for turned. Faces lying on their side were
 * found upright at 0.10-0.54 (a stretched one), and turned the right way up at 0.91-1.00 (lfw_subset, 30 people).
 */
export const DRAWN_UPRIGHT_SCORE = 0.8;

/**
 * A box the user drew where the detector finds no face (keepDrawn) has its landmarks located in the box grown this
 * many times about its centre: the landmark net finds a face's points in a box looser than the detector's as well as
 * in the detector's, but squeezes a whole face into a box drawn inside the face. Measured on face-api.js's and ORL's
 * crops (160 photos, each face kept as undetected and identified by its nearest detected face of another photo): boxes
 * drawn as the middle half of the crop identified their person 2 % (face-api.js) and 50 % (ORL) of the time located
 * as drawn, 100 % and 96 % grown 1.5 times; the whole crop, the detector's box and a looser one 99-100 % either way.
 */
export const DRAWN_LANDMARK_GROWTH = 1.5;

/**
 * The landmarks located there align the face when they lie within that grown box, grown again by this share of its
 * sides each way...
 */
export const DRAWN_LANDMARK_MARGIN = 0.1;

/** ...the outer eye corners lie left to right at least this share of the drawn box's width apart, within 45° of level... */
export const DRAWN_MIN_EYE_SHARE = 0.2;

/**
 * ...and they fit a face's shape this well (aligner.ts landmarkFitResidual; face-quality.ts takes a face past it for
 * unclear): the landmark net draws its points over any crop, a face's or not.
 */
export const DRAWN_MAX_LANDMARK_FIT = MAX_RECOGNISABLE_FIT_RESIDUAL;

/**
 * An imported face whose landmarks fit a face worse than this (aligner.ts landmarkFitResidual) has them fitted again on
 * its box turned a quarter each way (FaceAnalyzer.sidewaysLandmarks). 90% of lfw_subset's upright faces fit within
 * 0.071; its faces turned 90° fit 0.04-2.8 (guesses), and 0.02-0.10 once turned back the right way up.
 */
export const SIDEWAYS_FIT = 0.1;

/**
 * A turned fit replaces the upright one only when it is this many times better: on 166 upright faces of 150 lfw_subset
 * photos a turn fitted at most 2.34 times better (a 23-px face in profile; the central faces 2.23), on 46 faces lying
 * on their side the right turn 1.1-120 times (median 4.6).
 */
export const SIDEWAYS_GAIN = 2.5;

/**
 * ...and this many times better than the other turn, where the face is upside down, which the net fitted about as
 * well in 3 of those 46 (0.052-0.096 against 0.055-0.134): choosing between those turns by fit is a coin toss.
 */
export const SIDEWAYS_OTHER_GAIN = 1.5;

/**
 * A turn the landmark fits chose is kept only when the detector, shown the face's surroundings turned that way
 * (FaceAnalyzer.lookAround), finds the face there at least this surely: on lfw_subset the faces lying on their side
 * so turned were found at 0.64-1.00; the three upright faces of 855 the fits alone turned (two cut by the photo's
 * edge, one 23 px tall) at 0-0.37.
 */
export const SIDEWAYS_FITTED_SCORE = 0.5;

/**
 * A face the detector found unsurely (under this score) is looked at turned a quarter each way even when its landmarks
 * fit a face: on a face lying on its side the landmark net's guess often fits a face shape (0.036-0.082 on 8 of 44
 * turned lfw_subset faces), and only the detector tells which way up the face is. 23% of 168 upright faces of 160
 * lfw_subset photos scored under 0.9; the turned faces 0.36-0.89.
 */
export const SIDEWAYS_UNSURE_SCORE = 0.9;

/**
 * The detector, run on the face's surroundings turned a quarter each way, must find it there at least this surely
 * to turn a face whose landmarks fit poorly (SIDEWAYS_FIT): turned the right way up, faces lying on their side scored
 * 0.88-1.00 (but for a 20-px one); upright faces fitting that poorly, turned on their side, at most 0.53.
 */
export const SIDEWAYS_TURNED_SCORE = 0.9;

/**
 * ...and this surely to turn a face whose landmarks fit a face: those lying on their side were found turned the right
 * way up at 0.98-1.00; upright faces turned on their side at up to 0.957, and the one of them the detector was unsure
 * of upright (0.63), whose turned landmarks fitted as well, at 0.923.
 */
export const SIDEWAYS_TURNED_SURE_SCORE = 0.97;

/** ...and this much more surely than in the same surroundings as they are (faces lying on their side: by 0.11-0.59). */
export const SIDEWAYS_SCORE_GAIN = 0.1;

/** Faces smaller than this (shorter box side, analysed pixels) are not looked at turned by the detector. */
export const SIDEWAYS_MIN_SIDE = 40;

/** The surroundings the detector sees around a face: a square this many times its box's longer side. */
const SIDEWAYS_CONTEXT = 2.2;

/**
 * A photo whose faces the detector found all under this score, and whose landmarks as found upright all fit a face
 * worse than PHOTO_UPRIGHT_FIT, may be stored turned (taken sideways, its pixels turned without an EXIF turn): the
 * detector looks at it whole turned each way (FaceAnalyzer.turnedPhoto). All 106 lfw_subset photos turned 90° or 270°
 * had no face this sure (28 had none at all, and are not looked at: most photos without faces are landscapes, which
 * would take three times as long); 138 of 940 upright ones did not either.
 */
export const PHOTO_UPRIGHT_SCORE = 0.9;

/**
 * ...fit (aligner.ts landmarkFitResidual): the unsure upright faces mostly fit 0.025-0.05 (16 of those 138 photos had
 * none within this), while the landmark net's guesses on a face lying on its side fitted worse in 72 of the 78
 * turned photos with a face found (QA's Venus Williams 0.094). The 4 upright photos whose turns beat them enough (by
 * 0.25-0.27) fitted at 0.025-0.038.
 */
export const PHOTO_UPRIGHT_FIT = 0.06;

/**
 * The quarter turns (clockwise) a photo without a sure face is looked at whole. Upside down too: a scan or a phone
 * held upside down. The detector now and then finds an upright face upside down more surely than as it is (0.92
 * against 0.72 on one lfw photo): PHOTO_TURN_GAIN keeps those.
 */
export const PHOTO_TURNS = [1, 2, 3] as const;

/**
 * The photo is taken as turned when the detector finds a face in one turn at least this surely... Turned the right way
 * up, 96 of those 106 turned photos showed their face at 0.84-1.00 (QA's Venus Williams at 0.81, whose face upright was
 * a box twice its size at 0.47).
 */
export const PHOTO_TURNED_SCORE = 0.8;

/**
 * ...and this much more surely than as it is and than in every other turn. Upside down the detector found 20 of those
 * faces at 0.80-0.97 too, and upright photos' faces turned at up to 0.27 more surely than as they are (all fitting
 * well, PHOTO_UPRIGHT_FIT). The right turn beat the others by this much in 48 of the 106; the rest keep the faces
 * found upright, with their landmarks fitted turned one by one (sidewaysLandmarks).
 */
export const PHOTO_TURN_GAIN = 0.25;

/** Largest image side analyze() accepts; callers downscale (sharp shrink-on-load) before analysing. */
export const MAX_ANALYSIS_SIDE = 8192;
/**
 * A panorama's closer look (AnalyzeOptions.panorama) only ever hands the detector tiles of its short side, and the
 * landmarks and descriptor crops around faces: its decode may be twice as long. A 30,000 x 800 panorama then keeps
 * its short side at 437 px, where a face 130 px tall in the file is still 70 px (QA: at 8,192 it was 35, and missed).
 */
export const MAX_PANORAMA_SIDE = 16384;

export interface FaceAnalyzerOptions {
  detector?: Partial<DetectorConfig>;
  /**
   * false: faces lying on their side are described from the landmark net's guesses, as before the pipeline turned them
   * (sidewaysLandmarks): tests of what looking again does for a library that version analysed.
   */
  sideways?: boolean;
}

export interface AnalyzeOptions {
  /**
   * The closer look at small faces: `image` is a larger decode of a photo whose first analysis found small faces;
   * the detector runs on its tiles only (DetectorConfig.tileSide), and a face is kept only if its landmarks fit a
   * face (MAX_TILE_FIT_RESIDUAL). The caller merges these faces with the first analysis's.
   */
  closerLook?: boolean;
  /**
   * With closerLook, `image` is a panorama decoded so its short side holds a face (main/library/closer-look.ts): no
   * whole-image pass saw its faces, so the tiles are squares of its short side, half overlapping, and keep faces of
   * any size.
   */
  panorama?: boolean;
  /**
   * The user drew this box (image pixels) around a face the import missed: only that face is looked for, the detector
   * counting doubtful finds there whose landmarks fit a face closely (DRAWN_MIN_CONFIDENCE), in the photo as it is and
   * then with the box's tones stretched (stretchTones). One face comes back: the one found, or the box itself when the
   * detector confirms none there (DetectedFace.undetected, keepDrawn).
   */
  drawnBox?: Box;
}

export function validateRgbImage(image: RgbImage, maxSide = MAX_ANALYSIS_SIDE): void {
  const { width, height, data } = image ?? ({} as RgbImage);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`Image dimensions must be positive integers (got ${width}x${height}).`);
  }
  if (width > maxSide || height > maxSide) {
    throw new Error(`Image is ${width}x${height}; downscale it to at most ${maxSide} pixels per side before analysis.`);
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * 3) {
    throw new Error(`Image data must be ${width}x${height}x3 = ${width * height * 3} RGB bytes (got ${data?.length ?? 'none'}).`);
  }
}

/** One landmark network per face-api instance (its weights copied once). */
const landmarkNets = new WeakMap<FaceApi, Landmarks68>();

function landmarksFor(faceapi: FaceApi, tf: Tf): Landmarks68 {
  let net = landmarkNets.get(faceapi);
  if (!net) landmarkNets.set(faceapi, (net = Landmarks68.fromFaceApi(faceapi, tf)));
  return net;
}

export class FaceAnalyzer {
  private constructor(
    private readonly faceapi: FaceApi,
    private readonly tf: Tf,
    readonly backend: BackendInfo,
    readonly detector: DetectorConfig,
    private readonly backbone: Backbone,
    private readonly landmarks: Landmarks68,
    private readonly sideways: boolean,
  ) {}

  static async create(options: FaceAnalyzerOptions = {}): Promise<FaceAnalyzer> {
    const detector = { ...DEFAULT_DETECTOR, ...options.detector };
    const { faceapi, tf, backend } = await loadFaceApiNets([
      detector.model === 'ssd' ? 'ssdMobilenetv1' : 'tinyFaceDetector',
      'faceLandmark68Net',
      'faceRecognitionNet',
    ]);
    return new FaceAnalyzer(faceapi, tf, backend, detector, new FaceApiResNetBackbone(faceapi, tf), landmarksFor(faceapi, tf), options.sideways !== false);
  }

  async analyze(input: RgbImage, options: AnalyzeOptions = {}): Promise<DetectedFace[]> {
    // A drawn face found only once its tones were stretched is described, and pictured, from the stretched pixels: the
    // recognition net was trained on faces in ordinary light, and the user could not make out the face in its thumbnail.
    const { faces, image, undetected } = options.drawnBox
      ? await this.detectDrawn(input, options.drawnBox)
      : { faces: options.closerLook ? await this.detectSmall(input, options.panorama === true) : await this.detect(input), image: input, undetected: false };
    const descriptors = await this.describe(image, faces);
    return faces.map((f, i) => ({
      box: f.box,
      score: f.score,
      landmarks: f.landmarks,
      descriptor: descriptors[i],
      analysedSide: Math.min(f.box[2], f.box[3]),
      crop: alignFace(image, f.landmarks, CROP_SPEC),
      ...(undetected ? { undetected: true as const } : {}),
    }));
  }

  /** Detection and 68 landmarks only (benchmarks; analyze() is the whole pipeline). */
  async detect(image: RgbImage): Promise<RawFace[]> {
    validateRgbImage(image);
    const tensor = this.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      const detections = await detectFaces(this.faceapi, this.tf, tensor, this.detector);
      const landmarks = await this.landmarks.locate(image, detections.map((d) => d.box));
      const faces: RawFace[] = detections.map((d, i) => ({ ...d, landmarks: landmarks[i] }));
      if (!this.sideways) return faces;
      // Decided on the landmarks as found upright; photos without faces are not looked at turned (PHOTO_UPRIGHT_SCORE).
      const mayBeTurned = faces.length > 0 && faces.every((f) => f.score < PHOTO_UPRIGHT_SCORE && landmarkFitResidual(f.landmarks) > PHOTO_UPRIGHT_FIT);
      // The faces that may lie on their side get their landmarks fitted turned both ways, in one call a turn.
      const asked = faces.filter((f) => mayLieOnItsSide(f));
      const turned = asked.length > 0 ? await Promise.all(DRAWN_TURNS.map((quarters) => this.turnedLandmarks(image, asked.map((f) => f.box), quarters))) : [];
      for (const [k, face] of asked.entries()) face.landmarks = await this.sidewaysLandmarks(image, face, DRAWN_TURNS.map((quarters, t) => ({ quarters, landmarks: turned[t][k] })));
      return (mayBeTurned && (await this.turnedPhoto(image, faces))) || faces;
    } finally {
      tensor.dispose();
    }
  }

  /**
   * The faces of a photo stored turned, found the right way up, in `image`'s pixels; null when no turn shows a face
   * far more surely than the photo as it is (`upright`: its faces) and than the other turns (PHOTO_TURNED_SCORE,
   * PHOTO_TURN_GAIN). A face lying on its side there is found upright at best unsurely, and often in a box far off
   * the face (QA: twice its size), where its landmarks, even fitted turned (sidewaysLandmarks), miss; turned the right
   * way up, the photo is analysed as any upright photo. One detector pass a turn, only on photos whose faces are all
   * unsure and fit poorly (PHOTO_UPRIGHT_SCORE).
   */
  private async turnedPhoto(image: RgbImage, upright: RawFace[]): Promise<RawFace[] | null> {
    const looks = [];
    for (const quarters of PHOTO_TURNS) {
      const turned = turnImage(image, quarters);
      const finds = await this.locate(turned.image, this.detector);
      looks.push({ turned, finds, score: Math.max(0, ...finds.map((d) => d.score)) });
    }
    const [surest, ...others] = looks.sort((a, b) => b.score - a.score);
    const beaten = Math.max(0, ...upright.map((f) => f.score), ...others.map((l) => l.score));
    if (surest.score < PHOTO_TURNED_SCORE || surest.score < beaten + PHOTO_TURN_GAIN) return null;
    const { turned, finds } = surest;
    const landmarks = await this.landmarks.locate(turned.image, finds.map((d) => d.box));
    return finds.map((d, i) => ({ box: turned.boxBack(d.box), score: d.score, landmarks: landmarks[i].map(turned.back) }));
  }

  /**
   * The landmarks of the face `found`, or those `fitted` on its box's pixels turned a quarter each way (turnedLandmarks)
   * when that turn shows the face the right way up: the landmark net knows upright faces and guesses
   * on a face lying on its side, so its aligned chip and descriptor were wrong. Mapped back to `image`'s pixels, the
   * alignment's similarity turns the face upright. A turn is taken when its landmarks fit a face clearly better
   * (SIDEWAYS_FIT, SIDEWAYS_GAIN), or, when the detector was unsure or the fits cannot tell, when the detector finds
   * the face turned that way far more surely than as it is (lookAround).
   */
  private async sidewaysLandmarks(image: RgbImage, found: RawFace, fitted: { quarters: 1 | 3; landmarks: Point[] }[]): Promise<Point[]> {
    const { box, score, landmarks } = found;
    const fit = landmarkFitResidual(landmarks);
    const large = Math.min(box[2], box[3]) >= SIDEWAYS_MIN_SIDE;
    const turns = fitted.map((t) => ({ ...t, fit: landmarkFitResidual(t.landmarks) }));
    const [best, other] = turns.slice().sort((a, b) => a.fit - b.fit);
    const detected = this.lookAround(image, box);
    // Turned the wrong way the face is upside down, which the net now and then fits nearly as well: a turn is kept only
    // when it also clearly beats the other one, and the detector finds the face turned that way (upright faces cut by
    // the photo's edge fit poorly, and turned now and then better).
    if (fit > SIDEWAYS_FIT && best.fit * SIDEWAYS_GAIN <= fit && best.fit * SIDEWAYS_OTHER_GAIN <= other.fit && (await detected(best.quarters)) >= SIDEWAYS_FITTED_SCORE) {
      return best.landmarks;
    }
    // Otherwise the detector tells which way up the face is: a turn that fits at least as well as upright (a face lying
    // on its side turned the right way up does; an upright face turned on its side, which the detector now and then
    // finds as surely, mostly not), found far more surely than upright and than turned the other way. The detector
    // looks one turn at a time, and no further once the answer is no: most unsure faces are upright.
    const candidates = large ? turns.filter((t) => t.fit <= fit) : [];
    let surest: (typeof turns)[number] | null = null;
    let turned = 0;
    for (const t of candidates) {
      const found = await detected(t.quarters);
      if (found > turned) [surest, turned] = [t, found];
    }
    const needed = Math.max(fit > SIDEWAYS_FIT ? SIDEWAYS_TURNED_SCORE : SIDEWAYS_TURNED_SURE_SCORE, score + SIDEWAYS_SCORE_GAIN);
    if (!surest || turned < needed) return landmarks;
    const otherWay = turns.find((t) => t !== surest)!;
    return turned > (await detected(otherWay.quarters)) && turned >= (await detected(0)) + SIDEWAYS_SCORE_GAIN ? surest.landmarks : landmarks;
  }

  /**
   * How surely the detector finds the face in `box` in its surroundings (SIDEWAYS_CONTEXT) as they are (0) or turned
   * by 1 or 3 quarters: the score of its best find there that overlaps the box, 0 for none. Each look once, when asked.
   */
  private lookAround(image: RgbImage, box: Box): (quarters: 0 | 1 | 3) => Promise<number> {
    const side = Math.min(Math.max(image.width, image.height), SIDEWAYS_CONTEXT * Math.max(box[2], box[3]));
    const x0 = Math.round(Math.min(Math.max(0, box[0] + box[2] / 2 - side / 2), Math.max(0, image.width - side)));
    const y0 = Math.round(Math.min(Math.max(0, box[1] + box[3] / 2 - side / 2), Math.max(0, image.height - side)));
    const inAround: Box = [box[0] - x0, box[1] - y0, box[2], box[3]];
    const config = { ...this.detector, minConfidence: Math.min(this.detector.minConfidence, DRAWN_MIN_CONFIDENCE) };
    let around: RgbImage | undefined;
    const looks = new Map<0 | 1 | 3, Promise<number>>();
    const look = async (quarters: 0 | 1 | 3) => {
      around ??= cutOut(image, x0, y0, Math.min(x0 + Math.round(side), image.width), Math.min(y0 + Math.round(side), image.height));
      const turned = quarters === 0 ? { image: around, box: (b: Box) => b } : turnImage(around, quarters);
      const target = turned.box(inAround);
      const finds = (await this.locate(turned.image, config)).filter((d) => iou(d.box, target) >= 0.3 || centredOnEachOther(d.box, target));
      return Math.max(0, ...finds.map((d) => d.score));
    };
    return (quarters) => {
      let found = looks.get(quarters);
      if (!found) looks.set(quarters, (found = look(quarters)));
      return found;
    };
  }

  /** The landmarks of the faces in `boxes` fitted on the photo turned by `quarters`, in `image`'s pixels. */
  private async turnedLandmarks(image: RgbImage, boxes: Box[], quarters: 1 | 3): Promise<Point[][]> {
    const turned = turnImage(image, quarters);
    // The landmark net sees the box's whole pixels (Landmarks68 regionOf): the same pixels, turned.
    const regions = boxes.map((box): Box => {
      const x0 = Math.min(image.width - 1, Math.max(0, Math.floor(box[0]))), y0 = Math.min(image.height - 1, Math.max(0, Math.floor(box[1])));
      const x1 = Math.max(x0 + 1, Math.min(image.width, Math.ceil(box[0] + box[2]))), y1 = Math.max(y0 + 1, Math.min(image.height, Math.ceil(box[1] + box[3])));
      return turned.box([x0, y0, x1 - x0, y1 - y0]);
    });
    return (await this.landmarks.locate(turned.image, regions)).map((points) => points.map(turned.back));
  }

  /** The closer look (AnalyzeOptions.closerLook): tiles only, and only faces whose landmarks fit a face. */
  async detectSmall(image: RgbImage, panorama = false): Promise<RawFace[]> {
    validateRgbImage(image, panorama ? MAX_PANORAMA_SIDE : MAX_ANALYSIS_SIDE);
    const tiles = panorama ? { ...this.detector, tileSide: Math.min(image.width, image.height), tileOverlap: 1 / 2, keepLargeInTiles: true } : this.detector;
    const detections = await detectInTiles(this.faceapi, this.tf, image, tiles);
    const landmarks = await this.landmarks.locate(image, detections.map((d) => d.box));
    return detections.map((d, i) => ({ ...d, landmarks: landmarks[i] })).filter((f) => landmarkFitResidual(f.landmarks) <= MAX_TILE_FIT_RESIDUAL);
  }

  /**
   * The face inside a box the user drew (AnalyzeOptions.drawnBox), with the pixels it was found in: the one the detector
   * finds there, or the box itself when it finds none (`undetected`, keepDrawn). A face found turned is mapped back to
   * `image`'s pixels: its aligned crop and descriptor come from there, upright like any face's (the alignment's
   * similarity takes the turn out).
   */
  async detectDrawn(image: RgbImage, drawn: Box): Promise<{ faces: RawFace[]; image: RgbImage; undetected: boolean }> {
    validateRgbImage(image);
    // Faces the import misses are often in shadow or against the light: when the photo as it is shows none in the box,
    // the detector looks again with the box's own range of tones stretched to the full range, as auto levels would.
    const stretched = stretchTones(image, drawn);
    const sources = stretched ? [image, stretched] : [image];
    let upright: { face: RawFace; pixels: RgbImage } | null = null;
    for (const pixels of sources) {
      const face = await this.findDrawn(pixels, drawn);
      if (face) {
        upright = { face, pixels };
        break;
      }
    }
    if (upright && upright.face.score >= DRAWN_UPRIGHT_SCORE) return { faces: [upright.face], image: upright.pixels, undetected: false };
    // None upright, or an unsure one: a face lying on its side is found upright at best unsurely (0.1-0.54 on the
    // bench's), its landmarks guessed and its descriptor off (0.08-0.15 from the same face turned upright, where 0.09
    // parts two people). Turned both ways, the surer find is the face the right way up (the other way it is upside down).
    // Turned, the detector looks once a turn, in the box's tones stretched when they are narrow (a box on no face costs
    // four looks rather than six), and again in the photo as it is once it finds a face: as upright, a face is taken
    // from stretched tones only when the photo as it is shows none.
    const findTurned = async (source: RgbImage, quarters: 1 | 3): Promise<RawFace | null> => {
      const turned = turnImage(source, quarters);
      const face = await this.findDrawn(turned.image, turned.box(drawn));
      return face && { box: turned.boxBack(face.box), score: face.score, landmarks: face.landmarks.map(turned.back) };
    };
    const pixels = stretched ?? image;
    let turned: { face: RawFace; quarters: 1 | 3 } | null = null;
    for (const quarters of DRAWN_TURNS) {
      const face = await findTurned(pixels, quarters);
      if (face && (!turned || face.score > turned.face.score)) turned = { face, quarters };
    }
    if (!turned || (upright && turned.face.score <= upright.face.score)) {
      return upright ? { faces: [upright.face], image: upright.pixels, undetected: false } : { ...(await this.keepDrawn(pixels, drawn)), undetected: true };
    }
    const asItIs = stretched && (await findTurned(image, turned.quarters));
    return asItIs ? { faces: [asItIs], image, undetected: false } : { faces: [turned.face], image: pixels, undetected: false };
  }

  /**
   * The face in a box the user drew where the detector finds none, even doubtfully (half turned away, in deep shadow,
   * cut by a tight crop): the user's word stands, as in Immich, digiKam or Photos. The landmark net runs on the box,
   * grown (DRAWN_LANDMARK_GROWTH: it fits points to any crop, but not a face larger than its box), and its points align
   * the face when they describe one there (plausibleDrawnLandmarks); otherwise the box is taken as a detector's box
   * around an average face (landmarksInBox).
   * `pixels`: the box's tones stretched when they are narrow, as a face found there only stretched is described.
   */
  private async keepDrawn(pixels: RgbImage, drawn: Box): Promise<{ faces: RawFace[]; image: RgbImage }> {
    const [located] = await this.landmarks.locate(pixels, [grownBox(drawn, DRAWN_LANDMARK_GROWTH)]);
    const landmarks = plausibleDrawnLandmarks(located, drawn) ? located : landmarksInBox(drawn);
    return { faces: [{ box: drawn, score: 0, landmarks }], image: pixels };
  }

  /** The best find in `pixels` that the drawn box (in their frame) holds and whose landmarks fit a face, if any. */
  private async findDrawn(pixels: RgbImage, drawn: Box): Promise<RawFace | null> {
    const config = { ...this.detector, minConfidence: Math.min(this.detector.minConfidence, DRAWN_MIN_CONFIDENCE) };
    const sure = (d: Detection) => d.score >= DRAWN_SURE_SCORE;
    const found = (await this.locate(pixels, config))
      .filter((d) => (sure(d) ? iou(d.box, drawn) >= 0.2 || centredOnEachOther(d.box, drawn) : iou(d.box, drawn) >= DRAWN_DOUBTFUL_MIN_IOU))
      .sort((a, b) => b.score - a.score);
    const landmarks = await this.landmarks.locate(pixels, found.map((d) => d.box));
    const index = landmarks.findIndex((points, i) => landmarkFitResidual(points) <= (sure(found[i]) ? MAX_TILE_FIT_RESIDUAL : DRAWN_DOUBTFUL_MAX_RESIDUAL));
    return index >= 0 ? { box: found[index].box, score: found[index].score, landmarks: landmarks[index] } : null;
  }

  private async locate(image: RgbImage, config: DetectorConfig): Promise<Detection[]> {
    const tensor = this.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      return await detectFaces(this.faceapi, this.tf, tensor, config);
    } finally {
      tensor.dispose();
    }
  }

  /** Backbone descriptors of faces already located in `image`. */
  describe(image: RgbImage, faces: Pick<RawFace, 'landmarks'>[]): Promise<Float32Array[]> {
    return this.backbone.embed(faces.map((f) => alignFace(image, f.landmarks, this.backbone.chip)));
  }

  /**
   * Runs every stage once on a blank image, so the first photo does not pay for one-time work (folding the
   * networks' weights, compiling and caching kernels): a pool is ready when its analyzers are warm.
   */
  async warmUp(): Promise<void> {
    const blank: RgbImage = { data: new Uint8Array(320 * 240 * 3).fill(128), width: 320, height: 240 };
    await this.detect(blank);
    const [landmarks] = await this.landmarks.locate(blank, [[100, 60, 120, 120]]);
    await this.describe(blank, [{ landmarks }]);
  }

  /** Number of tensors alive on the backend (leak checks in tests). */
  get liveTensors(): number {
    return this.tf.memory().numTensors;
  }

  dispose(): void {
    // The networks are process-wide (shared by every analyzer in this thread) and freed with the thread.
  }
}

/**
 * Whether a face may lie on its side, so its landmarks are fitted turned too (FaceAnalyzer.sidewaysLandmarks): they fit
 * a face poorly, or the detector was unsure of it and it is large enough for the detector to tell which way is up.
 */
function mayLieOnItsSide({ box, score, landmarks }: RawFace): boolean {
  return landmarkFitResidual(landmarks) > SIDEWAYS_FIT || (score < SIDEWAYS_UNSURE_SCORE && Math.min(box[2], box[3]) >= SIDEWAYS_MIN_SIDE);
}

/** The pixels of `image` from (x0, y0) up to (x1, y1), whole pixels inside it. */
function cutOut(image: RgbImage, x0: number, y0: number, x1: number, y1: number): RgbImage {
  const width = x1 - x0, height = y1 - y0;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) data.set(image.data.subarray(((y0 + y) * image.width + x0) * 3, ((y0 + y) * image.width + x1) * 3), y * width * 3);
  return { data, width, height };
}

/**
 * Whether 68 landmarks the net located around a box the user drew (DRAWN_LANDMARK_GROWTH) describe an upright face
 * there (DRAWN_LANDMARK_MARGIN, DRAWN_MIN_EYE_SHARE, DRAWN_MAX_LANDMARK_FIT): otherwise the box itself aligns the face
 * (landmarksInBox).
 */
export function plausibleDrawnLandmarks(landmarks: Point[], drawn: Box): boolean {
  const [x, y, w, h] = grownBox(drawn, DRAWN_LANDMARK_GROWTH * (1 + 2 * DRAWN_LANDMARK_MARGIN));
  const inside = landmarks.every(([px, py]) => px >= x && px <= x + w && py >= y && py <= y + h);
  const [[rx, ry], [lx, ly]] = [landmarks[36], landmarks[45]];
  const eyes = lx - rx >= drawn[2] * DRAWN_MIN_EYE_SHARE && Math.abs(ly - ry) <= lx - rx;
  return inside && eyes && landmarkFitResidual(landmarks) <= DRAWN_MAX_LANDMARK_FIT;
}

/** `box` grown `factor` times about its centre (the landmark net's region is then cut to the image). */
function grownBox([x, y, w, h]: Box, factor: number): Box {
  return [x + (w * (1 - factor)) / 2, y + (h * (1 - factor)) / 2, w * factor, h * factor];
}

/**
 * The 68 landmarks of an average face in the detector's box around it, as [x, y] shares of the box (iBUG order): the
 * mean over the 247 faces of ORL's and face-api.js's crops whose boxes lie inside their photo.
 */
const MEAN_LANDMARKS_IN_BOX: readonly number[] = [
  -0.02, 0.38, -0.006, 0.492, 0.016, 0.598, 0.041, 0.688, 0.083, 0.788, 0.153, 0.862, 0.241, 0.913, 0.353, 0.964,
  0.513, 0.993, 0.668, 0.964, 0.763, 0.921, 0.839, 0.877, 0.907, 0.799, 0.956, 0.703, 0.979, 0.609, 1.002, 0.51,
  1.009, 0.404, 0.109, 0.29, 0.176, 0.258, 0.256, 0.249, 0.33, 0.254, 0.397, 0.272, 0.653, 0.277, 0.716, 0.26,
  0.786, 0.255, 0.865, 0.267, 0.92, 0.297, 0.522, 0.381, 0.525, 0.45, 0.526, 0.516, 0.522, 0.576, 0.436, 0.616,
  0.473, 0.628, 0.519, 0.636, 0.566, 0.626, 0.602, 0.621, 0.21, 0.367, 0.259, 0.355, 0.323, 0.354, 0.379, 0.378,
  0.331, 0.394, 0.262, 0.39, 0.652, 0.38, 0.711, 0.356, 0.778, 0.359, 0.818, 0.379, 0.773, 0.399, 0.706, 0.393,
  0.327, 0.747, 0.398, 0.723, 0.479, 0.708, 0.519, 0.714, 0.557, 0.706, 0.64, 0.729, 0.704, 0.752, 0.635, 0.785,
  0.578, 0.804, 0.516, 0.808, 0.46, 0.803, 0.396, 0.786, 0.337, 0.747, 0.458, 0.74, 0.517, 0.741, 0.573, 0.743,
  0.688, 0.751, 0.573, 0.758, 0.519, 0.762, 0.463, 0.759,
];

/** The landmarks of an average face filling `box` as the detector's boxes hold faces: the box itself aligns the face. */
export function landmarksInBox([x, y, w, h]: Box): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < MEAN_LANDMARKS_IN_BOX.length; i += 2) points.push([x + MEAN_LANDMARKS_IN_BOX[i] * w, y + MEAN_LANDMARKS_IN_BOX[i + 1] * h]);
  return points;
}

/**
 * `image` with the tones inside `box` stretched to the full range: each channel's 1st to 99th percentile there maps
 * to 0-255 (clamped elsewhere). Null when the box already spans most of the range: stretching would change little.
 */
export function stretchTones(image: RgbImage, box: Box): RgbImage | null {
  const x0 = Math.max(0, Math.floor(box[0])), y0 = Math.max(0, Math.floor(box[1]));
  const x1 = Math.min(image.width, Math.ceil(box[0] + box[2])), y1 = Math.min(image.height, Math.ceil(box[1] + box[3]));
  if (x1 <= x0 || y1 <= y0) return null;
  const lows: number[] = [], highs: number[] = [];
  for (let c = 0; c < 3; c++) {
    const histogram = new Uint32Array(256);
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) histogram[image.data[(y * image.width + x) * 3 + c]]++;
    const total = (x1 - x0) * (y1 - y0);
    let seen = 0, low = 0, high = 255;
    for (let v = 0; v < 256; v++) if ((seen += histogram[v]) >= total * 0.01) { low = v; break; }
    seen = 0;
    for (let v = 255; v >= 0; v--) if ((seen += histogram[v]) >= total * 0.01) { high = v; break; }
    lows.push(low);
    highs.push(high);
  }
  const spread = Math.min(...highs.map((h, c) => h - lows[c]));
  if (spread >= 200) return null;
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) {
    const c = i % 3;
    const v = ((image.data[i] - lows[c]) * 255) / Math.max(1, highs[c] - lows[c]);
    data[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
  }
  return { data, width: image.width, height: image.height };
}

/**
 * `image` turned clockwise by `quarters` quarter turns, with maps between the frames: `box` takes a box of `image` into
 * the turned image, `back` and `boxBack` take a point or box of the turned image back to `image` (continuous pixel
 * coordinates: a pixel spans [x, x + 1)).
 */
export function turnImage(image: RgbImage, quarters: 1 | 2 | 3): { image: RgbImage; box: (box: Box) => Box; back: (point: Point) => Point; boxBack: (box: Box) => Box } {
  const { width: w, height: h, data } = image;
  const side = quarters === 2 ? { width: w, height: h } : { width: h, height: w };
  const out = new Uint8Array(data.length);
  for (let y = 0; y < side.height; y++) {
    for (let x = 0; x < side.width; x++) {
      // The source pixel of turned pixel (x, y).
      const [sx, sy] = quarters === 1 ? [y, h - 1 - x] : quarters === 2 ? [w - 1 - x, h - 1 - y] : [w - 1 - y, x];
      const from = (sy * w + sx) * 3, to = (y * side.width + x) * 3;
      out[to] = data[from];
      out[to + 1] = data[from + 1];
      out[to + 2] = data[from + 2];
    }
  }
  const forward = ([x, y]: Point): Point => (quarters === 1 ? [h - y, x] : quarters === 2 ? [w - x, h - y] : [y, w - x]);
  const back = ([x, y]: Point): Point => (quarters === 1 ? [y, h - x] : quarters === 2 ? [w - x, h - y] : [w - y, x]);
  const mapBox = (map: (p: Point) => Point) => ([x, y, bw, bh]: Box): Box => {
    const [ax, ay] = map([x, y]);
    const [bx, by] = map([x + bw, y + bh]);
    return [Math.min(ax, bx), Math.min(ay, by), Math.abs(bx - ax), Math.abs(by - ay)];
  };
  return { image: { data: out, ...side }, box: mapBox(forward), back, boxBack: mapBox(back) };
}
