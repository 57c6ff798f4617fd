// `familiar import` of a folder where hundreds of files cannot be read (a damaged drive): the summary groups them by
// why, with how many and the first paths of each, and --json still lists every one (QA: 300 files were 300 lines).
// Real photos, real analysis.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { importCommand } from '../../../main/cli/commands/import.js';
import { sharedFaces } from '../library/helpers.js';

function fakeStream(): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY: false, columns: 100, text: '', write(chunk: string) { stream.text += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

async function importRun(libraryDir: string, folder: string, json = false) {
  const stdout = fakeStream();
  const stderr = fakeStream();
  const ctx: CommandContext = { values: { 'no-watch': true }, positionals: [folder], libraryDir, json, stdout, stderr, signal: new AbortController().signal };
  return { code: await importCommand.run(ctx), out: stdout.text, err: stderr.text };
}

const EACH = 40;
let work: string;
let album: string;
let unreadable: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-cli-skipped-'));
  album = join(work, 'album');
  unreadable = join(work, 'unreadable');
  await mkdir(album);
  await mkdir(unreadable);
  const photo = join(sharedFaces, 'lfw_subset', 'Adrien_Brody', 'Adrien_Brody_0001.jpg');
  await copyFile(photo, join(album, 'adrien.jpg'));
  await copyFile(join(sharedFaces, 'lfw_subset', 'Colin_Powell', 'Colin_Powell_0001.jpg'), join(album, 'colin.jpg'));
  const head = (await readFile(photo)).subarray(0, 3000);
  for (const dir of [album, unreadable]) {
    for (let i = 0; i < EACH; i++) {
      await writeFile(join(dir, `empty-${i}.jpg`), '');
      await writeFile(join(dir, `notes-${i}.jpg`), `shopping list ${i}\n`);
      await writeFile(join(dir, `cut-${i}.jpg`), head);
    }
  }
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** The lines of the summary from "Skipped" to the end of its list (the indented lines after it). */
function skippedPart(out: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Skipped '));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('  '));
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('familiar import with hundreds of unreadable files', () => {
  it('groups them by why, with counts and the first paths of each; --json lists every one', async () => {
    const text = await importRun(join(work, 'library'), album);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Imported 2 photos');
    const part = skippedPart(text.out);
    // The damaged JPEGs' reasons are the decoder's words, which vary with where it stopped: two or more groups.
    expect(part[0]).toMatch(new RegExp(`^Skipped ${3 * EACH} files, for [3-9] reasons \\(--json lists them all\\):$`));
    expect(part).toContain(`  ${EACH} files: empty file (0 bytes)`);
    expect(part).toContain(`  ${EACH} files: not an image (its content is not a format Familiar reads)`);
    const empty = part.indexOf(`  ${EACH} files: empty file (0 bytes)`);
    expect(part.slice(empty + 1, empty + 5)).toEqual([
      `    ${join(album, 'empty-0.jpg')}`,
      `    ${join(album, 'empty-1.jpg')}`,
      `    ${join(album, 'empty-10.jpg')}`,
      `    ... and ${EACH - 3} more`,
    ]);
    // Every file counted once: the groups' counts add up.
    const counted = part.flatMap((l) => /^ {2}(\d+) files?: /.exec(l)?.[1] ?? []).map(Number);
    expect(counted.reduce((a, b) => a + b, 0)).toBe(3 * EACH);
    expect(part.length).toBeLessThan(40);

    const json = await importRun(join(work, 'library'), album, true);
    const summary = json.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; skipped?: Array<{ path: string; reason: string }> }).find((l) => l.type === 'summary')!;
    expect(summary.skipped).toHaveLength(3 * EACH);
    expect(summary.skipped).toContainEqual({ path: join(album, 'notes-39.jpg'), reason: 'not an image (its content is not a format Familiar reads)' });
  }, 120_000);

  it('a folder of none but unreadable files fails, and stderr says they are counted by why', async () => {
    const text = await importRun(join(work, 'library-unreadable'), unreadable);
    expect(text.code).toBe(1);
    expect(text.err).toBe(`familiar import: No photos Familiar can read in ${unreadable}; the ${3 * EACH} files are counted by why.\n`);
    expect(skippedPart(text.out)).toContain(`  ${EACH} files: empty file (0 bytes)`);
    expect(skippedPart(text.out).length).toBeLessThan(40);
  }, 60_000);
});
