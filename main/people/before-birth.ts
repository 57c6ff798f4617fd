// Questions that cannot be right: "Is this Ada?" about a face in a photo taken before Ada was born. Such a face is
// someone else's (an older sibling's baby photo) or dated by a clock set wrong; either way it is not asked about as
// Ada, in the app ("Who is this?", the photo viewer's "Looks like") or the CLI (`familiar people maybe`), as her
// suggestions never offer it (queries.ts, SuggestionOptions.cannotBe).
import { PhotoDates, takenBeforeBirth } from '../api/photo-dates.js';
import { unwatchedFolders, watchedFolders } from '../library/remove-folder.js';
import type { FaceRecord, PersonRecord, PhotoRecord, Settings } from '../store/types.js';

interface DatedLibrary {
  settings: Readonly<Settings>;
  people: { people: readonly PersonRecord[] };
  photo(id: string): PhotoRecord | undefined;
}

/** The dates of photos without a camera date, as the app reads them (its folders' names within the imported folders). */
export function photoDatesOf(library: Pick<DatedLibrary, 'settings'>): PhotoDates {
  return new PhotoDates([...watchedFolders(library.settings), ...unwatchedFolders(library.settings)]);
}

/** takenBeforeBirth for a person with a birthday, else undefined. */
export function cannotBeOf(library: DatedLibrary, person: Pick<PersonRecord, 'birthday'>, dates?: PhotoDates): ((face: Pick<FaceRecord, 'photoId'>) => boolean) | undefined {
  return person.birthday === undefined ? undefined : takenBeforeBirth(library, person.birthday, dates ?? photoDatesOf(library));
}

/**
 * Whether asking if `faces` (a loose face, or an unnamed group's faces) are the person `personId` is impossible: one of
 * them is in a photo taken before their birthday. Naming a group names every face of it, so one such face is enough.
 */
export function impossibleQuestion(library: DatedLibrary, personId: string, faces: ReadonlyArray<Pick<FaceRecord, 'photoId'>>, dates?: PhotoDates): boolean {
  const person = library.people.people.find((p) => p.id === personId);
  const cannotBe = person && cannotBeOf(library, person, dates);
  return cannotBe !== undefined && faces.some(cannotBe);
}
