// A name in another app's tag that no person may have (too long, control characters) is a tag not read, said so: never
// "disagreed with your own answers". QA: a brand-new library was told 4 tags disagreed with the user's answers for a
// 132-character name. Real photos, a digiKam people keyword in each sidecar.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importNamesFromOtherApps } from '../../../main/people/xmp-names.js';
import { namesReadSentence } from '../../../preload/contract.js';
import { scratchEngine } from '../../helpers/imported-library.js';
import { lfwPhoto } from '../library/helpers.js';

const LONG_NAME = 'Princess Maria Theresa Walburga Amalia Christina of Habsburg, Archduchess of Austria, Queen of Hungary and Bohemia, Duchess of Milan';
const digiKamPeopleKeyword = (name: string) =>
  `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:digiKam="http://www.digikam.org/ns/1.0/"><digiKam:TagsList><rdf:Seq><rdf:li>People/${name}</rdf:li></rdf:Seq></digiKam:TagsList></rdf:Description></rdf:RDF></x:xmpmeta>`;

const scratch = scratchEngine('unusable-name', async (work) => {
  await mkdir(join(work, 'album'));
  for (const n of [1, 2]) {
    await copyFile(lfwPhoto('Bill_Gates', n), join(work, 'album', `gates_${n}.jpg`));
    await writeFile(join(work, 'album', `gates_${n}.jpg.xmp`), digiKamPeopleKeyword(n === 1 ? LONG_NAME : 'Ann&#9;Lee'));
  }
});

describe('a tag whose name no person may have', () => {
  it('is not read, and the import says why in its own words, not as a disagreement', async () => {
    const engine = scratch.engine();
    const imported = await engine.import([join(scratch.work(), 'album')]);
    expect(imported.names).toMatchObject({ facesNamed: 0, conflicts: 0, unusableNames: 2 });
    expect(namesReadSentence(imported)).toBe('2 tags gave a name Familiar cannot use (too long, or with control characters), and were not read.');
    const read = await importNamesFromOtherApps(engine.library);
    expect(read.conflicts).toEqual([]);
    expect(read.droppedRegions.map((d) => d.reason).sort()).toEqual([
      'the name cannot be used: a name is at most 120 characters',
      'the name cannot be used: a name must not contain control or text-direction characters',
    ]);
  });
});
