// Photos that leave the library (a folder removed, the photos missing from disk forgotten) keep what their analysis
// found (main/store/kept-analyses.ts); an import that meets the same content again takes its faces from there
// instead of the face models (main/library/import.ts). QA: a folder of 444 photos removed and imported again was
// analysed again for 204 s, where an unchanged folder imported again takes a second.
// What comes back is what analysing the file again would find, under the same face ids, and what the user had said of
// those faces (a name, a confirmation, a "not this person", a face set aside), as a photo restored from Apple Photos'
// Recently Deleted or a file digiKam sees again keeps its people. A face the user drew is not kept: an analysis of the
// file would not find it, so neither it nor its name comes back (the removal counts those apart: decisionsKept).
import { alignFace } from '../../models/aligner.js';
import { CROP_SPEC, MAX_PANORAMA_SIDE } from '../../models/pipeline.js';
import type { DetectedFace, Point, RgbImage } from '../../models/types.js';
import { KeptAnalyses, type KeptAnalysis, type KeptDecision, type KeptFace } from '../store/kept-analyses.js';
import { landmarkPoints } from '../store/landmarks.js';
import type { Library } from '../store/library.js';
import type { FaceRecord, LostFace, PhotoRecord } from '../store/types.js';
import { decodePhoto, type DecodedPhoto } from './decode.js';
import { analysisHolds, analysisMayHold } from './pipeline-upgrade.js';
import { CLOSER_LOOK_MAX_SIDE } from './tagged-faces.js';

const stores = new WeakMap<Library, KeptAnalyses>();

/** The analyses kept beside `library`: one store per open library, shared by its imports and removals. */
export function keptAnalysesOf(library: Library): KeptAnalyses {
  let store = stores.get(library);
  if (!store) stores.set(library, (store = new KeptAnalyses(library.dir)));
  return store;
}

/**
 * The index of `face` in its photo's kept analysis, or null when it is not kept with it: its photo was never analysed
 * or lost a vector (it is analysed again when it comes back), the user drew it, or an edit carried it over from another
 * photo's record (its id is that photo's). An analysis of the file would not find those.
 */
export function keptIndexOf(photo: PhotoRecord, face: FaceRecord): number | null {
  if (!photo.analysis || (photo.lostFaces?.length ?? 0) > 0 || face.drawn) return null;
  const prefix = `${photo.id.slice(0, 16)}-`;
  if (!face.id.startsWith(prefix)) return null;
  const index = Number(face.id.slice(prefix.length));
  return Number.isInteger(index) && index >= 0 ? index : null;
}

/** What the user said of a face, to keep with it when its photo leaves the library (KeptAnalysis.decisions). */
export type DecisionToKeep = Omit<KeptDecision, 'index'>;

/**
 * What the analysis found in `photo`, to keep when it leaves the library: its faces the analysis found (keptIndexOf),
 * in its order, with their vectors, and what `decisions` says the user said of them. Null when it was never analysed,
 * or a vector of it is lost.
 */
export function analysisToKeep(library: Library, photo: PhotoRecord, decisions: ReadonlyMap<string, DecisionToKeep> = new Map()): KeptAnalysis | null {
  if (!photo.analysis || (photo.lostFaces?.length ?? 0) > 0) return null;
  const faces: KeptFace[] = [];
  const kept: KeptDecision[] = [];
  for (const id of photo.faceIds) {
    const face = library.face(id);
    const index = face ? keptIndexOf(photo, face) : null;
    if (!face || index === null) continue;
    let backbone: Float32Array;
    try {
      backbone = Float32Array.from(library.backboneOf(face));
    } catch {
      return null;
    }
    faces.push({ index, box: [...face.box], score: face.score, landmarks: [...face.landmarks], analysedSide: face.analysedSide ?? null, backbone });
    const decision = decisions.get(id);
    if (decision) kept.push({ index, ...decision, rejectedPersonIds: [...decision.rejectedPersonIds] });
  }
  const { pipelineVersion, analysedAt } = photo.analysis;
  // With its paths: a file edited while out of the library takes back the decisions at one of them (import.ts).
  const decided = kept.length > 0 ? { decisions: kept, paths: [...photo.paths] } : {};
  return { photoId: photo.id, pipelineVersion, analysedAt, width: photo.width, height: photo.height, faces, ...decided };
}

/**
 * What the user said of the faces of `kept` when they left the library, as a dropped face keeps it (PhotoRecord's
 * lostFaces): the import gives it to the face found in the same place (main/library/import.ts recoveredState).
 */
export function keptDecisionsOf(kept: KeptAnalysis): LostFace[] {
  const prefix = `${kept.photoId.slice(0, 16)}-`;
  const boxes = new Map(kept.faces.map((f) => [f.index, f.box]));
  return (kept.decisions ?? []).flatMap(({ index, personId, assignedBy, rejectedPersonIds, notAFace }) => {
    const box = boxes.get(index);
    return box ? [{ id: `${prefix}${index}`, box: [...box], personId, assignedBy, rejectedPersonIds: [...rejectedPersonIds], ...(notAFace && { notAFace }) }] : [];
  });
}

/**
 * Keeps the analyses of the photos `photoIds` before they leave the library (main/library/remove-folder.ts), with what
 * `decisions` says the user said of their faces. Never fails the removal: a write that fails keeps nothing and says
 * why. Returns how many photos were kept, of how many faces the decisions were, and what was wrong with the store.
 */
export async function keepAnalyses(
  library: Library,
  photoIds: ReadonlySet<string>,
  decisions: ReadonlyMap<string, DecisionToKeep> = new Map(),
): Promise<{ kept: number; decisionsKept: number; problem: string | null }> {
  const store = keptAnalysesOf(library);
  let decisionsKept = 0;
  const analyses = function* () {
    for (const id of photoIds) {
      const photo = library.photo(id);
      const analysis = photo && analysisToKeep(library, photo, decisions);
      if (!analysis) continue;
      decisionsKept += analysis.decisions?.length ?? 0;
      yield analysis;
    }
  };
  try {
    // Photos the library holds again (restored, a crash before the forgetting) are left out if the file is rewritten.
    const kept = await store.keep(analyses(), (id) => !photoIds.has(id) && library.photo(id) !== undefined);
    return { kept, decisionsKept, problem: store.takeProblem() };
  } catch (err) {
    const problem = store.takeProblem();
    const lost = decisions.size > 0 ? ', and what you said of their faces is lost' : '';
    const why = `Could not keep what the analysis found in these photos (${(err as Error).message}): imported again, they are analysed again${lost}.`;
    return { kept: 0, decisionsKept: 0, problem: problem ? `${problem} ${why}` : why };
  }
}

/**
 * The kept analyses an import of the pipeline `pipelineVersion` may take faces from: those of another pipeline's that
 * an upgrade analyses again are dropped (the file is rewritten without them at the import's end, `tidy`), unless they
 * hold what the user said of their faces: the faces analysed anew take that back (main/library/import.ts).
 */
export function retireOtherPipelines(store: KeptAnalyses, pipelineVersion: string): Promise<number> {
  return store.retire((_id, version, decided) => !decided && !analysisMayHold(version, pipelineVersion));
}

/** Whether `kept` stands for the pipeline `pipelineVersion` on the picture `decoded` (the same size: the same pixels). */
export function keptAnalysisHolds(kept: KeptAnalysis, decoded: Pick<DecodedPhoto, 'width' | 'height'>, pipelineVersion: string, maxSide: number): boolean {
  if (kept.width !== decoded.width || kept.height !== decoded.height) return false;
  const analysis = { pipelineVersion: kept.pipelineVersion, analysedAt: kept.analysedAt };
  return analysisHolds({ width: kept.width, height: kept.height, analysis }, kept.faces, pipelineVersion, maxSide);
}

/** A face described from this many times the analysis's pixels (the closer look, small faces described again) was cut from them too. */
const LARGER_CROP = 1.25;

/**
 * The faces of `kept` as the analysis gives them, in the pixels of `decoded` (the photo decoded for analysis), with
 * their aligned crops (the thumbnails) cut from the picture: no face model runs. A face the analysis described from
 * a larger decode of the file is cut from one as large, so its thumbnail is as sharp as it was: one more decode
 * for a group photo, none for a portrait.
 */
export async function keptFaces(kept: KeptAnalysis, decoded: DecodedPhoto, content: Buffer): Promise<DetectedFace[]> {
  const { image, scaleX, scaleY } = decoded;
  const faces = kept.faces.map((face) => {
    const box: DetectedFace['box'] = [face.box[0] / scaleX, face.box[1] / scaleY, face.box[2] / scaleX, face.box[3] / scaleY];
    const landmarks = landmarkPoints(face.landmarks).map(([x, y]): Point => [x / scaleX, y / scaleY]);
    const side = Math.max(Number.EPSILON, Math.min(box[2], box[3]));
    return { face, box, landmarks, zoom: (face.analysedSide ?? side) / side };
  });
  const zoom = Math.max(1, ...faces.map((f) => f.zoom));
  let larger: RgbImage | null = null;
  if (zoom >= LARGER_CROP) {
    // As large as the face needs, within what the analysis decodes for a closer look (a panorama's long side further).
    const long = Math.max(image.width, image.height);
    const cap = Math.min(MAX_PANORAMA_SIDE, CLOSER_LOOK_MAX_SIDE * Math.sqrt(long / Math.min(image.width, image.height)));
    const side = Math.round(Math.min(cap, long * zoom));
    // Only sharper thumbnails depend on it: if it fails, the faces are cut from the analysis's pixels.
    if (side >= long * LARGER_CROP) larger = await decodePhoto(content, side).then((d) => d.image, () => null);
    if (larger && larger.width < image.width * LARGER_CROP) larger = null; // the file holds no more pixels
  }
  return faces.map(({ face, box, landmarks, zoom: faceZoom }) => {
    const from = larger && faceZoom >= LARGER_CROP ? larger : image;
    const ratio = from.width / image.width;
    return {
      box,
      score: face.score,
      landmarks,
      descriptor: face.backbone,
      analysedSide: face.analysedSide ?? Math.min(box[2], box[3]),
      crop: alignFace(from, ratio === 1 ? landmarks : landmarks.map(([x, y]): Point => [x * ratio, y * ratio]), CROP_SPEC),
    };
  });
}
