// Face alignment: a least-squares similarity transform (rotation, uniform scale, translation; the 2-D
// Umeyama solution) from the detected 68 landmarks to a canonical template, then inverse warping with
// bilinear sampling. Pure TypeScript on typed arrays: a 150x150 warp costs well under a millisecond.
import type { Point, RgbImage } from './types.js';

/** Maps (x, y) to (a*x - b*y + tx, b*x + a*y + ty): a similarity, scale = hypot(a, b). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export function applySimilarity(t: Similarity, [x, y]: Point): Point {
  return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

export function similarityScale(t: Similarity): number {
  return Math.hypot(t.a, t.b);
}

/** Least-squares similarity taking `from[i]` onto `to[i]` (no reflection). */
export function fitSimilarity(from: Point[], to: Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) {
    throw new Error(`fitSimilarity needs two equally long lists of at least 2 points (got ${from.length} and ${to.length}).`);
  }
  const n = from.length;
  let fx = 0, fy = 0, tx = 0, ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i][0]; fy += from[i][1]; tx += to[i][0]; ty += to[i][1];
  }
  fx /= n; fy /= n; tx /= n; ty /= n;
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const px = from[i][0] - fx, py = from[i][1] - fy;
    const qx = to[i][0] - tx, qy = to[i][1] - ty;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (norm === 0) throw new Error('fitSimilarity: the source points all coincide.');
  const a = dot / norm, b = cross / norm;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}

// dlib's mean face shape for the 68-point model, points 17..67, normalised so the points span [0, 1].
// The face-api recognition net is a port of dlib's ResNet, trained on chips aligned to this template.
const MEAN_FACE_X = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124, 0.904991, 0.98004, 0.490127,
  0.490127, 0.490127, 0.490127, 0.36688, 0.426036, 0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825,
  0.334606, 0.260918, 0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149, 0.340985,
  0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721, 0.490127, 0.423532, 0.338094, 0.290379,
  0.428096, 0.490127, 0.552157, 0.689874, 0.553364, 0.490127, 0.42689,
];
const MEAN_FACE_Y = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915, 0.106454,
  0.203352, 0.307009, 0.409805, 0.515625, 0.587326, 0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758,
  0.179852, 0.231733, 0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099, 0.780233,
  0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805, 0.902192, 0.909281, 0.902192, 0.864805,
  0.784792, 0.778746, 0.785343, 0.778746, 0.784792, 0.824182, 0.834246, 0.824182,
];

/** Landmark indices the template uses: like dlib, skip the jaw line, eyebrows and lower lip (least stable). */
export const TEMPLATE_LANDMARKS: number[] = [];
for (let i = 27; i <= 67; i++) {
  if ((i >= 55 && i <= 59) || (i >= 65 && i <= 67)) continue;
  TEMPLATE_LANDMARKS.push(i);
}

/**
 * How far 68 landmarks are from a face's shape: the mean distance of the template points from their best
 * similarity fit to dlib's mean face, in units of the outer eye-corner distance. Detected faces sit at ~0.04
 * (median on lfw_subset, compreface, yalefaces, ORL); non-faces the detector mistook for small faces (a basket,
 * a blurred leaf) at 0.4-0.5, where the landmark net has nothing to hold on to; strong profiles higher still.
 */
export function landmarkFitResidual(landmarks: Point[]): number {
  if (landmarks.length !== 68) throw new Error(`The fit needs the 68 iBUG landmarks (got ${landmarks.length}).`);
  const template = FIT_TEMPLATE;
  const measured = TEMPLATE_LANDMARKS.map((i) => landmarks[i]);
  const fit = fitSimilarity(template, measured);
  let error = 0;
  template.forEach((p, k) => {
    const [x, y] = applySimilarity(fit, p);
    error += Math.hypot(x - measured[k][0], y - measured[k][1]);
  });
  const eyes = Math.hypot(landmarks[36][0] - landmarks[45][0], landmarks[36][1] - landmarks[45][1]);
  return eyes > 0 ? error / template.length / eyes : Infinity;
}

/** Eye centres, nose tip and mouth corners from the 68 iBUG landmarks (the common 5-point face). */
export function fivePoints(landmarks: Point[]): Point[] {
  const mean = (from: number, to: number): Point => {
    let x = 0, y = 0;
    for (let i = from; i <= to; i++) {
      x += landmarks[i][0];
      y += landmarks[i][1];
    }
    return [x / (to - from + 1), y / (to - from + 1)];
  };
  return [mean(36, 41), mean(42, 47), landmarks[30], landmarks[48], landmarks[54]];
}

// InsightFace's (ArcFace) 5-point template for 112x112 chips, normalised to [0, 1] of the chip side:
// the alignment MobileFaceNet/ArcFace-family networks were trained with.
const ARCFACE_FIVE: Point[] = [
  [38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041],
].map(([x, y]): Point => [x / 112, y / 112]);

export interface ChipSpec {
  /** Output side in pixels. */
  size: number;
  /**
   * 'dlib68': dlib's mean face over 33 stable landmarks (nose, eyes, upper lip), what dlib-family nets expect.
   * 'five': eye centres, nose tip and mouth corners to a 5-point template (`fiveTemplate`, default ArcFace's).
   */
  template: 'dlib68' | 'five';
  /** Margin around the template, as a fraction of the template's extent on each side (dlib's `padding`). */
  padding: number;
  /**
   * Pixels outside the photo: black like dlib's chips; the nearest edge pixel; or 'fade', the nearest edge pixel
   * fading within a few chip pixels into the chip's mean colour (thumbnails: replicated edges alone smear into
   * long streaks when a face is cut by the photo's edge).
   */
  border: 'zero' | 'replicate' | 'fade';
  /** For template 'five': the five points in [0, 1] chip units (before padding). */
  fiveTemplate?: Point[];
}

type TemplateSpec = Pick<ChipSpec, 'size' | 'padding' | 'template' | 'fiveTemplate'>;

/** The dlib mean face's eye centres, nose tip and mouth corners, in the same [0, 1] units as MEAN_FACE_*. */
export const DLIB_FIVE: Point[] = (() => {
  const at = (i: number): Point => [MEAN_FACE_X[i - 17], MEAN_FACE_Y[i - 17]];
  const mean = (from: number, to: number): Point => {
    let x = 0, y = 0;
    for (let i = from; i <= to; i++) {
      x += at(i)[0];
      y += at(i)[1];
    }
    return [x / (to - from + 1), y / (to - from + 1)];
  };
  return [mean(36, 41), mean(42, 47), at(30), at(48), at(54)];
})();

/** Template positions, in chip pixels, of the points the spec aligns. */
export function templatePoints(spec: TemplateSpec): Point[] {
  const { size, padding } = spec;
  const unit =
    spec.template === 'dlib68'
      ? TEMPLATE_LANDMARKS.map((i): Point => [MEAN_FACE_X[i - 17], MEAN_FACE_Y[i - 17]])
      : (spec.fiveTemplate ?? ARCFACE_FIVE);
  return unit.map(([x, y]) => [((padding + x) / (2 * padding + 1)) * size, ((padding + y) / (2 * padding + 1)) * size]);
}

// The template landmarkFitResidual fits every face to: computed once, as it is asked about 100,000 faces at a time.
const FIT_TEMPLATE = templatePoints({ size: 1, padding: 0, template: 'dlib68' });

/** The similarity mapping chip pixel coordinates of `spec` to image coordinates for these 68 landmarks. */
export function chipToImageTransform(landmarks: Point[], spec: TemplateSpec): Similarity {
  if (landmarks.length !== 68) throw new Error(`Alignment needs the 68 iBUG landmarks (got ${landmarks.length}).`);
  const measured = spec.template === 'dlib68' ? TEMPLATE_LANDMARKS.map((i) => landmarks[i]) : fivePoints(landmarks);
  return fitSimilarity(templatePoints(spec), measured);
}

/**
 * Samples `image` through `chipToImage` into a size x size RGB chip. Pixel centres are at +0.5. When the chip
 * shrinks the face (more than one image pixel per chip pixel) each output pixel averages a grid of bilinear
 * samples over its footprint, so large faces do not alias.
 */
export function warpSimilarity(image: RgbImage, chipToImage: Similarity, size: number, border: ChipSpec['border']): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(size * size * 3);
  const scale = similarityScale(chipToImage);
  const taps = Math.min(8, Math.max(1, Math.ceil(scale - 0.25)));
  const { a, b, tx, ty } = chipToImage;
  const inv = 1 / (taps * taps);
  const acc = [0, 0, 0];
  // 'fade': how far outside the photo each output pixel lies, in chip pixels (0 = inside).
  const outside = border === 'fade' ? new Float32Array(size * size) : null;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let sy = 0; sy < taps; sy++) {
        const cy = v + (sy + 0.5) / taps;
        for (let sx = 0; sx < taps; sx++) {
          const cx = u + (sx + 0.5) / taps;
          // Image continuous coordinates, then to pixel-index space (centres at integers).
          let x = a * cx - b * cy + tx - 0.5;
          let y = b * cx + a * cy + ty - 0.5;
          if (border !== 'zero') {
            if (outside && sx === 0 && sy === 0) {
              const beyond = Math.max(-x, x - (width - 1), -y, y - (height - 1), 0);
              outside[v * size + u] = beyond / scale;
            }
            x = Math.min(Math.max(x, 0), width - 1);
            y = Math.min(Math.max(y, 0), height - 1);
          } else if (x < -1 || y < -1 || x > width || y > height) {
            continue;
          }
          const x0 = Math.floor(x), y0 = Math.floor(y);
          const fx = x - x0, fy = y - y0;
          for (let dy = 0; dy <= 1; dy++) {
            const yy = y0 + dy;
            if (yy < 0 || yy >= height) continue;
            const wy = dy ? fy : 1 - fy;
            for (let dx = 0; dx <= 1; dx++) {
              const xx = x0 + dx;
              if (xx < 0 || xx >= width) continue;
              const w = wy * (dx ? fx : 1 - fx);
              if (w === 0) continue;
              const p = (yy * width + xx) * 3;
              acc[0] += w * data[p];
              acc[1] += w * data[p + 1];
              acc[2] += w * data[p + 2];
            }
          }
        }
      }
      const o = (v * size + u) * 3;
      out[o] = Math.round(acc[0] * inv);
      out[o + 1] = Math.round(acc[1] * inv);
      out[o + 2] = Math.round(acc[2] * inv);
    }
  }
  if (outside) fadeOutside(out, outside);
  return { data: out, width: size, height: size };
}

/** Chip pixels over which a replicated edge fades into the fill colour. */
const FADE_PIXELS = 6;

/** Blends pixels outside the photo from their replicated edge into the mean colour of the pixels inside it. */
function fadeOutside(out: Uint8Array, outside: Float32Array): void {
  const mean = [0, 0, 0];
  let inside = 0;
  for (let i = 0; i < outside.length; i++) {
    if (outside[i] > 0) continue;
    mean[0] += out[i * 3];
    mean[1] += out[i * 3 + 1];
    mean[2] += out[i * 3 + 2];
    inside++;
  }
  if (inside === 0) return; // nothing of the photo in the chip: leave the replicated edge
  for (let c = 0; c < 3; c++) mean[c] /= inside;
  for (let i = 0; i < outside.length; i++) {
    if (outside[i] <= 0) continue;
    const t = Math.min(1, outside[i] / FADE_PIXELS);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round((1 - t) * out[i * 3 + c] + t * mean[c]);
  }
}

/** Aligned chip of `spec` for a face with these 68 landmarks. */
export function alignFace(image: RgbImage, landmarks: Point[], spec: ChipSpec): RgbImage {
  return warpSimilarity(image, chipToImageTransform(landmarks, spec), spec.size, spec.border);
}
