// The people of the "Which one?" tests on lfw_subset (backbone descriptors from the shared cache): those with six or
// more photos, and the one-photo people as strangers. Libraries passed to `opened` are closed after each test.
import { afterEach, beforeAll } from 'vitest';
import { loadLfwPeople, type LfwPerson } from '../models/embedder/lfw-fixture.js';

export function useLfwReviewPeople(): { people: LfwPerson[]; strangers: LfwPerson[]; opened<T extends { close(): Promise<void> }>(fx: T): T } {
  // Filled in place by beforeAll, so the arrays can be taken apart where the suite is declared.
  const people: LfwPerson[] = [];
  const strangers: LfwPerson[] = [];
  const open: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    const all = await loadLfwPeople();
    people.push(...all.filter((p) => p.descriptors.length >= 6));
    strangers.push(...all.filter((p) => p.descriptors.length === 1));
  });
  afterEach(async () => {
    for (const fx of open.splice(0)) await fx.close();
  });
  return {
    people,
    strangers,
    opened(fx) {
      open.push(fx);
      return fx;
    },
  };
}
