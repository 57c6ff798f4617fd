// Shared by the autoencoder use commands (interpolate, arithmetic, denoise): writing the PNG and the --json view.
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveUserPath } from '../../paths.js';
import sharp from 'sharp';
import type { RgbImage } from '../../../models/types.js';
import { UsageError, type CommandContext } from '../command.js';

/** Output frames are enlarged for people to look at: the model works at 64 px. */
export const DISPLAY_SCALE = 2;

export function outPath(ctx: CommandContext): string {
  const out = ctx.values.out;
  if (typeof out !== 'string' || out.trim() === '') throw new UsageError('--out FILE.png is required.');
  if (!/\.png$/i.test(out)) throw new UsageError(`--out must name a .png file (got "${out}").`);
  const file = resolveUserPath(out);
  // Said before the model runs, not after.
  if (!existsSync(dirname(file))) throw new Error(`Cannot write ${file}: the folder ${dirname(file)} does not exist.`);
  // A file where its folder should be (QA: libuv's "ENOTDIR: not a directory, open …").
  if (!statSync(dirname(file)).isDirectory()) throw new Error(`Cannot write ${file}: ${dirname(file)} is a file, not a folder.`);
  return file;
}

/** Writes the PNG; a file that cannot be written is one sentence, not libvips' own multi-line report. */
export async function writeScaledPng(image: RgbImage, file: string, scale = DISPLAY_SCALE): Promise<void> {
  const png = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(image.width * scale, image.height * scale, { kernel: 'lanczos3' })
    .png()
    .toBuffer();
  try {
    await writeFile(file, png);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOENT with the folder there: one that takes no new files (/proc, /sys), not a missing folder.
    const missing = code === 'ENOENT' && (existsSync(dirname(file)) ? `${dirname(file)} takes no new files` : `the folder ${dirname(file)} does not exist`);
    const why = missing || (code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code === 'ENOTDIR' ? `${dirname(file)} is not a folder` : (err as Error).message);
    throw new Error(`Cannot write ${file}: ${why}.`);
  }
}
