// What a names import says in the window. One the folder watcher started (another app saved a sidecar in a watched
// folder): the user did not ask for it, so the toast says where the names came from, and Undo takes them back.
// plural from the contract, not lib/format.js: format.ts asks this file whether a running read is of Familiar's own export.
import { plural, type JobInfo, type JobProgress, type NamesImportResult } from '../../preload/contract.js';

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** The changed sidecars in a few words: the file's name, or how many. */
const sidecarsInWords = (files: readonly string[]) => (files.length === 1 ? fileName(files[0]) : `${files.length.toLocaleString()} sidecars`);

/** Who saved the sidecars a read nobody asked for read: a Familiar export (another computer's, or the familiar command) or another app. */
const savedBy = (result: NamesImportResult) => (result.sidecarsBuiltByFamiliar ? 'a Familiar names export' : 'another app');

/** Why a names read nobody asked for happened, for Settings' card; null for a read the user started. */
export function namesReadOnItsOwnSentence(result: NamesImportResult): string | null {
  const files = result.sidecarsChanged;
  return files?.length ? `Read on its own: ${savedBy(result)} saved ${sidecarsInWords(files)} in a watched folder.` : null;
}

/** The toast for a read the watcher started that changed something (namesReadChangedSomething); null for any other read. */
export function namesReadFromSidecarsSentence(result: NamesImportResult): string | null {
  const files = result.sidecarsChanged;
  const answers = result.rejectionsRead ?? 0;
  const found = result.unnamedFacesFound ?? 0;
  if (!files?.length || !namesReadChangedSomething(result)) return null;
  const from = sidecarsInWords(files);
  const people = result.newPeople.length ? ` (${plural(result.newPeople.length, 'new person', 'new people')}: ${result.newPeople.join(', ')})` : '';
  const named = result.facesNamed > 0 ? `Named ${plural(result.facesNamed, 'face')}${people}` : '';
  const read = answers > 0 ? `${named ? 'read' : 'Read'} ${plural(answers, '“not this person” answer')}` : '';
  const missed = found > 0 ? `${named || read ? 'found' : 'Found'} ${plural(found, 'face')} Familiar had missed` : '';
  const renamed = renamedInWords(result, !named && !read && !missed);
  return `${[named, read, missed, renamed].filter(Boolean).join(' and ')} from the face tags ${savedBy(result)} saved in ${from}.`;
}

/** The people a read renamed as the tags now name them (their name came from those tags): '' when none. */
function renamedInWords(result: NamesImportResult, first: boolean): string {
  const renamed = (result.renamed ?? []).map((r) => `“${r.from}” to “${r.to}”`);
  return renamed.length ? `${first ? 'Renamed' : 'renamed'} ${renamed.join(', ')}` : '';
}

/**
 * A read the watcher started on sidecars a Familiar names export built (`familiar names export` beside the app, say)
 * that changed nothing: Familiar read back its own names, which is no news for Settings' card (QA: "another app saved").
 */
function namesReadOfOwnExport(result: NamesImportResult): boolean {
  return result.sidecarsBuiltByFamiliar === true && !namesReadChangedSomething(result);
}

/** A running names read whose reports say it reads sidecars a Familiar export built (main/api/handlers.ts). */
export function readingOwnExport(progress: JobProgress | null): boolean {
  return progress?.detail?.sidecarsBuiltByFamiliar === true;
}

/**
 * Whether Settings' card keeps quiet about this names read: one of Familiar's own export, while it runs (its reports
 * say so: main/api/handlers.ts) and once it ends having changed nothing. A failure is still said.
 */
export function namesReadKeptOffCard(read: { progress: JobProgress | null; info: JobInfo | null }): boolean {
  if (!read.info) return readingOwnExport(read.progress);
  const result = read.info.result;
  return read.info.state === 'done' && !!result && 'facesNamed' in result && namesReadOfOwnExport(result as NamesImportResult);
}

/** True when a names read changed the library (one decision, which Undo takes back). */
export function namesReadChangedSomething(result: NamesImportResult): boolean {
  return result.facesNamed > 0 || (result.rejectionsRead ?? 0) > 0 || (result.unnamedFacesFound ?? 0) > 0 || (result.renamed?.length ?? 0) > 0;
}

/** What a names read did, for Settings' names card: '' when a folder chosen held no sidecar of any photo here (said apart). */
export function namesImportSentence(r: NamesImportResult): string {
  // Sidecars were there and none was any photo's here: that sentence says it all.
  if (r.photosWithNames === 0 && r.fromFolder && r.fromFolder.sidecars > 0 && r.fromFolder.matchedById + r.fromFolder.matchedByPath === 0) return '';
  const found = r.unnamedFacesFound ?? 0;
  if (r.photosWithNames === 0 && !r.rejectionsRead && found === 0) {
    if (r.photosRead === 0) return 'Familiar has no photo to read face tags from yet, so nothing changed.';
    const marked = r.photosWithUnnamedMarks ?? 0;
    // Tags were there (Picasa's or digiKam's unnamed faces), only none named anyone or showed a face Familiar missed.
    if (marked > 0) {
      const where = r.photosRead === 1 ? 'the photo read' : marked === r.photosRead ? `the ${plural(r.photosRead, 'photo')} read` : `${marked.toLocaleString()} of the ${plural(r.photosRead, 'photo')} read`;
      return `Other apps marked faces with no name in ${where}; none was a face Familiar had missed, so nothing changed.`;
    }
    if (r.photosRead === 1) return 'The photo read has no face tags from another app, so nothing changed.';
    return `None of the ${plural(r.photosRead, 'photo')} read has face tags from another app, so nothing changed.`;
  }
  const people = r.newPeople.length ? ` (${plural(r.newPeople.length, 'new person', 'new people')}: ${r.newPeople.join(', ')})` : '';
  // A read that only found faces (Picasa's unnamed ones) names no one: it says what it found.
  const renamed = renamedInWords(r, true);
  const parts = r.facesNamed > 0 || (found === 0 && !renamed) ? [`Named ${plural(r.facesNamed, 'face')}${people}`] : [];
  // Their name came from the tags, renamed where it came from (another library, digiKam): the rename follows.
  if (renamed) parts.push(parts.length ? `${renamedInWords(r, false)}, as the tags now name them` : `${renamed}, as the tags now name them`);
  if (r.facesAdded) parts.push(`${plural(r.facesAdded, 'face')} added where the detector had missed ${r.facesAdded === 1 ? 'it' : 'them'}`);
  if (found) {
    const which = `${plural(found, 'face')} the detector had missed`;
    const where = `where another app marked ${found === 1 ? 'a face' : 'faces'}, placed with whoever ${found === 1 ? 'it looks' : 'they look'} like`;
    parts.push(parts.length ? `${which} found ${where}` : `Found ${which} ${where}`);
  }
  if (r.alreadyNamed) parts.push(`${plural(r.alreadyNamed, 'was', 'were')} already named that way`);
  if (r.rejectionsRead) parts.push(`${plural(r.rejectionsRead, '“not this person” answer')} read from the sidecars Familiar wrote`);
  if (r.conflicts.length) parts.push(`${r.conflicts.length.toLocaleString()} kept this library's answer`);
  if (r.unmatchedRegions) parts.push(`${plural(r.unmatchedRegions, 'tagged name')} went to no face`);
  if (r.skipped.length) parts.push(`${plural(r.skipped.length, 'file')} could not be read`);
  return `${parts.join('; ')}.`;
}
