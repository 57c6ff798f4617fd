// `familiar recluster` counts as `familiar people` does, and says which faces its progress counted: QA read
// "Regrouped 502 faces" and on the next line "533 faces: 443 … 90 unknown" as two counts of one thing. Real LFW photos
// with strangers too small to recognise beside the subject (tests/main/people/unrecognisable.test.ts has them).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ignoreFaces } from '../../../main/people/index.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';
import { runCli } from './cli-process.js';
import { preparedLibrary } from './prepared-library.js';

const PHOTOS = [
  'lfw_subset/Adrien_Brody/Adrien_Brody_0006.jpg',
  'lfw_subset/Gary_Bald/Gary_Bald_0001.jpg',
  'lfw_subset/Igor_Ivanov/Igor_Ivanov_0008.jpg',
  'lfw_subset/Tommy_Franks/Tommy_Franks_0004.jpg',
  'lfw_subset/Abdullah_Gul',
];

const library = preparedLibrary('recluster-counts', async (engine) => {
  await engine.import(PHOTOS.map((p) => join(sharedFacesDir(), p)));
  // A face the user said not to ask about: in no group, and no regrouping's either.
  const gul = engine.library.faces.find((f) => f.personId !== null)!;
  await ignoreFaces(engine.library, [gul.id]);
});

describe('familiar recluster counts', () => {
  it('says the faces it regrouped among all the faces, and the unknown ones as People does', async () => {
    const run = await runCli('recluster', '--library', library.dir);
    expect(run.code).toBe(0);
    const progressed = Number(run.out.match(/^Regrouped (\d+) faces/m)![1]);
    const summary = run.out.trim().split('\n').at(-1)!;
    const [, faces, assigned, unknown, tooSmall] = summary.match(/^(\d+) faces: (\d+) in \d+ (?:people\/groups|person\/group) \(\d+ new groups?\), (\d+) unknown \((\d+) too small or unclear to group; and 1 face set aside, not asked about\)/)!.map(Number);
    expect(tooSmall).toBeGreaterThan(0);
    expect(assigned + unknown + 1).toBe(faces);
    // The faces the progress counted, and the others, said with the total.
    expect(summary).toContain(`; ${progressed} regrouped, the other ${faces - progressed} set aside or not to be grouped (too small, unclear, likely no face, or a box drawn by hand);`);
    expect(faces - progressed).toBe(tooSmall + 1);
    const people = await runCli('people', '--library', library.dir);
    expect(people.out.split('\n')[0]).toMatch(new RegExp(`, ${unknown} unknown faces \\(${tooSmall} too small or unclear to group\\); 1 face set aside, not asked about$`));
  });
});
