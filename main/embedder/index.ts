// The embedder's API for the CLI, the HTTP server and the Electron main process:
//   trainEmbedder(library, options, hooks)   train, compare, adopt only if better (train-job.ts)
//   listEmbedderModels(library)              versions + the one in use (contract ModelVersion[])
//   useEmbedderModel(library, 'v3' | 'raw')  roll back/forward to any version or the raw backbone, unless it would
//                                            split groups nobody named (checkEmbedderSwitch says first)
//   activateEmbedder(library)                after opening a library: new faces get the head in use
import { unnamedGroupsSplitSentence } from '../../preload/contract.js';
import type { Library } from '../store/library.js';
import type { UnseenGroupsCheck } from './adoption.js';
import { checkSwitch, headInUseProblem, loadTarget, switchEmbedding, type SwitchHooks } from './switch.js';
import { listVersions, parseVersionName, versionOfSource, type EmbedderVersion } from './versions.js';

export { trainEmbedder, adoptionDecision, type TrainEmbedderOptions, type TrainEmbedderResult, type TrainEmbedderHooks } from './train-job.js';
export { activateEmbedder, embeddingTransformFor, headInUseProblem, thresholdKey, type SwitchHooks } from './switch.js';
export { NotEnoughLabelsError } from './training-data.js';
export type { EmbedderVersion } from './versions.js';

/** Contract ModelVersion shape, plus the full stored description. */
export interface EmbedderModelInfo {
  version: string;
  createdAt: string;
  faces: number;
  people: number;
  metrics: Record<string, number>;
  /** The embedding in use when it was trained, measured on the same set-aside faces (contract ModelVersion.comparedWith). */
  comparedWith?: { version: string; metrics: Record<string, number> };
  inUse: boolean;
  details: EmbedderVersion | null;
}

export async function listEmbedderModels(library: Library): Promise<{ models: EmbedderModelInfo[]; inUse: string; problem: string | null }> {
  const inUse = versionOfSource(library.info.embedding);
  const versions = await listVersions(library.dir);
  const problem = await headInUseProblem(library.dir, library.info.embedding);
  const raw: EmbedderModelInfo = {
    version: 'raw',
    createdAt: library.info.createdAt,
    faces: 0,
    people: 0,
    metrics: {},
    inUse: inUse === 'raw',
    details: null,
  };
  return {
    inUse,
    problem,
    models: [
      raw,
      ...versions.map((v) => ({
        version: v.version,
        createdAt: v.createdAt,
        faces: v.trainedOn.faces + v.trainedOn.validationFaces,
        people: v.trainedOn.people,
        metrics: { ...v.after, samePersonDistance: v.samePersonDistance },
        comparedWith: { version: v.beforeVersion, metrics: { ...v.before } },
        inUse: v.version === inUse,
        details: v,
      })),
    ],
  };
}

/**
 * A switch refused because the version asked for would split groups nobody named (`check`); `anyway` switches all the
 * same. Its message is the sentence the Training screen's dialog shows (unnamedGroupsSplitSentence).
 */
export class SwitchSplitsGroupsError extends Error {
  constructor(
    readonly version: string,
    readonly check: UnseenGroupsCheck,
  ) {
    super(`${unnamedGroupsSplitSentence(version, check)} Nothing changed; ask again with "anyway" to switch all the same.`);
    this.name = 'SwitchSplitsGroupsError';
  }
}

/** A version name that is none ("nope"): the caller's mistake, answered as one (the API's invalid-argument, not a 500). */
export class InvalidVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidVersionError';
  }
}

function versionAsked(name: string): string {
  const version = parseVersionName(name);
  if (!version) throw new InvalidVersionError(`"${name}" is not an embedder version; give "raw" or a version such as v2.`);
  return version;
}

/** What putting a version (or "raw") in use would do to the unnamed groups; nothing, for the version in use. */
export async function checkEmbedderSwitch(library: Library, name: string): Promise<{ version: string; unnamedGroups: UnseenGroupsCheck }> {
  const version = versionAsked(name);
  if (versionOfSource(library.info.embedding) === version) return { version, unnamedGroups: { groups: 0, keptWhole: 0, torn: 0, tornSizes: [] } };
  return { version, unnamedGroups: await checkSwitch(library, await loadTarget(library.dir, version)) };
}

/**
 * Puts a stored version (or "raw") in use: re-embeds every face, rebuilds the index, restores the threshold the
 * library used with that model, refreshes people. Using the version already in use does nothing. A version that would
 * split groups nobody named that the embedding in use keeps whole is refused (SwitchSplitsGroupsError) unless `anyway`:
 * the regrouping that follows would tear those people apart.
 */
export async function useEmbedderModel(
  library: Library,
  name: string,
  hooks: SwitchHooks = {},
  options: { anyway?: boolean } = {},
): Promise<{ version: string; changed: boolean; samePersonDistance: number; unnamedGroups: UnseenGroupsCheck }> {
  const version = versionAsked(name);
  if (versionOfSource(library.info.embedding) === version) {
    return { version, changed: false, samePersonDistance: library.settings.samePersonDistance, unnamedGroups: { groups: 0, keptWhole: 0, torn: 0, tornSizes: [] } };
  }
  const target = await loadTarget(library.dir, version);
  const unnamedGroups = await checkSwitch(library, target);
  if (unnamedGroups.torn > 0 && !options.anyway) throw new SwitchSplitsGroupsError(version, unnamedGroups);
  const samePersonDistance = await switchEmbedding(library, target, hooks);
  return { version, changed: true, samePersonDistance, unnamedGroups };
}
