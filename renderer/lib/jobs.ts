// Starting jobs from anywhere in the UI (the import screen, a drop on the window, the training screen).
import type { FamiliarClient } from './api.js';
import type { LiveState } from './live.svelte.js';

export async function startImport(client: FamiliarClient, live: LiveState, paths: string[]): Promise<string> {
  const { jobId } = await client.call('import.start', { paths });
  live.track(jobId, 'import');
  return jobId;
}

export async function startTraining(client: FamiliarClient, live: LiveState, kind: 'embedder' | 'autoencoder', options: { epochs?: number; margin?: number; variational?: boolean }): Promise<string> {
  const { jobId } =
    kind === 'embedder'
      ? await client.call('training.embedder.start', { epochs: options.epochs, margin: options.margin })
      : await client.call('training.autoencoder.start', { epochs: options.epochs, variational: options.variational });
  live.track(jobId, kind === 'embedder' ? 'train-embedder' : 'train-autoencoder');
  return jobId;
}
