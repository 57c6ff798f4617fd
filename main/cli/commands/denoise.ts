// `familiar denoise <face> [--noise 0.1] --out strip.png`
import { AutoencoderUses } from '../../autoencoder/uses.js';
import { withLibrary } from '../../people/cli-support.js';
import { numberOption, UsageError, type Command } from '../command.js';
import { outPath, writeScaledPng } from './autoencoder-output.js';

export const denoiseCommand: Command = {
  name: 'denoise',
  summary: 'Write a face crop, the same with noise added, and the denoiser\'s restoration, side by side',
  usage: 'denoise <face> [--noise 0.1] --out strip.png [--library DIR] [--json]',
  options: { out: { type: 'string' }, noise: { type: 'string' }, version: { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('denoise takes exactly one face id.');
    // The app's level: a clean crop restored only comes back softer. 0 restores the crop as it is.
    const noise = numberOption(ctx.values.noise, '--noise', { min: 0, max: 1 }) ?? 0.1;
    const file = outPath(ctx);
    return withLibrary(ctx, 'read', async (library) => {
      const uses = await AutoencoderUses.open(library, typeof ctx.values.version === 'string' ? ctx.values.version : undefined);
      try {
        const result = await uses.denoise(library, ctx.positionals[0], { noise });
        await writeScaledPng(result.strip, file);
        const view = { out: file, version: uses.version.version, faceId: result.faceId, noise, faceness: result.faceness };
        const shown = noise > 0 ? `as it is, with noise ${noise} added, and restored` : 'before and after restoring';
        ctx.stdout.write(ctx.json ? JSON.stringify(view) + '\n' : `Wrote face ${result.faceId} ${shown} to ${file}` + (result.faceness !== null ? ` (faceness ${result.faceness.toFixed(2)})` : '') + '\n');
        return 0;
      } finally {
        uses.dispose();
      }
    });
  },
};
