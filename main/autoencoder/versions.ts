// Trained autoencoders in the library folder, versioned like the embedder:
//
//   models/autoencoder/v<N>.bin          weights (float32, little-endian, paramSpecs order)
//   models/autoencoder/v<N>.json         manifest: architecture, faceness calibration, training figures
//   models/autoencoder/checkpoint/       the run in progress: state.json + weights.bin + optimizer.bin, rewritten
//                                        after every epoch so `train autoencoder` resumes after a restart
//
// The .bin is written before the .json (both atomically), so a listed version is always complete. The version in
// use is the one settings.json names (training names the version it made, the user may roll back), else the newest.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tf } from '../../models/backend.js';
import type { Autoencoder, AutoencoderConfig } from '../../models/autoencoder/model.js';
import { loadAutoencoder, manifestFor, packWeights, unpackWeights, weightsBytes, type AutoencoderManifest } from '../../models/autoencoder/serialize.js';
import type { FacenessCalibration } from '../../models/autoencoder/faceness.js';
import type { EpochFigures, TrainOptions, TrainState, ValidationComparison } from '../../models/autoencoder/train.js';
import { ensureDir, readFileIfExists, writeFileAtomic } from '../store/atomic.js';

export const AUTOENCODER_DIR = join('models', 'autoencoder');
const CHECKPOINT_DIR = 'checkpoint';

export interface AutoencoderVersion extends AutoencoderManifest {
  /** "v3". */
  version: string;
  createdAt: string;
  /**
   * Faces learnt from, the held-out validation faces included, and how many of them were held out; `digest`: of those
   * faces' thumbnails and every setting (train-job.ts studioTrainingDigest), absent for versions trained before it.
   */
  trainedOn: { faces: number; validationFaces: number; digest?: string };
  options: TrainOptions;
  history: EpochFigures[];
  backend: string;
  /** 'by-face': its held-out faces were chosen by face id (train.ts splitIndices); absent: by position (before). */
  heldOut?: 'by-face';
  /** It and the version in use when it was trained, measured together on the same held-out faces. */
  comparison?: ValidationComparison & { version: string };
}

function dirOf(libraryDir: string): string {
  return join(libraryDir, AUTOENCODER_DIR);
}

/** "v3", "3" or "autoencoder-v3" -> "v3", else null. */
export function parseAutoencoderVersion(text: string): string | null {
  const match = /^(?:autoencoder-)?v?(\d+)$/.exec(text.trim().toLowerCase());
  return match ? `v${Number(match[1])}` : null;
}

/** Every stored version, oldest first; damaged manifests are skipped. */
export async function listAutoencoderVersions(libraryDir: string): Promise<AutoencoderVersion[]> {
  const names = await readdir(dirOf(libraryDir)).catch(() => [] as string[]);
  const versions: AutoencoderVersion[] = [];
  for (const name of names) {
    if (!/^v\d+\.json$/.test(name)) continue;
    const text = await readFileIfExists(join(dirOf(libraryDir), name));
    try {
      const parsed = JSON.parse(String(text)) as AutoencoderVersion;
      if (parsed.format === 'familiar-autoencoder' && typeof parsed.version === 'string') versions.push(parsed);
    } catch {
      // A half-written or hand-edited manifest names no usable model.
    }
  }
  return versions.sort((a, b) => Number(a.version.slice(1)) - Number(b.version.slice(1)));
}

/** settings.json key of the autoencoder version in use (absent: the newest). */
export const AUTOENCODER_SETTING = 'autoencoderVersion';

/** The version in use ("v3"), or null when none is trained. */
export async function autoencoderInUse(library: { dir: string; settings: Record<string, unknown> }): Promise<string | null> {
  const versions = await listAutoencoderVersions(library.dir);
  if (versions.length === 0) return null;
  const pinned = library.settings[AUTOENCODER_SETTING];
  if (typeof pinned === 'string' && versions.some((v) => v.version === pinned)) return pinned;
  return versions[versions.length - 1].version;
}

export async function nextAutoencoderVersion(libraryDir: string): Promise<string> {
  const names = await readdir(dirOf(libraryDir)).catch(() => [] as string[]);
  const numbers = names.map((n) => /^v(\d+)\.(?:json|bin)$/.exec(n)).filter(Boolean).map((m) => Number(m![1]));
  return `v${Math.max(0, ...numbers) + 1}`;
}

export async function saveAutoencoderVersion(
  libraryDir: string,
  config: AutoencoderConfig,
  weights: Float32Array[],
  details: Omit<AutoencoderVersion, keyof AutoencoderManifest | 'version' | 'createdAt'> & { faceness: FacenessCalibration },
): Promise<AutoencoderVersion> {
  await ensureDir(dirOf(libraryDir));
  const version = await nextAutoencoderVersion(libraryDir);
  const record: AutoencoderVersion = {
    ...manifestFor(config, details.faceness),
    version,
    createdAt: new Date().toISOString(),
    trainedOn: details.trainedOn,
    options: details.options,
    history: details.history,
    backend: details.backend,
    ...(details.heldOut && { heldOut: details.heldOut }),
    ...(details.comparison && { comparison: details.comparison }),
  };
  await writeFileAtomic(join(dirOf(libraryDir), `${version}.bin`), packWeights(weights));
  await writeFileAtomic(join(dirOf(libraryDir), `${version}.json`), JSON.stringify(record, null, 2));
  return record;
}

/** Loads a version ("v2"), or the newest when none is named. Throws a clear sentence when there is none. */
export async function loadAutoencoderVersion(tf: Tf, libraryDir: string, name?: string): Promise<{ model: Autoencoder; version: AutoencoderVersion }> {
  const versions = await listAutoencoderVersions(libraryDir);
  if (versions.length === 0) {
    throw new Error('No autoencoder has been trained in this library yet; run "familiar train autoencoder" first.');
  }
  let version = versions[versions.length - 1];
  if (name !== undefined) {
    const wanted = parseAutoencoderVersion(name);
    const found = versions.find((v) => v.version === wanted);
    if (!found) throw new Error(`No autoencoder version "${name}" (have ${versions.map((v) => v.version).join(', ')}).`);
    version = found;
  }
  const bytes = await readFileIfExists(join(dirOf(libraryDir), `${version.version}.bin`));
  if (!bytes) throw new Error(`${weightsLost(libraryDir, version.version, 'missing')} ${MEND_STUDIO}`);
  try {
    return { model: loadAutoencoder(tf, version, new Uint8Array(bytes)), version };
  } catch (err) {
    // Said with where and what to do (QA: "The autoencoder weights file is damaged (1000 bytes, …)" alone).
    throw new Error(`${err instanceof Error ? err.message.replace(/\.$/, '') : String(err)}: ${join(dirOf(libraryDir), `${version.version}.bin`)}. ${MEND_STUDIO}`);
  }
}

/** What mends a face studio version whose weights are lost or damaged. */
const MEND_STUDIO = 'Train the face studio again (Training screen, or "familiar train autoencoder"), or put another version in use.';

const weightsLost = (libraryDir: string, version: string, how: 'missing' | 'damaged') =>
  `The weights of face studio ${version} are ${how} (${join(dirOf(libraryDir), `${version}.bin`)}).`;

/**
 * Why the face studio version in use cannot draw (its weights file gone, or of the wrong size), in a sentence with
 * what to do; null when it can, or none is trained. For doctor (QA: it called a library healthy whose studio failed).
 */
export async function autoencoderInUseProblem(library: { dir: string; settings: Record<string, unknown> }): Promise<string | null> {
  const inUse = await autoencoderInUse(library);
  if (inUse === null) return null;
  const version = (await listAutoencoderVersions(library.dir)).find((v) => v.version === inUse)!;
  const size = await stat(join(dirOf(library.dir), `${inUse}.bin`)).then(
    (info) => info.size,
    () => null,
  );
  if (size === null) return `${weightsLost(library.dir, inUse, 'missing')} ${MEND_STUDIO}`;
  let expected: number | null;
  try {
    expected = weightsBytes(version);
  } catch {
    expected = null; // a manifest this Familiar cannot read: loading says why
  }
  return expected !== null && size !== expected ? `${weightsLost(library.dir, inUse, 'damaged')} ${MEND_STUDIO}` : null;
}

// ---- checkpoint of the run in progress ----

export interface CheckpointInfo {
  /** What the run was started with: a resume only continues a run with the same settings. */
  options: TrainOptions;
  config: AutoencoderManifest['config'];
  faceIds: string[];
  epoch: number;
  history: EpochFigures[];
  optimizerShapes: number[][];
}

function checkpointDir(libraryDir: string): string {
  return join(dirOf(libraryDir), CHECKPOINT_DIR);
}

export async function writeCheckpoint(
  libraryDir: string,
  state: TrainState,
  run: Pick<CheckpointInfo, 'options' | 'config' | 'faceIds'>,
): Promise<void> {
  const dir = checkpointDir(libraryDir);
  await ensureDir(dir);
  await writeFileAtomic(join(dir, 'weights.bin'), packWeights(state.weights));
  await writeFileAtomic(join(dir, 'optimizer.bin'), packWeights(state.optimizer.map((w) => w.values)));
  const info: CheckpointInfo = { ...run, epoch: state.epoch, history: state.history, optimizerShapes: state.optimizer.map((w) => w.shape) };
  await writeFileAtomic(join(dir, 'state.json'), JSON.stringify(info));
}

/** The saved run, or null when there is none (or it is unreadable: training then starts afresh). */
export async function readCheckpoint(libraryDir: string): Promise<{ info: CheckpointInfo; state: TrainState } | null> {
  const dir = checkpointDir(libraryDir);
  try {
    const text = await readFileIfExists(join(dir, 'state.json'));
    const weightsBytes = await readFileIfExists(join(dir, 'weights.bin'));
    const optimizerBytes = await readFileIfExists(join(dir, 'optimizer.bin'));
    if (!text || !weightsBytes || !optimizerBytes) return null;
    const info = JSON.parse(String(text)) as CheckpointInfo;
    const weights = unpackWeights(new Uint8Array(weightsBytes), manifestFor(info.config, null));
    const flat = new Float32Array(optimizerBytes.buffer.slice(optimizerBytes.byteOffset, optimizerBytes.byteOffset + optimizerBytes.byteLength));
    const optimizer: TrainState['optimizer'] = [];
    let offset = 0;
    for (const shape of info.optimizerShapes) {
      const size = shape.reduce((a, b) => a * b, 1);
      optimizer.push({ shape, values: flat.slice(offset, offset + size) });
      offset += size;
    }
    if (offset !== flat.length) return null;
    return { info, state: { epoch: info.epoch, weights, optimizer, history: info.history } };
  } catch {
    return null;
  }
}

export async function clearCheckpoint(libraryDir: string): Promise<void> {
  await rm(checkpointDir(libraryDir), { recursive: true, force: true });
}
