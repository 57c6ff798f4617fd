// A rename travels between libraries: library B took "Rose" from library A's export, A renamed her "Rosie" and exported
// again, and B reading it listed every one of her faces as a conflict ("Rose" vs "Rosie"). Where B's name came from
// the tags alone, the person is renamed and the read says so; a name B's user gave, and a face B's user placed with
// someone else, stay, listed as conflicts. Real photos, real analysis, the CLI reading the second export.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { moveFaces, namePerson, undoDecision } from '../../../main/people/index.js';
import { exportNamesToXmp, importNamesFromOtherApps } from '../../../main/people/xmp-names.js';
import type { Library } from '../../../main/store/library.js';
import { peopleAlbum } from '../library/helpers.js';
import { runCli } from './fixture.js';

const setup = peopleAlbum('familiar-names-rename-', ['Angelina_Jolie', 'Bill_Gates']);

/** The named person, or the unnamed group, most of `folder`'s faces are in. */
function personOf(library: Library, folder: string) {
  const counts = new Map<string, number>();
  for (const f of library.faces) {
    const photo = library.photo(f.photoId)!;
    if (f.personId && photo.paths.some((p) => p.includes(`/${folder}/`))) counts.set(f.personId, (counts.get(f.personId) ?? 0) + 1);
  }
  const [id] = [...counts].sort((a, b) => b[1] - a[1])[0];
  return library.people.people.find((p) => p.id === id)!;
}

const facesIn = (library: Library, folder: string) => library.faces.filter((f) => library.photo(f.photoId)!.paths.some((p) => p.includes(`/${folder}/`)));

describe('a rename made where the names came from', () => {
  it('renames the person whose name came from the tags, and keeps what the user here said', async () => {
    const exported = join(setup.work, 'names');
    const a = await Engine.open(join(setup.work, 'a'), { analyzer: setup.pool });
    try {
      await a.import([setup.album]);
      await namePerson(a.library, personOf(a.library, 'Angelina_Jolie').id, 'Rose');
      await namePerson(a.library, personOf(a.library, 'Bill_Gates').id, 'Bill');
      await exportNamesToXmp(a.library, { to: exported });
    } finally {
      await a.close();
    }

    const dirB = join(setup.work, 'b');
    let moved: string;
    const b = await Engine.open(dirB, { analyzer: setup.pool });
    try {
      await b.import([setup.album], { readNames: false });
      const first = await importNamesFromOtherApps(b.library, { from: exported });
      expect(first.newPeople).toEqual(['Bill', 'Rose']);
      // B's user names Bill otherwise, and places one of Rose's faces with him: their own word, both.
      await namePerson(b.library, personOf(b.library, 'Bill_Gates').id, 'William');
      moved = facesIn(b.library, 'Angelina_Jolie')[0].id;
      await moveFaces(b.library, [moved], personOf(b.library, 'Bill_Gates').id);
    } finally {
      await b.close();
    }

    const a2 = await Engine.open(join(setup.work, 'a'), { analyzer: setup.pool });
    try {
      await namePerson(a2.library, personOf(a2.library, 'Angelina_Jolie').id, 'Rosie');
      await namePerson(a2.library, personOf(a2.library, 'Bill_Gates').id, 'Billy');
      await exportNamesToXmp(a2.library, { to: exported });
    } finally {
      await a2.close();
    }

    const read = await runCli(dirB, 'names', 'import', '--from', exported);
    expect(read.code).toBe(0);
    expect(read.out).toContain('Renamed "Rose" to "Rosie": the name came from these tags, which now say "Rosie".');
    expect(read.out).toContain(`kept ${moved} (`);
    expect(read.out).toMatch(/the metadata says "Rosie", but this face is confirmed as "William" here/);
    expect(read.out).toMatch(/the metadata says "Billy", but this face is confirmed as "William" here/);
    expect(read.out).not.toMatch(/confirmed as "Rose"/);

    const b2 = await Engine.open(dirB, { analyzer: setup.pool });
    try {
      const lib = b2.library;
      expect(personOf(lib, 'Angelina_Jolie').name).toBe('Rosie');
      expect(personOf(lib, 'Bill_Gates').name).toBe('William');
      expect(lib.people.people.filter((p) => p.name !== null).map((p) => p.name).sort()).toEqual(['Rosie', 'William']);
      expect(lib.people.people.find((p) => p.id === lib.face(moved)!.personId)!.name).toBe('William');
      // Reading again: nothing left to rename, Rose's faces already named so.
      const again = await importNamesFromOtherApps(lib, { from: exported });
      expect(again.renamed).toEqual([]);
      expect(again.conflicts.every((c) => /confirmed as "William"/.test(c.reason))).toBe(true);
      expect(again.alreadyNamed).toBe(facesIn(lib, 'Angelina_Jolie').filter((f) => f.id !== moved && f.assignedBy === 'user').length);
    } finally {
      await b2.close();
    }
    // One undo takes the rename back, and says so.
    const undone = await runCli(dirB, 'undo');
    expect(undone.out).toContain('"Rosie" is called "Rose" again.');
    const b3 = await Engine.open(dirB, { analyzer: setup.pool });
    try {
      expect(personOf(b3.library, 'Angelina_Jolie').name).toBe('Rose');
      expect(await undoDecision(b3.library, { onlyIfLatestIs: 'import-names' }).catch((e: Error) => e.message)).toMatch(/latest change/);
    } finally {
      await b3.close();
    }
  }, 600_000);
});
