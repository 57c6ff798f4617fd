// Compares the clustering methods on every labelled set of ../shared/faces (lfw_subset above all): a parameter
// sweep per method, scored with BCubed and pairwise precision/recall/F1 and the share left unknown; Immich's
// published defaults as the reference row. Also calibrates the "same person" and placement thresholds.
//   npx tsx scripts/compare-clustering.ts [--datasets lfw_subset,orl_att_faces,...] [--json out.json]
// Embeddings come from tests/helpers/shared-faces.ts (computed once per machine, cached in .cache/embeddings).
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { calibrateVerification, sweepPlacement, type PlacementScore, type VerificationCalibration } from '../models/cluster/calibrate.js';
import { ClusterSession, describeParams, IMMICH_DEFAULTS, METHOD_NAMES, sweepGrid, type ClusterParams, type MethodName } from '../models/cluster/methods.js';
import { scoreClustering, type ClusterScores } from '../models/cluster/metrics.js';
import { vectorSetFromRows, type VectorSet } from '../models/cluster/vectors.js';
import { listDataset, loadDatasetEmbeddings } from '../tests/helpers/shared-faces.js';
import { BACKBONE_THRESHOLDS } from '../main/people/thresholds.js';

/** Labelled sets of ../shared/faces, in the order the table lists them. */
export const LABELLED_DATASETS = ['lfw_subset', 'orl_att_faces', 'yalefaces', 'face_recognition', 'face-api.js', 'compreface'];

/** Precision floor a method's parameters must reach to be chosen (a wrong merge costs far more than a split). */
export const PRECISION_FLOOR = 0.98;

export interface LabelledFaces {
  dataset: string;
  set: VectorSet;
  identity: Int32Array;
  identities: number;
  /** Labelled images where the detector found no face (left out of the scores). */
  missed: number;
}

/** One face per labelled image: the largest detection (the subject; LFW photos also show bystanders). */
export async function loadLabelledFaces(dataset: string): Promise<LabelledFaces> {
  const images = (await loadDatasetEmbeddings(dataset)).filter((img) => img.identity !== null);
  const ids = new Map<string, number>();
  const rows: Float32Array[] = [];
  const identity: number[] = [];
  let missed = 0;
  for (const img of images) {
    if (img.faces.length === 0) {
      missed++;
      continue;
    }
    const subject = img.faces.reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a));
    if (!ids.has(img.identity!)) ids.set(img.identity!, ids.size);
    rows.push(subject.descriptor);
    identity.push(ids.get(img.identity!)!);
  }
  return { dataset, set: vectorSetFromRows(rows), identity: Int32Array.from(identity), identities: ids.size, missed };
}

export interface ComparisonRow {
  dataset: string;
  method: MethodName | 'immich (defaults)' | 'default (shipped)';
  /** 'best F1 at precision >= 0.98', 'best F1', or 'reference'. */
  pick: string;
  params: ClusterParams;
  scores: ClusterScores;
  milliseconds: number;
}

export function compareOnSet(data: LabelledFaces, methods: MethodName[] = METHOD_NAMES): { rows: ComparisonRow[]; all: ComparisonRow[] } {
  const session = new ClusterSession(data.set, 32);
  const rows: ComparisonRow[] = [];
  const all: ComparisonRow[] = [];
  const run = (method: ComparisonRow['method'], pick: string, params: ClusterParams): ComparisonRow => {
    const started = performance.now();
    const labels = session.run(params);
    const milliseconds = performance.now() - started;
    return { dataset: data.dataset, method, pick, params, scores: scoreClustering(labels, data.identity), milliseconds };
  };
  rows.push(run('immich (defaults)', 'reference', IMMICH_DEFAULTS));
  rows.push(run('default (shipped)', BACKBONE_THRESHOLDS.cluster.method, BACKBONE_THRESHOLDS.cluster));
  for (const method of methods) {
    const sweep = sweepGrid(method).map((p) => run(method, '', p));
    all.push(...sweep);
    const precise = sweep.filter((r) => r.scores.bcubedPrecision >= PRECISION_FLOOR);
    const byF1 = (a: ComparisonRow, b: ComparisonRow) => b.scores.bcubedF1 - a.scores.bcubedF1;
    if (precise.length > 0) rows.push({ ...precise.sort(byF1)[0], pick: `best F1 at P>=${PRECISION_FLOOR}` });
    rows.push({ ...sweep.sort(byF1)[0], pick: 'best F1' });
  }
  return { rows, all };
}

const pct = (x: number) => (x * 100).toFixed(1);

export function comparisonTable(rows: ComparisonRow[]): string {
  const lines = [
    '| dataset | method | pick | parameters | BCubed P | BCubed R | BCubed F1 | pair P | pair R | pair F1 | unknown % | clusters | ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const s = r.scores;
    lines.push(
      `| ${r.dataset} | ${r.method} | ${r.pick} | ${describeParams(r.params)} | ${pct(s.bcubedPrecision)} | ${pct(s.bcubedRecall)} | ${pct(s.bcubedF1)} | ` +
        `${pct(s.pairwisePrecision)} | ${pct(s.pairwiseRecall)} | ${pct(s.pairwiseF1)} | ${pct(s.unassigned)} | ${s.clusters} | ${r.milliseconds.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

export interface Calibration {
  verification: VerificationCalibration;
  placement: PlacementScore[];
  chosenPlacement: PlacementScore | null;
}

export function calibrate(data: LabelledFaces): Calibration {
  const verification = calibrateVerification(data.set, data.identity);
  const thresholds = Array.from({ length: 16 }, (_, i) => Number((0.04 + i * 0.005).toFixed(3)));
  const margins = [0, 0.005, 0.01, 0.015, 0.02, 0.03];
  const placement = sweepPlacement(data.set, data.identity, thresholds, margins);
  // Precision first (99.5%: a face silently filed under the wrong person is the costliest error), then coverage.
  const chosenPlacement = placement.filter((p) => p.precision >= 0.995).sort((a, b) => b.coverage - a.coverage)[0] ?? null;
  return { verification, placement, chosenPlacement };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const datasetsArg = args.indexOf('--datasets');
  const jsonArg = args.indexOf('--json');
  const datasets = datasetsArg >= 0 ? args[datasetsArg + 1].split(',') : LABELLED_DATASETS;
  const rows: ComparisonRow[] = [];
  const calibrations: Record<string, Calibration> = {};
  for (const dataset of datasets) {
    await listDataset(dataset); // clear error for a missing set before any model work
    const data = await loadLabelledFaces(dataset);
    console.error(`${dataset}: ${data.set.count} faces of ${data.identities} identities (${data.missed} labelled photos without a detected face)`);
    if (data.identities < 2) continue;
    rows.push(...compareOnSet(data).rows);
    calibrations[dataset] = calibrate(data);
  }
  console.log(comparisonTable(rows));
  for (const [dataset, c] of Object.entries(calibrations)) {
    const v = c.verification;
    console.log(
      `\n${dataset}: same-person threshold ${v.threshold} (balanced accuracy ${pct(v.balancedAccuracy)}%), ` +
        `TAR ${pct(v.tarAtFar1e3)}% at FAR 1e-3 (distance ${v.thresholdAtFar1e3}), 95% of same-person pairs under ${v.genuine95.toFixed(3)}`,
    );
    const p = c.chosenPlacement;
    if (p) console.log(`${dataset}: placement threshold ${p.threshold} margin ${p.margin}: precision ${pct(p.precision)}%, coverage ${pct(p.coverage)}%, strangers placed ${pct(p.strangersPlaced)}%`);
  }
  if (jsonArg >= 0) await writeFile(args[jsonArg + 1], JSON.stringify({ rows, calibrations }, null, 1));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
