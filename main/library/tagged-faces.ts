// Faces another app says are there but the detector did not find: a region the user drew in digiKam or Lightroom
// around a small, turned or half-hidden face. Familiar takes a closer look: the detector runs again on a crop
// around the region, enlarged, where the face fills far more of its input. A face found there is added to the
// photo like any detected face (thumbnail, vectors, 68 landmarks); nothing is invented where no face is found.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { centredOnEachOther, iou } from '../../models/detector.js';
import { turnImage } from '../../models/pipeline.js';
import type { Box, DetectedFace, Point, RgbImage } from '../../models/types.js';
import { writeFileAtomic } from '../store/atomic.js';
import { flattenLandmarks } from '../store/landmarks.js';
import { THUMB_DIR, type Library, type LibraryTransaction } from '../store/library.js';
import type { FaceRecord, PersonRecord, PhotoRecord } from '../store/types.js';
import { decodePhoto } from './decode.js';
import type { FaceAnalysisService } from './import.js';

/** The crop is this many times the region's longer side: the detector needs some head and background around a face. */
const CONTEXT = 2.2;
/** Crops smaller than this are enlarged to it: the detector's input is 512 px, and small faces are what it misses. */
const MIN_CROP_SIDE = 384;
/**
 * ...and larger ones shrunk to it: a face filling a 4,096 px crop would be analysed as 200 MB of int32 tensor (twice, for
 * a drawn box's stretched look), where the detector sees 512 px anyway and the face still spans ~450 px here.
 */
const MAX_CROP_SIDE = 1024;
/** Longest side the photo is decoded to for the closer look (memory stays bounded on 100-megapixel photos). */
export const CLOSER_LOOK_MAX_SIDE = 4096;
/** A face found in the crop is the tagged one when it overlaps the region this much (apps draw looser or tighter boxes)... */
const MIN_IOU = 0.2;

export interface FoundFace {
  /** Original photo pixels after EXIF rotation, like every stored box. */
  box: Box;
  landmarks: Point[];
  score: number;
  descriptor: Float32Array;
  /** DetectedFace.analysedSide: the face's size where its descriptor was computed. */
  analysedSide: number;
  crop: RgbImage;
  /** DetectedFace.undetected: a drawn box the detector found no face in, kept as the face on the user's word. */
  undetected?: true;
}

/**
 * A decoded picture's size and scales (DecodedPhoto: file pixels per decoded pixel) as the picture turned `quarters`
 * clockwise has them: a quarter turn swaps the sides, and the scales with them.
 */
export function turnedFrame<F extends { width: number; height: number; scaleX: number; scaleY: number }>(frame: F, quarters: 0 | 1 | 2 | 3 = 0): F {
  return quarters % 2 === 1 ? { ...frame, width: frame.height, height: frame.width, scaleX: frame.scaleY, scaleY: frame.scaleX } : frame;
}

/**
 * Looks for a face at each region (original pixels) of a photo file already read (`content`), one entry per region: the
 * face, or null where the closer look finds none either. Decoded at least `analysisMaxSide` large. `drawn`: the user
 * drew the regions around faces themselves, so the detector's doubtful finds there count when their landmarks fit a
 * face closely, and a region where it finds none is the face itself (models/pipeline.ts AnalyzeOptions.drawnBox). `turned`: the file's picture turned that many quarters
 * clockwise (a photo turned in place, analysed turned back: main/library/import.ts turnedBack), regions and faces in
 * that picture's pixels.
 */
export async function findFacesInFile(
  content: Buffer,
  regions: Box[],
  analyzer: FaceAnalysisService,
  analysisMaxSide: number,
  options: { drawn?: boolean; turned?: 1 | 2 | 3 } = {},
): Promise<Array<FoundFace | null>> {
  // Decoded larger than for the import: the faces the import misses are mostly the small ones, lost when the
  // whole photo is shrunk to the analysis size.
  const decoded = await decodePhoto(content, Math.max(analysisMaxSide, CLOSER_LOOK_MAX_SIDE));
  const image = options.turned ? turnImage(decoded.image, options.turned).image : decoded.image;
  const { scaleX, scaleY } = turnedFrame(decoded, options.turned);
  const out: Array<FoundFace | null> = [];
  for (const [rx, ry, rw, rh] of regions) {
    // The region in decoded pixels, and a square crop around it with context, inside the image.
    const region: Box = [rx / scaleX, ry / scaleY, rw / scaleX, rh / scaleY];
    const side = Math.min(Math.max(image.width, image.height), CONTEXT * Math.max(region[2], region[3]));
    const left = Math.round(Math.min(Math.max(0, region[0] + region[2] / 2 - side / 2), Math.max(0, image.width - side)));
    const top = Math.round(Math.min(Math.max(0, region[1] + region[3] / 2 - side / 2), Math.max(0, image.height - side)));
    const width = Math.max(1, Math.min(Math.round(side), image.width - left));
    const height = Math.max(1, Math.min(Math.round(side), image.height - top));
    const scale = Math.min(Math.max(1, MIN_CROP_SIDE / Math.max(width, height)), MAX_CROP_SIDE / Math.max(width, height));
    const cropWidth = Math.round(width * scale);
    const cropHeight = Math.round(height * scale);
    const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .extract({ left, top, width, height })
      .resize(cropWidth, cropHeight, { kernel: 'lanczos3' })
      .raw()
      .toBuffer();
    const drawnBox: Box = [(region[0] - left) * (cropWidth / width), (region[1] - top) * (cropHeight / height), region[2] * (cropWidth / width), region[3] * (cropHeight / height)];
    const faces = await analyzer.analyze({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: cropWidth, height: cropHeight }, options.drawn ? { drawnBox } : undefined);
    // Back to decoded pixels, then keep the face the region was drawn around.
    const toDecoded = (x: number, y: number): Point => [left + x / (cropWidth / width), top + y / (cropHeight / height)];
    let best: { face: DetectedFace; box: Box; overlap: number } | null = null;
    for (const face of faces) {
      const [x0, y0] = toDecoded(face.box[0], face.box[1]);
      const [x1, y1] = toDecoded(face.box[0] + face.box[2], face.box[1] + face.box[3]);
      const box: Box = [x0, y0, x1 - x0, y1 - y0];
      const overlap = iou(box, region);
      if ((overlap >= MIN_IOU || centredOnEachOther(box, region)) && (!best || overlap > best.overlap)) best = { face, box, overlap };
    }
    if (!best) {
      out.push(null);
      continue;
    }
    const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
    out.push({
      box: [round(best.box[0] * scaleX, 2), round(best.box[1] * scaleY, 2), round(best.box[2] * scaleX, 2), round(best.box[3] * scaleY, 2)],
      landmarks: best.face.landmarks.map(([x, y]): Point => {
        const [dx, dy] = toDecoded(x, y);
        return [round(dx * scaleX, 1), round(dy * scaleY, 1)];
      }),
      score: round(best.face.score, 4),
      descriptor: best.face.descriptor,
      // In decoded pixels: the crop's enlargement added no detail (models/face-quality.ts wants the real pixels); a
      // shrunk crop's face was seen at its size in the crop.
      analysedSide: round(best.face.analysedSide / Math.max(1, scale), 1),
      crop: best.face.crop,
      ...(best.face.undetected ? { undetected: true as const } : {}),
    });
  }
  return out;
}

/** The photo's faces changed between the look and the commit (an import analysed it again): look again. */
export class PhotoFacesChangedError extends Error {
  override name = 'PhotoFacesChangedError';
}

/**
 * Stores faces found after the import as faces of `photoId`, in the import's order of writes: thumbnails, then
 * vectors, then one transaction. Returns their ids. `expectFaceIds`: the photo's faces when they were looked at;
 * PhotoFacesChangedError, adding nothing, when the commit finds others (the found faces may be among them now).
 * `unplaced`: stored for a grouping to place (FaceRecord.unplaced).
 */
export async function addFacesToPhoto(
  library: Library,
  photoId: string,
  found: FoundFace[],
  options: { expectFaceIds?: readonly string[]; drawn?: boolean; unplaced?: boolean } = {},
): Promise<string[]> {
  const photo = library.photo(photoId);
  if (!photo) throw new Error(`No photo "${photoId}" in this library.`);
  const used = new Set(library.facesOfPhoto(photoId).map((f) => Number(f.id.split('-').pop())));
  let next = 0;
  const ids: string[] = [];
  for (let i = 0; i < found.length; i++) {
    // An index whose thumbnail is on disk may be an import's face written but not committed yet (it analyses this
    // photo again): writing over it would give that face this one's picture.
    while (used.has(next) || (await exists(join(library.dir, THUMB_DIR, `${photoId.slice(0, 16)}-${next}.webp`)))) next++;
    used.add(next);
    ids.push(`${photoId.slice(0, 16)}-${next}`);
  }
  for (const [i, face] of found.entries()) {
    const webp = await sharp(face.crop.data, { raw: { width: face.crop.width, height: face.crop.height, channels: 3 } }).webp({ quality: 85 }).toBuffer();
    await writeFileAtomic(join(library.dir, THUMB_DIR, `${ids[i]}.webp`), webp, { durable: false });
  }
  const rows = await library.appendVectors(found.map((f) => f.descriptor));
  await library.transaction((tx) => {
    const records: FaceRecord[] = found.map((f, i) => ({
      id: ids[i],
      photoId,
      box: f.box,
      score: f.score,
      landmarks: flattenLandmarks(f.landmarks),
      vectorRow: rows[i],
      personId: null,
      assignedBy: null,
      rejectedPersonIds: [],
      faceness: null,
      analysedSide: f.analysedSide,
      thumb: `${THUMB_DIR}/${ids[i]}.webp`,
      ...(options.drawn ? { drawn: true as const } : {}),
      ...(options.unplaced ? { unplaced: true as const } : {}),
      ...(f.undetected ? { undetected: true as const } : {}),
    }));
    const record = tx.photos.find((p: PhotoRecord) => p.id === photoId);
    if (!record) throw new Error(`The photo "${photoId}" left the library while its faces were being added.`);
    // Ids were chosen before the thumbnails were written; a re-analysis of this photo may have taken one meanwhile.
    if (ids.some((id) => record.faceIds.includes(id))) throw new PhotoFacesChangedError('The photo changed while its faces were being added: try again.');
    const expected = options.expectFaceIds;
    if (expected && (expected.length !== record.faceIds.length || expected.some((id) => !record.faceIds.includes(id)))) {
      throw new PhotoFacesChangedError('The photo changed while its faces were being added: try again.');
    }
    tx.faces.push(...records);
    record.faceIds = [...record.faceIds, ...ids];
  });
  return ids;
}

/**
 * Takes faces out of their photos and the library, inside the caller's transaction: undo of a decision that added faces,
 * or a names read stopped after adding some. A person whose cover one was shows its best face again. Returns the
 * vector rows they held, to give back (Library.releaseRows) once the transaction is committed. Their thumbnails stay on
 * disk: addFacesToPhoto never reuses an id whose thumbnail exists, and a face's thumbnail is served as immutable under
 * its id, so a face marked again later never shows the picture a window cached for the one taken out.
 */
export function takeOutFaces(tx: LibraryTransaction, library: Pick<Library, 'face' | 'photo'>, faceIds: Iterable<string>): number[] {
  const gone = new Set(faceIds);
  const rows: number[] = [];
  const photos = new Map<string, PhotoRecord>();
  for (const id of gone) {
    const face = library.face(id);
    if (!face) continue;
    rows.push(face.vectorRow);
    const photo = library.photo(face.photoId);
    if (photo) photos.set(photo.id, photo);
  }
  if (rows.length === 0) return rows;
  for (const person of tx.people.people as PersonRecord[]) if (person.coverFaceId !== null && gone.has(person.coverFaceId)) person.coverFaceId = null;
  for (const photo of photos.values()) photo.faceIds = photo.faceIds.filter((id) => !gone.has(id));
  // Put and removed, not reached: only these photos and faces are compared with what disk holds.
  tx.put('photos', photos.values());
  tx.remove('faces', gone);
  return rows;
}

const exists = (path: string) => access(path).then(
  () => true,
  () => false,
);
