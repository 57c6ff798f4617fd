// `familiar denoise <face> --out pair.png`
import { AutoencoderUses } from '../../autoencoder/uses.js';
import { withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';
import { outPath, writeScaledPng } from './autoencoder-output.js';

export const denoiseCommand: Command = {
  name: 'denoise',
  summary: 'Write a face crop next to its restored version',
  usage: 'denoise <face> --out pair.png [--library DIR] [--json]',
  options: { out: { type: 'string' }, version: { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('denoise takes exactly one face id.');
    const file = outPath(ctx);
    return withLibrary(ctx, 'read', async (library) => {
      const uses = await AutoencoderUses.open(library, typeof ctx.values.version === 'string' ? ctx.values.version : undefined);
      try {
        const result = await uses.denoise(library, ctx.positionals[0]);
        await writeScaledPng(result.pair, file);
        const view = { out: file, version: uses.version.version, faceId: result.faceId, faceness: result.faceness };
        ctx.stdout.write(ctx.json ? JSON.stringify(view) + '\n' : `Wrote face ${result.faceId} before and after to ${file}` + (result.faceness !== null ? ` (faceness ${result.faceness.toFixed(2)})` : '') + '\n');
        return 0;
      } finally {
        uses.dispose();
      }
    });
  },
};
