// Whether two photos are one picture: a copy saved smaller or compressed again (an export for sharing, a messenger's
// copy, a "Best of" album made from the phone's photos), not another shot of the same moment. Three signs must agree:
//  - the pictures look alike as a whole: a perceptual hash, 256 bits of the low frequencies of the grey picture. A
//    64-bit hash is too coarse: among lfw_subset's 1.4 million pairs of photos of two different people, 48 lay within
//    10 bits (news photos framed alike), where a photo and its resized copy lie within 6;
//  - their faces are the same faces at the same places: paired one to one by where they are in the picture, each pair
//    within an edit's likeness (EDITED_FACE_DISTANCE) and with its landmarks where they were, as a share of the
//    picture. A burst's frames move; a resize does not. Faces alone are not enough either: frames of one moment in
//    lfw_subset have faces within an edit's likeness, and only the hash tells them apart;
//  - and, read from the pictures themselves, each face's pixels unchanged (facesUnchanged): shots of one sitting, the
//    head still and only an eye or the mouth moving (yalefaces), pass the first two.
// Measured by scripts/bench-copies.ts (docs/reliability.md, "Copies of a photo").
import { EDITED_FACE_DISTANCE } from './same-face.js';
import { cosineDistanceOf } from './vectors.js';
import type { Box, RgbImage } from '../types.js';

/** The grey picture is averaged down to this many cells a side, and its lowest HASH_SIDE x HASH_SIDE frequencies kept. */
const GRID_SIDE = 64;
const HASH_SIDE = 16;

/**
 * Hashes of a photo and its copy differ by at most this many bits: measured at most 16 for copies at half size, at
 * JPEG quality 50 and as WebP; two distinct photos of one person differed by 26 at least (frames a moment apart), but
 * for one photograph LFW holds twice, cropped a few pixels apart (18).
 */
export const COPY_HASH_BITS = 20;

/**
 * A face's 68 landmarks lie this close to where they were in the copy, on average, as a share of the face's width,
 * both measured as shares of their picture: a copy at half size moved them 0.03 at most (the landmarks of a
 * 60-pixel face found again), a face that turned or moved between two frames further.
 */
export const COPY_LANDMARK_SHIFT = 0.05;

/** Two faces are at one place when their boxes, as shares of their pictures, overlap at least this much. */
const SAME_PLACE_IOU = 0.5;

/**
 * A face may be found in one of the two pictures only (the detector sees a small or cut-off face at one size and not
 * at the other) when it is narrower than this share of the widest face of its picture, or touches its border.
 */
const MINOR_FACE_SHARE = 0.5;
const BORDER_SHARE = 0.02;

/**
 * A face analysed this small (pixels, its box's shorter side) is described too coarsely for a copy to keep its
 * likeness: compressed again at JPEG quality 60, the 26-41 pixel faces of a group photo moved 0.016-0.06 (its 76-pixel
 * face 0.003). Its place must agree, its likeness only roughly.
 */
const SMALL_FACE_SIDE = 48;

/**
 * Such a face is taken for the face at its place in the other picture when it lies this close to it (copies' small
 * faces moved up to 0.105 on the bench), far nearer than two people's faces; further, neither is taken for the other.
 */
const COARSE_FACE_DISTANCE = 0.15;

/** Pictures whose sides are not in the same proportion (a crop) are no resized copy of each other. */
const SAME_PROPORTION = 0.01;

/** The grey (luma, ITU-R BT.601 weights) of the RGB pixel starting at byte `at`: what both the hash and the faces' cells compare. */
function greyOfPixel(data: Uint8Array, at: number): number {
  return 0.299 * data[at] + 0.587 * data[at + 1] + 0.114 * data[at + 2];
}

/** The grey picture averaged down to `side` x `side` cells. */
function greyCells(image: RgbImage, side: number): Float64Array {
  const { width, height, data } = image;
  const sum = new Float64Array(side * side);
  const count = new Float64Array(side * side);
  const column = Int32Array.from({ length: width }, (_, x) => Math.min(side - 1, Math.floor((x * side) / width)));
  for (let y = 0; y < height; y++) {
    const row = Math.min(side - 1, Math.floor((y * side) / height)) * side;
    for (let x = 0, at = y * width * 3; x < width; x++, at += 3) {
      sum[row + column[x]] += greyOfPixel(data, at);
      count[row + column[x]]++;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] /= Math.max(1, count[i]);
  return sum;
}

/** The `keep` x `keep` lowest frequencies of the 2-D DCT of a `side` x `side` grid, row by row. */
function lowFrequencies(cells: Float64Array, side: number, keep: number): Float64Array {
  const cos = Float64Array.from({ length: keep * side }, (_, i) => Math.cos(((2 * (i % side) + 1) * Math.floor(i / side) * Math.PI) / (2 * side)));
  const across = new Float64Array(side * keep);
  for (let y = 0; y < side; y++) {
    for (let u = 0; u < keep; u++) {
      let s = 0;
      for (let x = 0; x < side; x++) s += cells[y * side + x] * cos[u * side + x];
      across[y * keep + u] = s;
    }
  }
  const out = new Float64Array(keep * keep);
  for (let v = 0; v < keep; v++) {
    for (let u = 0; u < keep; u++) {
      let s = 0;
      for (let y = 0; y < side; y++) s += across[y * keep + u] * cos[v * side + y];
      out[v * keep + u] = s;
    }
  }
  return out;
}

/**
 * The picture's perceptual hash, 64 hex digits: one bit per low frequency of its grey picture (but the mean), set when
 * above their median. Any size of the picture gives the same hash, within a few bits.
 */
export function pictureHash(image: RgbImage): string {
  const frequencies = lowFrequencies(greyCells(image, GRID_SIDE), GRID_SIDE, HASH_SIDE);
  const median = Array.from(frequencies.subarray(1)).sort((a, b) => a - b)[Math.floor((frequencies.length - 1) / 2)];
  let hex = '';
  for (let i = 0; i < frequencies.length; i += 4) {
    let digit = 0;
    for (let b = 0; b < 4; b++) if (i + b > 0 && frequencies[i + b] > median) digit |= 8 >> b;
    hex += digit.toString(16);
  }
  return hex;
}

/** Bits in which two picture hashes differ. */
export function pictureHashDistance(a: string, b: string): number {
  if (a.length !== b.length) return Infinity;
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
    for (; x > 0; x >>= 1) bits += x & 1;
  }
  return bits;
}

/** A photo as the comparison needs it: its size, hash, and its faces in its pixels (landmarks flat, x0, y0, ...). */
export interface PictureWithFaces {
  width: number;
  height: number;
  hash: string;
  /** `side`: the shorter side of its box in the pixels it was analysed in (FaceRecord.analysedSide). */
  faces: ReadonlyArray<{ box: Box; landmarks: readonly number[]; vector: Float32Array | null; side: number }>;
}

type Shares = [x: number, y: number, w: number, h: number];

function overlap(a: Shares, b: Shares): number {
  const w = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const both = w * h;
  return both / (a[2] * a[3] + b[2] * b[3] - both || 1);
}

/** Mean distance between two faces' landmarks, each as shares of its picture, over the face's width there. */
function landmarkShift(a: PictureWithFaces, i: number, b: PictureWithFaces, j: number): number {
  const [fa, fb] = [a.faces[i].landmarks, b.faces[j].landmarks];
  if (fa.length === 0 || fa.length !== fb.length) return Infinity;
  let sum = 0;
  for (let k = 0; k + 1 < fa.length; k += 2) sum += Math.hypot(fa[k] / a.width - fb[k] / b.width, fa[k + 1] / a.height - fb[k + 1] / b.height);
  const width = (a.faces[i].box[2] / a.width + b.faces[j].box[2] / b.width) / 2;
  return sum / (fa.length / 2) / width;
}

/**
 * Whether `copy` is `original` resized or compressed again, and if so which face of `original` each face of `copy` is
 * (copy face index → original face index; a face found in one of them only is in no pair); null when not. Faceless pictures are never called copies: nothing but
 * the hash would tell them, and what Familiar does with a copy is about its faces.
 */
export function resizedCopyFaces(original: PictureWithFaces, copy: PictureWithFaces): Map<number, number> | null {
  if (original.faces.length === 0 || copy.faces.length === 0) return null;
  if (Math.abs(Math.log((original.width / original.height) * (copy.height / copy.width))) > SAME_PROPORTION) return null;
  if (pictureHashDistance(original.hash, copy.hash) > COPY_HASH_BITS) return null;
  const shares = (p: PictureWithFaces): Shares[] => p.faces.map(({ box: [x, y, w, h] }) => [x / p.width, y / p.height, w / p.width, h / p.height]);
  const [inCopy, inOriginal] = [shares(copy), shares(original)];
  const minor = (p: PictureWithFaces, boxes: Shares[]) => {
    const widest = Math.max(...boxes.map((b) => b[2]));
    const cut = ([x, y, w, h]: Shares) => x < BORDER_SHARE || y < BORDER_SHARE || x + w > 1 - BORDER_SHARE || y + h > 1 - BORDER_SHARE;
    return boxes.map((box, i) => box[2] < MINOR_FACE_SHARE * widest || cut(box) || p.faces[i].side < SMALL_FACE_SIDE);
  };
  const [minorInCopy, minorInOriginal] = [minor(copy, inCopy), minor(original, inOriginal)];
  // One to one by place, the most overlapping first.
  const candidates: Array<{ i: number; j: number; overlap: number }> = [];
  inCopy.forEach((a, i) => inOriginal.forEach((b, j) => candidates.push({ i, j, overlap: overlap(a, b) })));
  candidates.sort((a, b) => b.overlap - a.overlap);
  const pairs = new Map<number, number>();
  const taken = new Set<number>();
  for (const { i, j, overlap: o } of candidates) {
    if (o < SAME_PLACE_IOU) break;
    if (pairs.has(i) || taken.has(j)) continue;
    pairs.set(i, j);
    taken.add(j);
  }
  if (inCopy.some((_, i) => !pairs.has(i) && !minorInCopy[i]) || inOriginal.some((_, j) => !taken.has(j) && !minorInOriginal[j])) return null;
  const same = new Map<number, number>();
  let exact = 0;
  for (const [i, j] of pairs) {
    const [a, b] = [copy.faces[i].vector, original.faces[j].vector];
    const distance = a !== null && b !== null ? cosineDistanceOf(a, b) : Infinity;
    if (distance <= EDITED_FACE_DISTANCE && landmarkShift(copy, i, original, j) <= COPY_LANDMARK_SHIFT) {
      same.set(i, j);
      exact++;
    } else if (!minorInCopy[i] && !minorInOriginal[j]) {
      return null; // a face seen well, unlike its pair: another frame's
    } else if (distance <= COARSE_FACE_DISTANCE) {
      // A small or cut-off face, described too coarsely to keep its likeness exactly, at its place in the same picture.
      same.set(i, j);
    }
  }
  // Told by at least one face seen well and found again exactly.
  return exact > 0 ? same : null;
}

/** Grey at a point of a picture (pixel centres at integer + 0.5), read between its four nearest pixels. */
function greyAt(image: RgbImage, x: number, y: number): number {
  const cx = Math.min(image.width - 1, Math.max(0, x - 0.5));
  const cy = Math.min(image.height - 1, Math.max(0, y - 0.5));
  const [x0, y0] = [Math.floor(cx), Math.floor(cy)];
  const [x1, y1] = [Math.min(image.width - 1, x0 + 1), Math.min(image.height - 1, y0 + 1)];
  const [fx, fy] = [cx - x0, cy - y0];
  const grey = (px: number, py: number) => greyOfPixel(image.data, (py * image.width + px) * 3);
  return (grey(x0, y0) * (1 - fx) + grey(x1, y0) * fx) * (1 - fy) + (grey(x0, y1) * (1 - fx) + grey(x1, y1) * fx) * fy;
}

/**
 * The region (shares of the picture) averaged into `side` x `side` cells, each the mean of points spread over it at
 * about a pixel apart, then set to mean 0 and spread 1: a copy brightened or given more contrast stays the same grid.
 */
function regionCells(image: RgbImage, [x, y, w, h]: Shares, side: number): Float64Array {
  const points = Math.max(2, Math.ceil(Math.max(w * image.width, h * image.height) / side));
  const cells = new Float64Array(side * side);
  for (let row = 0; row < side; row++) {
    for (let column = 0; column < side; column++) {
      let sum = 0;
      for (let j = 0; j < points; j++) {
        for (let i = 0; i < points; i++) {
          sum += greyAt(image, (x + (w * (column + (i + 0.5) / points)) / side) * image.width, (y + (h * (row + (j + 0.5) / points)) / side) * image.height);
        }
      }
      cells[row * side + column] = sum / (points * points);
    }
  }
  const mean = cells.reduce((a, b) => a + b, 0) / cells.length;
  const spread = Math.sqrt(cells.reduce((a, b) => a + (b - mean) ** 2, 0) / cells.length) || 1;
  return cells.map((v) => (v - mean) / spread);
}

/** A picture as the pixel check reads it: its pixels at any size, and its size as its faces' boxes are given in. */
export interface PicturePixels {
  image: RgbImage;
  width: number;
  height: number;
}

/**
 * Cells of a face's grid: at least this many a side, at most FACE_GRID_MOST, about FACE_GRID_PIXELS pixels each in the
 * smaller picture. Finer grids saw a blurred copy (a 240p frame enlarged) change as much as an eye that closed.
 */
const FACE_GRID_LEAST = 8;
const FACE_GRID_MOST = 16;
const FACE_GRID_PIXELS = 4;
/** The worst change is the mean of the cells of a block this many cells a side: an eye, the mouth. */
const FACE_BLOCK = 4;

/**
 * A copy's face changed at most this much (faceChange): measured at most 0.191 over 2,262 faces of copies compared
 * both ways round (resized, compressed again, enlarged from 240p), and at least 0.22 between shots of one sitting
 * where only an eye closed or the mouth moved (yalefaces; scripts/bench-copies.ts).
 */
export const COPY_FACE_CHANGE = 0.205;

/**
 * How much a face's picture changed between two pictures: the face's box in `original` (the same shares of `copy`)
 * on a grid no finer than both pictures hold, its cells' grey set to mean 0 and spread 1 in each; the mean change of
 * the cells of the block that changed most (an eye that closed, a mouth that smiled).
 */
export function faceChange(original: PicturePixels, copy: PicturePixels, box: Box): number {
  const region: Shares = [box[0] / original.width, box[1] / original.height, box[2] / original.width, box[3] / original.height];
  const pixels = Math.min(region[2] * original.image.width, region[2] * copy.image.width, region[3] * original.image.height, region[3] * copy.image.height);
  const side = Math.max(FACE_GRID_LEAST, Math.min(FACE_GRID_MOST, Math.floor(pixels / FACE_GRID_PIXELS)));
  const [a, b] = [regionCells(original.image, region, side), regionCells(copy.image, region, side)];
  const change = a.map((v, i) => Math.abs(v - b[i]));
  let worst = 0;
  for (let top = 0; top + FACE_BLOCK <= side; top += FACE_BLOCK / 2) {
    for (let left = 0; left + FACE_BLOCK <= side; left += FACE_BLOCK / 2) {
      let sum = 0;
      for (let row = top; row < top + FACE_BLOCK; row++) for (let column = left; column < left + FACE_BLOCK; column++) sum += change[row * side + column];
      worst = Math.max(worst, sum / (FACE_BLOCK * FACE_BLOCK));
    }
  }
  return worst;
}

/**
 * Whether the paired faces (copy face index → original face index, from resizedCopyFaces) look unchanged, pixel for
 * pixel: a copy changes a face only by resizing and compression, a second shot of one sitting (the head still, an
 * eye closed, a smile) changes it where it moved, which the hash and the faces' descriptions are too coarse to see.
 */
export function facesUnchanged(original: PicturePixels & Pick<PictureWithFaces, 'faces'>, copy: PicturePixels, pairs: ReadonlyMap<number, number>): boolean {
  return [...pairs.values()].every((j) => faceChange(original, copy, original.faces[j].box) <= COPY_FACE_CHANGE);
}
