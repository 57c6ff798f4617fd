// `familiar names import` keeps a named region no detected face matches as a face of its own (as the viewer keeps a box
// drawn around a face it could not make out) and says so; a name it still cannot keep is said by name and photo, in
// words and in --json. QA: "1 region had no detected face", and "Aide Tom" was gone with nothing to say where from.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameFaces } from '../../../main/people/index.js';
import { exportNamesToXmp, type NamesImportResult } from '../../../main/people/xmp-names.js';
import { makeAlbum } from '../library/helpers.js';
import { runCli } from './cli-process.js';
import { preparedLibrary } from './prepared-library.js';

const ALBUM = {
  'laura/Laura_Bush_0007.jpg': 'lfw_subset/Laura_Bush/Laura_Bush_0007.jpg',
  'obama/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
};

let album = '';
let exported = '';

/** The library the user marked and named a face in, then exported the names from. */
preparedLibrary('names-drawn-source', async (engine, work) => {
  album = await makeAlbum(join(work, 'album'), ALBUM);
  exported = join(work, 'exported');
  await engine.import([album]);
  const laura = engine.library.photos.find((p) => p.paths[0].endsWith('Laura_Bush_0007.jpg'))!;
  const { faceId, added } = await engine.addDrawnFace(laura.id, [4, 150, 44, 50]);
  expect(added).toBe(true);
  await nameFaces(engine.library, [faceId], 'Aide Tom');
  await exportNamesToXmp(engine.library, { to: exported });
});

/** A fresh library of the same photos. */
const fresh = preparedLibrary('names-drawn-fresh', async (engine) => {
  await engine.import([album], { readNames: false });
});

const jsonSummary = (out: string): NamesImportResult =>
  out
    .trim()
    .split('\n')
    .map((line) => {
      try {
        return JSON.parse(line) as NamesImportResult;
      } catch {
        return null;
      }
    })
    .filter((r): r is NamesImportResult => r !== null && 'droppedRegions' in r)
    .pop()!;

describe('familiar names import and a face marked by hand in another library', () => {
  it('keeps the named region as a face, says so, and no longer says it was dropped', async () => {
    const run = await runCli('names', 'import', '--from', exported, '--library', fresh.dir);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/1 of them (kept as its region was drawn|found by a closer look)/);
    expect(run.out).not.toContain('went to no face');
    expect(run.out).not.toContain('had no detected face');
    // Undo takes the face out with the names; read again, --json says the same.
    expect((await runCli('undo', '--library', fresh.dir)).code).toBe(0);
    const again = await runCli('names', 'import', '--from', exported, '--library', fresh.dir, '--json');
    expect(again.code).toBe(0);
    expect(jsonSummary(again.out)).toMatchObject({ facesAdded: 1, unmatchedRegions: 0, droppedRegions: [], newPeople: ['Aide Tom'] });
  }, 300_000);

  it('names the photo and the name of a region it cannot keep, in words and in --json', async () => {
    // A region 5 px wide (0.02 of 250 px): no face fits there.
    const photo = join(album, 'laura/Laura_Bush_0007.jpg');
    await writeFile(
      `${photo}.xmp`,
      `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"><mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="Speck" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.05" stArea:y="0.9" stArea:w="0.02" stArea:h="0.02" stArea:unit="normalized"/></rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>`,
    );
    const run = await runCli('names', 'import', '--library', fresh.dir);
    expect(run.code).toBe(0);
    expect(run.out).toContain('1 tagged name went to no face.');
    expect(run.out).toContain(`not kept: "Speck" in ${photo}: its region is too small to hold a face`);
    const json = await runCli('names', 'import', '--library', fresh.dir, '--json');
    expect(jsonSummary(json.out).droppedRegions).toEqual([{ path: photo, name: 'Speck', reason: expect.stringContaining('too small') }]);
  }, 300_000);
});
