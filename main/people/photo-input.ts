// Turns what a user types for "who" and "same" (a face id, a photo id, a photo file in the library, or any photo
// file) into faces with embeddings in the library's embedding space. Files outside the library are analysed with
// the face pipeline, and a trained head in use is applied, so they compare with the stored faces.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolveUserPath } from '../paths.js';
import { FaceAnalyzer } from '../../models/pipeline.js';
import { applyHead } from '../../models/embedder/head.js';
import { closerLookSide, describeSmallFacesAgain, mergeCloserLook } from '../library/closer-look.js';
import { decodePhoto, readPhotoBytes, type DecodedPhoto } from '../library/decode.js';
import { loadVersion, versionOfSource } from '../embedder/versions.js';
import type { Library } from '../store/library.js';
import type { FaceRecord, PhotoRecord } from '../store/types.js';
import { PeopleError } from './library.js';

export interface InputFace {
  /** Library face id, or null for a face found in a file outside the library. */
  id: string | null;
  box: [number, number, number, number];
  embedding: Float32Array;
}

export type PhotoInput = { kind: 'face'; face: FaceRecord } | { kind: 'photo'; photo: PhotoRecord } | { kind: 'file'; file: string };

/** Files larger than this are not read just to see whether they copy a library photo (a photo is tens of MB at most). */
const MAX_HASHED_BYTES = 256 * 1024 * 1024;

export function resolvePhotoInput(library: Library, ref: string): PhotoInput {
  const face = library.face(ref);
  if (face) return { kind: 'face', face };
  const photo = library.photo(ref);
  if (photo) return { kind: 'photo', photo };
  const file = resolveUserPath(ref);
  const known = library.photos.find((p) => p.paths.includes(file));
  if (known) return { kind: 'photo', photo: known };
  if (existsSync(file)) {
    const kind = statSync(file);
    if (kind.isDirectory()) throw new PeopleError(`"${ref}" is a folder: give one photo file (or a photo or face id).`);
    // A pipe or device would block the read, or never end it (QA: a FIFO hung `familiar who`, past Ctrl-C).
    if (!kind.isFile()) throw new PeopleError(`"${ref}" is not a regular file (a device, pipe or socket): give one photo file.`);
    // A copy of a library photo elsewhere (a download, a backup): its faces are the library's, with what you said.
    const copy = statSync(file).size <= MAX_HASHED_BYTES ? copiedPhoto(library, file) : undefined;
    if (copy) return { kind: 'photo', photo: copy };
    return { kind: 'file', file };
  }
  throw new PeopleError(`"${ref}" is neither a face id, a photo id, nor a photo file that exists.`);
}

/** The library photo whose content this file is, if any (an unreadable file is left for the analysis to explain). */
function copiedPhoto(library: Library, file: string): PhotoRecord | undefined {
  try {
    return library.photo(createHash('sha256').update(readFileSync(file)).digest('hex'));
  } catch {
    return undefined;
  }
}

/** Faces of a photo file outside the library, embedded like the library's faces. */
export async function analysePhotoFile(library: Library, file: string, onDecoded?: (taken: Pick<DecodedPhoto, 'takenAt' | 'takenOffset'>) => void): Promise<InputFace[]> {
  const maxSide = typeof library.settings.analysisMaxSide === 'number' ? library.settings.analysisMaxSide : 1280;
  // Which file failed, when one of two ("familiar same a.jpg b.jpg") cannot be read.
  const named = (err: unknown) => new PeopleError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  const bytes = await readPhotoBytes(file).catch((err: unknown) => Promise.reject(named(err)));
  const decoded = await decodePhoto(bytes, maxSide).catch((err: unknown) => Promise.reject(named(err)));
  onDecoded?.(decoded);
  const analysed = { width: decoded.image.width, height: decoded.image.height };
  const analyzer = await FaceAnalyzer.create();
  try {
    let faces = await analyzer.analyze(decoded.image);
    // The same closer looks as the import (main/library/closer-look.ts): at people at a distance, and at small faces.
    const closer = closerLookSide(faces, { ...decoded, image: analysed }, maxSide);
    if (closer !== null) {
      const larger = await decodePhoto(bytes, closer.side);
      faces = mergeCloserLook(faces, await analyzer.analyze(larger.image, { closerLook: true, panorama: closer.panorama }), analysed.width / larger.image.width);
    }
    faces = await describeSmallFacesAgain(bytes, faces, decoded, analyzer, maxSide);
    const version = versionOfSource(library.info.embedding);
    const dim = library.info.backboneDim;
    const packed = new Float32Array(faces.length * dim);
    faces.forEach((f, i) => packed.set(f.descriptor, i * dim));
    const embedded = version === 'raw' ? packed : applyHead((await loadVersion(library.dir, version)).head, packed);
    const outDim = faces.length > 0 ? embedded.length / faces.length : dim;
    return faces.map((f, i) => ({
      id: null,
      box: [f.box[0] * decoded.scaleX, f.box[1] * decoded.scaleY, f.box[2] * decoded.scaleX, f.box[3] * decoded.scaleY],
      embedding: embedded.slice(i * outDim, (i + 1) * outDim),
    }));
  } finally {
    analyzer.dispose();
  }
}

/** `onDecoded`: a photo file's capture date, as it is read (a photo of the library has its own). */
export async function facesOfInput(library: Library, input: PhotoInput, onDecoded?: (taken: Pick<DecodedPhoto, 'takenAt' | 'takenOffset'>) => void): Promise<InputFace[]> {
  if (input.kind === 'face') return [{ id: input.face.id, box: input.face.box, embedding: library.embeddingOf(input.face) }];
  if (input.kind === 'photo') return library.facesOfPhoto(input.photo.id).map((f) => ({ id: f.id, box: f.box, embedding: library.embeddingOf(f) }));
  return analysePhotoFile(library, input.file, onDecoded);
}
