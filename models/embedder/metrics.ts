// Evaluation of an embedding (pure functions over L2-normalised Float32 rows): identification accuracy
// (nearest named face), verification TAR at a fixed FAR, the operating threshold at that FAR, and the pairs of
// people an embedding confuses most. Distances are cosine distances (1 - cos), the same as the hnswlib index.

export interface LabelledVectors {
  dim: number;
  /** Row-major n x dim, L2-normalised. */
  vectors: Float32Array;
  /** Person index per row. */
  labels: Int32Array;
}

function rowCount(set: LabelledVectors): number {
  return set.labels.length;
}

function cosineDistance(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let dot = 0;
  const ao = ai * dim;
  const bo = bi * dim;
  for (let k = 0; k < dim; k++) dot += a[ao + k] * b[bo + k];
  return 1 - dot;
}

export interface IdentificationResult {
  accuracy: number;
  correct: number;
  total: number;
  /** Predicted person per probe (label of the nearest gallery face). */
  predictions: Int32Array;
  /** Distance to the nearest gallery face of the probe's own person minus to the nearest other person (< 0 = right). */
  margins: Float32Array;
}

/** Each probe gets the person of its nearest gallery face ("nearest named face"). */
export function identify(gallery: LabelledVectors, probes: LabelledVectors): IdentificationResult {
  const dim = gallery.dim;
  const g = rowCount(gallery);
  const n = rowCount(probes);
  if (g === 0) throw new Error('Identification needs at least one named face in the gallery.');
  const predictions = new Int32Array(n);
  const margins = new Float32Array(n);
  let correct = 0;
  for (let p = 0; p < n; p++) {
    let best = Infinity;
    let bestLabel = -1;
    let own = Infinity;
    let other = Infinity;
    for (let i = 0; i < g; i++) {
      const d = cosineDistance(probes.vectors, p, gallery.vectors, i, dim);
      if (d < best) {
        best = d;
        bestLabel = gallery.labels[i];
      }
      if (gallery.labels[i] === probes.labels[p]) own = Math.min(own, d);
      else other = Math.min(other, d);
    }
    predictions[p] = bestLabel;
    margins[p] = (Number.isFinite(own) ? own : 2) - (Number.isFinite(other) ? other : 2);
    if (bestLabel === probes.labels[p]) correct++;
  }
  return { accuracy: n ? correct / n : 0, correct, total: n, predictions, margins };
}

export interface PairDistances {
  genuine: Float32Array;
  impostor: Float32Array;
}

/** Distances of all pairs within `set` (within = true) or between `a` and `b`, split into same / different person. */
export function pairDistances(a: LabelledVectors, b?: LabelledVectors): PairDistances {
  const dim = a.dim;
  const genuine: number[] = [];
  const impostor: number[] = [];
  const na = rowCount(a);
  if (!b) {
    for (let i = 0; i < na; i++) {
      for (let j = i + 1; j < na; j++) {
        (a.labels[i] === a.labels[j] ? genuine : impostor).push(cosineDistance(a.vectors, i, a.vectors, j, dim));
      }
    }
  } else {
    const nb = rowCount(b);
    for (let i = 0; i < na; i++) {
      for (let j = 0; j < nb; j++) {
        (a.labels[i] === b.labels[j] ? genuine : impostor).push(cosineDistance(a.vectors, i, b.vectors, j, dim));
      }
    }
  }
  return { genuine: Float32Array.from(genuine), impostor: Float32Array.from(impostor) };
}

export interface VerificationResult {
  /** Fraction of same-person pairs accepted at the threshold. */
  tar: number;
  /** FAR asked for. */
  targetFar: number;
  /** FAR actually measurable: with fewer than 1/targetFar impostor pairs it is 1/impostorPairs. */
  resolvedFar: number;
  /** Accept a pair as the same person when its distance is below this. */
  threshold: number;
  genuinePairs: number;
  impostorPairs: number;
}

/**
 * TAR at FAR: the threshold is the largest distance that accepts at most targetFar of the impostor pairs
 * (or, with too few impostor pairs to resolve targetFar, none of them), and TAR the share of genuine pairs
 * strictly below it.
 */
export function verificationAtFar(pairs: PairDistances, targetFar: number): VerificationResult {
  const impostor = Float32Array.from(pairs.impostor).sort();
  const m = impostor.length;
  if (m === 0 || pairs.genuine.length === 0) {
    throw new Error('Verification needs at least one same-person pair and one different-person pair.');
  }
  const allowed = Math.floor(targetFar * m);
  // Accepting pairs with distance < threshold lets exactly `allowed` impostors through.
  const threshold = impostor[allowed];
  let accepted = 0;
  for (const d of pairs.genuine) if (d < threshold) accepted++;
  return {
    tar: accepted / pairs.genuine.length,
    targetFar,
    resolvedFar: Math.max(targetFar, 1 / m),
    threshold,
    genuinePairs: pairs.genuine.length,
    impostorPairs: m,
  };
}

/** The FAR a threshold gives on these impostor distances (share of impostor pairs strictly below it). */
export function falseAcceptRate(impostor: Float32Array, threshold: number): number {
  if (impostor.length === 0) return 0;
  let accepted = 0;
  for (const d of impostor) if (d < threshold) accepted++;
  return accepted / impostor.length;
}

/** Share of genuine pairs a threshold accepts (distance strictly below it). */
export function trueAcceptRate(genuine: Float32Array, threshold: number): number {
  return falseAcceptRate(genuine, threshold);
}

/** The distance below which `rate` of `sorted` (ascending) falls, half-way between neighbours so ties do not flip. */
function quantileThreshold(sorted: Float32Array, rate: number): number {
  const index = Math.min(sorted.length - 1, Math.floor(rate * sorted.length));
  const lower = index > 0 ? sorted[index - 1] : Math.max(0, sorted[0] - 1e-3);
  return (lower + sorted[index]) / 2;
}

/**
 * Moves a distance threshold from one embedding to another so that it keeps its operating point on the same
 * pairs: the same false-accept rate on the different-person pairs (the rate of wrong merges is what a user
 * notices most). A threshold so strict that it accepts no impostor pair at all has no measurable FAR; it keeps
 * its true-accept rate on the same-person pairs instead, which a better embedding reaches with fewer impostors.
 */
export function transferThreshold(threshold: number, before: PairDistances, after: PairDistances): number {
  if (before.impostor.length === 0 || after.impostor.length === 0) return threshold;
  const far = falseAcceptRate(before.impostor, threshold);
  if (far > 0 || before.genuine.length === 0 || after.genuine.length === 0) {
    return quantileThreshold(Float32Array.from(after.impostor).sort(), far);
  }
  const tar = trueAcceptRate(before.genuine, threshold);
  const sortedGenuine = Float32Array.from(after.genuine).sort();
  if (tar >= 1) return Math.max(threshold, sortedGenuine[sortedGenuine.length - 1] + 1e-3);
  return quantileThreshold(sortedGenuine, tar);
}

export interface PairError {
  a: number;
  b: number;
  /** Probes of a and b whose nearest face among a's and b's gallery faces is the wrong one of the two. */
  errors: number;
  probes: number;
  errorRate: number;
  /** Rows of `probes` that were assigned to the wrong one of the two. */
  wrongProbes: Int32Array;
}

/**
 * Two-way identification error for a pair of people: each probe of a or b is assigned to whichever of the two
 * people has the nearer gallery face. This isolates "does the embedding tell these two apart".
 */
export function pairIdentificationError(gallery: LabelledVectors, probes: LabelledVectors, a: number, b: number): PairError {
  const dim = gallery.dim;
  const wrong: number[] = [];
  let count = 0;
  for (let p = 0; p < probes.labels.length; p++) {
    const label = probes.labels[p];
    if (label !== a && label !== b) continue;
    let own = Infinity;
    let other = Infinity;
    for (let i = 0; i < gallery.labels.length; i++) {
      const gl = gallery.labels[i];
      if (gl !== a && gl !== b) continue;
      const d = cosineDistance(probes.vectors, p, gallery.vectors, i, dim);
      if (gl === label) own = Math.min(own, d);
      else other = Math.min(other, d);
    }
    count++;
    if (!(own < other)) wrong.push(p);
  }
  const errors = wrong.length;
  return { a: Math.min(a, b), b: Math.max(a, b), errors, probes: count, errorRate: count ? errors / count : 0, wrongProbes: Int32Array.from(wrong) };
}

/**
 * The `limit` pairs of people this embedding confuses most: ranked by two-way identification errors, ties
 * broken by how close the people's mean embeddings are. Only pairs whose centroids are among each person's
 * `neighbours` nearest are examined (confusions happen between neighbours), which keeps it O(n·neighbours).
 */
export function mostConfusedPairs(gallery: LabelledVectors, probes: LabelledVectors, limit: number, neighbours = 10): PairError[] {
  const dim = gallery.dim;
  const people = [...new Set(gallery.labels)].sort((x, y) => x - y);
  const centroids = new Map<number, Float32Array>();
  for (const person of people) {
    const c = new Float32Array(dim);
    const addRows = (set: LabelledVectors) => {
      for (let i = 0; i < set.labels.length; i++) if (set.labels[i] === person) for (let k = 0; k < dim; k++) c[k] += set.vectors[i * dim + k];
    };
    addRows(gallery);
    addRows(probes);
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += c[k] * c[k];
    for (let k = 0; k < dim; k++) c[k] /= Math.sqrt(norm) || 1;
    centroids.set(person, c);
  }
  const candidates = new Map<string, { a: number; b: number; centroidDistance: number }>();
  for (const a of people) {
    const ca = centroids.get(a)!;
    const near = people
      .filter((b) => b !== a)
      .map((b) => ({ b, d: cosineDistance(ca, 0, centroids.get(b)!, 0, dim) }))
      .sort((x, y) => x.d - y.d)
      .slice(0, neighbours);
    for (const { b, d } of near) candidates.set(`${Math.min(a, b)}:${Math.max(a, b)}`, { a: Math.min(a, b), b: Math.max(a, b), centroidDistance: d });
  }
  return [...candidates.values()]
    .map((c) => ({ ...pairIdentificationError(gallery, probes, c.a, c.b), centroidDistance: c.centroidDistance }))
    .sort((x, y) => y.errors - x.errors || x.centroidDistance - y.centroidDistance)
    .slice(0, limit)
    .map(({ centroidDistance: _unused, ...pair }) => pair);
}

export interface EmbeddingQuality {
  identificationAccuracy: number;
  /** Mean over probes of (nearest own-person distance - nearest other-person distance): smooth tie-breaker. */
  meanMargin: number;
  /** Probe faces identified (the accuracy's sample size). */
  probes: number;
  verification: VerificationResult;
}

/** Identification of probes against the gallery and verification over probe x gallery pairs. */
export function embeddingQuality(gallery: LabelledVectors, probes: LabelledVectors, targetFar: number): EmbeddingQuality {
  const id = identify(gallery, probes);
  let margin = 0;
  for (const m of id.margins) margin += m;
  return {
    identificationAccuracy: id.accuracy,
    meanMargin: id.total ? margin / id.total : 0,
    probes: id.total,
    verification: verificationAtFar(pairDistances(probes, gallery), targetFar),
  };
}

export interface ConfusedPair {
  a: number;
  b: number;
  /** Probes of a identified as b plus probes of b identified as a (full identification against every person). */
  confusions: number;
}

/**
 * The `limit` largest cells of the symmetrised confusion matrix of full identification (nearest named face among
 * everyone): the pairs the embedding actually mistakes for each other. Unlike mostConfusedPairs, a photo unlike
 * every confirmation of its person (a disguise, a profile view) counts once, against the person it is taken for,
 * rather than once for every neighbour it is nearer to; pairs with no confusion are not listed.
 */
export function confusionMatrixPairs(gallery: LabelledVectors, probes: LabelledVectors, limit: number): ConfusedPair[] {
  const { predictions } = identify(gallery, probes);
  const cells = new Map<string, ConfusedPair>();
  for (let p = 0; p < predictions.length; p++) {
    const truth = probes.labels[p];
    const taken = predictions[p];
    if (truth === taken) continue;
    const a = Math.min(truth, taken);
    const b = Math.max(truth, taken);
    const cell = cells.get(`${a}:${b}`) ?? { a, b, confusions: 0 };
    cell.confusions++;
    cells.set(`${a}:${b}`, cell);
  }
  return [...cells.values()].sort((x, y) => y.confusions - x.confusions || x.a - y.a || x.b - y.b).slice(0, limit);
}
