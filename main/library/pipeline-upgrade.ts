// What a new pipeline version means for the photos an earlier one analysed. The detector costs ~0.2 s of CPU per
// photo, so analysing a large library again takes hours: an upgrade analyses again only the photos it would change,
// and the rest keep their faces until the user asks Familiar to look again (Settings, `familiar import --look-again`).
import { landmarkFitResidual } from '../../models/aligner.js';
import { PIPELINE_VERSION, SIDEWAYS_FIT, SIDEWAYS_MIN_SIDE, SIDEWAYS_UNSURE_SCORE } from '../../models/pipeline.js';
import type { DetectedFace } from '../../models/types.js';
import type { FaceRecord, PhotoRecord } from '../store/types.js';
import { landmarkPoints } from '../store/landmarks.js';
import { wantsCloserLook } from './closer-look.js';

/** v4, before the closer look at small faces in large photos: the same analysis in every other respect. */
export const PIPELINE_BEFORE_CLOSER_LOOK = 'ssd0.4own-padretry-lm68-dlib33align-resnet128mirror-fadecrop-v4';

/**
 * v5, the detector threshold at 0.4: the current pipeline finds the same faces with the same landmarks and
 * descriptors, plus the few scoring 0.35-0.4 (about one photo in 60 of ../shared/faces: a child looking down,
 * bystanders). Which photos hold one is only known by running the detector again, so none is analysed on upgrade.
 */
export const PIPELINE_BEFORE_LOWER_THRESHOLD = 'ssd0.4own-padretry-closerlook2x768-lm68-dlib33align-resnet128mirror-fadecrop-v5';

/**
 * v6, before the detector told which way up an unsure face lies (models/pipeline.ts SIDEWAYS_UNSURE_SCORE): the same
 * faces, and the same descriptors but for faces lying on their side, which it described from the landmark net's
 * guesses (at first always; later unless their landmarks fitted a face clearly better turned). Which photos may hold
 * one is told from the stored landmarks (mayHoldSidewaysFace): a look again analyses those, not the library.
 */
export const PIPELINE_BEFORE_SIDEWAYS = 'ssd0.35own-padretry-closerlook2x768-lm68-dlib33align-resnet128mirror-fadecrop-v6';

/** Versions whose photos keep their faces on upgrade (needsAnalysis): only a look again analyses them. */
const KEPT_ON_UPGRADE = new Set([PIPELINE_VERSION, PIPELINE_BEFORE_SIDEWAYS, PIPELINE_BEFORE_LOWER_THRESHOLD]);

/**
 * Whether a photo must be analysed (again) by the current pipeline when its folder is imported. A photo v5 analysed
 * keeps its faces; one v4 analysed is analysed again only if it qualifies for the closer look, judged from its stored
 * faces at the analysis size: so an upgrade re-analyses the group photos with people at a distance, not the whole
 * library. A photo v6 analysed keeps its faces too. Older pipelines' descriptors are not comparable with today's:
 * always.
 */
export function needsAnalysis(photo: Pick<PhotoRecord, 'width' | 'height' | 'analysis'>, faces: readonly Pick<FaceRecord, 'box'>[], maxSide: number): boolean {
  const version = photo.analysis?.pipelineVersion;
  if (version !== undefined && KEPT_ON_UPGRADE.has(version)) return false;
  if (version !== PIPELINE_BEFORE_CLOSER_LOOK || !(photo.width > 0 && photo.height > 0)) return true;
  // The analysis size sharp gave it: inside maxSide x maxSide, never enlarged.
  const shrink = Math.min(1, maxSide / photo.width, maxSide / photo.height);
  const width = Math.max(1, Math.round(photo.width * shrink));
  const height = Math.max(1, Math.round(photo.height * shrink));
  const scaleX = photo.width / width;
  const scaleY = photo.height / height;
  const analysed = faces.map((f) => ({ box: [f.box[0] / scaleX, f.box[1] / scaleY, f.box[2] / scaleX, f.box[3] / scaleY] }) as DetectedFace);
  return wantsCloserLook(analysed, { scaleX, scaleY, image: { width, height } });
}

/**
 * Whether an analysis of `photo` (its faces `faces`) stands for the pipeline `pipelineVersion` an import runs: made by
 * it, or by an earlier one whose photos keep their faces on upgrade (needsAnalysis). A look again asks for more.
 */
export function analysisHolds(
  photo: Pick<PhotoRecord, 'width' | 'height' | 'analysis'>,
  faces: readonly Pick<FaceRecord, 'box'>[],
  pipelineVersion: string,
  maxSide: number,
): boolean {
  return photo.analysis?.pipelineVersion === pipelineVersion || (pipelineVersion === PIPELINE_VERSION && !needsAnalysis(photo, faces, maxSide));
}

/**
 * Whether an analysis by `version` may stand for the pipeline `pipelineVersion` (analysisHolds, judged without the
 * faces): false for the pipelines whose photos an upgrade always analyses again.
 */
export function analysisMayHold(version: string, pipelineVersion: string): boolean {
  return version === pipelineVersion || (pipelineVersion === PIPELINE_VERSION && (KEPT_ON_UPGRADE.has(version) || version === PIPELINE_BEFORE_CLOSER_LOOK));
}

/** What a stored face tells of whether it may lie on its side. */
export type StoredFaceShape = Pick<FaceRecord, 'landmarks' | 'box' | 'score' | 'analysedSide'>;

/**
 * A face box at least this many times wider than tall, found unsurely: it may lie on its side. The detector boxes an
 * upright face taller than wide: 556 faces of 500 upright lfw_subset photos were 0.65-1.00 as wide as tall (5th to
 * 95th percentile), 4 wider than this; of the faces of 81 lfw_subset photos turned 90° or 270°, 75 were.
 */
export const SIDEWAYS_BOX_ASPECT = 1.15;

/**
 * Whether a stored face may lie on its side: its landmarks fit a face poorly (SIDEWAYS_FIT), as the landmark net's
 * guesses on such a face mostly do, or, when the guess fitted a face shape, the detector was unsure of it
 * (SIDEWAYS_UNSURE_SCORE) in a box wider than tall, large enough for the detector to tell which way is up
 * (SIDEWAYS_MIN_SIDE; analysed pixels).
 */
function mayLieOnItsSide(face: StoredFaceShape): boolean {
  const [, , width, height] = face.box;
  if (face.score < SIDEWAYS_UNSURE_SCORE && width >= SIDEWAYS_BOX_ASPECT * height && (face.analysedSide ?? Math.min(width, height)) >= SIDEWAYS_MIN_SIDE) return true;
  return face.landmarks.length === 136 && landmarkFitResidual(landmarkPoints(face.landmarks)) > SIDEWAYS_FIT;
}

/**
 * Whether the stored faces of a photo an earlier pipeline analysed may include one lying on its side that it described
 * wrongly (mayLieOnItsSide). A face v6 turned upright fits well, in a box as tall as wide, and is left alone. On 500
 * upright lfw_subset photos 24 faces fitted poorly. Of 154 lfw_subset photos turned 90° or 270° in which v6 found a
 * face, 47 fitted well; the box picks 40 of those (looking again turns 25 upright), and 1 of 900 upright photos.
 */
export function mayHoldSidewaysFace(faces: readonly StoredFaceShape[]): boolean {
  return faces.some(mayLieOnItsSide);
}

/**
 * Photos an earlier pipeline analysed whose faces were kept on upgrade, and whose file is on disk: what looking again
 * would analyse with the current pipeline (it may find faces the earlier one missed, and turn upright faces lying on
 * their side; every face found before keeps its id and everything the user said about it). Of the photos v6 analysed,
 * only those that may hold a face lying on its side (mayHoldSidewaysFace): v6 found the same faces.
 */
export function photosToLookAgainAt<P extends Pick<PhotoRecord, 'analysis' | 'missing'>>(photos: readonly P[], facesOf: (photo: P) => readonly StoredFaceShape[]): P[] {
  return photos.filter((p) => {
    const version = p.analysis?.pipelineVersion;
    if (p.missing || version === undefined || version === PIPELINE_VERSION) return false;
    return version !== PIPELINE_BEFORE_SIDEWAYS || mayHoldSidewaysFace(facesOf(p));
  });
}

/** How many of `photos` (photosToLookAgainAt's) may hold a face lying on its side that looking again would turn upright. */
export function sidewaysAmong<P>(photos: readonly P[], facesOf: (photo: P) => readonly StoredFaceShape[]): number {
  return photos.filter((p) => mayHoldSidewaysFace(facesOf(p))).length;
}

/**
 * photosToLookAgainAt's photos, and sidewaysAmong them, judging each photo's faces once: the landmark fit costs
 * 0.3-0.7 s over 100,000 faces, and the counts are asked for together (Settings, doctor, the CLI's hint).
 */
export function lookAgainCounts<P extends Pick<PhotoRecord, 'analysis' | 'missing'>>(
  photos: readonly P[],
  facesOf: (photo: P) => readonly StoredFaceShape[],
): { photos: number; sideways: number } {
  let count = 0;
  let sideways = 0;
  for (const p of photos) {
    const version = p.analysis?.pipelineVersion;
    if (p.missing || version === undefined || version === PIPELINE_VERSION) continue;
    const lying = mayHoldSidewaysFace(facesOf(p));
    if (version === PIPELINE_BEFORE_SIDEWAYS && !lying) continue;
    count++;
    if (lying) sideways++;
  }
  return { photos: count, sideways };
}
