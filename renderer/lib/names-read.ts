// What a names import the folder watcher started (another app saved a sidecar in a watched folder) says in the window:
// the user did not ask for it, so the toast says where the names came from, and Undo takes them back.
import type { NamesImportResult } from '../../preload/contract.js';
import { plural } from './format.js';

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** The changed sidecars in a few words: the file's name, or how many. */
const sidecarsInWords = (files: readonly string[]) => (files.length === 1 ? fileName(files[0]) : `${files.length.toLocaleString()} sidecars`);

/** Why a names read nobody asked for happened, for Settings' card; null for a read the user started. */
export function namesReadOnItsOwnSentence(result: NamesImportResult): string | null {
  const files = result.sidecarsChanged;
  return files?.length ? `Read on its own: another app saved ${sidecarsInWords(files)} in a watched folder.` : null;
}

/** The toast for a read the watcher started that named faces or read answers; null for any other read, or one that changed nothing. */
export function namesReadFromSidecarsSentence(result: NamesImportResult): string | null {
  const files = result.sidecarsChanged;
  const answers = result.rejectionsRead ?? 0;
  if (!files?.length || (result.facesNamed === 0 && answers === 0)) return null;
  const from = sidecarsInWords(files);
  const people = result.newPeople.length ? ` (${plural(result.newPeople.length, 'new person', 'new people')}: ${result.newPeople.join(', ')})` : '';
  const named = result.facesNamed > 0 ? `Named ${plural(result.facesNamed, 'face')}${people}` : '';
  const read = answers > 0 ? `${named ? 'read' : 'Read'} ${plural(answers, '“not this person” answer')}` : '';
  return `${[named, read].filter(Boolean).join(' and ')} from the face tags another app saved in ${from}.`;
}
