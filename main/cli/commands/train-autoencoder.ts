// `familiar train autoencoder`: trains the denoising autoencoder on the library's face thumbnails in a worker
// thread, printing each epoch; resumes an interrupted run; Ctrl-C stops after the current batch, keeping the last
// epoch's checkpoint for next time.
import { join } from 'node:path';
import { adoptionReason, leftUncheckedDone, lookUnlikeAFace, studioNothingNewSentence, trainAutoencoderJob, uncheckedSentence, type TrainAutoencoderResult } from '../../autoencoder/train-job.js';
import { JobCancelledError } from '../../jobs/progress.js';
import { withLibrary } from '../../people/cli-support.js';
import { UsageError, numberOption, type Command } from '../command.js';
import { jsonProgress, printStopped, printSummary } from '../progress.js';
import { plural, TRAINING_DEFAULTS, TRAINING_LIMITS } from '../../../preload/contract.js';
import { UNTIL_DRAWN } from '../../../models/autoencoder/train.js';

function summary(r: TrainAutoencoderResult, command: string): string {
  // Nothing trained: the command to train all the same keeps the options given (without them it would train others).
  if (r.nothingNew) return [studioNothingNewSentence(r.nothingNew), leftUncheckedDone(r), `To train all the same: ${command} --anyway.`].filter(Boolean).join('\n');
  const last = r.history[r.history.length - 1];
  return [
    `Saved autoencoder ${r.version} (${r.variational ? 'variational' : 'plain'}) trained on ${plural(r.faces, 'face')} (${r.validationFaces} held out) with the ${r.backend} backend in ${r.seconds.toFixed(0)} s` +
      (r.resumedFromEpoch > 0 ? `, resumed after epoch ${r.resumedFromEpoch}.` : r.replacedStoppedRun > 0 ? `; a stopped run of other settings (epoch ${r.replacedStoppedRun}) could not be continued.` : '.'),
    last
      ? `Validation on damaged crops: restored PSNR ${last.restoredPsnr.toFixed(2)} dB (SSIM ${last.restoredSsim.toFixed(3)}), through the latent alone ${last.validationPsnr.toFixed(2)} dB (SSIM ${last.validationSsim.toFixed(3)}).`
      : '',
    adoptionReason(r),
    r.adopted ? `Checked ${plural(r.scoredFaces, 'face')}. ${lookUnlikeAFace(r.faceness.reviewFaces, r.releasedFaces, r.drawsMuchAlike)}` : '',
    uncheckedSentence(r.uncheckedFaces),
  ]
    .filter(Boolean)
    .join('\n');
}

export const trainAutoencoderCommand: Command = {
  name: 'train autoencoder',
  summary: 'Train the face autoencoder (interpolation, arithmetic, denoise, faceness) on your library',
  usage: 'train autoencoder [--epochs N [--exact]] [--variational] [--seed N] [--restart] [--anyway] [--library DIR] [--json]',
  help: [
    'Options:',
    `  --epochs N        Passes over your faces, at least (${TRAINING_DEFAULTS.autoencoder.epochs} by default). It adds passes of its own, up to ${UNTIL_DRAWN.maxEpochs} in all,`,
    `                    until it has drawn about ${UNTIL_DRAWN.facesDrawn.toLocaleString('en-US')} faces and its drawings differ from face to face; a library`,
    `                    too small to draw that many in ${UNTIL_DRAWN.maxEpochs} passes gets all ${UNTIL_DRAWN.maxEpochs}, the closest it comes.`,
    '  --exact           Exactly --epochs passes, none added (quick, but its drawings may stay grey and alike).',
    '  --variational     A variational autoencoder: smoother blends in the Studio, every face drawn a little blurrier.',
    '  --seed N          Another seed trains another model from the same faces.',
    '  --restart         Start afresh rather than continue a run that was stopped.',
    '  --anyway          Train even when a version was learnt from the same faces with the same options (without it,',
    '                    the command says so and trains nothing, as it would make the same model).',
  ],
  options: {
    epochs: { type: 'string' },
    // Exactly --epochs passes; else those are the least, and it adds passes while it has drawn too few faces.
    exact: { type: 'boolean', default: false },
    variational: { type: 'boolean', default: false },
    seed: { type: 'string' },
    restart: { type: 'boolean', default: false },
    // A version trained on the same faces with the same settings: the run would make it again, so it is not made.
    anyway: { type: 'boolean', default: false },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`train autoencoder takes no arguments (got "${ctx.positionals[0]}").`);
    const epochs = numberOption(ctx.values.epochs, '--epochs', { integer: true, ...TRAINING_LIMITS.epochs });
    const seed = numberOption(ctx.values.seed, '--seed', { integer: true, min: 1 });
    const log = ctx.json ? ctx.stderr : ctx.stdout;
    // The command again with the options that decide what it trains: what resumes a stopped run (QA: without its
    // --seed, the hint's command started again at pass 1 over the stopped run's passes).
    const given = [epochs !== undefined ? ` --epochs ${epochs}` : '', seed !== undefined ? ` --seed ${seed}` : '', ctx.values.exact === true ? ' --exact' : '', ctx.values.variational === true ? ' --variational' : ''].join('');
    const again = `familiar train autoencoder${given}`;
    return withLibrary(ctx, 'write', async (library) => {
      const json = ctx.json ? jsonProgress(ctx) : null;
      try {
        const result = await trainAutoencoderJob(
          library,
          {
            ...(epochs !== undefined && { epochs }),
            ...(seed !== undefined && { seed }),
            variational: ctx.values.variational === true,
            ...(ctx.values.exact === true && { untilDrawn: null }),
            resume: ctx.values.restart !== true,
            anyway: ctx.values.anyway === true,
          },
          {
            signal: ctx.signal,
            onProgress: (p) => {
              json?.onProgress(p);
              if (p.stage === 'load' || (p.stage === 'train' && p.done === Math.floor(p.done) && p.message?.startsWith('Resuming'))) log.write(`${p.message}\n`);
            },
            onEpoch: (e) =>
              log.write(
                `epoch ${String(e.epoch).padStart(3)}/${e.epochs}  loss ${e.trainLoss.toFixed(4)}  validation ${e.validationLoss.toFixed(4)}` +
                  `  restored ${e.restoredPsnr.toFixed(2)} dB  latent-only ${e.validationPsnr.toFixed(2)} dB  ${e.msPerStep.toFixed(0)} ms/step` +
                  (e.samples ? `  samples ${join(library.dir, e.samples)}` : '') +
                  '\n',
              ),
          },
        );
        json?.end();
        if (ctx.json) printSummary(ctx, result);
        else ctx.stdout.write(summary(result, again) + '\n');
        return 0;
      } catch (err) {
        if (err instanceof JobCancelledError) {
          const message = `Training stopped; the last finished epoch is kept and "${again}" resumes from it.`;
          json?.end();
          if (ctx.json) printStopped(ctx, 'train autoencoder', message);
          ctx.stderr.write(message + '\n');
          return 1;
        }
        throw err;
      }
    });
  },
};
