// `familiar doctor` said nothing of kept-analyses.bin, the store that lets photos taken out of the library come back
// without analysis: how many it holds, how much room it takes, and whether it is damaged are now in its report.
import { open, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { createApi } from '../../../main/api/index.js';
import { doctorCommand } from '../../../main/cli/commands/doctor.js';
import { importFolders, type FaceAnalysisService } from '../../../main/library/import.js';
import { removeFolder } from '../../../main/library/remove-folder.js';
import { KEPT_ANALYSES_FILE } from '../../../main/store/kept-analyses.js';
import { Library } from '../../../main/store/library.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { makeAlbum } from '../library/helpers.js';

const PEOPLE = ['Colin_Powell', 'Tony_Blair'];
const ALBUM = Object.fromEntries(PEOPLE.flatMap((person) => [1, 2, 3, 4, 5, 6].map((n) => [`${person}/${n}.jpg`, `lfw_subset/${person}/${person}_000${n}.jpg`])));
const instant: FaceAnalysisService = { size: 1, analyze: async () => [] };

let work: string;
let album: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-doctor-kept-'));
  album = await makeAlbum(join(work, 'album'), ALBUM);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** A library of the album with `removed` (a person's folder) taken out of it, or none. */
async function libraryWithRemoved(name: string, removed: string | null): Promise<string> {
  const dir = join(work, name);
  const library = await Library.open(dir);
  try {
    await importFolders(library, async () => instant, PIPELINE_VERSION, [album]);
    if (removed) await removeFolder(library, join(album, removed));
  } finally {
    await library.close();
  }
  return dir;
}

async function doctor(dir: string): Promise<{ text: string; json: { library: { keptAnalyses?: { photos: number; bytes: number; problem?: string } } } }> {
  const run = async (json: boolean) => {
    const stdout = { isTTY: false, text: '', write: (chunk: string) => ((stdout.text += chunk), true) };
    const ctx = { values: {}, positionals: [], libraryDir: dir, json, stdout, stderr: { ...stdout, text: '' }, signal: new AbortController().signal } as unknown as CommandContext;
    expect(await doctorCommand.run(ctx)).toBe(0);
    return stdout.text;
  };
  return { text: await run(false), json: JSON.parse(await run(true)) };
}

describe('familiar doctor and the kept analyses', () => {
  it('says how many photos taken out of the library would come back without analysis, and the room they take', async () => {
    const dir = await libraryWithRemoved('removed', 'Tony_Blair');
    const { text, json } = await doctor(dir);
    const bytes = (await stat(join(dir, KEPT_ANALYSES_FILE))).size;
    expect(json.library.keptAnalyses).toEqual({ photos: 6, bytes: expect.any(Number) });
    expect(json.library.keptAnalyses!.bytes).toBeGreaterThan(0);
    expect(json.library.keptAnalyses!.bytes).toBeLessThanOrEqual(bytes);
    expect(text).toMatch(/\n {2}kept analyses: 6 photos taken out of the library \(\d+ KiB\); imported again, their faces come back without analysis\n/);
  });

  it('says nothing of them in a library nothing was taken out of', async () => {
    const { text, json } = await doctor(await libraryWithRemoved('nothing-removed', null));
    expect(json.library.keptAnalyses).toEqual({ photos: 0, bytes: 0 });
    expect(text).not.toContain('kept analyses');
  });

  it('says a damaged store in a sentence, in the CLI and in the app, and reads no further than the damage', async () => {
    const dir = await libraryWithRemoved('damaged', 'Colin_Powell');
    const path = join(dir, KEPT_ANALYSES_FILE);
    const size = (await stat(path)).size;
    // A flipped byte in the last record's body: its checksum fails.
    const handle = await open(path, 'r+');
    try {
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, size - 2);
      byte[0] ^= 0xff;
      await handle.write(byte, 0, 1, size - 2);
    } finally {
      await handle.close();
    }
    const { text, json } = await doctor(dir);
    expect(json.library.keptAnalyses?.photos).toBe(5);
    const problem = `${KEPT_ANALYSES_FILE} is damaged after 5 photos kept: the photos kept past that point are analysed again when imported, and the damaged part is cut off at the next change.`;
    expect(json.library.keptAnalyses?.problem).toBe(problem);
    expect(text).toContain(`  kept analyses: ${problem}\n`);

    const api = await createApi({ libraryDir: dir, mode: 'browser', log: () => {} });
    try {
      const answer = await api.dispatcher.call('library.doctor', {});
      if (answer.error !== undefined) throw new Error(answer.error);
      expect((answer.result as { problems: string[] }).problems).toContain(problem);
    } finally {
      await api.close();
    }
    // Doctor only reads: the damage is still there for the next removal or import to cut off.
    expect((await stat(path)).size).toBe(size);
  });
});
