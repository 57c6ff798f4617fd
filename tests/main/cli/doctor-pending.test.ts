// `familiar doctor` said "12 awaiting analysis" and no more: now it says how long analysing them would take, at this
// library's own measured pace as the offer to look again does (main/library/analysis-pace.ts), and the command that
// analyses them (importing their folders again).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { createApi } from '../../../main/api/index.js';
import { doctorCommand } from '../../../main/cli/commands/doctor.js';
import { ANALYSIS_PACE_KEY, type AnalysisPace } from '../../../main/library/analysis-pace.js';
import { importFolders, type FaceAnalysisService } from '../../../main/library/import.js';
import { WATCHED_FOLDERS_KEY } from '../../../main/library/remove-folder.js';
import { Library } from '../../../main/store/library.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { makeAlbum } from '../library/helpers.js';

const PEOPLE = ['Colin_Powell', 'Tony_Blair'];
const ALBUM = Object.fromEntries(PEOPLE.flatMap((person) => [1, 2, 3, 4, 5, 6].map((n) => [`${person}/${n}.jpg`, `lfw_subset/${person}/${person}_000${n}.jpg`])));
const instant: FaceAnalysisService = { size: 1, analyze: async () => [] };

let work: string;
let album: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-doctor-pending-'));
  album = await makeAlbum(join(work, 'album'), ALBUM);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * A library of the album whose photos under `older` an older pipeline analysed (they await analysis), the album
 * watched unless `watched` is false, with `pace` as its last measured pace (none: never timed).
 */
async function libraryWithPending(name: string, older: string, pace: AnalysisPace | null, watched = true): Promise<string> {
  const dir = join(work, name);
  const library = await Library.open(dir);
  try {
    await importFolders(library, async () => instant, PIPELINE_VERSION, [album]);
    await library.transaction((tx) => {
      for (const photo of tx.photos) if (photo.paths[0].startsWith(join(album, older))) photo.analysis = { pipelineVersion: 'an-older-pipeline', analysedAt: photo.analysis!.analysedAt };
      tx.settings[WATCHED_FOLDERS_KEY] = watched ? [album] : [];
      if (pace) tx.settings[ANALYSIS_PACE_KEY] = pace;
    });
  } finally {
    await library.close();
  }
  return dir;
}

async function doctor(dir: string): Promise<string> {
  const stdout = { isTTY: false, text: '', write: (chunk: string) => ((stdout.text += chunk), true) };
  const ctx = { values: {}, positionals: [], libraryDir: dir, json: false, stdout, stderr: { ...stdout, text: '' }, signal: new AbortController().signal } as unknown as CommandContext;
  expect(await doctorCommand.run(ctx)).toBe(0);
  return stdout.text;
}

describe('familiar doctor and the photos awaiting analysis', () => {
  it("says how long analysing them takes at this library's pace, and the command that does it", async () => {
    // Its imports took 30 s a photo: 6 photos, about 3 minutes.
    const dir = await libraryWithPending('imports-pace', 'Tony_Blair', { secondsPerPhoto: 30, photos: 40, lookingAgain: false });
    const said = await doctor(dir);
    expect(said).toContain('12 photos (0 missing, 6 awaiting analysis)');
    expect(said).toContain(`  6 photos await analysis: familiar import ${JSON.stringify(album)} analyses them. Analysing 6 photos takes about 3 minutes on this computer, going by its imports.\n`);
    // Importing again analyses them anew: they are not offered, and timed, a second time as a look again (QA).
    expect(said).not.toContain('--look-again');
  });

  it("takes a look again's pace back to an import's, and says a typical pace is a guess", async () => {
    // Looking again took 75 s a photo, 2.5 times an import's 30 s.
    const lookedAgain = await doctor(await libraryWithPending('looked-again-pace', 'Colin_Powell', { secondsPerPhoto: 75, photos: 40, lookingAgain: true }));
    expect(lookedAgain).toContain('Analysing 6 photos takes about 3 minutes on this computer, going by the last time it looked again, which takes 2.5 times as long a photo.');
    const never = await doctor(await libraryWithPending('no-pace', 'Colin_Powell', null));
    expect(never).toContain('Analysing 6 photos takes under a minute at a typical pace (a guess: Familiar has not yet timed an import of this library).');
  });

  it('names the folder each photo is in when no watched folder holds it', async () => {
    const said = await doctor(await libraryWithPending('not-watched', '', null, false));
    const folders = PEOPLE.map((person) => JSON.stringify(join(album, person))).join(' ');
    expect(said).toContain(`  12 photos await analysis: familiar import ${folders} analyses them. Analysing 12 photos takes`);
  });

  it("says the same in the app's doctor: which folders to import again, and how long it takes", async () => {
    const dir = await libraryWithPending('app-doctor', 'Tony_Blair', { secondsPerPhoto: 30, photos: 40, lookingAgain: false });
    const api = await createApi({ libraryDir: dir, mode: 'browser', log: () => {} });
    try {
      const answer = await api.dispatcher.call('library.doctor', {});
      if (answer.error !== undefined) throw new Error(answer.error);
      const problems = (answer.result as { problems: string[] }).problems;
      expect(problems).toContain(
        `6 photos wait for analysis; import their folders (${album}) again to finish. Analysing 6 photos takes about 3 minutes on this computer, going by its imports.`,
      );
    } finally {
      await api.close();
    }
  });

  it('says nothing of it when no photo awaits analysis', async () => {
    const said = await doctor(await libraryWithPending('none', 'nobody', null));
    expect(said).toContain('(0 missing, 0 awaiting analysis)');
    expect(said).not.toContain('await analysis');
  });
});
