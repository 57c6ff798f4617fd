// Starting jobs from anywhere in the UI (the import screen, a drop on the window, the training screen).
import type { FamiliarClient } from './api.js';
import type { LiveState } from './live.svelte.js';

/** Where the paths of the last import are kept, so a cancelled one can be resumed after a reload too (QA). */
const LAST_IMPORT_KEY = 'familiar.lastImport';

export async function startImport(client: FamiliarClient, live: LiveState, paths: string[]): Promise<string> {
  const { jobId, folders } = await client.call('import.start', { paths });
  // Before the job is tracked: the Import screen reads it as soon as the job shows.
  try {
    globalThis.localStorage?.setItem(LAST_IMPORT_KEY, JSON.stringify({ jobId, paths, folders: folders ?? [] }));
  } catch {
    // Storage refused: no Resume for this import.
  }
  live.track(jobId, 'import');
  return jobId;
}

/** The paths import `jobId` was started with from this browser or window, or [] when not known. */
export function importPathsOf(jobId: string): string[] {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(LAST_IMPORT_KEY) ?? 'null') as { jobId?: unknown; paths?: unknown } | null;
    return saved?.jobId === jobId && Array.isArray(saved.paths) && saved.paths.every((p) => typeof p === 'string') ? (saved.paths as string[]) : [];
  } catch {
    return [];
  }
}

/** The folders (not files) of the paths import `jobId` was started with from here, as the disk spells them, or []. */
export function importFoldersOf(jobId: string): string[] {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(LAST_IMPORT_KEY) ?? 'null') as { jobId?: unknown; folders?: unknown } | null;
    return saved?.jobId === jobId && Array.isArray(saved.folders) && saved.folders.every((p) => typeof p === 'string') ? (saved.folders as string[]) : [];
  } catch {
    return [];
  }
}

export async function startTraining(
  client: FamiliarClient,
  live: LiveState,
  kind: 'embedder' | 'autoencoder',
  options: { epochs?: number; margin?: number; variational?: boolean; anyway?: boolean },
): Promise<string> {
  const { jobId } =
    kind === 'embedder'
      ? await client.call('training.embedder.start', { epochs: options.epochs, margin: options.margin, ...(options.anyway && { anyway: true }) })
      : await client.call('training.autoencoder.start', { epochs: options.epochs, variational: options.variational });
  live.track(jobId, kind === 'embedder' ? 'train-embedder' : 'train-autoencoder');
  return jobId;
}
