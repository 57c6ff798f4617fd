// Where dropped files live. In the desktop app the preload's pathForFile (Electron's webUtils) reveals them;
// a browser never does, but drags from file managers also carry file:// URLs (text/uri-list) or a path as text.

export function pathsFromDrop(data: DataTransfer, pathForFile?: (file: File) => string): string[] {
  const files = Array.from(data.files ?? []);
  if (pathForFile && files.length) {
    const paths = files.map((file) => pathForFile(file)).filter(Boolean);
    if (paths.length) return paths;
  }
  const uriList = data.getData('text/uri-list');
  const fromUris = uriList
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && line.startsWith('file://'))
    .map((uri) => decodeURIComponent(new URL(uri).pathname).replace(/^\/([A-Za-z]:\/)/, '$1'));
  if (fromUris.length) return fromUris;
  const text = data.getData('text/plain').trim();
  if (text && (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text))) return text.split(/\r?\n/).map((t) => t.trim()).filter(Boolean);
  return [];
}

/**
 * How long a drop waits for the Import screen: the screen the drop opens (App.svelte) takes it as it mounts, at once.
 * One it did not take then (the screen did not open) is not imported unasked on a later visit.
 */
export const DROP_HANDOVER_MS = 2000;

/**
 * How long a drop that waited too long is still spoken of: the screen that opens late (a busy window) says it was not
 * imported, or the user is left wondering where their folders went; on a visit long after, they have moved on.
 */
export const DROP_EXPIRED_SAID_MS = 60_000;

/** What the Import screen says of a drop that waited too long, under the path field, as of a dropped folder's problem. */
export const DROP_EXPIRED_PROBLEM = 'That drop took too long to arrive; drop the folders again.';

/** The Import screen's taker of dropped folders while it is shown, and a drop that came before it was, with when. */
let taker: ((paths: string[]) => void) | null = null;
let waiting: { paths: string[]; at: number } | null = null;

/**
 * Hands what was dropped on the window (App.svelte; [] when the drop said no path) to the Import screen, which imports
 * it as it does a folder typed or chosen there, and says why it cannot in the same place, under the path field (a toast
 * had said it for a dropped folder only). The screen may be opened by the drop: then it takes it once shown, if it is
 * shown within DROP_HANDOVER_MS.
 */
export function importDropped(paths: string[]): void {
  if (taker) taker(paths);
  else waiting = { paths, at: Date.now() };
}

/**
 * For the Import screen: `take` gets each drop, the one just made first; `expired` is called instead for a drop made
 * before that waited too long (DROP_HANDOVER_MS), and not imported. The function returned stops that.
 */
export function takeDropped(take: (paths: string[]) => void, expired?: () => void): () => void {
  taker = take;
  const handed = waiting;
  waiting = null;
  const age = handed ? Date.now() - handed.at : Infinity;
  if (handed && age >= 0 && age <= DROP_HANDOVER_MS) take(handed.paths);
  else if (handed && age > DROP_HANDOVER_MS && age <= DROP_EXPIRED_SAID_MS) expired?.();
  return () => {
    if (taker === take) taker = null;
  };
}
