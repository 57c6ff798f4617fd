// Questions that cannot be right: "Is this Ada?" about a face in a photo taken before Ada was born. Such a face is
// someone else's (an older sibling's baby photo) or dated by a clock set wrong; either way it is not asked about as
// Ada, in the app ("Who is this?", the photo viewer's "Looks like") or the CLI (`familiar people maybe`), as her
// suggestions never offer it (queries.ts, SuggestionOptions.cannotBe), and no grouping places it with her
// (clustering.ts: it is left for the user, as a face said not to be her).
import { dayOfPeopleIn, PhotoDates, takenBeforeBirth, takenOnDayBeforeBirth } from '../api/photo-dates.js';
import { unwatchedFolders, watchedFolders } from '../library/imported-folders.js';
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
 * Whether asking if `faces` (a loose face, or an unnamed group's faces) are the person `personId` is impossible: half
 * or more of them are in photos taken before their birthday (a loose face: it is). Fewer do not stop the question: a
 * Yes, or the group named after them, leaves those faces out (decisions.ts mergePeople). One misdated scan in a group
 * of ten kept the group from ever being asked about (QA).
 */
export function impossibleQuestion(library: DatedLibrary, personId: string, faces: ReadonlyArray<Pick<FaceRecord, 'photoId'>>, dates?: PhotoDates): boolean {
  const person = library.people.people.find((p) => p.id === personId);
  const cannotBe = person && cannotBeOf(library, person, dates);
  return cannotBe !== undefined && faces.filter(cannotBe).length * 2 >= faces.length && faces.length > 0;
}

/** The people with a birthday who were not born yet on `day` (a photo's, photoDay), the day before let be. */
export function unbornOn(library: Pick<DatedLibrary, 'people'>, day: string | null): string[] {
  if (day === null) return [];
  return library.people.people.flatMap((p) => (p.birthday !== undefined && takenOnDayBeforeBirth(p.birthday, day) ? [p.id] : []));
}

/**
 * The people with a birthday who cannot be in a face's photo, as a grouping asks it of face after face: the photo's day
 * read once per photo. Nobody with a birthday: answers [] at no cost.
 */
export function unbornIn(library: DatedLibrary): (face: Pick<FaceRecord, 'photoId'>) => readonly string[] {
  const born = library.people.people.flatMap((p) => (p.birthday !== undefined ? [{ id: p.id, birthday: p.birthday }] : []));
  if (born.length === 0) return () => [];
  const dates = photoDatesOf(library);
  const byPhoto = new Map<string, readonly string[]>();
  return (face) => {
    let unborn = byPhoto.get(face.photoId);
    if (unborn === undefined) {
      const photo = library.photo(face.photoId);
      const day = photo ? dayOfPeopleIn(library, photo, dates) : null;
      unborn = day === null ? [] : born.filter((p) => takenOnDayBeforeBirth(p.birthday, day)).map((p) => p.id);
      byPhoto.set(face.photoId, unborn);
    }
    return unborn;
  };
}
