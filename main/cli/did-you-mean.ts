// "Did you mean …?" for a mistyped command or option: QA typed `familiar export` and was told only that there is no
// such command, when `familiar names export` was the one meant.

/** Letters to add, drop, change or swap with the next one to turn `a` into `b` (a swap is one typo: "trian"). */
export function typoDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const change = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + change);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Typos a word of this length may hold and still be taken for another: one in a short word, two from five letters. */
const typosAllowed = (word: string) => (word.length < 5 ? 1 : 2);

/** An option's or command's word without the dashes in front: "--foo" is a three-letter word, allowed one typo. */
const bareWord = (s: string) => s.replace(/^-+/, '').toLowerCase();

/**
 * The candidate nearest `typed` within the typos its length allows (the first listed on a tie), or null. Options are
 * measured without their leading "--", which would otherwise count toward the length ("--foo" read as "--to").
 */
export function closest(typed: string, candidates: readonly string[]): string | null {
  const word = bareWord(typed);
  let best: string | null = null;
  let bestDistance = typosAllowed(word) + 1;
  for (const candidate of candidates) {
    const distance = typoDistance(word, bareWord(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The command meant by an unknown first word, from the command names ("names export", "import"): the two-word command
 * whose second word it is ("export" → "names export", "use" → "models use"), else the command or group it is a typo of
 * ("imprt" → "import", "peple" → "people"), else the two-word command whose second word it is a typo of; null if none.
 */
export function commandMeant(typed: string, names: readonly string[]): string | null {
  const word = typed.toLowerCase();
  const secondWords = names.filter((n) => n.includes(' '));
  const bySecondWord = secondWords.find((n) => n.split(' ')[1] === word);
  if (bySecondWord) return bySecondWord;
  const firstWords = [...new Set(names.map((n) => n.split(' ')[0]))];
  const first = closest(word, firstWords);
  if (first) return first;
  const second = closest(word, secondWords.map((n) => n.split(' ')[1]));
  return second === null ? null : (secondWords.find((n) => n.split(' ')[1] === second) ?? null);
}
