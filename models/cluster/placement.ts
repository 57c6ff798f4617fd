// Incremental assignment: a new face joins an existing person only when its nearest face of that person is within
// the threshold AND clearly nearer than the nearest face of any other person (the margin). Everything else stays
// for clustering among the unknown faces. Pure: the caller supplies the neighbours (from the hnswlib index).

export interface Neighbour {
  /** The neighbour's person, or null for an unknown face. */
  personId: string | null;
  distance: number;
}

export interface PlacementRule {
  /** Cosine distance to the person's nearest face. */
  threshold: number;
  /** Runner-up person's nearest face must be at least this much farther. */
  margin: number;
}

export interface Placement {
  personId: string;
  distance: number;
  /** Distance to the runner-up person's nearest face (Infinity when none among the neighbours). */
  runnerUp: number;
}

/**
 * The person a face joins, or null. `neighbours` are sorted nearest first; `rejected` are the persons the user
 * said this face is not: never chosen, and not counted as the runner-up either (a face split off from its sister's
 * group is hers, however near the sister). But a face whose nearest person is one it is not joins nobody: "not Venus"
 * does not mean "Serena", her lookalike next in line, and is asked about instead (QA: a face said not to be one sister
 * went to the other at the next Regroup). On lfw_subset, a face's own person rejected would have sent 100 of 1,566
 * faces to someone else silently; of the 109 faces nearest someone else, that one rejected, 1 went to its own person
 * (scratch measurement, session 37).
 */
export function placeFace(neighbours: readonly Neighbour[], rule: PlacementRule, rejected: ReadonlySet<string> | readonly string[] = []): Placement | null {
  const isRejected = Array.isArray(rejected) ? (p: string) => rejected.includes(p) : (p: string) => (rejected as ReadonlySet<string>).has(p);
  let best: string | null = null;
  let bestDistance = Infinity;
  let runnerUp = Infinity;
  for (const n of neighbours) {
    if (n.personId !== null && best === null && isRejected(n.personId)) return null;
    if (n.personId === null || isRejected(n.personId)) continue;
    if (best === null) {
      best = n.personId;
      bestDistance = n.distance;
    } else if (n.personId !== best) {
      runnerUp = n.distance;
      break;
    }
  }
  if (best === null || bestDistance > rule.threshold || runnerUp - bestDistance < rule.margin) return null;
  return { personId: best, distance: bestDistance, runnerUp };
}
