// `familiar same` and `familiar who` on photo files outside the library: the files are analysed with the real
// face pipeline and compared in the library's embedding space (here the raw backbone).
import { symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPeople, namePerson, recluster } from '../../../main/people/index.js';
import { DEFAULT_SAME_PERSON_DISTANCE } from '../../../main/store/types.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';
import { makePeopleFixture, runCli, type PeopleFixture } from './fixture.js';

let fx: PeopleFixture;
const lfw = (who: string, n: number) => join(sharedFacesDir(), 'lfw_subset', who, `${who}_${String(n).padStart(4, '0')}.jpg`);

beforeAll(async () => {
  fx = await makePeopleFixture({ faces: 40, reserve: 0 });
  // Real thresholds for real photos: drop the synthetic override.
  await recluster(fx.library);
  await namePerson(fx.library, listPeople(fx.library)[0].id, 'Someone Synthetic');
  await fx.library.transaction((tx) => {
    delete tx.settings.peopleThresholds;
    tx.settings.samePersonDistance = DEFAULT_SAME_PERSON_DISTANCE;
  });
  await fx.library.close();
});

afterAll(async () => {
  await fx.close();
});

const cli = (...args: string[]) => runCli(fx.dir, ...args, '--json');

describe('who and same on photo files', () => {
  it('same: two photos of one person are the same, of two people are not, with the distance', async () => {
    const same = await cli('same', lfw('Abdullah_Gul', 1), lfw('Abdullah_Gul', 2));
    expect(same.code).toBe(0);
    const a = JSON.parse(same.out);
    expect(a.same).toBe(true);
    expect(a.distance).toBeLessThan(a.threshold);
    const different = JSON.parse((await cli('same', lfw('Abdullah_Gul', 1), lfw('Adrien_Brody', 1))).out);
    expect(different.same).toBe(false);
    expect(different.distance).toBeGreaterThan(different.threshold);
  });

  it('who: finds the face in a new photo and calls it unknown when nobody named is near', async () => {
    const r = await cli('who', lfw('Adrien_Brody', 2));
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.faces.length).toBeGreaterThanOrEqual(1);
    // The one named person is a synthetic vector, far from any real face: a candidate, but not within the threshold.
    expect(result.faces[0].candidates[0].name).toBe('Someone Synthetic');
    expect(result.faces[0].best).toBeNull();
    // Its box to the hundredth of a pixel, as the library's faces are given.
    for (const v of result.faces[0].box as number[]) expect(Math.round(v * 100) / 100).toBe(v);
    // In words: the nearest named person, and how near a name needs to be (stricter than "same").
    const text = await runCli(fx.dir, 'who', lfw('Adrien_Brody', 2));
    expect(text.out).toMatch(/: unknown \(nearest: Someone Synthetic, \d\.\d{3}; a name needs 0\.\d{3} or less\)/);
  });

  it('a path that is neither an id nor a file is a clear error', async () => {
    const r = await cli('who', '/no/such/photo.jpg');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/neither a face id, a photo id, nor a photo file/);
    // A folder, or a file that is no photo: the sentence says which path.
    const folder = await cli('who', fx.dir);
    expect([folder.code, folder.err.trim()]).toEqual([1, `familiar who: "${fx.dir}" is a folder: give one photo file (or a photo or face id).`]);
    const notPhoto = join(fx.dir, 'notes.jpg');
    await writeFile(notPhoto, 'not a photo');
    const same = await cli('same', lfw('Adrien_Brody', 2), notPhoto);
    expect(same.code).toBe(1);
    expect(same.err).toMatch(new RegExp(`^familiar same: ${notPhoto}: `));
    // Neither a photo: the first given is the one said, though a long file takes longer to refuse than a short one.
    const longNotPhoto = join(fx.dir, 'long-notes.jpg');
    await writeFile(longNotPhoto, 'not a photo\n'.repeat(400_000));
    const neither = await cli('same', longNotPhoto, notPhoto);
    expect([neither.code, neither.err.split(': ').slice(0, 2).join(': ')]).toEqual([1, `familiar same: ${longNotPhoto}`]);
    // A pipe (it would block the read forever) and a device (it never ends): refused before anything reads them.
    const pipe = join(fx.dir, 'pipe.jpg');
    execFileSync('mkfifo', [pipe]);
    const fromPipe = await cli('who', pipe);
    expect([fromPipe.code, fromPipe.err.trim()]).toEqual([1, `familiar who: "${pipe}" is not a regular file (a device, pipe or socket): give one photo file.`]);
    const device = join(fx.dir, 'zero.jpg');
    await symlink('/dev/zero', device);
    const fromDevice = await cli('same', lfw('Adrien_Brody', 2), device);
    expect(fromDevice.code).toBe(1);
    expect(fromDevice.err).toMatch(/is not a regular file \(a device, pipe or socket\)/);
  });
});
