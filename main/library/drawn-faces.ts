// A face the user marks by drawing a box around it: one the import missed (turned away, in shadow, half hidden, too
// small). Familiar looks inside the box with the closer look of main/library/tagged-faces.ts, counting the detector's
// doubtful finds there when their landmarks fit a face closely, also with the box's tones stretched (models/pipeline.ts
// detectDrawn), and adds the face like a detected one (thumbnail, vectors, 68 landmarks). Where the detector finds no
// face, the box is the face on the user's word, as in Immich, digiKam or Photos (FaceRecord.undetected): only a box
// too small to hold a face, or outside the photo, is refused.
import { createHash } from 'node:crypto';
import { iou, sameFaceBoxes } from '../../models/detector.js';
import type { Box } from '../../models/types.js';
import type { FaceRecord } from '../store/types.js';
import type { Library } from '../store/library.js';
import { readPhotoBytes } from './decode.js';
import type { FaceAnalysisService } from './import.js';
import { addFacesToPhoto, findFacesInFile, PhotoFacesChangedError, type FoundFace } from './tagged-faces.js';

/** A drawn box narrower or lower than this (original pixels) cannot hold a face the recognition net can use. */
export const MIN_DRAWN_SIDE = 12;

/**
 * A marked face counts as framed by a drawn box when its centre lies inside the box and it covers at least this share
 * of the box's area: a box over a crowd of 30 faces frames each, one drawn around a face does not frame a small face in
 * the background behind it.
 */
export const MIN_FRAMED_SHARE = 1 / 64;

/** A box drawn this close around a marked face (overlap) is that face's, whatever else its corners reach. */
const TIGHT_IOU = 0.5;

/** Why a drawn box added no face: what kind of reason (for callers that sum them up), and in words for the user. */
export type DrawnFaceRefusal = 'outside' | 'too-small' | 'marked' | 'no-face' | 'photo';

/** Why a drawn box added no face, in words for the user. */
export class DrawnFaceError extends Error {
  override name = 'DrawnFaceError';
  constructor(
    message: string,
    readonly refusal: DrawnFaceRefusal = 'photo',
  ) {
    super(message);
  }
}

export interface DrawnFaceOptions {
  /** A file the caller knows holds the photo (the CLI's argument: a copy, or the photo moved since its import). */
  alsoAt?: string;
  /**
   * Keep only a face the detector finds in the box, never the box as drawn (refused as 'no-face'): for a place another
   * app marked as a face and nobody named, which is no one's word that a face is there (main/people/xmp-names.ts).
   */
  detectedOnly?: boolean;
  /**
   * Stored as a face no grouping has placed yet (FaceRecord.unplaced): an import places the faces its names read found
   * with its own, and one stopped before that leaves them for the next import or open to group, not in no group.
   */
  unplaced?: boolean;
}

export interface DrawnFaceResult {
  faceId: string;
  /** false: a face was already marked there (`faceId` is that face), nothing changed. */
  added: boolean;
  /** The face added is the box as drawn: the detector found no face in it (FaceRecord.undetected). */
  undetected: boolean;
}

/** The box inside the photo's pixels (after EXIF rotation), or an error saying why it cannot hold a face. */
export function clampDrawnBox(box: Box, width: number, height: number): Box {
  if (!box.every(Number.isFinite)) throw new DrawnFaceError('The box must be four numbers: left, top, width and height in pixels.', 'outside');
  const x0 = Math.max(0, box[0]);
  const y0 = Math.max(0, box[1]);
  const x1 = Math.min(width, box[0] + box[2]);
  const y1 = Math.min(height, box[1] + box[3]);
  if (x1 - x0 < MIN_DRAWN_SIDE || y1 - y0 < MIN_DRAWN_SIDE) {
    throw new DrawnFaceError(
      x1 <= x0 || y1 <= y0
        ? `The box lies outside the photo (${width} x ${height} pixels): draw it on the photo, around the face.`
        : `The box is too small to hold a face Familiar can recognise: draw it at least ${MIN_DRAWN_SIDE} pixels wide and high in the photo.`,
      x1 <= x0 || y1 <= y0 ? 'outside' : 'too-small',
    );
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

/**
 * Looks for a face inside `box` (original pixels) of photo `photoId` and adds it to the photo. The face joins no one
 * here: the caller places or names it. Reads the photo from the first of its paths that still holds its content.
 */
export async function addDrawnFace(library: Library, photoId: string, box: Box, analyzer: FaceAnalysisService, options: DrawnFaceOptions = {}): Promise<DrawnFaceResult> {
  const [result] = await addDrawnFaces(library, photoId, [box], analyzer, options);
  if (result instanceof DrawnFaceError) throw result;
  return result;
}

/**
 * addDrawnFace for several boxes on one photo, the photo read and decoded once: a names import keeps the regions other
 * apps named, where the detector found no face, as boxes drawn by the user (main/people/xmp-names.ts). One result per
 * box, in order: the face, or the DrawnFaceError that says why that box added none. Throws (a DrawnFaceError too)
 * what stops every box: the photo gone from the library, its file changed or unreadable.
 */
export async function addDrawnFaces(
  library: Library,
  photoId: string,
  boxes: readonly Box[],
  analyzer: FaceAnalysisService,
  options: DrawnFaceOptions = {},
): Promise<Array<DrawnFaceResult | DrawnFaceError>> {
  const photo = library.photo(photoId);
  if (!photo) throw new DrawnFaceError(`No photo "${photoId}" in this library.`);
  const results: Array<DrawnFaceResult | DrawnFaceError | undefined> = [];
  /** The boxes to look into, with the marked faces each frames. */
  const toLook: Array<{ index: number; region: Box; framed: FaceRecord[] }> = [];
  for (const [index, box] of boxes.entries()) {
    let region: Box;
    try {
      region = clampDrawnBox(box, photo.width, photo.height);
    } catch (err) {
      if (!(err instanceof DrawnFaceError)) throw err;
      results[index] = err;
      continue;
    }
    // What the user means by the box: around one marked face (even loosely), it opens that face; around several, it is
    // none of theirs, even when centred on one (a box over two, one of them filling a fifth of it, opened that one).
    const faces = library.facesOfPhoto(photoId);
    // A box the user said holds no face is not shown: it frames nothing, though a box drawn on it opens it again.
    const framed = framedFaces(faces.filter((f) => !f.notAFace), region);
    const marked = faces.find((f) => iou(f.box, region) >= TIGHT_IOU) ?? (framed.length < 2 ? faces.find((f) => sameFaceBoxes(f.box, region)) : undefined);
    if (marked) results[index] = { faceId: marked.id, added: false, undetected: false };
    else toLook.push({ index, region, framed });
  }
  if (toLook.length > 0) {
    // Looked into all the same: a face missed among marked ones is what such a box may be drawn for.
    const content = await readUnchanged(photo.id, options.alsoAt ? [options.alsoAt, ...photo.paths] : photo.paths);
    const founds = await findFacesInFile(
      content,
      toLook.map((l) => l.region),
      analyzer,
      library.settings.analysisMaxSide,
      { drawn: true },
    );
    for (const [i, { index, framed }] of toLook.entries()) {
      try {
        results[index] = await keepFoundFace(library, photoId, options.detectedOnly && founds[i]?.undetected ? null : founds[i], framed, options.unplaced === true);
      } catch (err) {
        if (!(err instanceof DrawnFaceError)) throw err;
        results[index] = err;
      }
    }
  }
  return results.map((r) => r!);
}

/** Adds the face found in a drawn box (null: none) to the photo, unless it is a marked face's or the box is theirs. */
async function keepFoundFace(library: Library, photoId: string, found: FoundFace | null, framed: readonly FaceRecord[], unplaced: boolean): Promise<DrawnFaceResult> {
  const alreadyMarked = () =>
    new DrawnFaceError(
      `That box holds ${framed.length === 1 ? 'a face' : `${framed.length} faces`} marked already. To mark another face, draw the box around that face alone.`,
      'marked',
    );
  // No new face found in a box around marked ones: the box is theirs, not a face to keep as drawn.
  if (framed.length > 0 && (!found || found.undetected)) throw alreadyMarked();
  if (!found) throw new DrawnFaceError('Familiar found no face in that box. Draw it around the whole face, from the hairline to the chin.', 'no-face');
  const undetected = found.undetected === true;
  // Not queued behind an import (main/engine.ts): one analysing this photo again may commit its faces meanwhile, and
  // find this face among them. Then the face is compared with those, and added only when it is not one of them.
  for (let attempt = 1; ; attempt++) {
    const now = library.photo(photoId);
    if (!now) throw new DrawnFaceError('The photo left the library while Familiar looked for the face.');
    // The face found may be a marked face's after all (the box drawn wide around it).
    const known = library.facesOfPhoto(photoId).find((f) => sameFaceBoxes(f.box, found.box));
    if (known && framed.length >= 2) throw alreadyMarked();
    if (known) return { faceId: known.id, added: false, undetected: false };
    try {
      const [faceId] = await addFacesToPhoto(library, photoId, [found], { expectFaceIds: [...now.faceIds], drawn: true, unplaced });
      return { faceId, added: true, undetected };
    } catch (err) {
      if (!(err instanceof PhotoFacesChangedError) || attempt === 3) throw err;
    }
  }
}

/** The marked faces a drawn box frames: their centres inside it, and none tiny beside it (MIN_FRAMED_SHARE). */
export function framedFaces<Face extends Pick<FaceRecord, 'box'>>(faces: readonly Face[], box: Box): Face[] {
  const centreInside = ([x, y, w, h]: Box) => x + w / 2 >= box[0] && x + w / 2 <= box[0] + box[2] && y + h / 2 >= box[1] && y + h / 2 <= box[1] + box[3];
  return faces.filter((f) => centreInside(f.box) && f.box[2] * f.box[3] >= box[2] * box[3] * MIN_FRAMED_SHARE);
}

/**
 * The photo's bytes from a path that still holds the content it was imported with: boxes are in that picture's
 * pixels, and an edited file's faces would not line up with them.
 */
async function readUnchanged(photoId: string, paths: readonly string[]): Promise<Buffer> {
  let changed = false;
  for (const path of paths) {
    let content: Buffer;
    try {
      content = await readPhotoBytes(path);
    } catch {
      continue;
    }
    if (createHash('sha256').update(content).digest('hex') === photoId) return content;
    changed = true;
  }
  throw new DrawnFaceError(
    changed
      ? 'The photo file has changed since it was imported. Import its folder again, then mark the face.'
      : 'The photo file is missing or cannot be read, so Familiar cannot look for a face in it.',
    'photo',
  );
}
