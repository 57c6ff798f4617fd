// Unnamed groups have no name to tell them apart, so the studio numbers them: largest first, the same number in
// every picker and caption (QA: two groups of ten faces were both "an unnamed group of 10 faces").
import type { PersonSummary } from './types.js';

/** Each unnamed group's number among all unnamed groups, largest first (ties by id, so the order is stable). */
export function unnamedGroupNumbers(people: readonly PersonSummary[]): Map<string, number> {
  const unnamed = people.filter((p) => !p.name).sort((a, b) => b.faceCount - a.faceCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return new Map(unnamed.map((p, i) => [p.id, i + 1]));
}

/** The person's name, or "Unnamed group N" with its number from `unnamedGroupNumbers` ("unnamed group N" in a sentence). */
export function groupTitle(person: PersonSummary, numbers: ReadonlyMap<string, number>, inSentence = false): string {
  return person.name ?? `${inSentence ? 'unnamed' : 'Unnamed'} group ${numbers.get(person.id) ?? ''}`.trim();
}

/**
 * The names an unnamed group was said not to be (PersonSummary.notPersonIds), for its name field to show ruled out:
 * the engine refuses them, and the field offered them first (QA: "Serena" took Serena Williams, then an error).
 */
export function ruledOutNames(group: Pick<PersonSummary, 'name' | 'notPersonIds'> | null | undefined, people: readonly Pick<PersonSummary, 'id' | 'name'>[]): string[] {
  if (!group || group.name !== null || !group.notPersonIds?.length) return [];
  const said = new Set(group.notPersonIds);
  return people.flatMap((p) => (p.name !== null && said.has(p.id) ? [p.name] : []));
}
