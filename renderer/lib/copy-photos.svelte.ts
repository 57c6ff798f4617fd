// "Copy these photos to a folder" (the 'copy-photos' job the Photos screen starts): where each copy goes, which
// outcomes the user put away, and what a copy did, in words.
import { plural } from './format.js';
import type { JobInfo } from './types.js';
import type { FamiliarClient } from './api.js';
import type { LiveState } from './live.svelte.js';
import type { CopyPhotosResult } from '../../preload/contract.js';

/** The photos.list filter of the photos shown: the copy is of the same photos. */
export interface CopyFilter {
  personIds: string[];
  only: boolean;
  folderId?: string;
  subfolders?: boolean;
}

/**
 * A copy being started, and the browser's question for the folder's path: asked by the button in the Photos toolbar,
 * shown by CopyPhotosDialog outside it (the toolbar's backdrop blur makes it the box a fixed dialog is placed in: the
 * dialog showed centred on the toolbar, its title above the window).
 */
export const copyStart = $state({
  starting: false,
  /** A copy this window started: the button takes the focus back when it ends. */
  startedHere: false,
  asking: null as { filter: CopyFilter; count: number } | null,
});

/** Starts copying the photos of `filter` into `to`; a refusal (the library's folder, a copy running) is thrown. */
export async function startCopy(client: FamiliarClient, live: LiveState, to: string, filter: CopyFilter): Promise<void> {
  copyStart.starting = true;
  try {
    // A plain object: the filter may be kept in state (a proxy), which the bridge cannot send.
    const { jobId } = await client.call('photos.copyTo', { ...$state.snapshot(filter), to });
    copyDestinations[jobId] = to;
    live.track(jobId, 'copy-photos');
    copyStart.startedHere = true;
  } finally {
    copyStart.starting = false;
  }
}

/**
 * The folder each copy started in this window goes to, by job id: its progress does not say, and the Photos screen
 * names it while the copy runs (once it ends, its result does). Kept here, not in the screen: leaving Photos and
 * coming back mid-copy still names it.
 */
export const copyDestinations = $state<Record<string, string>>({});

/** Copies whose outcome the user dismissed: the Photos screen opened again does not show it again. */
export const dismissedCopies = $state<Record<string, true>>({});

/** Why a photo was not copied because its file is gone, as the outcome says it (the engine's reason says it per file). */
const NOT_ON_DISK = 'not on disk (moved, deleted, or on a drive that is not plugged in)';

export function copyResultOf(info: JobInfo | null): CopyPhotosResult | null {
  return info?.kind === 'copy-photos' && info.result && 'alreadyThere' in info.result ? (info.result as CopyPhotosResult) : null;
}

/** "Copied 42 photos to /home/ana/For Grandma, 3 already there, 2 not on disk (…), 1 could not be copied." */
export function copiedSentence(result: CopyPhotosResult): string {
  if (result.photos === 0) return `There were no photos to copy to ${result.folder}.`;
  // Asked again into the same folder: nothing new, said as such rather than "Copied 0 photos".
  if (result.alreadyThere === result.photos) return `${result.photos === 1 ? 'The photo was' : `All ${plural(result.photos, 'photo')} were`} already in ${result.folder}: nothing to copy.`;
  const parts = [`Copied ${plural(result.copied, 'photo')} to ${result.folder}`];
  if (result.alreadyThere) parts.push(`${result.alreadyThere.toLocaleString('en')} already there`);
  if (result.missing.length) parts.push(`${result.missing.length.toLocaleString('en')} ${NOT_ON_DISK}`);
  if (result.failed.length) parts.push(`${result.failed.length.toLocaleString('en')} could not be copied`);
  return `${parts.join(', ')}.`;
}

/** What a cancelled copy did: the job's result, what it copied before it stopped (main/api/handlers.ts). */
export function cancelledCopySentence(info: JobInfo): string {
  const result = copyResultOf(info);
  if (!result || result.copied === 0) return 'Cancelled before any photo was copied.';
  return `Cancelled after copying ${result.copied.toLocaleString('en')} of ${plural(result.photos, 'photo')}: they stay in ${result.folder}, and copying again into it copies only the rest.`;
}
