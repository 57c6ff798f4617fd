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
 * Characters that show as nothing in a name, pasted in with it: zero-width space, soft hyphen, word joiner, byte-order
 * mark, and the left-to-right and right-to-left marks. QA: "Rose" with a zero-width space after it was a second Rose
 * that search could not find. Taken out of names given, and out of names compared. (Not the zero-width joiners: they
 * make emoji and Persian or Indic letters what they are.)
 */
const INVISIBLE_IN_NAMES = /[\u00ad\u061c\u200b\u200e\u200f\u2060\ufeff]/g;

/** A name as given, less what shows as nothing in it (INVISIBLE_IN_NAMES), in one Unicode form, trimmed. */
export const cleanName = (raw: string): string => raw.replace(INVISIBLE_IN_NAMES, '').normalize('NFC').trim();

/** Apostrophes and dashes as phones and word processors type them, read as the plain ones: O’Brien is O'Brien. */
const TYPOGRAPHIC_APOSTROPHES = /[\u2018\u2019\u02bc\u00b4\u0060\u2032]/g;
const TYPOGRAPHIC_DASHES = /[\u2010-\u2015\u2212]/g;

/**
 * The form names are compared and searched in: lower case, without the accents of Latin, Greek and Cyrillic letters,
 * trimmed, runs of spaces one. "zoe" is Zoë and "jose" José; किरण stays किरण.
 */
export function foldName(text: string): string {
  return text
    .replace(INVISIBLE_IN_NAMES, '')
    .replace(TYPOGRAPHIC_APOSTROPHES, "'")
    .replace(TYPOGRAPHIC_DASHES, '-')
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
  const asTyped = same.filter((p) => spelledAsTyped(p.name!) === spelledAsTyped(name));
  if (asTyped.length < 2) return asTyped.length > 0 ? asTyped : same;
  // Names an older build stored with a character that shows as nothing ("Rose" and "Rose" with a zero-width space):
  // the one spelled exactly so is meant, as before names lost them (review: both became ambiguous).
  const exactly = (text: string) => text.normalize('NFC').toLocaleLowerCase().trim().replace(/\s+/g, ' ');
  const exact = asTyped.filter((p) => exactly(p.name!) === exactly(name));
  return exact.length > 0 ? exact : asTyped;
}

/** A name as spelled, case and spacing aside: Jose and José are two spellings, "jose" and "Jose" one. */
export const spelledAsTyped = (text: string): string => cleanName(text).toLocaleLowerCase().replace(/\s+/g, ' ');

/** A German umlaut and the two letters it is written as without one: Schröder is also spelled Schroeder. */
const UMLAUT_SPELLED_OUT: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
/** A word's umlauts written out, before folding: "schröder" is "schroeder", "strauß" "strauss". */
const spellUmlautsOut = (word: string) => word.normalize('NFC').toLocaleLowerCase().replace(/[äöüß]/g, (letter) => UMLAUT_SPELLED_OUT[letter]);

/**
 * The forms one word of a name is found by: folded (foldName), its umlauts written out (Schröder as "schroeder"), and
 * written-out umlauts folded back to the bare letter (Schroeder as "schroder"), so either spelling finds the other.
 * Only the name's word gets the German forms, not the typed one: "zoe" must not find Zora, nor "joe" John.
 */
function searchForms(word: string): string[] {
  const folded = foldName(word);
  const spelledOut = foldName(spellUmlautsOut(word));
  return [...new Set([folded, spelledOut, folded.replace(/([aou])e/g, '$1'), spelledOut.replace(/([aou])e/g, '$1')])];
}

/**
 * Whether a name is found by what the user typed to find someone: every typed word starts some word of the name, in
 * any order, case and accents aside ("gul abdullah" finds Abdullah Gul, "zoe" Zoë, "schroder" Gerhard Schroeder, "pel"
 * Nancy Pelosi), and a word inside another is not a match ("nan" does not find Pierce Brosnan). QA: "Find a person"
 * found nothing for another word order or a German name spelled without its umlaut.
 */
export function nameMatchesSearch(name: string, search: string): boolean {
  // A typed ß is ss, as the name's is among its forms: "strauß" finds Strauss.
  const typed = foldName(search).replace(/ß/g, 'ss').split(/[ -]+/).filter(Boolean);
  if (typed.length === 0) return true;
  // A double name's words are found on their own too: "kate" finds Mary-Kate.
  const forms = name.trim().split(/[\s-]+/).filter(Boolean).map(searchForms);
  // Each typed word its own word of the name: "ann ann" does not find Ann Lee.
  const used = new Set<number>();
  const place = (i: number): boolean => {
    if (i === typed.length) return true;
    for (let w = 0; w < forms.length; w++) {
      if (used.has(w) || !forms[w].some((form) => form.startsWith(typed[i]))) continue;
      used.add(w);
      if (place(i + 1)) return true;
      used.delete(w);
    }
    return false;
  };
  return place(0);
}

/**
 * A name for someone else called `name`, which no one in `names` has: "Ann (2)", else "Ann (3)"… Two people cannot
 * share a name (a name someone has joins them), so the second Ann needs one of her own: this is where the app's "No,
 * someone else" and `familiar name` start it, for the user to make it telling ("Ann (school)").
 */
export function nameOfTheirOwn(name: string, names: readonly string[]): string {
  const taken = new Set(names.map(foldName));
  let n = 2;
  while (taken.has(foldName(`${name} (${n})`))) n++;
  return `${name} (${n})`;
}
