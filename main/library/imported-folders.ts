// Which folders the library was given (settings.json): those watched for new photos, and those imported once. Read by
// the folder watcher, the folder tree, photo dates (a folder's name dates its photos, up to the folder imported) and the
// removal of a folder (remove-folder.ts), which re-exports them.
import { isInside, samePath, uniquePaths, pathRules, type PathRules } from '../paths.js';
import type { Settings } from '../store/types.js';

/** Where the folders imported through the app are remembered (settings.json), for the folder watcher. */
export const WATCHED_FOLDERS_KEY = 'importedFolders';

/**
 * The watched folders, each once however many spellings of it an older version stored (main/paths.ts). A folder inside
 * another watched one is part of it, not listed on its own: its Remove… could only be refused (QA: a subfolder added
 * to a watched folder stayed listed, its removal refused, until the whole parent went).
 */
export function watchedFolders(settings: Readonly<Settings>, rules: PathRules = pathRules()): string[] {
  const value = settings[WATCHED_FOLDERS_KEY];
  return Array.isArray(value) ? outermost(uniquePaths(value.filter((v): v is string => typeof v === 'string'), rules), rules) : [];
}

/** `folders` without those inside another of them. */
export function outermost(folders: readonly string[], rules: PathRules): string[] {
  return folders.filter((f) => !folders.some((other) => !samePath(other, f, rules) && isInside(other, f, rules)));
}

/** The watched folder `folder` is inside (itself not watched, only as part of it), or null. */
export function watchingParentOf(settings: Readonly<Settings>, folder: string, rules: PathRules = pathRules()): string | null {
  return watchedFolders(settings, rules).find((w) => !samePath(w, folder, rules) && isInside(w, folder, rules)) ?? null;
}

/**
 * Where the folders imported and not watched are remembered (settings.json): imported once (`familiar import
 * --no-watch`) or no longer watched. The folder tree groups their photos under them (FolderTree).
 */
export const UNWATCHED_FOLDERS_KEY = 'unwatchedFolders';

/** The folders imported and not watched (UNWATCHED_FOLDERS_KEY), each once. */
export function unwatchedFolders(settings: Readonly<Settings>, rules: PathRules = pathRules()): string[] {
  const value = settings[UNWATCHED_FOLDERS_KEY];
  return Array.isArray(value) ? uniquePaths(value.filter((v): v is string => typeof v === 'string'), rules) : [];
}
