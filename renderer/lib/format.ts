// Numbers and times the way people read them.
import { falseMatchRate, plural } from '../../preload/contract.js';
import type { JobKind, JobProgress } from './types.js';
import { readingOwnExport } from './names-read.js';

// Counts and their nouns: the one helper the app shares with the engine and the CLI.
export { plural };

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating…';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * The time a job has left, in words that hold still while it runs: "about 6 min left", to the minute under ten
 * minutes, to five minutes under an hour, then to ten minutes (QA read 6:03, 4:43, 6:43, 6:51 to the second).
 * Unknown at first: "Working out how long…", not "estimating… left".
 */
export function timeLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'Working out how long…';
  if (seconds < 45) return 'Less than a minute left';
  const minutes = seconds / 60;
  const step = minutes < 9.5 ? 1 : minutes < 57.5 ? 5 : 10;
  const rounded = Math.max(1, Math.round(minutes / step) * step);
  if (rounded < 60) return `About ${rounded} min left`;
  const h = Math.floor(rounded / 60);
  const m = rounded % 60;
  return `About ${h} h${m ? ` ${m} min` : ''} left`;
}

export function rate(perSecond: number | null, unit: string): string {
  if (perSecond === null || !Number.isFinite(perSecond)) return '—';
  return perSecond >= 10 ? `${Math.round(perSecond)} ${unit}/s` : `${perSecond.toFixed(1)} ${unit}/s`;
}

/**
 * A setting's number as a person reads and types it: three significant digits (0.141, not 0.1409182026, which
 * training's calibration stores), whole numbers whole (1024 pixels). Only the display is rounded: the stored value
 * stays exact until the user types another.
 */
export function roundedSetting(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  return Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
}

/**
 * The step of a fraction's field at `value`: its third significant digit, as roundedSetting shows it (0.0001 at 0.0875,
 * 0.001 at 0.186), or the last digit typed when finer, so the arrows move the digit shown and the browser counts no
 * number the engine takes invalid (a fixed 0.001 did 0.0875, and the arrows jumped to 0.088).
 */
export function settingStep(value: number): number {
  if (!Number.isFinite(value) || value === 0) return 0.001;
  const shown = Math.floor(Math.log10(Math.abs(value))) - 2;
  const typed = /\.(\d+)$/.exec(String(value))?.[1].length ?? 0;
  return Number(`1e${Math.min(shown, -typed)}`);
}

export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.max(0, (done / total) * 100)) : 0;
}

/** "Nov 30, 2026, 9:14 AM": two versions trained the same day must be told apart. */
export function dateTimeLabel(iso: string | null, offset?: number | null, timeZone?: string): string {
  return timeLabel(iso, offset, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }, timeZone);
}

/** "Nov 30, 2026". */
export function dateLabel(iso: string | null, offset?: number | null, timeZone?: string): string {
  return timeLabel(iso, offset, { year: 'numeric', month: 'short', day: 'numeric' }, timeZone);
}

/**
 * An ISO instant in this browser's zone (or `timeZone`: a photo's, the zone the engine sorted it in: localTimeZone),
 * or with `offset` (minutes east of UTC) on that clock wherever the browser is: a photo's date and time as its camera's
 * clock said them where it was taken (PhotoSummary.takenOffset), as Apple and Google Photos show them, and as the
 * engine counts its month (main/api/months.ts).
 */
function timeLabel(iso: string | null, offset: number | null | undefined, options: Intl.DateTimeFormatOptions, timeZone?: string): string {
  const instant = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(instant)) return 'Unknown date';
  if (offset === undefined || offset === null) return new Date(instant).toLocaleString(undefined, timeZone ? { ...options, timeZone } : options);
  const clock = new Date(instant + offset * 60_000);
  return Number.isNaN(clock.getTime()) ? 'Unknown date' : clock.toLocaleString(undefined, { ...options, timeZone: 'UTC' });
}

/** "UTC+1", "UTC−5:30", "UTC": a UTC offset in minutes, as people write it. */
export function utcOffsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const whole = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${Math.floor(whole / 60)}${whole % 60 ? `:${String(whole % 60).padStart(2, '0')}` : ''}`;
}

export function personLabel(name: string | null, faceCount?: number): string {
  if (name) return name;
  return faceCount === undefined ? 'Unnamed' : `Unnamed · ${plural(faceCount, 'face')}`;
}

/**
 * Names as one alternative: "Ada", "Ada or Bob", "Ada, Bob or Cleo"; past `most`, the rest counted ("… or 2 others"),
 * unless a name fits where "1 other" would.
 */
export function orList(names: readonly string[], most = 3): string {
  const shown = names.length > most + 1 ? [...names.slice(0, most), plural(names.length - most, 'other')] : names;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/** The file and the folder it is in ("Summer/IMG_1.jpg"): in nested albums the name alone does not say which. */
export function shortPath(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).slice(-2).join('/') || path;
}

/** A metric whose values are shares between 0 and 1 (accuracy, precision, recall, F1, TAR, SSIM…). */
export function isShareMetric(key: string): boolean {
  return /acc|precision|recall|f1|tar|rate|share|ssim/i.test(key);
}

/** A model metric: shares (accuracy, precision, recall, F1, TAR…) as percentages, PSNR in dB, anything else (loss) as is. */
export function metric(value: number | undefined, key = ''): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const isShare = isShareMetric(key) && Math.abs(value) <= 1;
  if (isShare) return `${(value * 100).toFixed(1)}%`;
  if (/psnr/i.test(key)) return `${value.toFixed(1)} dB`;
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(2) : value.toFixed(4);
}

const runningJob: Record<JobKind, string> = {
  import: 'Importing',
  recluster: 'Regrouping faces',
  'train-embedder': 'Training recognition',
  'train-autoencoder': 'Training the face studio',
  'export-names': 'Writing names',
  'import-names': 'Reading names',
  'score-faceness': 'Checking faces',
  'remove-photos': 'Removing photos',
  'copy-photos': 'Copying photos',
};

/**
 * What a running job is doing, for the sidebar ("Importing…"). A names read of Familiar's own export (the folder
 * watcher hears its writes; main/api/handlers.ts says so in every report) is not "Reading names" other apps saved:
 * Settings' card keeps it off (lib/names-read.ts), so the sidebar says what it is.
 */
export function runningJobLabel(job: { kind: JobKind; progress: JobProgress | null }): string {
  if (job.kind === 'import-names' && readingOwnExport(job.progress)) return 'Checking the names Familiar wrote';
  return runningJob[job.kind];
}

/** A screen that shows a job and its outcome. */
type JobScreen = 'import' | 'training' | 'settings' | 'photos';

/** The screen that shows a job and its outcome, where the sidebar's button for it goes. */
const jobScreen: Record<JobKind, JobScreen> = {
  import: 'import',
  'remove-photos': 'import',
  // Settings holds the names card (write and read names) and Regroup faces.
  'export-names': 'settings',
  'import-names': 'settings',
  recluster: 'settings',
  'train-embedder': 'training',
  'train-autoencoder': 'training',
  // Run after the face studio's training, whose card says what it found.
  'score-faceness': 'training',
  // Started from the Photos screen, whose strip under the filter shows its progress and what it copied.
  'copy-photos': 'photos',
};

export function screenOfJob(kind: JobKind): JobScreen {
  return jobScreen[kind];
}

/** Every stage an import reports: finding faces, reading other apps' names, checking faces, grouping them. */
const importStages: Record<string, string> = {
  scan: 'Looking for photos',
  hash: 'Checking for copies',
  copies: 'Looking for copies saved smaller',
  analyse: 'Finding faces',
  analyze: 'Finding faces',
  read: 'Reading names other apps saved',
  look: 'Looking closer where other apps tagged a face',
  score: 'Checking that each face is a face',
  vectors: 'Grouping faces into people',
  neighbours: 'Grouping faces into people',
  cluster: 'Grouping faces into people',
  settle: 'Looking for photos moved or deleted',
  save: 'Saving',
  done: 'Finishing',
};

/** The import screen's heading for a stage ("Finding faces"); an unknown stage shows as it is named. */
export function importStageLabel(stage: string): string {
  return importStages[stage] ?? stage;
}

/**
 * What users read for the metrics the engine reports; other keys are spelled out (humanize). "Identification" and
 * "TAR" are what the embedder measures; the labels say what they mean for a photo album.
 */
const METRIC_LABELS: Record<string, string> = {
  identificationAccuracy: 'Faces recognised',
  validationAccuracy: 'Faces recognised',
  tar: 'Same-person pairs matched',
  validationTar: 'Same-person pairs matched',
  // The autoencoder: how well it draws the faces it learnt from and the faces set aside to check it.
  trainLoss: 'Loss on faces learnt from',
  validationLoss: 'Loss on faces set aside',
  // Their technical names are said once, explained, under the Training screen's Details.
  validationPsnr: 'Detail kept',
  validationSsim: 'Likeness',
  // How much the face studio's drawings differ from face to face, as a share of how much the photos do (blobs: ~0).
  drawingVariety: 'Variety of its drawings',
};

/** Figures that say how a comparison was measured rather than which model is better: the note under the table. */
const CONTEXT_KEYS = new Set(['far', 'meanMargin', 'probes', 'genuinePairs', 'samePersonDistance']);

export function metricLabel(key: string, spellOut: (key: string) => string): string {
  return METRIC_LABELS[key] ?? spellOut(key);
}

export interface MetricRow {
  key: string;
  label: string;
  before: string;
  after: string;
  changed: boolean;
}

/** The before/after rows of a training result, in the engine's order, without the context figures. */
export function metricRows(before: Record<string, number>, after: Record<string, number>, spellOut: (key: string) => string): MetricRow[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !CONTEXT_KEYS.has(key))
    .map((key) => ({
      key,
      label: metricLabel(key, spellOut),
      before: metric(before[key], key),
      after: metric(after[key], key),
      changed: before[key] !== undefined && after[key] !== undefined && before[key] !== after[key],
    }));
}

/** How the embedder's figures were measured ("Measured on 241 confirmed faces…"), or null for other models. */
export function metricsNote(measured: Record<string, number>): string | null {
  const { probes, genuinePairs, far } = measured;
  if (probes === undefined) return null;
  const pairs = genuinePairs === undefined ? '' : ` and ${plural(genuinePairs, 'same-person pair')}`;
  const rate = far === undefined ? '' : `, pairs matched at ${falseMatchRate(far)}`;
  return `Measured on ${plural(probes, 'confirmed face')} set aside to check the model${pairs}${rate}.`;
}

/** The networks behind face-api's weight files, in words. */
const MODEL_NAMES: Record<string, string> = {
  ssd_mobilenetv1_model: 'Face detector (SSD MobileNet v1)',
  face_landmark_68_model: 'Face landmarks (68 points)',
  face_recognition_model: 'Recognition network (ResNet, 128 dimensions)',
};

export interface ModelEntry {
  stem: string;
  label: string;
  /** Every file of the network is there. */
  found: boolean;
  missing: string[];
  paths: string[];
}

/** Model files grouped into the networks they belong to (a manifest and its weights), in the order given. */
export function modelEntries(files: ReadonlyArray<{ name: string; found: boolean; path: string }>): ModelEntry[] {
  const entries = new Map<string, ModelEntry>();
  for (const file of files) {
    const stem = file.name.replace(/(-weights_manifest\.json|-shard\d+|\.bin)$/, '');
    const entry = entries.get(stem) ?? { stem, label: MODEL_NAMES[stem] ?? file.name, found: true, missing: [], paths: [] };
    entry.paths.push(file.path);
    if (!file.found) {
      entry.found = false;
      entry.missing.push(file.name);
    }
    entries.set(stem, entry);
  }
  return [...entries.values()];
}
