// Errors a handler throws on purpose, with the code the renderer branches on. Anything else thrown by the
// engine becomes code 'failed' with the engine's own one-sentence message.
import type { ErrorCode } from '../../preload/contract.js';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, id: string): ApiError => new ApiError('not-found', `No ${what} has the id "${id}".`);

export const NOT_AVAILABLE = 'not available in this build';

/** Maps an engine error to a code by its name, so the engine need not import this module. */
export function codeOf(err: unknown): ErrorCode {
  if (err instanceof ApiError) return err.code;
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : '';
  if (/NotFound/i.test(name)) return 'not-found';
  // The people service says "No person/face/photo ..." for unknown references, and explains bad requests otherwise.
  if (name === 'PeopleError') return /^No (person|face|photo)\b/.test(message) ? 'not-found' : 'invalid-argument';
  // Asked to remove a folder the library has nothing of, or one inside a watched folder.
  if (name === 'FolderRemovalError') return 'invalid-argument';
  // A drawn box too small or outside the photo, around faces marked already, or on a file that changed (main/library/drawn-faces.ts).
  if (name === 'DrawnFaceError') return 'invalid-argument';
  // A head that would split groups nobody named, asked for without "anyway": the caller asks again, as the dialog does.
  if (name === 'SwitchSplitsGroupsError') return 'invalid-argument';
  // A folder to copy photos into that cannot be one (the library's own, a file).
  if (name === 'CopyPhotosError') return 'invalid-argument';
  if (/Busy|Locked|Conflict/i.test(name)) return 'busy';
  if (/Usage|Invalid|Validation/i.test(name)) return 'invalid-argument';
  return 'failed';
}
