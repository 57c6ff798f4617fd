// Records of the library folder (docs/architecture.md). main/store owns photos, faces and settings; the people
// document's element types belong to main/people/types.ts — until that module exists the store keeps the minimal
// shape every module agrees on here.
import type { Box } from '../../models/types.js';

/**
 * Version of the JSON documents' shape. A library with a higher number is refused, never rewritten.
 * 2: a face's landmarks are one flat list of numbers (1: a list of [x, y] pairs; read and upgraded on open).
 * 3: photos.json has a journal, photos.journal, as faces.json has faces.journal (2: none; nothing else changed, so a
 *    version 2 library is read as it is and rewritten as 3, which a version 2 build, blind to that journal, refuses).
 * 4: faces.json and photos.json carry a `generation`, new at each whole write, and each journal's first line names the
 *    generation its lines go over (main/store/faces-journal.ts). A version 3 build would take that line for damage and
 *    keep a stale generation when it rewrote the file; a version 3 library (no generations) opens as before and is
 *    rewritten as 4.
 * 5: people.json has a journal, people.journal, and a generation (main/store/people-journal.ts). A version 4 build,
 *    blind to that journal, would read people.json without the decisions a crash left in it; a version 4 library
 *    opens as it is and is rewritten as 5.
 */
export const SCHEMA_VERSION = 5;

export interface PhotoAnalysis {
  pipelineVersion: string;
  analysedAt: string;
  /**
   * Places other apps marked as faces, nobody named, that a closer look found no new face in (none, or one Familiar
   * has; main/people/xmp-names.ts): a names read does not look there again until the photo is analysed again. Original
   * pixels, after EXIF rotation.
   */
  lookedCloserAt?: Box[];
}

export interface PhotoRecord {
  /** sha256 of the file content (hex): copies are one photo, moves keep it. */
  id: string;
  /** Absolute paths where this content was seen (first = primary). */
  paths: string[];
  /** No path exists any more. Never deleted with its labels. */
  missing: boolean;
  /** Original pixels AFTER EXIF rotation. */
  width: number;
  height: number;
  orientation: number;
  /** When it was taken (EXIF), as an instant in UTC. */
  takenAt: string | null;
  /**
   * With takenAt: the UTC offset, in minutes, its camera's clock was read in: takenAt plus this is the clock as EXIF
   * wrote it. The photo's own (EXIF OffsetTimeOriginal) when it says, else the importing machine's zone on that date,
   * which a machine elsewhere cannot know (main/library/decode.ts). Absent for photos imported before it was recorded.
   */
  takenOffset?: number;
  /**
   * true when the photo's EXIF said takenOffset, so it is the zone where the photo was taken (the viewer says so);
   * absent when takenOffset is the importing machine's zone, or for photos imported before it was recorded.
   */
  takenOffsetKnown?: boolean;
  bytes: number;
  format: string;
  /** null = needs model work. */
  analysis: PhotoAnalysis | null;
  faceIds: string[];
  /** Size and mtime of each path when its content was last hashed: an unchanged stamp skips hashing on re-import. */
  fileStamps?: Record<string, FileStamp>;
  /**
   * Paths it forgot when their folder was taken out of the library, a copy elsewhere keeping it (remove-folder.ts): the
   * folder imported again finds it where it was, not at a new path (main/library/import.ts). Dropped once seen again.
   */
  removedPaths?: string[];
  /**
   * What the user said about faces that had to be dropped because their vectors were lost (a vector file damaged or
   * deleted): kept until the photo is analysed again, when the faces found in the same places get it back, ids and
   * all (main/library/import.ts). QA: deleting the vector files used to cost every name.
   */
  lostFaces?: LostFace[];
  /** The picture's perceptual hash from its last analysis (models/cluster/resized-copy.ts); absent on photos analysed before it was recorded. */
  pictureHash?: string;
  /**
   * SHA-256 of the pixels its last analysis was handed (decoded at the analysis's size): new bytes at its path whose
   * pixels hash the same are this picture with metadata written into it, and keep its faces (main/library/import.ts).
   * Absent on photos analysed before it was recorded.
   */
  pixelsHash?: string;
  /**
   * This photo is another photo of the library resized or compressed again (main/library/copies.ts): that photo, and
   * which of its faces each face of this one is. A decision about one of two such faces is the other's too.
   */
  copyOf?: CopyOf;
}

/** A photo's original (PhotoRecord.copyOf): its id, and per face of the copy (by id) the original's face id. */
export interface CopyOf {
  photoId: string;
  faces: Record<string, string>;
}

/** A dropped face's place and the user's decisions about it (PhotoRecord.lostFaces). */
export type LostFace = Pick<FaceRecord, 'id' | 'box' | 'personId' | 'assignedBy' | 'rejectedPersonIds' | 'notAFace'>;

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export interface FaceRecord {
  /** Stable: `${photoId.slice(0,16)}-${index}`. */
  id: string;
  photoId: string;
  /** Original photo pixels after EXIF rotation. */
  box: Box;
  score: number;
  /** 68 points as one flat list [x0, y0, x1, y1, ...], original photo pixels (main/store/landmarks.ts). */
  landmarks: readonly number[];
  /** Row in vectors/backbone.f32 and vectors/embedding.f32. */
  vectorRow: number;
  personId: string | null;
  /** 'user' = confirmed/moved/named by the user: never changed by a job. */
  assignedBy: 'cluster' | 'user' | null;
  rejectedPersonIds: string[];
  /** Autoencoder "is it a face" score; low = review list. */
  faceness: number | null;
  /**
   * Shorter box side in the pixels the descriptor was computed from (the photo is analysed downscaled):
   * models/face-quality.ts. Absent on faces stored before it was recorded (estimated: main/people/library.ts).
   */
  analysedSide?: number;
  /** Relative to the library: thumbs/<faceId>.webp. */
  thumb: string;
  /**
   * Found by an import that has not yet scored and placed it: an import stopped after storing its faces leaves this
   * on them, and the next import finishes the job (main/engine.ts). Kept on the faces a checkpoint or a stopped
   * import's grouping placed for now, which the next import's end places again (main/people/interim-groups.ts). A
   * recluster places every face and clears it.
   */
  unplaced?: true;
  /**
   * The user marked this face by drawing a box around it (main/library/drawn-faces.ts): an analysis of its photo that
   * does not find it again keeps it, as it keeps the faces the user named (the detector missed it once already).
   */
  drawn?: true;
  /**
   * Drawn where the detector found no face even on a closer look: the box kept on the user's word, aligned by the
   * landmarks located in it or by the box alone (models/pipeline.ts keepDrawn). Its vector is less sure than a found
   * face's, so it teaches neither the embedder nor the autoencoder, and no suggestions are searched from it.
   */
  undetected?: true;
  /**
   * The user said the box holds no face (a pattern, a pet, a knot in the wood: main/people/decisions.ts notAFace): it
   * is shown nowhere and counted nowhere, and stays kept, as a set-aside face is, so that the next analysis of the
   * photo does not find it again as a new face. Undo, or naming it, makes it a face again.
   */
  notAFace?: true;
}

export interface PersonRecord {
  id: string;
  name: string | null;
  hidden: boolean;
  coverFaceId: string | null;
  createdAt: string;
  /** The user said this group is one person when its faces looked like two (main/people/two-people.ts). */
  onePerson?: true;
  /** When they were born, as precisely as the user knows it: "2019-05-03", "2019-05" or "2019" (preload/birthdays.ts). */
  birthday?: string;
}

/** What the embedding rows hold: the backbone descriptor itself, or a trained head applied to it. */
export type EmbeddingSource = { kind: 'backbone' } | { kind: 'head'; modelId: string };

export interface LibraryInfo {
  schemaVersion: number;
  createdAt: string;
  /** Width of a vectors/backbone.f32 row (floats). */
  backboneDim: number;
  /** Width of a vectors/embedding.f32 row (floats). */
  embeddingDim: number;
  embedding: EmbeddingSource;
}

export interface Settings {
  schemaVersion: number;
  /**
   * Cosine distance (1 - cos) between two embeddings under which the engine treats two faces as the same person.
   * DEFAULT_SAME_PERSON_DISTANCE until the people module calibrates it on the user's library.
   */
  samePersonDistance: number;
  /** Longest side (pixels) photos are decoded to for analysis; boxes are mapped back to original pixels. */
  analysisMaxSide: number;
  [key: string]: unknown;
}

export interface PhotosDocument {
  schemaVersion: number;
  photos: PhotoRecord[];
}

export interface FacesDocument {
  schemaVersion: number;
  faces: FaceRecord[];
  /** Bumped by each compaction of the vector files, which renumbers every face's vectorRow (main/store/compaction.ts). */
  vectorGeneration?: number;
}

export interface PeopleDocument {
  schemaVersion: number;
  people: PersonRecord[];
  /** User decisions (main/people/types.ts defines their shape); the store keeps them verbatim. */
  decisions: unknown[];
  /**
   * Names were read in (import-names) and the regrouping they call for has not run yet: set in the names' own
   * transaction, cleared by recluster's, so a process killed between the two regroups on the next names import.
   */
  regroupPending?: boolean;
  /** The one-time upgrades of what older builds wrote that this library has had (main/store/upgrades.ts). */
  upgrades?: string[];
  [key: string]: unknown;
}

/**
 * Default for Settings.samePersonDistance: cosine distance (1 - cos) between L2-normalized face-api ResNet
 * descriptors of the shipped pipeline, the best balanced-accuracy cut on ../shared/faces/lfw_subset (98.5%,
 * docs/clustering.md). The people module's "same" and the CLI's `faces --embeddings` both read this one value.
 */
export const DEFAULT_SAME_PERSON_DISTANCE = 0.087;
/**
 * The detector sees 512x512 whatever it is given, so this only bounds decode size, worker memory and the resolution
 * crops are aligned from. Measured with bench:import --familiar-only --max-side on all 39 compreface photos (up to
 * 7360 px): 1024 and 1280 find the same 66 faces; peak RSS of the import 1.14-1.19 GB at 1024, 1.29-1.42 GB at 1280,
 * 1.43 GB at 1600 (24 photos) — 1024 keeps clear of the 1.5 GB budget.
 */
export const DEFAULT_ANALYSIS_MAX_SIDE = 1024;

export interface DocumentMap {
  library: LibraryInfo;
  photos: PhotosDocument;
  faces: FacesDocument;
  people: PeopleDocument;
  settings: Settings;
}

export type DocumentName = keyof DocumentMap;

/** One thing found wrong on open and what was done about it. */
export interface Repair {
  part: string;
  problem: string;
  action: string;
}
