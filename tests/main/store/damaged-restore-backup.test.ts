// A document restored from backups/ on open: the damaged file is set aside for the user and the file rewritten from
// what was restored, so that backups/ still holds a good copy afterwards. It used to be kept as the backup by the
// open's rewrite, over the good copy: a second problem then left nothing to restore from.
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../../main/store/document.js';
import { readJournalText } from '../../../main/store/faces-journal.js';
import { Library } from '../../../main/store/library.js';
import type { DocumentName } from '../../../main/store/types.js';
import { DAMAGE_CASES, makeDamageBase, type DamageBase } from '../../reliability/helpers/damage-cases.js';
import { lostDecisions, snapshotDecisions, type DecisionSnapshot } from '../../reliability/helpers/library-state.js';

let work: string;
let base: DamageBase;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-restore-backup-'));
  base = await makeDamageBase(work);
}, 60_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const CASES: Array<[DocumentName, string]> = [
  ['faces', 'faces.json truncated half-way'],
  ['photos', 'photos.json empty (0 bytes)'],
  ['people', 'people.json parses but has the wrong shape'],
];

/** backups/<name>.json reads as a sound document, and its journal (if any) goes over it. */
async function expectGoodBackup(dir: string, name: DocumentName): Promise<void> {
  const backups = join(dir, 'backups');
  const bytes = await readFile(join(backups, `${name}.json`));
  const read: { generation?: string | null } = {};
  expect(() => parseDocument(name, `backups/${name}.json`, bytes, read)).not.toThrow();
  const journal = await readFile(join(backups, `${name}.journal`)).catch(() => null);
  if (journal) expect(readJournalText(journal).header?.extends).toBe(read.generation);
}

describe('a document restored from its backup on open', () => {
  it.each(CASES)('%s.json: the damaged file is set aside and backups/ keeps a good copy', async (name, caseName) => {
    const damageCase = DAMAGE_CASES.find((c) => c.name === caseName)!;
    const dir = join(work, name);
    await cp(base.dir, dir, { recursive: true });
    await damageCase.damage(dir, base);
    const damaged = await readFile(join(dir, `${name}.json`));

    const library = await Library.open(dir);
    let decided: DecisionSnapshot;
    try {
      const repair = library.repairs.find((r) => r.part === `${name}.json`);
      expect(repair?.action).toMatch(
        new RegExp(`^the damaged file was set aside in backups/${name}\\.damaged-[0-9TZ-]+\\.json; restored from the last good copy in backups/${name}\\.json$`),
      );
      const setAside = (await readdir(join(dir, 'backups'))).filter((f) => f.startsWith(`${name}.damaged-`));
      expect(setAside).toHaveLength(1);
      expect(await readFile(join(dir, 'backups', setAside[0]))).toEqual(damaged);
      await expectGoodBackup(dir, name);

      // One commit that changes the document.
      await library.transaction((tx) => {
        if (name === 'faces') tx.faces[0].faceness = 0.125;
        if (name === 'photos') tx.photos[0].takenAt = '2001-02-03T04:05:06.000Z';
        if (name === 'people') tx.people.people[0].name = 'Renamed once';
      });
      await expectGoodBackup(dir, name);
      expect(await readFile(join(dir, 'backups', `${name}.json`))).not.toEqual(damaged);
      decided = snapshotDecisions(library);
    } finally {
      await library.close();
    }

    // A second problem: there is still a good copy to restore from, and nothing the user decided is lost, that commit
    // included (it was a line of the journal that went into backups/ with the copy).
    await damageCase.damage(dir, base);
    const again = await Library.open(dir);
    try {
      expect(again.repairs.find((r) => r.part === `${name}.json`)?.action).toMatch(/restored from the last good copy/);
      expect(again.faces).toHaveLength(base.faces);
      expect(lostDecisions(decided!, again)).toEqual([]);
    } finally {
      await again.close();
    }
    expect((await readdir(join(dir, 'backups'))).filter((f) => f.startsWith(`${name}.damaged-`))).toHaveLength(2);
  }, 60_000);
});
