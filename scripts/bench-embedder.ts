// Benchmark of the embedder head on ../shared/faces/lfw_subset:
//   npm run bench:embedder [-- --epochs N --unseen U --seeds 1,2,3,4,5 --k 3,5 --margin M --lr L --decay D --cache FILE]
//
// Each seed is one split (which people are unseen, which photos are confirmations) and one training run; the
// summary at the end adds the runs up, because one split has only ~5 raw errors on the confused pairs.
// For k = 3 and k = 5, k photos of each of the ten-photo people play the user's confirmations. The head trains
// on the confirmations of the "seen" people only; U people are held out entirely (the head never sees them,
// though their k photos are in the gallery like everyone's). Raw backbone and trained head are measured in the
// same run on every remaining photo:
//   identification  nearest named face among all confirmations (seen / unseen people separately)
//   TAR@FAR=1e-3    all pairs of remaining photos (+ the 100 one-photo people as extra impostors)
//   BCubed F1       the remaining photos clustered with the people module's shipped method and raw-backbone
//                   thresholds, and with those thresholds carried over to the head (same operating point); also
//                   average linkage at the best cut for each (an oracle: how separable the people are)
//   confused pairs  the 20 pairs of seen people the raw backbone confuses most, raw vs trained, by two rankings:
//                   the largest cells of the raw confusion matrix (photos of A identified as B and of B as A:
//                   the headline), and pairs among each person's 10 nearest ranked by two-way error (the first
//                   ranking; one photo unlike its own person counts once per neighbour it is nearer to). Both
//                   are scored by two-way identification error on the pair's remaining photos. Also unseen pairs.
// Also: training time per epoch and whether the job's adoption rule would adopt the head.
//
// `--photo-negatives N` runs a different, staged experiment instead: lfw_subset has one labelled face a photo, so
// "faces photographed with a confirmed person are that person's negatives" (main/embedder/training-data.ts)
// never applies to it. Here the N pairs of seen people whose confirmations lie closest (what the app knows) are
// photographed together: two of B's other photos are put beside A's confirmations and two of A's beside B's, as
// unconfirmed faces. A head is trained on the same confirmations without and with those faces as negatives, and
// the pairs' two-way identification error on their remaining photos (the staged faces left out) is compared.
import { initBackend } from '../models/backend.js';
import { normalizeRows } from '../models/embedder/head.js';
import {
  confusionMatrixPairs,
  identify,
  mostConfusedPairs,
  pairDistances,
  pairIdentificationError,
  verificationAtFar,
  embeddingQuality,
  type LabelledVectors,
} from '../models/embedder/metrics.js';
import { seededRandom, shuffleInPlace } from '../models/embedder/random.js';
import { stratifiedSplit } from '../models/embedder/split.js';
import { DEFAULT_TRAIN_OPTIONS, embedLabelled, galleryOf, trainHead } from '../models/embedder/train.js';
import { clusterVectors, describeParams, type ClusterParams } from '../models/cluster/methods.js';
import { scoreClustering } from '../models/cluster/metrics.js';
import { BACKBONE_THRESHOLDS } from '../main/people/thresholds.js';
import { carryCautiously, heldOutPairs, transferPeopleThresholds } from '../main/embedder/thresholds.js';
import { checkUnseenGroups, type UnseenGroupsCheck } from '../main/embedder/unseen-groups.js';
import { applyHead } from '../models/embedder/head.js';
import { adoptionDecision, metricsOf } from '../main/embedder/train-job.js';
import { loadLfwPeople, type LfwPerson } from '../tests/models/embedder/lfw-fixture.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const epochs = arg('--epochs', DEFAULT_TRAIN_OPTIONS.epochs);
const overrides = Object.fromEntries(
  (
    [
      ['--margin', 'margin'],
      ['--lr', 'learningRate'],
      ['--decay', 'identityDecay'],
      ['--hidden', 'hiddenDim'],
      ['--noise', 'noiseStd'],
      ['--doppelgangers', 'doppelgangersPerPerson'],
      ['--pool', 'doppelgangerPool'],
      ['--people', 'peoplePerBatch'],
      ['--patience', 'patience'],
    ] as const
  )
    .filter(([flag]) => process.argv.includes(flag))
    .map(([flag, key]) => [key, arg(flag, 0)]),
);
const ks = (process.argv.includes('--k') ? process.argv[process.argv.indexOf('--k') + 1] : '3,5').split(',').map(Number);
const unseenCount = arg('--unseen', 30);
const seeds = (process.argv.includes('--seeds') ? process.argv[process.argv.indexOf('--seeds') + 1] : process.argv.includes('--seed') ? String(arg('--seed', 1)) : '1,2,3,4,5')
  .split(',')
  .map(Number);
const DIM = 128;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function stack(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.length * DIM);
  rows.forEach((r, i) => out.set(r, i * DIM));
  return normalizeRows(out, DIM);
}

function subset(set: LabelledVectors, keep: (label: number) => boolean): LabelledVectors {
  const rows = [...set.labels.keys()].filter((i) => keep(set.labels[i]));
  const vectors = new Float32Array(rows.length * set.dim);
  rows.forEach((r, k) => vectors.set(set.vectors.subarray(r * set.dim, (r + 1) * set.dim), k * set.dim));
  return { dim: set.dim, vectors, labels: Int32Array.from(rows.map((r) => set.labels[r])) };
}

function concat(a: LabelledVectors, b: LabelledVectors): LabelledVectors {
  const vectors = new Float32Array(a.vectors.length + b.vectors.length);
  vectors.set(a.vectors);
  vectors.set(b.vectors, a.vectors.length);
  return { dim: a.dim, vectors, labels: Int32Array.from([...a.labels, ...b.labels]) };
}

function bcubedF1(set: LabelledVectors, params: ClusterParams): number {
  const predicted = clusterVectors({ dim: set.dim, count: set.labels.length, data: set.vectors }, params);
  return scoreClustering(predicted, set.labels).bcubedF1;
}

const CUTS = Array.from({ length: 25 }, (_, i) => 0.02 + i * 0.02);

/** The average-linkage cut with the best BCubed F1 on `set`, and that F1. */
function bestCut(set: LabelledVectors): { cut: number; f1: number } {
  let best = { cut: CUTS[0], f1: -1 };
  for (const cut of CUTS) {
    const f1 = bcubedF1(set, { method: 'agglomerative', cut });
    if (f1 > best.f1) best = { cut, f1 };
  }
  return best;
}

interface RunSummary {
  seed: number;
  k: number;
  /** Two-way errors on the 20 most-confused seen pairs, confusion-matrix ranking. */
  confusedRaw: number;
  confusedHead: number;
  /** The same with the neighbours' two-way ranking. */
  neighbourRaw: number;
  neighbourHead: number;
  /** Full identification errors on seen people's remaining photos. */
  seenErrorsRaw: number;
  seenErrorsHead: number;
  tarSeenDelta: number;
  tarUnseenDelta: number;
  idUnseenDelta: number;
  /** Adopted by the rule on the confirmed faces alone, and by the whole rule (the unnamed groups' check too). */
  adoptedOnConfirmed: boolean;
  adopted: boolean;
  unseenGroups: UnseenGroupsCheck;
  secondsPerEpoch: number;
}

async function runK(seed: number, k: number, people: LfwPerson[], singles: LfwPerson[]): Promise<RunSummary> {
  const { tf } = await initBackend();
  const random = seededRandom(seed * 1000 + k);
  const order = shuffleInPlace([...people.keys()], random);
  const unseen = new Set(order.slice(0, unseenCount));
  // Confirmations: k random photos per person; the rest are what the app must recognise.
  const galleryRows: Float32Array[] = [];
  const galleryLabels: number[] = [];
  const galleryIds: string[] = [];
  const probeRows: Float32Array[] = [];
  const probeLabels: number[] = [];
  const probeIds: string[] = [];
  people.forEach((p, label) => {
    const photos = shuffleInPlace([...p.descriptors.keys()], random);
    photos.forEach((i, rank) => {
      if (rank < k) {
        galleryRows.push(p.descriptors[i]);
        galleryLabels.push(label);
        galleryIds.push(p.photos[i]);
      } else {
        probeRows.push(p.descriptors[i]);
        probeLabels.push(label);
        probeIds.push(p.photos[i]);
      }
    });
  });
  const gallery: LabelledVectors = { dim: DIM, vectors: stack(galleryRows), labels: Int32Array.from(galleryLabels) };
  const probes: LabelledVectors = { dim: DIM, vectors: stack(probeRows), labels: Int32Array.from(probeLabels) };
  const singletons: LabelledVectors = {
    dim: DIM,
    vectors: stack(singles.map((s) => s.descriptors[0])),
    labels: Int32Array.from(singles.map((_, i) => people.length + i)),
  };

  // Training data: the seen people's confirmations, split like the job does.
  const seenGalleryRows = [...gallery.labels.keys()].filter((i) => !unseen.has(gallery.labels[i]));
  const split = stratifiedSplit(seenGalleryRows.map((i) => ({ id: galleryIds[i], label: gallery.labels[i] })), 0.2);
  const pick = (idx: number[]): LabelledVectors => {
    const rows = idx.map((j) => seenGalleryRows[j]);
    const vectors = new Float32Array(rows.length * DIM);
    rows.forEach((r, i) => vectors.set(gallery.vectors.subarray(r * DIM, (r + 1) * DIM), i * DIM));
    return { dim: DIM, vectors, labels: Int32Array.from(rows.map((r) => gallery.labels[r])) };
  };
  const trainPart = pick(split.train);
  const validation = pick(split.validation);
  const train = { ...trainPart, rejected: Array.from(trainPart.labels, () => [] as number[]) };
  console.log(
    `\n=== seed ${seed}, k = ${k}: ${people.length - unseen.size} seen people (${train.labels.length} training + ${validation.labels.length} validation faces), ` +
      `${unseen.size} unseen people, ${probes.labels.length} remaining photos + ${singles.length} one-photo people ===`,
  );
  const started = performance.now();
  const result = await trainHead(tf, { train, validation }, { epochs, seed, ...overrides }, {
    onEpoch: (r) =>
      console.log(
        `epoch ${String(r.epoch).padStart(2)}  loss ${r.loss.toFixed(4)}  active ${pct(r.activeTriplets)}  ` +
          `val id ${pct(r.validation!.identificationAccuracy)}  val TAR ${pct(r.validation!.verification.tar)}  ${r.seconds.toFixed(2)} s${r.best ? ' *' : ''}`,
      ),
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const perEpoch = result.history.reduce((s, r) => s + r.seconds, 0) / result.history.length;
  const head = result.head;
  const valGallery = galleryOf(train);
  const before = metricsOf(embeddingQuality(embedLabelled(null, valGallery), embedLabelled(null, validation), 1e-3));
  const after = metricsOf(embeddingQuality(embedLabelled(head, valGallery), embedLabelled(head, validation), 1e-3));
  // The unseen people play the library's unnamed groups: all their photos, each person one group, at the same-person
  // distance the job would carry to this head (main/embedder/unseen-groups.ts).
  const raw128 = (r: Float32Array) => applyHead(null, r, DIM);
  const headed = (r: Float32Array) => applyHead(head, r, DIM);
  const carriedSame = carryCautiously(BACKBONE_THRESHOLDS.sameDistance, heldOutPairs(trainPart, validation, raw128), heldOutPairs(trainPart, validation, headed));
  const unseenGroups = checkUnseenGroups(
    [...unseen].map((l) => stack(people[l].descriptors)),
    DIM,
    { embed: raw128, rule: { sameDistance: BACKBONE_THRESHOLDS.sameDistance, minSize: 3 } },
    { embed: headed, rule: { sameDistance: carriedSame, minSize: 3 } },
  );
  const decision = adoptionDecision(before, after, unseenGroups);
  const adoptedOnConfirmed = adoptionDecision(before, after).adopt;
  console.log(`unseen people as unnamed groups: ${unseenGroups.torn} of ${unseenGroups.keptWhole} kept whole by raw would split (same-person distance ${carriedSame.toFixed(4)})`);
  console.log(`trained ${result.history.length} epochs (best ${result.bestEpoch}) in ${trainSeconds.toFixed(1)} s, ${perEpoch.toFixed(2)} s per epoch`);
  console.log(`adoption rule: ${decision.reason}`);

  const evaluate = (h: typeof head | null) => {
    const g = embedLabelled(h, gallery);
    const p = embedLabelled(h, probes);
    const s = embedLabelled(h, singletons);
    return { g, p, s };
  };
  const raw = evaluate(null);
  const trained = evaluate(head);
  const isSeen = (l: number) => l < people.length && !unseen.has(l);
  const isUnseen = (l: number) => unseen.has(l);

  // Clustering: the people module's shipped method and thresholds for the raw backbone, carried to the head at
  // the same operating point on the confirmed pairs, as the job does.
  const confirmed = concat(trainPart, validation);
  const rawParams = BACKBONE_THRESHOLDS.cluster;
  const headParams = transferPeopleThresholds(BACKBONE_THRESHOLDS, pairDistances(embedLabelled(null, confirmed)), pairDistances(embedLabelled(head, confirmed))).cluster;
  const rows: Array<[string, string, string]> = [];
  // Raw and trained figures by group, kept for the summary over runs.
  const figures = new Map<string, { raw: number; head: number }>();
  for (const [name, keep] of [['all', (_: number) => true], ['seen', isSeen], ['unseen', isUnseen]] as const) {
    const idRaw = identify(raw.g, subset(raw.p, keep));
    const idHead = identify(trained.g, subset(trained.p, keep));
    figures.set(`id ${name}`, { raw: idRaw.accuracy, head: idHead.accuracy });
    figures.set(`id errors ${name}`, { raw: idRaw.total - idRaw.correct, head: idHead.total - idHead.correct });
    rows.push([`identification (${name})`, pct(idRaw.accuracy), pct(idHead.accuracy)]);
  }
  for (const [name, keep] of [['all', (_: number) => true], ['seen', isSeen], ['unseen', isUnseen]] as const) {
    const vRaw = verificationAtFar(pairDistances(concat(subset(raw.p, keep), raw.s)), 1e-3);
    const vHead = verificationAtFar(pairDistances(concat(subset(trained.p, keep), trained.s)), 1e-3);
    figures.set(`tar ${name}`, { raw: vRaw.tar, head: vHead.tar });
    rows.push([`TAR@FAR=1e-3 (${name})`, pct(vRaw.tar), pct(vHead.tar)]);
  }
  const change = (key: string) => figures.get(key)!.head - figures.get(key)!.raw;
  for (const [name, keep] of [['all', (_: number) => true], ['unseen', isUnseen]] as const) {
    const rawSet = concat(subset(raw.p, keep), raw.s);
    const headSet = concat(subset(trained.p, keep), trained.s);
    rows.push([`BCubed F1 (${name}), shipped method`, bcubedF1(rawSet, rawParams).toFixed(3), bcubedF1(headSet, headParams).toFixed(3)]);
    const rawBest = bestCut(rawSet);
    const headBest = bestCut(headSet);
    rows.push([`BCubed F1 (${name}), average linkage, best cut (oracle)`, `${rawBest.f1.toFixed(3)} @${rawBest.cut.toFixed(2)}`, `${headBest.f1.toFixed(3)} @${headBest.cut.toFixed(2)}`]);
  }
  // Two-way errors of raw and trained embeddings on the given pairs, and the photos behind them.
  const scorePairs = (pairs: Array<{ a: number; b: number }>) => {
    const wrong = (h: typeof raw) => {
      const counts = new Map<number, number>();
      let errors = 0;
      let total = 0;
      for (const pair of pairs) {
        const result = pairIdentificationError(h.g, h.p, pair.a, pair.b);
        errors += result.errors;
        total += result.probes;
        for (const row of result.wrongProbes) counts.set(row, (counts.get(row) ?? 0) + 1);
      }
      return { errors, total, counts };
    };
    return { raw: wrong(raw), head: wrong(trained) };
  };
  const pairsRows = (label: string, score: ReturnType<typeof scorePairs>) => {
    const { raw: r, head: h } = score;
    rows.push([`${label}: 2-way error`, `${pct(r.total ? r.errors / r.total : 0)} (${r.errors}/${r.total})`, `${pct(h.total ? h.errors / h.total : 0)} (${h.errors}/${h.total})`]);
    rows.push([`  distinct photos behind those errors`, `${r.counts.size}`, `${h.counts.size}`]);
  };
  const seenConfusion = confusionMatrixPairs(subset(raw.g, isSeen), subset(raw.p, isSeen), 20);
  const seenConfusionScore = scorePairs(seenConfusion);
  pairsRows(`${seenConfusion.length} most-confused seen pairs (confusion matrix)`, seenConfusionScore);
  const seenNeighbours = mostConfusedPairs(subset(raw.g, isSeen), subset(raw.p, isSeen), 20);
  const seenNeighbourScore = scorePairs(seenNeighbours);
  pairsRows('20 most-confused seen pairs (neighbours, 2-way)', seenNeighbourScore);
  const unseenConfusion = confusionMatrixPairs(subset(raw.g, isUnseen), subset(raw.p, isUnseen), 20);
  pairsRows(`${unseenConfusion.length} most-confused unseen pairs (confusion matrix)`, scorePairs(unseenConfusion));
  // Pairs ranked by two-way error can be one photo unlike all of its person's confirmations, "confused" with
  // every neighbour: name the photos behind the errors.
  console.log(
    `photos behind the raw errors on the seen neighbour pairs (pairs they are wrong in, raw -> trained): ` +
      [...seenNeighbourScore.raw.counts]
        .sort((x, y) => y[1] - x[1])
        .map(([row, n]) => `${probeIds[row]} ${n} -> ${seenNeighbourScore.head.counts.get(row) ?? 0}`)
        .join(', '),
  );
  console.log(`clustering: raw ${describeParams(rawParams)}; head ${describeParams(headParams)}`);
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`${''.padEnd(width)}  ${'raw'.padStart(16)}  ${'trained'.padStart(16)}`);
  for (const [name, a, b] of rows) console.log(`${name.padEnd(width)}  ${a.padStart(16)}  ${b.padStart(16)}`);
  console.log('most-confused seen pairs, confusion matrix (raw confusions; 2-way errors raw -> trained):');
  console.log(
    seenConfusion
      .map(
        (p) =>
          `${people[p.a].identity} / ${people[p.b].identity}: ${p.confusions}; ` +
          `${pairIdentificationError(raw.g, raw.p, p.a, p.b).errors} -> ${pairIdentificationError(trained.g, trained.p, p.a, p.b).errors}`,
      )
      .join('\n'),
  );
  return {
    seed,
    k,
    confusedRaw: seenConfusionScore.raw.errors,
    confusedHead: seenConfusionScore.head.errors,
    neighbourRaw: seenNeighbourScore.raw.errors,
    neighbourHead: seenNeighbourScore.head.errors,
    seenErrorsRaw: figures.get('id errors seen')!.raw,
    seenErrorsHead: figures.get('id errors seen')!.head,
    tarSeenDelta: change('tar seen'),
    tarUnseenDelta: change('tar unseen'),
    idUnseenDelta: change('id unseen'),
    adoptedOnConfirmed,
    adopted: decision.adopt,
    unseenGroups,
    secondsPerEpoch: perEpoch,
  };
}

/** The staged "photographed together" experiment (header). */
async function photoNegatives(seed: number, k: number, people: LfwPerson[], pairsWanted: number): Promise<{ raw: number; without: number; with: number; probes: number }> {
  const { tf } = await initBackend();
  const random = seededRandom(seed * 1000 + k);
  const order = shuffleInPlace([...people.keys()], random);
  const unseen = new Set(order.slice(0, unseenCount));
  const confirmations = new Map<number, Float32Array[]>();
  const rest = new Map<number, Float32Array[]>();
  people.forEach((p, label) => {
    const photos = shuffleInPlace([...p.descriptors.keys()], random);
    confirmations.set(label, photos.slice(0, k).map((i) => p.descriptors[i]));
    rest.set(label, photos.slice(k).map((i) => p.descriptors[i]));
  });
  const seen = [...people.keys()].filter((l) => !unseen.has(l));
  const mean = (rows: Float32Array[]) => normalizeRows(rows.reduce((m, r) => m.map((v, j) => v + r[j]), new Float32Array(DIM)), DIM);
  const centre = new Map(seen.map((l) => [l, mean(confirmations.get(l)!)]));
  const closeness = (a: number, b: number) => centre.get(a)!.reduce((s, v, j) => s + v * centre.get(b)![j], 0);
  const pairs: Array<[number, number]> = [];
  const used = new Set<number>();
  for (const [a, b] of seen.flatMap((a) => seen.filter((b) => b > a).map((b) => [a, b] as [number, number])).sort((x, y) => closeness(y[0], y[1]) - closeness(x[0], x[1]))) {
    if (pairs.length >= pairsWanted) break;
    if (used.has(a) || used.has(b)) continue;
    pairs.push([a, b]);
    used.add(a);
    used.add(b);
  }
  // Training: every seen person's confirmations; staged faces join as unconfirmed faces rejected... by the photo.
  const trainRows: Float32Array[] = [];
  const trainLabels: number[] = [];
  for (const l of seen) for (const v of confirmations.get(l)!) {
    trainRows.push(v);
    trainLabels.push(l);
  }
  const staged: Array<{ vector: Float32Array; notOf: number }> = [];
  for (const [a, b] of pairs) {
    for (const v of rest.get(b)!.slice(0, 2)) staged.push({ vector: v, notOf: a });
    for (const v of rest.get(a)!.slice(0, 2)) staged.push({ vector: v, notOf: b });
  }
  const split = stratifiedSplit(trainLabels.map((label, i) => ({ id: `${seed}-${k}-${i}`, label })), 0.2);
  const pick = (idx: number[]): LabelledVectors => ({ dim: DIM, vectors: stack(idx.map((i) => trainRows[i])), labels: Int32Array.from(idx.map((i) => trainLabels[i])) });
  const trainPart = pick(split.train);
  const validation = pick(split.validation);
  const plain = { ...trainPart, rejected: Array.from(trainPart.labels, () => [] as number[]) };
  const withPhotos = {
    dim: DIM,
    vectors: stack([...split.train.map((i) => trainRows[i]), ...staged.map((s) => s.vector)]),
    labels: Int32Array.from([...trainPart.labels, ...staged.map(() => -1)]),
    rejected: [...Array.from(trainPart.labels, () => [] as number[]), ...staged.map((s) => [s.notOf])],
  };
  const headWithout = (await trainHead(tf, { train: plain, validation }, { epochs, seed, ...overrides })).head;
  const headWith = (await trainHead(tf, { train: withPhotos, validation }, { epochs, seed, ...overrides })).head;
  // Evaluation: the pairs' remaining photos, the staged ones left out, against everyone's confirmations.
  const galleryRows = [...people.keys()].flatMap((l) => confirmations.get(l)!.map((v) => ({ v, l })));
  const gallery: LabelledVectors = { dim: DIM, vectors: stack(galleryRows.map((g) => g.v)), labels: Int32Array.from(galleryRows.map((g) => g.l)) };
  const probeRows = pairs.flatMap(([a, b]) => [...rest.get(a)!.slice(2).map((v) => ({ v, l: a })), ...rest.get(b)!.slice(2).map((v) => ({ v, l: b }))]);
  const probes: LabelledVectors = { dim: DIM, vectors: stack(probeRows.map((p) => p.v)), labels: Int32Array.from(probeRows.map((p) => p.l)) };
  const errors = (head: typeof headWith | null) => pairs.reduce((n, [a, b]) => n + pairIdentificationError(embedLabelled(head, gallery), embedLabelled(head, probes), a, b).errors, 0);
  const result = { raw: errors(null), without: errors(headWithout), with: errors(headWith), probes: probeRows.length };
  console.log(`seed ${seed}, k = ${k}: ${pairs.length} pairs photographed together, ${staged.length} staged faces; two-way errors on ${result.probes} remaining photos: raw ${result.raw}, head ${result.without}, head with photo negatives ${result.with}`);
  return result;
}

if (process.argv.includes('--photo-negatives')) {
  const all = await loadLfwPeople();
  const people = all.filter((p) => p.descriptors.length >= 6);
  const wanted = arg('--photo-negatives', 20);
  const totals = { raw: 0, without: 0, with: 0, probes: 0 };
  for (const seed of seeds) for (const k of ks) {
    const r = await photoNegatives(seed, k, people, wanted);
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += r[key];
  }
  console.log(
    `\ntotal over ${seeds.length * ks.length} runs: two-way errors on ${totals.probes} photos of the pairs photographed together: raw ${totals.raw}, ` +
      `head ${totals.without}, head with photo negatives ${totals.with}`,
  );
  process.exit(0);
}

const cacheIndex = process.argv.indexOf('--cache');
const all = await loadLfwPeople(cacheIndex >= 0 ? process.argv[cacheIndex + 1] : undefined);
// The ten-photo people (a few photos where the detector found no face drop out); k = 5 needs at least 6.
const people = all.filter((p) => p.descriptors.length >= 6);
const singles = all.filter((p) => p.descriptors.length === 1);
const { info } = await initBackend();
console.log(`lfw_subset: ${people.length} people with 6+ photos with a face, ${singles.length} one-photo people; backend ${info.name}; seeds ${seeds.join(',')}`);
console.log(`options: ${JSON.stringify({ ...DEFAULT_TRAIN_OPTIONS, epochs, ...overrides })}`);
const runs: RunSummary[] = [];
for (const seed of seeds) for (const k of ks) runs.push(await runK(seed, k, people, singles));

const sum = (pick: (r: RunSummary) => number) => runs.reduce((s, r) => s + pick(r), 0);
const mean = (pick: (r: RunSummary) => number) => sum(pick) / runs.length;
const points = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)}`;
const cutOf = (before: number, after: number) => (before > 0 ? 1 - after / before : 0);
console.log(`\n=== summary over ${runs.length} runs (seeds ${seeds.join(',')} x k ${ks.join(',')}) ===`);
console.log('seed  k  confused pairs (matrix)  (neighbours)  seen id errors  dTAR seen  dTAR unseen  unseen groups split  adopted (on confirmed alone)');
for (const r of runs)
  console.log(
    `${String(r.seed).padStart(4)}  ${r.k}  ${`${r.confusedRaw} -> ${r.confusedHead}`.padStart(22)}  ${`${r.neighbourRaw} -> ${r.neighbourHead}`.padStart(12)}  ` +
      `${`${r.seenErrorsRaw} -> ${r.seenErrorsHead}`.padStart(14)}  ${points(r.tarSeenDelta).padStart(9)}  ${points(r.tarUnseenDelta).padStart(11)}  ${`${r.unseenGroups.torn} of ${r.unseenGroups.keptWhole}`.padStart(19)}  ${r.adopted ? 'yes' : 'no'} (${r.adoptedOnConfirmed ? 'yes' : 'no'})`,
  );
const confusedCut = cutOf(sum((r) => r.confusedRaw), sum((r) => r.confusedHead));
console.log(
  `total: confused-pair errors ${sum((r) => r.confusedRaw)} -> ${sum((r) => r.confusedHead)} (cut ${pct(confusedCut)}, target >= 50%); ` +
    `neighbour ranking ${sum((r) => r.neighbourRaw)} -> ${sum((r) => r.neighbourHead)} (cut ${pct(cutOf(sum((r) => r.neighbourRaw), sum((r) => r.neighbourHead)))}); ` +
    `seen identification errors ${sum((r) => r.seenErrorsRaw)} -> ${sum((r) => r.seenErrorsHead)}`,
);
console.log(
  `unseen people, mean change: TAR@FAR=1e-3 ${points(mean((r) => r.tarUnseenDelta))} points, identification ${points(mean((r) => r.idUnseenDelta))} points ` +
    `(target: no loss); seen TAR ${points(mean((r) => r.tarSeenDelta))} points; ${mean((r) => r.secondsPerEpoch).toFixed(2)} s per epoch; ` +
    `adopted by the job's rule in ${runs.filter((r) => r.adopted).length} of ${runs.length} runs`,
);
const meanUnseenTar = (list: RunSummary[]) => (list.length ? points(list.reduce((s, r) => s + r.tarUnseenDelta, 0) / list.length) : 'n/a');
const onConfirmed = runs.filter((r) => r.adoptedOnConfirmed);
const guarded = runs.filter((r) => r.adopted);
console.log(
  `unnamed groups' check: refused ${onConfirmed.length - guarded.length} of the ${onConfirmed.length} heads the confirmed faces alone would adopt ` +
    `(split some unseen person in ${runs.filter((r) => r.unseenGroups.torn > 0).length} of ${runs.length} runs); ` +
    `unseen TAR of the adopted heads: ${meanUnseenTar(onConfirmed)} points without the check, ${meanUnseenTar(guarded)} with it`,
);
