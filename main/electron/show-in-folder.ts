// "Show in folder" in the photo viewer, desktop only: the system's file manager opens on the photo's file, selected, so
// the user can open it in another app, copy or share it. The page names the photo by id; the path is the library's own
// record of it, so a page cannot make the window reveal any other file.
import { stat } from 'node:fs/promises';
import type { Envelope, PhotoDetail } from '../../preload/contract.js';
import type { Dispatcher } from '../api/dispatch.js';
import { ApiError } from '../api/errors.js';

/** `engine`: the API's dispatcher, which asks the engine wherever it runs. */
export async function showPhotoInFolder(engine: Pick<Dispatcher, 'call'>, photoId: string, reveal: (path: string) => void): Promise<{ path: string }> {
  const answer = (await engine.call('photos.get', { photoId })) as Envelope<PhotoDetail>;
  if (answer.error !== undefined) throw new ApiError(answer.code, answer.error);
  const { paths } = answer.result;
  // A photo kept under several paths (the same file copied into two folders) opens at the first one still on disk.
  for (const path of paths) {
    if (await isFile(path)) {
      reveal(path);
      return { path };
    }
  }
  throw new ApiError(
    'not-found',
    `The file of this photo is not on disk${paths.length ? ` (${paths[0]})` : ''}: it was moved or deleted, or it is on a drive that is not plugged in.`,
  );
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
