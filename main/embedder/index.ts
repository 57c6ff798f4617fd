// The embedder's API for the CLI, the HTTP server and the Electron main process:
//   trainEmbedder(library, options, hooks)   train, compare, adopt only if better (train-job.ts)
//   listEmbedderModels(library)              versions + the one in use (contract ModelVersion[])
//   useEmbedderModel(library, 'v3' | 'raw')  roll back/forward to any version or the raw backbone
//   activateEmbedder(library)                after opening a library: new faces get the head in use
import type { Library } from '../store/library.js';
import { loadTarget, switchEmbedding, type SwitchHooks } from './switch.js';
import { listVersions, parseVersionName, versionOfSource, type EmbedderVersion } from './versions.js';

export { trainEmbedder, adoptionDecision, type TrainEmbedderOptions, type TrainEmbedderResult, type TrainEmbedderHooks } from './train-job.js';
export { activateEmbedder, embeddingTransformFor, thresholdKey, type SwitchHooks } from './switch.js';
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

export async function listEmbedderModels(library: Library): Promise<{ models: EmbedderModelInfo[]; inUse: string }> {
  const inUse = versionOfSource(library.info.embedding);
  const versions = await listVersions(library.dir);
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
 * Puts a stored version (or "raw") in use: re-embeds every face, rebuilds the index, restores the threshold the
 * library used with that model, refreshes people. Using the version already in use does nothing.
 */
export async function useEmbedderModel(library: Library, name: string, hooks: SwitchHooks = {}): Promise<{ version: string; changed: boolean; samePersonDistance: number }> {
  const version = parseVersionName(name);
  if (!version) throw new Error(`"${name}" is not an embedder version; give "raw" or a version such as v2.`);
  if (versionOfSource(library.info.embedding) === version) {
    return { version, changed: false, samePersonDistance: library.settings.samePersonDistance };
  }
  const target = await loadTarget(library.dir, version);
  const samePersonDistance = await switchEmbedding(library, target, hooks);
  return { version, changed: true, samePersonDistance };
}
