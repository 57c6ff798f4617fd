// `familiar train embedder`: trains the embedder head on the user's confirmed faces (in a worker thread), prints
// each epoch and the before/after validation metrics, and adopts the head only if it is better.
import { Library } from '../../store/library.js';
import { activateEmbedder, trainEmbedder, type TrainEmbedderResult } from '../../embedder/index.js';
import { parseVersionName, versionOfSource } from '../../embedder/versions.js';
import { JobCancelledError } from '../../jobs/progress.js';
import { UsageError, numberOption, shownDistance, type Command, type CommandContext } from '../command.js';
import { plural, TRAINING_LIMITS } from '../../../preload/contract.js';
import { jsonProgress, printStopped, printSummary } from '../progress.js';
import { requireLibrary } from '../../people/cli-support.js';

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/** "39 of the 39", "(was 37)": a share of `total` counted, as the Training screen says it. */
const counted = (share: number, total: number | undefined) => (total === undefined ? percent(share) : Math.round(share * total).toLocaleString('en'));

/**
 * What the run learnt from, counted as `familiar people` counts confirmed faces and `familiar faces` lists answers,
 * each left out said with its reason so the parts add up to the whole (QA: "106 of the 132 faces you confirmed" beside
 * People's 133, "20 rejections" beside 22 answers).
 */
function learntFrom(data: TrainEmbedderResult['data']): string[] {
  const trainedOn = data.confirmedFaces - data.validationFaces;
  const hidden = data.ofHiddenPeople > 0 ? ` (${data.ofHiddenPeople} of them of people you hid: familiar people --all lists them)` : '';
  const apart = [
    `${data.validationFaces} ${data.validationFaces === 1 ? 'was' : 'were'} set aside to test it`,
    ...(data.notRecognisable > 0 ? [`${data.notRecognisable} ${data.notRecognisable === 1 ? 'is' : 'are'} too small, unclear or drawn by hand to learn from`] : []),
    ...(data.questioned > 0 ? [`${data.questioned} wait${data.questioned === 1 ? 's' : ''} for your answer`] : []),
  ];
  const answersUsed = data.rejections - data.photoNegatives;
  const answersElse = data.answers - answersUsed - data.answersOnTestFaces;
  const unused = [
    ...(data.answersOnTestFaces > 0 ? [`${data.answersOnTestFaces} on faces set aside to test it`] : []),
    ...(answersElse > 0 ? [`${answersElse} on faces it does not learn from or about people with no confirmed face to learn`] : []),
  ];
  const answers = data.answers > 0 ? [`${answersUsed} of your ${plural(data.answers, '"not this person" answer')}${unused.length ? ` (${unused.join('; ')})` : ''}`] : [];
  const photographed = data.photoNegatives > 0 ? [`${plural(data.photoNegatives, 'face')} photographed with them`] : [];
  const not = [...answers, ...photographed];
  return [
    `Trained on ${trainedOn} of the ${plural(data.confirmedOfNamed, 'face')} you confirmed${hidden}, of ${plural(data.people, 'person', 'people')}: ` +
      `${apart.length === 1 ? apart[0] : `${apart.slice(0, -1).join(', ')} and ${apart.at(-1)}`}.`,
    not.length > 0 ? `Learnt who they are not from ${not.join(' and ')}.` : '',
  ];
}

/**
 * What training did, in plain words first (the same counts as the Training screen), then every figure. The faces it
 * was tested on are the share set aside, not all the user confirmed: "39 of 39 faces you confirmed" read as if
 * training had seen only 39 of ~210 (QA).
 */
export function trainingSummary(result: TrainEmbedderResult, given: { epochs?: number; margin?: number } = {}): string {
  // Nothing trained: no figures of a run to give. The command to run says the options given too: without them, it
  // would train with the defaults instead (QA: `--epochs 3` was dropped from the hint).
  if (result.nothingNew) {
    const options = [given.epochs !== undefined ? ` --epochs ${given.epochs}` : '', given.margin !== undefined ? ` --margin ${given.margin}` : ''].join('');
    return `${result.reason}\nTo train all the same: familiar train embedder${options} --anyway.`;
  }
  const { before, after, data } = result;
  // A run kept says why before its figures, in the engine's words and the Training screen's: a gain read first looked
  // thrown away (QA).
  return [
    ...learntFrom(data),
    result.questioned.words,
    result.adopted ? '' : `Kept the current version: ${result.why}.`,
    `Recognised ${counted(after.identificationAccuracy, after.probes)} of the ${plural(after.probes ?? data.validationFaces, 'confirmed face')} set aside to test it (was ${counted(before.identificationAccuracy, before.probes)}); ` +
      `matched ${counted(after.tar, after.genuinePairs)} of the ${plural(after.genuinePairs ?? 0, 'pair')} of photos of one person (was ${counted(before.tar, before.genuinePairs)}).`,
    `                      ${result.previousVersion.padEnd(10)} new head`,
    `identification        ${percent(before.identificationAccuracy).padEnd(10)} ${percent(after.identificationAccuracy)}`,
    `${`TAR @ FAR=${after.far.toPrecision(2)}`.padEnd(22)}${percent(before.tar).padEnd(10)} ${percent(after.tar)}`,
    `best epoch ${result.bestEpoch} of ${result.history.length}${result.stoppedEarly ? ' (stopped early)' : ''}, ${result.seconds.toFixed(1)} s`,
    result.adopted ? `Adopted ${result.version}: ${result.reason}` : result.reason,
    result.adopted ? `Now using ${result.version}; same-person distance ${result.samePersonDistance == null ? '-' : shownDistance(result.samePersonDistance)}. Roll back with "familiar models use ${result.previousVersion}".` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The library with the head in use loaded. `switchingTo` (`models use`): a head in use that cannot be loaded (its file
 * lost or damaged) is what switching to raw or another version mends, and what its refusal tells the user to run, so
 * the switch goes ahead without it; asked for that same head, the refusal stands.
 */
export async function openForEmbedder(ctx: CommandContext, options: { switchingTo?: string } = {}): Promise<Library> {
  requireLibrary(ctx);
  const library = await Library.open(ctx.libraryDir);
  try {
    await activateEmbedder(library);
  } catch (err) {
    const mends = options.switchingTo !== undefined && parseVersionName(options.switchingTo) !== versionOfSource(library.info.embedding);
    if (!mends) {
      await library.close();
      throw err;
    }
  }
  return library;
}

export const trainEmbedderCommand: Command = {
  name: 'train embedder',
  summary: 'Train the embedding head on your confirmed faces (adopted only if it is better)',
  usage: 'train embedder [--epochs N] [--margin M] [--anyway] [--library DIR] [--json]',
  help: [
    'Options:',
    '  --anyway          Train even with nothing new: without it, a run on the same confirmed faces, answers about',
    '                    faces that are not someone and options as the version in use was trained on (or the last',
    '                    training kept it on) says so at once and trains nothing, as it would give the same model.',
  ],
  options: {
    epochs: { type: 'string' },
    margin: { type: 'string' },
    // Without it, a run on the very faces, answers and options the model in use was trained on stops at once.
    anyway: { type: 'boolean', default: false },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`train embedder takes no arguments (got "${ctx.positionals[0]}").`);
    const epochs = numberOption(ctx.values.epochs, '--epochs', { integer: true, ...TRAINING_LIMITS.epochs });
    const margin = numberOption(ctx.values.margin, '--margin', TRAINING_LIMITS.margin);
    const library = await openForEmbedder(ctx);
    const log = ctx.json ? ctx.stderr : ctx.stdout;
    const json = ctx.json ? jsonProgress(ctx) : null;
    try {
      const result = await trainEmbedder(
        library,
        { ...(epochs !== undefined && { epochs }), ...(margin !== undefined && { margin }), anyway: ctx.values.anyway === true },
        {
          signal: ctx.signal,
          onEpoch: (r) => {
            const v = r.validation;
            log.write(
              `epoch ${String(r.epoch).padStart(3)}/${r.epochs}  loss ${r.loss.toFixed(4)}  active ${percent(r.activeTriplets)}` +
                (v ? `  validation id ${percent(v.identificationAccuracy)}  TAR ${percent(v.verification.tar)}` : '') +
                `  ${r.seconds.toFixed(2)} s${r.best ? '  *' : ''}\n`,
            );
          },
          onProgress: (p) => {
            json?.onProgress(p);
            if (p.stage === 're-embed' && p.done === 0) log.write(`${p.message}\n`);
          },
        },
      );
      json?.end();
      if (ctx.json) printSummary(ctx, result);
      else ctx.stdout.write(trainingSummary(result, { epochs, margin }) + '\n');
      return 0;
    } catch (err) {
      if (err instanceof JobCancelledError) {
        json?.end();
        if (ctx.json) printStopped(ctx, 'train embedder', 'Training cancelled; the embedding in use is unchanged.');
        ctx.stderr.write('Training cancelled; the embedding in use is unchanged.\n');
        return 1;
      }
      throw err;
    } finally {
      await library.close();
    }
  },
};
