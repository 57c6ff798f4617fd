// Seeded randomness for the embedder: training runs, batch sampling and splits are reproducible from a seed,
// so a test or a benchmark run can be repeated exactly.
// One generator for the clustering and the embedder (mulberry32).
export { seededRandom } from '../cluster/random.js';

/** Standard normal deviate (Box-Muller). */
export function gaussian(random: () => number): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Fisher-Yates shuffle in place; returns the same array. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** 32-bit FNV-1a hash of a string: stable across runs and machines (used for deterministic splits). */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
