// People's names compared as one rule, by the engine (a name someone has joins them) and by the app (the name field's
// Enter, the People search): the same name must not join someone in one and make a new person in the other (QA:
// `familiar name g Zoe` made a second "Zoe" where the app's Enter joined "Zoë"). Loaded by Node and the browser alike,
// so it imports nothing.

/**
 * The scripts whose marks are accents a person may leave out when typing a name (Zoë typed "Zoe", José "Jose",
 * Ελένη "Ελενη", Алёна "Алена"). In other scripts a mark is part of the letter: Hindi किरण (Kiran) is not करण (Karan),
 * nor Japanese ガク (Gaku) カク (Kaku), and folding them made a new name impossible to create.
 */
const ACCENTED_SCRIPT = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u;
/** A letter followed by its combining marks, once decomposed. */
const LETTER_WITH_MARKS = /(\P{M})(\p{M}+)/gu;

/**
 * The form names are compared and searched in: lower case, without the accents of Latin, Greek and Cyrillic letters,
 * trimmed, runs of spaces one. "zoe" is Zoë and "jose" José; किरण stays किरण.
 */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(LETTER_WITH_MARKS, (whole, letter: string) => (ACCENTED_SCRIPT.test(letter) ? letter : whole))
    .normalize('NFC')
    .toLocaleLowerCase()
    .trim()
    .replace(/\s+/g, ' ');
}

/** Two spellings of one name: in another case, without accents or with other spacing ("zoe" and "Zoë"). */
export const sameName = (a: string, b: string): boolean => foldName(a) === foldName(b);

/**
 * The people who have `name` (sameName). When several do, those spelled as typed (case aside) are the ones meant: with
 * both Jose and José in the library, "jose" is Jose and "JOSÉ" is José; "Josè" could be either, so it is both.
 */
export function namesakesOf<T extends { name: string | null }>(people: readonly T[], name: string): T[] {
  const key = foldName(name);
  const same = people.filter((p) => p.name !== null && foldName(p.name) === key);
  if (same.length < 2) return same;
  const spelled = (text: string) => text.normalize('NFC').toLocaleLowerCase().trim().replace(/\s+/g, ' ');
  const asTyped = same.filter((p) => spelled(p.name!) === spelled(name));
  return asTyped.length > 0 ? asTyped : same;
}
