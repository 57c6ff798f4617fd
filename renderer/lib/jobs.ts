// Starting jobs from anywhere in the UI (the import screen, a drop on the window, the training screen).
import type { FamiliarClient } from './api.js';
import type { LiveState } from './live.svelte.js';

/** Where the paths of the last import are kept, so a cancelled one can be resumed after a reload too (QA). */
const LAST_IMPORT_KEY = 'familiar.lastImport';

/**
 * `after`: the import these folders waited for (lib/import-queue.svelte.ts), whose card this one's takes the place of:
 * the new card says what it did.
 */
export async function startImport(client: FamiliarClient, live: LiveState, paths: string[], after?: string): Promise<string> {
  const { jobId, folders } = await client.call('import.start', { paths });
  // Before the job is tracked: the Import screen reads it as soon as the job shows.
  try {
    globalThis.localStorage?.setItem(LAST_IMPORT_KEY, JSON.stringify({ jobId, paths, folders: folders ?? [], ...(after && { after }) }));
  } catch {
    // Storage refused: no Resume for this import.
  }
  live.track(jobId, 'import');
  live.savedImports++;
  return jobId;
}

/** What was saved with import `jobId` started from this browser or window, or null. */
function savedImport(jobId: string): Record<string, unknown> | null {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(LAST_IMPORT_KEY) ?? 'null') as Record<string, unknown> | null;
    return saved?.jobId === jobId ? saved : null;
  } catch {
    return null;
  }
}

/** A list of strings saved with import `jobId` (`paths`, `folders`), or []. */
function savedWithImport(jobId: string, field: 'paths' | 'folders'): string[] {
  const list = savedImport(jobId)?.[field];
  return Array.isArray(list) && list.every((p) => typeof p === 'string') ? (list as string[]) : [];
}

/** The import that import `jobId`'s folders waited for, or null. */
export function importAfterOf(jobId: string): string | null {
  const after = savedImport(jobId)?.after;
  return typeof after === 'string' ? after : null;
}

/** The paths import `jobId` was started with from this browser or window, or [] when not known. */
export const importPathsOf = (jobId: string): string[] => savedWithImport(jobId, 'paths');

/** The folders (not files) of the paths import `jobId` was started with from here, as the disk spells them, or []. */
export const importFoldersOf = (jobId: string): string[] => savedWithImport(jobId, 'folders');

export async function startTraining(
  client: FamiliarClient,
  live: LiveState,
  kind: 'embedder' | 'autoencoder',
  options: { epochs?: number; margin?: number; variational?: boolean; anyway?: boolean },
): Promise<string> {
  const { jobId } =
    kind === 'embedder'
      ? await client.call('training.embedder.start', { epochs: options.epochs, margin: options.margin, ...(options.anyway && { anyway: true }) })
      : await client.call('training.autoencoder.start', { epochs: options.epochs, variational: options.variational, ...(options.anyway && { anyway: true }) });
  live.track(jobId, kind === 'embedder' ? 'train-embedder' : 'train-autoencoder');
  return jobId;
}
