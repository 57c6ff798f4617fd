// Cluster labels: one Int32 per face, -1 = unassigned ("unknown"), clusters numbered 0..c-1.

export const UNASSIGNED = -1;

/**
 * Renumbers raw labels (any non-negative ids) to 0..c-1 in order of first appearance, and turns clusters smaller
 * than minSize into UNASSIGNED: a one-face "person" is noise to the user, not a person.
 */
export function finalizeLabels(raw: ArrayLike<number>, minSize = 2): Int32Array {
  const n = raw.length;
  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) if (raw[i] >= 0) sizes.set(raw[i], (sizes.get(raw[i]) ?? 0) + 1);
  const renumber = new Map<number, number>();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = raw[i];
    if (r < 0 || (sizes.get(r) ?? 0) < minSize) {
      out[i] = UNASSIGNED;
      continue;
    }
    let id = renumber.get(r);
    if (id === undefined) {
      id = renumber.size;
      renumber.set(r, id);
    }
    out[i] = id;
  }
  return out;
}

/** Members of each cluster, by label. */
export function clusterMembers(labels: ArrayLike<number>): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < 0) continue;
    (groups[l] ??= []).push(i);
  }
  return groups.filter((g) => g !== undefined);
}

export function clusterCount(labels: ArrayLike<number>): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return max + 1;
}
