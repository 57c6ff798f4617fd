// Versioned embedder heads in the library folder:
//
//   models/embedder/v<N>.bin    the head's weights (float32, little-endian)
//   models/embedder/v<N>.json   manifest + what it was trained on, its metrics, its calibrated threshold
//   models/embedder/kept.json   what the last training that kept the embedding in use trained on
//
// The .bin is written first and the .json last (both atomically), so a listed version is always complete.
// Which head is in use is library.json's `embedding` source ({ kind: 'head', modelId: 'embedder-v<N>' });
// 'raw' is the backbone without a head.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deserializeHead, type HeadWeights, type SerializedHead } from '../../models/embedder/head.js';
import type { TrainOptions } from '../../models/embedder/train.js';
import { ensureDir, readFileIfExists, writeFileAtomic } from '../store/atomic.js';
import type { EmbeddingSource } from '../store/types.js';
import type { PeopleThresholds } from '../people/types.js';

export const EMBEDDER_DIR = join('models', 'embedder');
export const VERSION_FORMAT = 'familiar-embedder-version';

/** Headline figures on the validation faces (contract ModelMetrics: flat numbers). */
export interface VersionMetrics {
  identificationAccuracy: number;
  tar: number;
  far: number;
  meanMargin: number;
  [key: string]: number;
}

export interface EmbedderVersion {
  format: typeof VERSION_FORMAT;
  /** "v3". */
  version: string;
  /** "embedder-v3": what library.json records as the embedding source. */
  modelId: string;
  createdAt: string;
  /**
   * `faces`: the confirmed faces of people it trained on (validation faces apart); `notThemFaces`: the faces it saw only
   * as "not them" (the user's rejections, others in their photos), and `rejections` the (face, person) links those and
   * the confirmed faces gave. A record written before notThemFaces was kept counted those faces in `faces` too.
   */
  trainedOn: {
    faces: number;
    validationFaces: number;
    people: number;
    rejections: number;
    notThemFaces?: number;
    /** trainingDigest (training-data.ts) of what it learnt from and how; absent in records written before it was kept. */
    digest?: string;
  };
  options: TrainOptions;
  bestEpoch: number;
  epochsRun: number;
  /** The embedding in use when it was trained, on the same validation faces. */
  before: VersionMetrics;
  /** Version name ("raw", "v2") of that embedding. */
  beforeVersion: string;
  after: VersionMetrics;
  /** Same-person cosine distance carried over from the previous embedding at the same operating point. */
  samePersonDistance: number;
  /** The people module's thresholds carried over the same way (settings.peopleThresholds['head:<modelId>']). */
  peopleThresholds: PeopleThresholds;
  head: SerializedHead['manifest'];
}

/**
 * The last training that kept the embedding in use (models/embedder/kept.json): what it trained on, so training again on
 * the same is refused until something changes (train-job.ts, "Nothing new"). One record; each kept run replaces it.
 */
export interface KeptTraining {
  format: typeof KEPT_FORMAT;
  trainedAt: string;
  /** The version in use, which it kept ("raw", "v2"). */
  kept: string;
  /** trainingDigest of what it learnt from and how. */
  digest: string;
  confirmedFaces: number;
  people: number;
  /** The version kept and the new head, on the same validation faces, and why the new head was not adopted. */
  before: VersionMetrics;
  after: VersionMetrics;
  why: string;
}

export const KEPT_FORMAT = 'familiar-embedder-kept';
const KEPT_FILE = 'kept.json';

export function modelIdOf(version: string): string {
  return `embedder-${version}`;
}

/** "v3", "3" or "embedder-v3" -> "v3"; "raw" stays "raw"; anything else is null. */
export function parseVersionName(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (t === 'raw') return 'raw';
  const match = /^(?:embedder-)?v?(\d+)$/.exec(t);
  return match ? `v${Number(match[1])}` : null;
}

/**
 * Settings key remembering the same-person threshold the library used with a model ("raw", "v3"): switch.ts writes it,
 * and the people module reads the backbone's while a head is in use (main/people/judging-spaces.ts).
 */
export function thresholdKey(version: string): string {
  return `embedder.samePersonDistance.${version}`;
}

/** The version name ("v3" or "raw") of an embedding source. */
export function versionOfSource(source: EmbeddingSource): string {
  if (source.kind === 'backbone') return 'raw';
  return source.modelId.replace(/^embedder-/, '');
}

function dirOf(libraryDir: string): string {
  return join(libraryDir, EMBEDDER_DIR);
}

/** Every stored version, oldest first. A damaged .json is skipped (it names no usable head). */
export async function listVersions(libraryDir: string): Promise<EmbedderVersion[]> {
  const names = await readdir(dirOf(libraryDir)).catch(() => [] as string[]);
  const versions: EmbedderVersion[] = [];
  for (const name of names) {
    if (!/^v\d+\.json$/.test(name)) continue;
    const text = await readFileIfExists(join(dirOf(libraryDir), name));
    if (!text) continue;
    try {
      const parsed = JSON.parse(text.toString('utf8')) as EmbedderVersion;
      if (parsed.format === VERSION_FORMAT && `${parsed.version}.json` === name) versions.push(parsed);
    } catch {
      // An unreadable description: the version cannot be loaded, so it is not offered.
    }
  }
  return versions.sort((a, b) => Number(a.version.slice(1)) - Number(b.version.slice(1)));
}

export async function nextVersionName(libraryDir: string): Promise<string> {
  const names = await readdir(dirOf(libraryDir)).catch(() => [] as string[]);
  const numbers = names.map((n) => /^v(\d+)\.(json|bin)$/.exec(n)).filter(Boolean).map((m) => Number(m![1]));
  return `v${numbers.length ? Math.max(...numbers) + 1 : 1}`;
}

export async function saveVersion(libraryDir: string, meta: EmbedderVersion, data: Uint8Array): Promise<void> {
  await ensureDir(dirOf(libraryDir));
  await writeFileAtomic(join(dirOf(libraryDir), `${meta.version}.bin`), data);
  await writeFileAtomic(join(dirOf(libraryDir), `${meta.version}.json`), JSON.stringify(meta, null, 2));
}

/** A version the library does not hold (never trained, or its files gone): the API's not-found. */
export class EmbedderVersionNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbedderVersionNotFoundError';
  }
}

export async function loadVersion(libraryDir: string, version: string): Promise<{ meta: EmbedderVersion; head: HeadWeights; serialized: SerializedHead }> {
  const base = join(dirOf(libraryDir), version);
  const [json, bin] = await Promise.all([readFileIfExists(`${base}.json`), readFileIfExists(`${base}.bin`)]);
  if (!json || !bin) throw new EmbedderVersionNotFoundError(`There is no embedder version ${version} in ${dirOf(libraryDir)}; run "familiar models" for the list.`);
  let meta: EmbedderVersion;
  try {
    meta = JSON.parse(json.toString('utf8')) as EmbedderVersion;
  } catch {
    throw new Error(`The description of embedder version ${version} is damaged.`);
  }
  const data = new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength);
  const head = deserializeHead(meta.head, data);
  return { meta, head, serialized: { manifest: meta.head, data } };
}

export async function saveKeptTraining(libraryDir: string, record: KeptTraining): Promise<void> {
  await ensureDir(dirOf(libraryDir));
  await writeFileAtomic(join(dirOf(libraryDir), KEPT_FILE), JSON.stringify(record, null, 2));
}

/** The last kept training, or null when none was recorded or the record cannot be read (training then just runs). */
export async function loadKeptTraining(libraryDir: string): Promise<KeptTraining | null> {
  const text = await readFileIfExists(join(dirOf(libraryDir), KEPT_FILE));
  if (!text) return null;
  try {
    const parsed = JSON.parse(text.toString('utf8')) as KeptTraining;
    return parsed.format === KEPT_FORMAT && typeof parsed.digest === 'string' ? parsed : null;
  } catch {
    return null;
  }
}
