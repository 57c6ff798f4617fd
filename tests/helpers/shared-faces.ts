// The labelled photos in ../shared/faces (beside the repository, never inside it): listing, decoding, and
// per-dataset face embeddings computed once per machine with the analysis pool and cached in
// .cache/embeddings/<dataset>-<PIPELINE_VERSION>.json (gitignored; a selection of a dataset's images in one of its own).
import { mkdir, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { FaceAnalysisService } from '../../main/library/import.js';
import { decodeNetpbm } from '../../main/library/netpbm.js';
import { PIPELINE_VERSION } from '../../models/pipeline.js';
import type { Box, Point, RgbImage } from '../../models/types.js';
import { CachedAnalysis } from './analysis-cache.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function sharedFacesDir(): string {
  return resolve(repoRoot, '..', 'shared', 'faces');
}

export function embeddingsCacheDir(): string {
  return join(repoRoot, '.cache', 'embeddings');
}

export interface DatasetImage {
  /** Absolute path. */
  file: string;
  /** Path inside the dataset, with forward slashes, e.g. "Abdullah_Gul/Abdullah_Gul_0001.jpg". */
  relative: string;
  /** The identity folder (corrected by LABEL_CORRECTIONS), or null for "_" folders (group photos, no faces, unlabelled). */
  identity: string | null;
}

/**
 * Photos a dataset files under one person that show another (LFW label errors), by dataset and path. Each was
 * checked by eye and sits nearer every photo of the person it shows (cosine distance ~0.03; same-person pairs are
 * ~0.1) than any photo of the person it is filed under (none of those among its 200 nearest faces). Counted
 * under the filed name, each is a correct answer scored as an error in every quality figure (on the embedder
 * benchmark: 108 of the raw backbone's 280 confused-pair errors over 20 splits), and a model trained toward the
 * filed name learns a wrong identity.
 */
export const LABEL_CORRECTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  lfw_subset: {
    // Rubens Barrichello in his Ferrari overalls, filed under his team-mate.
    'Michael_Schumacher/Michael_Schumacher_0008.jpg': 'Rubens_Barrichello',
    // Abdullah Gül, filed under Recep Tayyip Erdoğan.
    'Recep_Tayyip_Erdogan/Recep_Tayyip_Erdogan_0004.jpg': 'Abdullah_Gul',
  },
};

/** Who a dataset image shows: its identity folder (corrected where LABEL_CORRECTIONS says), or null for "_" folders. */
export function identityOf(dataset: string, relativePath: string): string | null {
  const top = relativePath.split('/')[0];
  if (!relativePath.includes('/') || top.startsWith('_')) return null;
  return LABEL_CORRECTIONS[dataset]?.[relativePath] ?? top;
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp', '.tif', '.tiff', '.pgm']);

/** Every image of a dataset (or of a folder inside one, e.g. "compreface/_group_photos"), sorted by path. */
export async function listDataset(name: string): Promise<DatasetImage[]> {
  const datasetRoot = join(sharedFacesDir(), name.split('/')[0]);
  const start = join(sharedFacesDir(), name);
  if (!existsSync(start)) throw new Error(`No dataset ${name} in ${sharedFacesDir()}.`);
  const out: DatasetImage[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '_labels') await walk(full);
      } else if (IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        const rel = relative(datasetRoot, full).split(sep).join('/');
        out.push({ file: full, relative: rel, identity: identityOf(name.split('/')[0], rel) });
      }
    }
  };
  await walk(start);
  return out.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/** The number of faces a compreface group photo holds, from its name ("016_8.jpg" holds 8), or null. */
export function faceCountFromName(file: string): number | null {
  const match = /_(\d+)\.[a-z]+$/i.exec(file);
  return match ? Number(match[1]) : null;
}

/** Faces counted by eye: [min, max] (max > min where small background faces are arguable). */
export const EYE_COUNTS: Record<string, [number, number]> = {
  'face-api.js/_group_photos/bbt1.jpg': [4, 4],
  'face-api.js/_group_photos/bbt2.jpg': [2, 4],
  'face-api.js/_group_photos/bbt3.jpg': [5, 5],
  'face-api.js/_group_photos/bbt4.jpg': [6, 6],
  'face-api.js/_group_photos/bbt5.jpg': [5, 5],
  'face_recognition/_group_photos/kit_with_rose.jpg': [2, 2],
  'face_recognition/_group_photos/obama_and_biden.jpg': [2, 3],
  'face_recognition/_group_photos/two_people.jpg': [2, 2],
};

/** Nose points per compreface group photo, in original pixels. */
export function compreFaceNoses(): Map<string, [number, number][]> {
  const text = readFileSync(join(sharedFacesDir(), 'compreface', '_labels', 'annotations.py'), 'utf8');
  const noses = new Map<string, [number, number][]>();
  for (const m of text.matchAll(/Row\('([^']+)',\s*\[([^\]]*)\]/g)) {
    noses.set(m[1], [...m[2].matchAll(/\((\d+),\s*(\d+)\)/g)].map((p) => [Number(p[1]), Number(p[2])]));
  }
  return noses;
}

/** Detections matched to nose points (each point once, best score first): [correct, false]. */
export function matchNoses(boxes: { box: Box; score: number }[], noses: [number, number][]): [number, number] {
  const free = [...noses];
  let hits = 0;
  for (const { box } of [...boxes].sort((a, b) => b.score - a.score)) {
    const i = free.findIndex(([x, y]) => x >= box[0] && x <= box[0] + box[2] && y >= box[1] && y <= box[1] + box[3]);
    if (i >= 0) {
      free.splice(i, 1);
      hits++;
    }
  }
  return [hits, boxes.length - hits];
}

export interface DecodedImage {
  image: RgbImage;
  /** Original size after EXIF rotation; boxes scale by original.width / image.width. */
  originalWidth: number;
  originalHeight: number;
}

/** Longest side images are analysed at (sharp shrinks large JPEGs on load). */
export const ANALYSIS_MAX_SIDE = 1600;

/** A PGM or PPM (the ORL faces ship as PGM, which sharp does not read) as RGB, through the app's own reader. */
function decodeNetpbmAsRgb(bytes: Buffer): RgbImage {
  const { data: pixels, width, height, channels } = decodeNetpbm(bytes);
  if (channels === 3) return { data: pixels, width, height };
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i++) data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = pixels[i];
  return { data, width, height };
}

/** Decodes a photo to RGB, EXIF-rotated, downscaled so its longest side is at most `maxSide`. */
export async function decodeImage(file: string, maxSide = ANALYSIS_MAX_SIDE): Promise<DecodedImage> {
  if (extname(file).toLowerCase() === '.pgm') {
    const image = decodeNetpbmAsRgb(await readFile(file));
    return { image, originalWidth: image.width, originalHeight: image.height };
  }
  const meta = await sharp(file).metadata();
  const originalWidth = meta.autoOrient?.width ?? meta.width ?? 0;
  const originalHeight = meta.autoOrient?.height ?? meta.height ?? 0;
  const { data, info } = await sharp(file, { limitInputPixels: 1e9 })
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file} decoded to ${info.channels} channels, expected 3.`);
  return {
    image: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height },
    originalWidth,
    originalHeight,
  };
}

export interface CachedFace {
  /** In original photo pixels (after EXIF rotation). */
  box: Box;
  score: number;
  landmarks: Point[];
  descriptor: Float32Array;
}

export interface CachedImage extends DatasetImage {
  width: number;
  height: number;
  faces: CachedFace[];
  /** Why the image could not be analysed, when it could not. */
  error?: string;
}

interface CacheFile {
  dataset: string;
  pipelineVersion: string;
  createdAt: string;
  seconds: number;
  images: (Omit<CachedImage, 'file' | 'faces'> & { faces: (Omit<CachedFace, 'descriptor'> & { descriptor: number[] })[] })[];
}

/**
 * The cache of dataset `name`, or of the images `only` names in it (paths inside the dataset): a selection has a cache
 * of its own, named by a hash of its paths.
 */
export function embeddingsCacheFile(name: string, only?: readonly string[]): string {
  const selection = only ? `-only${createHash('sha1').update(only.join('\n')).digest('hex').slice(0, 12)}` : '';
  return join(embeddingsCacheDir(), `${name.replace(/\//g, '__')}${selection}-${PIPELINE_VERSION}.json`);
}

export interface EmbeddingsOptions {
  /** Default: a CachedAnalysis of its own, so a test run's files find these photos analysed. */
  pool?: Required<FaceAnalysisService>;
  onProgress?: (done: number, total: number) => void;
  /** Only these images of the dataset (paths inside it, as DatasetImage.relative), each of which must exist. */
  only?: readonly string[];
}

/** The images of `name`, or those `only` names (an error names any it lacks, so a selection never shrinks unseen). */
async function selectImages(name: string, only: readonly string[] | undefined): Promise<DatasetImage[]> {
  const images = await listDataset(name);
  if (!only) return images;
  const listed = new Set(images.map((img) => img.relative));
  const missing = only.filter((path) => !listed.has(path));
  if (missing.length > 0) throw new Error(`No ${missing.join(', ')} in dataset ${name}.`);
  const wanted = new Set(only);
  return images.filter((img) => wanted.has(img.relative));
}

async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(lanes);
  return out;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** Analyses every image of `name` (or those `only` names) with `pool` (created on demand) and writes the cache file atomically. */
export async function computeDatasetEmbeddings(name: string, options: EmbeddingsOptions = {}): Promise<CacheFile> {
  const images = await selectImages(name, options.only);
  const ownPool = options.pool ? null : new CachedAnalysis();
  const pool = options.pool ?? ownPool!;
  const started = performance.now();
  let done = 0;
  try {
    // Decode only a little ahead of the workers: memory stays bounded on big photos.
    const results = await mapBounded(images, pool.size * 2, async (entry) => {
        let decoded: DecodedImage;
        try {
          decoded = await decodeImage(entry.file);
        } catch (err) {
          return { relative: entry.relative, identity: entry.identity, width: 0, height: 0, faces: [], error: String(err) };
        }
        const scaleX = decoded.originalWidth / decoded.image.width;
        const scaleY = decoded.originalHeight / decoded.image.height;
        const base = { relative: entry.relative, identity: entry.identity, width: decoded.originalWidth, height: decoded.originalHeight };
        try {
          const faces = await pool.analyze(decoded.image);
          return {
            ...base,
            faces: faces.map((f) => ({
              box: [f.box[0] * scaleX, f.box[1] * scaleY, f.box[2] * scaleX, f.box[3] * scaleY].map((v) => round(v, 2)) as Box,
              score: round(f.score, 5),
              landmarks: f.landmarks.map(([x, y]) => [round(x * scaleX, 2), round(y * scaleY, 2)] as Point),
              descriptor: Array.from(f.descriptor, (v) => round(v, 7)),
            })),
          };
        } catch (err) {
          return { ...base, faces: [], error: err instanceof Error ? err.message : String(err) };
        } finally {
          options.onProgress?.(++done, images.length);
        }
    });
    // A pool that cannot analyse at all would leave a cache of faceless photos that every later run trusts (CI: the
    // global setup's workers could not start, and 200 tests failed on "no such person" instead of on the reason).
    const analysed = results.filter((r) => r.width > 0);
    const failed = analysed.filter((r) => 'error' in r);
    if (analysed.length > 0 && failed.length === analysed.length) throw new Error(`No photo of ${name} could be analysed: ${failed[0].error}`);
    const cache: CacheFile = {
      dataset: name,
      pipelineVersion: PIPELINE_VERSION,
      createdAt: new Date().toISOString(),
      seconds: round((performance.now() - started) / 1000, 1),
      images: results,
    };
    const file = embeddingsCacheFile(name, options.only);
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(cache));
    await rename(temp, file);
    return cache;
  } finally {
    await ownPool?.close();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `compute` unless the cache file appears meanwhile, holding a lock file so that concurrent test
 * processes (vitest forks, several developers' runs) compute a dataset once and the others wait for it.
 */
async function withComputeLock(file: string, compute: () => Promise<unknown>): Promise<void> {
  const lock = `${file}.lock`;
  await mkdir(dirname(file), { recursive: true });
  for (;;) {
    if (existsSync(file)) return;
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (owner && !processAlive(owner)) await unlink(lock).catch(() => {});
      else await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    try {
      if (!existsSync(file)) await compute();
      return;
    } finally {
      await unlink(lock).catch(() => {});
    }
  }
}

/** Computes the cache of `name` (or of its images `only` names) unless it exists (or another process is computing it: then waits for it). */
export async function ensureDatasetEmbeddings(name: string, options: EmbeddingsOptions = {}): Promise<void> {
  await withComputeLock(embeddingsCacheFile(name, options.only), () => computeDatasetEmbeddings(name, options));
}

/**
 * Per image of `name` (or of those `only` names), the faces the pipeline finds, from the cache (computed first if it
 * is missing). A selection is read from the whole dataset's cache when that exists.
 */
export async function loadDatasetEmbeddings(name: string, only?: readonly string[]): Promise<CachedImage[]> {
  if (only) await selectImages(name, only);
  const whole = embeddingsCacheFile(name);
  const fromWhole = only !== undefined && existsSync(whole);
  const file = fromWhole ? whole : embeddingsCacheFile(name, only);
  if (!fromWhole) await ensureDatasetEmbeddings(name, { only });
  const cache = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
  const root = join(sharedFacesDir(), name.split('/')[0]);
  const wanted = only && new Set(only);
  return cache.images.filter((img) => !wanted || wanted.has(img.relative)).map((img) => ({
    ...img,
    // From the path, not the cache: a cache written before a label correction keeps the filed name.
    identity: identityOf(name.split('/')[0], img.relative),
    file: join(root, ...img.relative.split('/')),
    faces: img.faces.map((f) => ({ ...f, descriptor: Float32Array.from(f.descriptor) })),
  }));
}
