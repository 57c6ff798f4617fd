// `familiar interpolate <faceA|personA> <faceB|personB> --steps 8 --out strip.png`
import { AutoencoderUses } from '../../autoencoder/uses.js';
import { withLibrary } from '../../people/cli-support.js';
import { INTERPOLATION_STEPS } from '../../../preload/contract.js';
import { UsageError, numberOption, type Command } from '../command.js';
import { outPath, writeScaledPng } from './autoencoder-output.js';

export const interpolateCommand: Command = {
  name: 'interpolate',
  summary: 'Write a strip of faces morphing from one face or person to another',
  usage: 'interpolate <faceA|personA> <faceB|personB> [--steps 8] [--linear] --out strip.png [--library DIR] [--json]',
  options: { steps: { type: 'string' }, out: { type: 'string' }, linear: { type: 'boolean', default: false }, version: { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length !== 2) throw new UsageError('interpolate takes exactly two faces or people.');
    const steps = numberOption(ctx.values.steps, '--steps', { integer: true, ...INTERPOLATION_STEPS }) ?? 8;
    const file = outPath(ctx);
    return withLibrary(ctx, 'read', async (library) => {
      const uses = await AutoencoderUses.open(library, typeof ctx.values.version === 'string' ? ctx.values.version : undefined);
      try {
        const result = await uses.interpolate(library, ctx.positionals[0], ctx.positionals[1], { steps, mode: ctx.values.linear ? 'linear' : 'spherical' });
        await writeScaledPng(result.strip, file);
        const view = { out: file, version: uses.version.version, mode: result.mode, steps, from: { kind: result.from.kind, id: result.from.id, label: result.from.label, faces: result.from.faceIds.length }, to: { kind: result.to.kind, id: result.to.id, label: result.to.label, faces: result.to.faceIds.length }, decodeMs: Math.round(result.ms) };
        ctx.stdout.write(ctx.json ? JSON.stringify(view) + '\n' : `Wrote ${steps} faces from ${result.from.label} to ${result.to.label} (${result.mode}) to ${file}\n`);
        return 0;
      } finally {
        uses.dispose();
      }
    });
  },
};
