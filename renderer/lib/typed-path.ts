// A folder's path typed where a browser has no folder picker (`familiar serve`): the Import screen's field, and the
// Photos screen's "Copy to a folder".

/**
 * Why a typed path cannot be a folder's, said under its field, or null. A leading ~ is the home folder: the engine
 * expands it, as a shell would (main/paths.ts expandHome).
 */
export function relativePathProblem(path: string): string | null {
  if (!/^(\/|~(?:[\\/]|$)|[A-Za-z]:[\\/]|\\\\)/.test(path)) return `Type the whole path, from / or ~ (or a drive letter such as C:\\): “${path}” is relative.`;
  return null;
}
