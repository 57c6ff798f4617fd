// Clustering quality against known identities.
//
// Unassigned faces (label -1: noise, singletons) count as clusters of their own in BCubed, the standard convention
// (Amigó et al. 2009): leaving a face unknown never hurts precision and costs recall, exactly the trade a user sees
// (an unknown face is one more click, a wrong merge is a wrong person). Pairwise scores count only pairs placed in
// the same cluster, so unassigned faces form no pairs.

export interface ClusterScores {
  bcubedPrecision: number;
  bcubedRecall: number;
  bcubedF1: number;
  pairwisePrecision: number;
  pairwiseRecall: number;
  pairwiseF1: number;
  /** Share of faces left unknown. */
  unassigned: number;
  clusters: number;
}

const f1 = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

export function scoreClustering(predicted: ArrayLike<number>, truth: ArrayLike<number>): ClusterScores {
  const n = predicted.length;
  if (truth.length !== n) throw new Error(`Scoring needs one true label per face: ${truth.length} labels for ${n} faces.`);
  if (n === 0) throw new Error('Scoring needs at least one face.');
  // Unassigned faces become unique negative-free ids past every real cluster.
  let maxLabel = -1;
  for (let i = 0; i < n; i++) if (predicted[i] > maxLabel) maxLabel = predicted[i];
  const pred = new Int32Array(n);
  let unassigned = 0;
  for (let i = 0; i < n; i++) {
    if (predicted[i] < 0) {
      pred[i] = ++maxLabel;
      unassigned++;
    } else pred[i] = predicted[i];
  }
  const clusterSize = new Map<number, number>();
  const classSize = new Map<number, number>();
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    clusterSize.set(pred[i], (clusterSize.get(pred[i]) ?? 0) + 1);
    classSize.set(truth[i], (classSize.get(truth[i]) ?? 0) + 1);
    const key = `${pred[i]}:${truth[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  // BCubed: per face, share of its cluster with its identity (precision), share of its identity in its cluster (recall).
  let bp = 0;
  let br = 0;
  for (let i = 0; i < n; i++) {
    const both = joint.get(`${pred[i]}:${truth[i]}`)!;
    bp += both / clusterSize.get(pred[i])!;
    br += both / classSize.get(truth[i])!;
  }
  bp /= n;
  br /= n;
  // Pairwise: pairs of faces sharing a real (assigned) cluster vs pairs sharing an identity.
  const pairs = (m: number) => (m * (m - 1)) / 2;
  let truePairs = 0;
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const m of classSize.values()) truePairs += pairs(m);
  const assignedClusterSize = new Map<number, number>();
  for (let i = 0; i < n; i++) if (predicted[i] >= 0) assignedClusterSize.set(pred[i], (assignedClusterSize.get(pred[i]) ?? 0) + 1);
  for (const m of assignedClusterSize.values()) predictedPairs += pairs(m);
  for (const [key, m] of joint) {
    const cluster = Number(key.slice(0, key.indexOf(':')));
    if (assignedClusterSize.has(cluster)) correctPairs += pairs(m);
  }
  const pp = predictedPairs > 0 ? correctPairs / predictedPairs : 1;
  const pr = truePairs > 0 ? correctPairs / truePairs : 1;
  return {
    bcubedPrecision: bp,
    bcubedRecall: br,
    bcubedF1: f1(bp, br),
    pairwisePrecision: pp,
    pairwiseRecall: pr,
    pairwiseF1: f1(pp, pr),
    unassigned: unassigned / n,
    clusters: assignedClusterSize.size,
  };
}
