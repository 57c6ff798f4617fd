// Two people in one group. A density clustering (HDBSCAN's excess of mass) keeps a small, tight cluster inside a larger
// one it touches: three photos of a cousin a few faces away from forty of a brother become one "person". Average
// linkage says it plainly: the group's last merge joins two parts whose faces are, on average, farther apart than the
// same-person distance. Such a group is split in two when each part has at least `minSize` faces (a group's own
// minimum): one stray face is the "Not X" button's job, not a second person.
// One split per group and run, never recursive: a person photographed over many years drifts, and cutting that drift
// again and again would shatter them into age bands. A group larger than SAMPLE_SIZE is judged on a fixed sample of
// its faces (the dendrogram costs m²), and every face then joins the part whose mean it is nearer.
// Measured in docs/clustering.md ("Two people in one group").
import { averageLinkageMerges } from './agglomerative.js';
import { clusterMembers, UNASSIGNED } from './labels.js';
import { seededRandom, shuffledIndices } from './random.js';
import { centroid, selectRows, type VectorSet } from './vectors.js';
import { UnionFind } from './union-find.js';

export interface TwoPeopleOptions {
  /** Mean cosine distance between the two parts above which they are two people (the same-person distance). */
  cut: number;
  /** Each part needs this many faces to become a group of its own. */
  minSize: number;
  /** Groups larger than this are judged on a sample of this many faces (m² distances). */
  sampleSize?: number;
  /** Set aside up to this many small subtrees the top merge joins before judging (lastMergePeeled); 0 by default. */
  peelStrays?: number;
}

/** 1,000 faces: a 4 MB distance matrix, about 0.1 s; a 4,000-face group would take 2 s. */
export const TWO_PEOPLE_SAMPLE_SIZE = 1000;

/** The two parts average linkage joins last in `rows`, largest first, and their mean distance; null under 2 rows. */
export function lastMerge(vectors: VectorSet, rows: readonly number[]): { parts: [number[], number[]]; distance: number } | null {
  if (rows.length < 2) return null;
  const merges = averageLinkageMerges(selectRows(vectors, rows), null);
  let top = 0;
  for (let i = 1; i < merges.length; i++) if (merges[i].height > merges[top].height) top = i;
  const uf = new UnionFind(rows.length);
  merges.forEach((m, i) => {
    if (i !== top) uf.union(m.a, m.b);
  });
  const root = uf.find(merges[top].a);
  const first: number[] = [];
  const second: number[] = [];
  rows.forEach((r, i) => (uf.find(i) === root ? first : second).push(r));
  const parts: [number[], number[]] = first.length >= second.length ? [first, second] : [second, first];
  return { parts, distance: merges[top].height };
}

/**
 * The last merge of `rows` once stray faces are set aside: when the top merge only joins a few faces (under `minSize`:
 * a stranger in the background, one odd photo) to the rest, the rest's own top merge is looked at instead, up to
 * `maxPeels` times. QA: a man's face in a group of Venus and Serena Williams made the last merge "one face against
 * twenty", and the sisters were never asked about. Strays then join the part whose mean they are nearer. One
 * dendrogram: a subtree's merges are those among its own faces.
 */
export function lastMergePeeled(
  vectors: VectorSet,
  rows: readonly number[],
  minSize: number,
  maxPeels: number,
): { parts: [number[], number[]]; distance: number } | null {
  if (rows.length < 2) return null;
  const merges = averageLinkageMerges(selectRows(vectors, rows), null);
  const cut = new Set<number>();
  const stray = new Set<number>();
  for (let peel = 0; peel <= maxPeels; peel++) {
    let top = -1;
    merges.forEach((m, i) => {
      if (!cut.has(i) && !stray.has(m.a) && (top < 0 || m.height > merges[top].height)) top = i;
    });
    if (top < 0) return null;
    cut.add(top);
    const uf = new UnionFind(rows.length);
    merges.forEach((m, i) => {
      if (!cut.has(i)) uf.union(m.a, m.b);
    });
    const [rootA, rootB] = [uf.find(merges[top].a), uf.find(merges[top].b)];
    const a: number[] = [];
    const b: number[] = [];
    rows.forEach((_, i) => {
      const root = uf.find(i);
      if (root === rootA) a.push(i);
      else if (root === rootB) b.push(i);
    });
    const [large, small] = a.length >= b.length ? [a, b] : [b, a];
    if (small.length >= minSize) {
      const parts: [number[], number[]] = [large.map((i) => rows[i]), small.map((i) => rows[i])];
      if (stray.size > 0) {
        const means = parts.map((p) => centroid(vectors, p));
        for (const i of stray) {
          const v = vectors.data.subarray(rows[i] * vectors.dim, (rows[i] + 1) * vectors.dim);
          let toA = 0;
          let toB = 0;
          for (let t = 0; t < vectors.dim; t++) {
            toA += v[t] * means[0][t];
            toB += v[t] * means[1][t];
          }
          parts[toA >= toB ? 0 : 1].push(rows[i]);
        }
      }
      return { parts, distance: merges[top].height };
    }
    // The few faces the top merge joined are strays; what is left must still hold two parts of minSize.
    for (const i of small) stray.add(i);
    if (large.length < 2 * minSize) return null;
  }
  return null;
}

/** Splits every group of `labels` that is two people by the rule above; other groups keep their members. */
export function separateTwoPeople(vectors: VectorSet, labels: ArrayLike<number>, options: TwoPeopleOptions): { labels: Int32Array; groupsSplit: number } {
  const out = new Int32Array(labels.length).fill(UNASSIGNED);
  let next = 0;
  let groupsSplit = 0;
  const keep = (rows: readonly number[]) => {
    const label = next++;
    for (const r of rows) out[r] = label;
  };
  const sampleSize = options.sampleSize ?? TWO_PEOPLE_SAMPLE_SIZE;
  for (const rows of clusterMembers(labels)) {
    const parts = rows.length >= 2 * options.minSize ? twoParts(vectors, rows, options, sampleSize) : null;
    if (parts) {
      groupsSplit++;
      keep(parts[0]);
      keep(parts[1]);
    } else {
      keep(rows);
    }
  }
  return { labels: out, groupsSplit };
}

/**
 * The group's two people by the rule, larger part first, or null when it is one. Also used by a person's page to
 * order their faces (main/people/least-alike.ts), with parts of any size.
 */
export function twoParts(vectors: VectorSet, rows: readonly number[], options: TwoPeopleOptions, sampleSize = options.sampleSize ?? TWO_PEOPLE_SAMPLE_SIZE): [number[], number[]] | null {
  const merge = (of: readonly number[]) => (options.peelStrays ? lastMergePeeled(vectors, of, options.minSize, options.peelStrays) : lastMerge(vectors, of));
  if (rows.length <= sampleSize) {
    const split = merge(rows);
    return split && split.distance > options.cut && split.parts[1].length >= options.minSize ? split.parts : null;
  }
  // Seeded by the group's size, so the same group gets the same answer on every run.
  const order = shuffledIndices(rows.length, seededRandom(rows.length));
  const sample = Array.from(order.subarray(0, sampleSize), (i) => rows[i]);
  const split = merge(sample);
  if (!split || split.distance <= options.cut || split.parts[1].length < options.minSize) return null;
  const means = split.parts.map((p) => centroid(vectors, p));
  const parts: [number[], number[]] = [[], []];
  for (const r of rows) {
    const v = vectors.data.subarray(r * vectors.dim, (r + 1) * vectors.dim);
    let a = 0;
    let b = 0;
    for (let t = 0; t < vectors.dim; t++) {
      a += v[t] * means[0][t];
      b += v[t] * means[1][t];
    }
    parts[a >= b ? 0 : 1].push(r);
  }
  return parts[1].length >= options.minSize && parts[0].length >= options.minSize ? parts : null;
}
