// Shared by the autoencoder use commands (interpolate, arithmetic, denoise): writing the PNG and the --json view.
import { resolve } from 'node:path';
import sharp from 'sharp';
import type { RgbImage } from '../../../models/types.js';
import { UsageError, type CommandContext } from '../command.js';

/** Output frames are enlarged for people to look at: the model works at 64 px. */
export const DISPLAY_SCALE = 2;

export function outPath(ctx: CommandContext): string {
  const out = ctx.values.out;
  if (typeof out !== 'string' || out.trim() === '') throw new UsageError('--out FILE.png is required.');
  if (!/\.png$/i.test(out)) throw new UsageError(`--out must name a .png file (got "${out}").`);
  return resolve(out);
}

export async function writeScaledPng(image: RgbImage, file: string, scale = DISPLAY_SCALE): Promise<void> {
  await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(image.width * scale, image.height * scale, { kernel: 'lanczos3' })
    .png()
    .toFile(file);
}
