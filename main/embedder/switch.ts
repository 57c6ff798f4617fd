// Putting an embedding in use — a newly adopted head, a rollback to an earlier version, or the raw backbone:
// every stored face is re-embedded from its backbone vector (in a worker; no image is decoded), embedding.f32
// is replaced atomically and the index rebuilt (Library.replaceEmbeddings), the same-person threshold follows
// the model, and people/suggestions are refreshed. User decisions live in faces/people documents, which this
// never writes, so every one of them holds. The refresh (recluster) leaves a face with a person the user confirmed
// faces of only as an import would place it there on the new embedding, and never when the person's page calls it
// unlike them (main/people/placement-check.ts): its groups join faces to a person through chains of near faces, which
// a head's wider distances let reach strangers (QA: a bodyguard under Tom Cruise after training). Before any of it,
// checkSwitch says whether the target would split groups nobody named that the embedding in use keeps whole (the
// training job's check); main/embedder/index.ts refuses such a switch unless asked anyway.
import { applyHead, type HeadWeights, type SerializedHead } from '../../models/embedder/head.js';
import { plural } from '../../preload/contract.js';
import type { Library, EmbeddingTransform } from '../store/library.js';
import { DEFAULT_SAME_PERSON_DISTANCE, type EmbeddingSource, type Settings } from '../store/types.js';
import { ProgressTracker, type ProgressListener } from '../jobs/progress.js';
import { recluster } from '../people/clustering.js';
import { embeddingModelKey, thresholdsFor } from '../people/thresholds.js';
import type { UnseenGroupsCheck } from './adoption.js';
import { checkUnseenGroups, groupRuleOf, recognisableFaces, unnamedGroups } from './unseen-groups.js';
import { EmbedderVersionNotFoundError, loadVersion, modelIdOf, thresholdKey, versionOfSource, type EmbedderVersion } from './versions.js';
import { newCancelFlag, runEmbedderWorker } from './worker-client.js';

export interface SwitchHooks {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Re-clusters people and recomputes suggestions on the new embedding (main/people); user decisions win there. */
  refreshPeople?: (library: Library) => Promise<unknown>;
}

/** Default people refresh: a full recluster on the new embedding (decisions are hard constraints there). */
export async function reclusterPeople(library: Library, hooks: Pick<SwitchHooks, 'signal' | 'onProgress'> = {}): Promise<unknown> {
  return recluster(library, { signal: hooks.signal, onProgress: hooks.onProgress });
}

export { thresholdKey } from './versions.js';

/** The head in plain JS as the library's transform for newly imported faces. */
export function embeddingTransformFor(head: HeadWeights | null): EmbeddingTransform | null {
  return head ? (backbone) => applyHead(head, backbone) : null;
}

/**
 * Why the head library.json names cannot be loaded (its files lost or damaged), in a sentence; null when it loads or
 * the raw backbone is in use. For reports (doctor): activateEmbedder says the same when it meets it.
 */
export async function headInUseProblem(libraryDir: string, embedding: EmbeddingSource): Promise<string | null> {
  const version = versionOfSource(embedding);
  if (version === 'raw') return null;
  return loadVersion(libraryDir, version).then(
    () => null,
    (err: unknown) => lostHeadSentence(version, err),
  );
}

function lostHeadSentence(version: string, err: unknown): string {
  // Not found: "run familiar models for the list" (its own advice) says nothing here, and reads badly in brackets.
  const why = err instanceof EmbedderVersionNotFoundError ? 'its files are missing from the models folder of the library' : err instanceof Error ? err.message : String(err);
  return `The embedder head ${version} in use cannot be loaded (${why})`;
}

/**
 * Sets the library's transform for new faces to the head named in library.json (call once after opening a library
 * for writing). A head in use whose files are gone cannot embed new faces, and embedding them raw next to
 * head-embedded ones would silently mix two spaces: the open is refused, saying how to switch away. `holdIfLost` (the
 * app, `familiar serve`, commands that do not embed): the library opens instead, everything stored works, and storing
 * new faces is refused with that sentence until a switch mends it, as the Training screen offers.
 */
export async function activateEmbedder(library: Library, options: { holdIfLost?: boolean } = {}): Promise<string> {
  const version = versionOfSource(library.info.embedding);
  if (version === 'raw') {
    library.setEmbeddingTransform(null);
    return version;
  }
  let head: HeadWeights;
  try {
    head = (await loadVersion(library.dir, version)).head;
  } catch (err) {
    const lost = lostHeadSentence(version, err);
    if (!options.holdIfLost) throw new Error(`${lost}; run "familiar models use raw" or another version.`);
    library.setEmbeddingTransform(
      null,
      `${lost}: no new face can be added until another version is in use (Roll back, or Use on a version, on the Training screen; "familiar models use raw" on the command line).`,
    );
    return version;
  }
  library.setEmbeddingTransform(embeddingTransformFor(head));
  return version;
}

function sameRows(a: Float32Array, b: Float32Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Embeds all backbone rows with `head` in a worker, then returns a transform that hands those rows back for the
 * same backbone content and computes any other rows (faces imported meanwhile) in plain JS.
 */
async function precomputedTransform(library: Library, head: SerializedHead, weights: HeadWeights, hooks: SwitchHooks): Promise<EmbeddingTransform> {
  const snapshot = Float32Array.from(library.allBackboneRows());
  const dim = weights.inputDim;
  const tracker = new ProgressTracker('train-embedder', hooks.onProgress);
  tracker.report('re-embed', 0, snapshot.length / dim, { message: `re-embedding ${plural(snapshot.length / dim, 'face')}` });
  const done = await runEmbedderWorker(
    { kind: 'embed', head, rows: Float32Array.from(snapshot), cancelFlag: newCancelFlag() },
    { signal: hooks.signal, job: 'train-embedder' },
  );
  if (done.type !== 'embedded') throw new Error('The embedder worker answered with the wrong result.');
  const embedded = done.rows;
  tracker.report('re-embed', snapshot.length / dim, snapshot.length / dim);
  return (backbone, rows) => {
    const known = Math.min(rows, snapshot.length / dim) * dim;
    if (!sameRows(backbone, snapshot, known)) return applyHead(weights, backbone.subarray(0, rows * dim));
    if (rows * dim === known) return embedded.slice(0, known);
    const out = new Float32Array(rows * dim);
    out.set(embedded.subarray(0, known));
    out.set(applyHead(weights, backbone.subarray(known, rows * dim)), known);
    return out;
  };
}

export interface SwitchTarget {
  /** "raw" or "v<N>". */
  version: string;
  head: HeadWeights | null;
  serialized: SerializedHead | null;
  meta: EmbedderVersion | null;
}

export async function loadTarget(libraryDir: string, version: string): Promise<SwitchTarget> {
  if (version === 'raw') return { version, head: null, serialized: null, meta: null };
  const { meta, head, serialized } = await loadVersion(libraryDir, version);
  return { version, head, serialized, meta };
}

function sourceOf(target: SwitchTarget): EmbeddingSource {
  return target.head ? { kind: 'head', modelId: modelIdOf(target.version) } : { kind: 'backbone' };
}

/**
 * The thresholds `settings` hold once `target` is in use: the same-person distance the library used with that model,
 * else the one calibrated for it; and the people module's thresholds, where those the people module (or the user)
 * already keeps for the model win over the calibrated ones.
 */
function settingsAfterSwitch(settings: Readonly<Settings>, target: SwitchTarget): Pick<Settings, 'samePersonDistance' | 'peopleThresholds'> {
  const remembered = settings[thresholdKey(target.version)];
  const samePersonDistance =
    typeof remembered === 'number' && Number.isFinite(remembered) ? remembered : (target.meta?.samePersonDistance ?? DEFAULT_SAME_PERSON_DISTANCE);
  if (!target.meta?.peopleThresholds) return { samePersonDistance, peopleThresholds: settings.peopleThresholds };
  const all = { ...((settings.peopleThresholds as Record<string, unknown> | undefined) ?? {}) };
  all[embeddingModelKey({ embedding: sourceOf(target) })] ??= target.meta.peopleThresholds;
  return { samePersonDistance, peopleThresholds: all };
}

/**
 * How `target` would keep the unnamed groups the embedding in use keeps whole: the training job's check
 * (unseen-groups.ts), each embedding judged at the thresholds it has in use. Switching re-groups every face on the
 * target, so a group it would split is a person nobody named torn apart (QA: `models use v1`, then Andy Roddick's 10
 * unnamed faces in pieces).
 */
export async function checkSwitch(library: Library, target: SwitchTarget): Promise<UnseenGroupsCheck> {
  const dim = library.info.backboneDim;
  // The head in use cannot be loaded (its file lost or damaged): nothing to compare with, and the switch mends it.
  const current = await loadTarget(library.dir, versionOfSource(library.info.embedding)).catch(() => null);
  if (!current) return { groups: 0, keptWhole: 0, torn: 0, tornSizes: [] };
  const groups = unnamedGroups(library, recognisableFaces(library));
  const afterSettings = { ...library.settings, ...settingsAfterSwitch(library.settings, target) };
  return checkUnseenGroups(
    groups,
    dim,
    { embed: (rows) => applyHead(current.head, rows, dim), rule: groupRuleOf(thresholdsFor(library.info, library.settings)) },
    { embed: (rows) => applyHead(target.head, rows, dim), rule: groupRuleOf(thresholdsFor({ embedding: sourceOf(target) }, afterSettings)) },
  );
}

/** Puts `target` in use. Returns the same-person threshold now in settings. */
export async function switchEmbedding(library: Library, target: SwitchTarget, hooks: SwitchHooks = {}): Promise<number> {
  const previous = versionOfSource(library.info.embedding);
  const dim = library.info.backboneDim;
  const transform = target.head && target.serialized ? await precomputedTransform(library, target.serialized, target.head, hooks) : null;
  // The thresholds go with the model, written by the same crash-safe step that puts it in use (a crash between two
  // separate writes left the new head judged at the old head's distances).
  const settings = library.settings;
  const after = settingsAfterSwitch(settings, target);
  const settingsAfter: Partial<Settings> = {
    [thresholdKey(previous)]: settings.samePersonDistance,
    samePersonDistance: after.samePersonDistance,
    [thresholdKey(target.version)]: after.samePersonDistance,
    ...(target.meta?.peopleThresholds ? { peopleThresholds: after.peopleThresholds } : {}),
  };
  await library.replaceEmbeddings(sourceOf(target), dim, transform, settingsAfter);
  library.setEmbeddingTransform(embeddingTransformFor(target.head));
  const threshold = after.samePersonDistance;
  new ProgressTracker('train-embedder', hooks.onProgress).report('refresh-people', 0, 1, { message: 'refreshing people on the new embedding' });
  // The switch is made: a cancel from here on would say "cancelled" of a library on the new head with its people not
  // regrouped on it (a code review). The regrouping runs to its end; every decision holds in it.
  await (hooks.refreshPeople ?? ((lib: Library) => reclusterPeople(lib, { onProgress: hooks.onProgress })))(library);
  return threshold;
}
