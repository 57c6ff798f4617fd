// `familiar train embedder` counts the faces and answers it learnt from as `familiar people` and `familiar faces` count
// them, and says what it left out, so the parts add up: QA read "106 of the 132 faces you confirmed … (20 rejections
// …)" where People summed 133 confirmed and `faces --json` held 22 answers. Real LFW photos through the real engine,
// with what made the counts differ: a resized copy of a confirmed photo (People counts its face once), a confirmed face
// too small to learn from, and "not this person" answers, some of them on faces set aside to test the training.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leastAlikeFirst, nameFaces, rejectFaces } from '../../../main/people/index.js';
import { unrecognisable } from '../../../main/people/library.js';
import type { PersonView } from '../../../main/people/types.js';
import { makeAlbum, saveResizedCopy, subjectAt } from '../library/helpers.js';
import { runCli } from './cli-process.js';
import { preparedLibrary } from './prepared-library.js';

const PEOPLE = ['Colin_Powell', 'Tony_Blair', 'Ari_Fleischer'];
const ALBUM = {
  ...Object.fromEntries(PEOPLE.flatMap((person) => [1, 2, 3, 4, 5].map((n) => [`${person}/${n}.jpg`, `lfw_subset/${person}/${person}_000${n}.jpg`]))),
  // A stranger 14-57 px tall beside the subject (tests/main/people/unrecognisable.test.ts).
  'crowd/Gary_Bald_0001.jpg': 'lfw_subset/Gary_Bald/Gary_Bald_0001.jpg',
};

const library = preparedLibrary('train-counts', async (engine, work) => {
  const album = await makeAlbum(join(work, 'album'), ALBUM);
  await saveResizedCopy(join(album, 'Colin_Powell/1.jpg'), join(album, 'crowd/colin_small.jpg'), 180);
  expect(await engine.import([album])).toMatchObject({ resizedCopies: 1 });
  const lib = engine.library;
  const subjects = (person: string) => [1, 2, 3, 4, 5].map((n) => subjectAt(lib, join(album, person, `${n}.jpg`)).id);
  for (const person of PEOPLE) await nameFaces(lib, subjects(person), person.replace('_', ' '));
  // The user names a face too small to recognise too: it is theirs, and no face to learn from.
  const small = lib.facesOfPhoto(subjectAt(lib, join(album, 'crowd/Gary_Bald_0001.jpg')).photoId).find((f) => unrecognisable(f, lib.photo(f.photoId)) !== null)!;
  const { personIds: [ari] } = await nameFaces(lib, [small.id], 'Ari Fleischer');
  // It looks unlike his others, as such a face does: his page asks about it.
  expect(leastAlikeFirst(lib, ari).faces.find((s) => s.face.id === small.id)!.unlikeConfirmed).toBe(true);
  // Each of Tony Blair's faces is not Colin Powell: a fifth of them are set aside to test the training.
  await rejectFaces(lib, subjects('Tony_Blair'), 'Colin Powell');
});

describe('familiar train embedder counts', () => {
  it('says the confirmed faces and the answers as People and faces count them, and what of them it left out', async () => {
    const people = JSON.parse((await runCli('people', '--json', '--library', library.dir)).out) as PersonView[];
    const confirmed = people.reduce((sum, p) => sum + p.confirmedCount, 0);
    const faces = JSON.parse((await runCli('faces', '--json', '--library', library.dir)).out) as { faces: Array<{ rejectedPersonIds: string[] }> };
    const answers = faces.faces.reduce((sum, f) => sum + f.rejectedPersonIds.length, 0);
    expect([confirmed, answers]).toEqual([16, 5]);

    const run = await runCli('train', 'embedder', '--epochs', '2', '--library', library.dir);
    expect(run.code, run.err).toBe(0);
    const [learnt, not] = run.out.split('\n').filter((line) => line.startsWith('Trained on ') || line.startsWith('Learnt who '));
    const [, trainedOn, of, tested] = learnt.match(/^Trained on (\d+) of the (\d+) faces you confirmed, of 3 people: (\d+) were set aside to test it and 1 is too small, unclear or drawn by hand to learn from\.$/)!.map(Number);
    expect(of).toBe(confirmed);
    expect(trainedOn + tested + 1).toBe(confirmed);
    // The small face his page asks about is never learnt, answered or not: it waits for no answer here.
    expect(run.out).not.toContain('Not learnt from until you answer');
    const [, used, given, onTest] = not.match(/^Learnt who they are not from (\d+) of your (\d+) "not this person" answers \((\d+) on faces set aside to test it\)( and \d+ faces? photographed with them)?\.$/)!.map(Number);
    expect(given).toBe(answers);
    expect(onTest).toBeGreaterThan(0);
    expect(used + onTest).toBe(answers);
  }, 300_000);
});
