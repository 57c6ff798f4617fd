// A document restored from backups/ on open whose damaged file cannot be moved aside: on Windows a rename fails with
// EPERM while another program (an antivirus scanner, a backup or sync tool) holds the file open. Nothing may be lost:
// the damaged bytes are kept in backups/ for the user all the same, the good copy there stays good, and a file that
// cannot be replaced either stops the open with a message that says what to do, not the system's words.
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Library } from '../../../main/store/library.js';
import type { DocumentName } from '../../../main/store/types.js';
import { DAMAGE_CASES, makeDamageBase, type DamageBase } from '../../reliability/helpers/damage-cases.js';
import { lostDecisions } from '../../reliability/helpers/library-state.js';

/** Files another program holds open: renaming them away fails (`moving`), and so does renaming over them (`replacing`). */
const held = vi.hoisted(() => ({ moving: new Set<string>(), replacing: new Set<string>() }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const refuse = (from: unknown, to: unknown) => {
    if (!held.moving.has(String(from)) && !held.replacing.has(String(to))) return;
    throw Object.assign(new Error(`EPERM: operation not permitted, rename '${String(from)}' -> '${String(to)}'`), { code: 'EPERM', syscall: 'rename', path: String(from), dest: String(to) });
  };
  const mocked = {
    ...fs,
    rename: async (from: Parameters<typeof fs.rename>[0], to: Parameters<typeof fs.rename>[1]) => (refuse(from, to), fs.rename(from, to)),
  };
  return { ...mocked, default: mocked };
});

let work: string;
let base: DamageBase;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-cannot-move-'));
  base = await makeDamageBase(work);
}, 60_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});
afterEach(() => {
  held.moving.clear();
  held.replacing.clear();
});

const CASES: Array<[DocumentName, string]> = [
  ['faces', 'faces.json truncated half-way'],
  ['photos', 'photos.json empty (0 bytes)'],
  ['people', 'people.json parses but has the wrong shape'],
];

async function damagedCopy(name: DocumentName, caseName: string, tag: string): Promise<{ dir: string; damaged: Buffer; backup: Buffer }> {
  const dir = join(work, `${name}-${tag}`);
  await cp(base.dir, dir, { recursive: true });
  await DAMAGE_CASES.find((c) => c.name === caseName)!.damage(dir, base);
  return { dir, damaged: await readFile(join(dir, `${name}.json`)), backup: await readFile(join(dir, 'backups', `${name}.json`)) };
}

const setAsideIn = async (dir: string, name: DocumentName) => (await readdir(join(dir, 'backups'))).filter((f) => f.startsWith(`${name}.damaged-`));

describe('a damaged document that cannot be moved aside', () => {
  it.each(CASES)('%s.json: a copy of the damaged file is kept in backups/, the document restored, nothing lost', async (name, caseName) => {
    const { dir, damaged } = await damagedCopy(name, caseName, 'copied');
    held.moving.add(join(dir, `${name}.json`));

    const library = await Library.open(dir);
    try {
      const repair = library.repairs.find((r) => r.part === `${name}.json`);
      expect(repair?.action).toMatch(
        new RegExp(
          `^the damaged file could not be moved \\(another program may be using it\\), so a copy of it was set aside in backups/${name}\\.damaged-[0-9TZ-]+\\.json; ` +
            `restored from the last good copy in backups/${name}\\.json$`,
        ),
      );
      expect(repair?.action).not.toMatch(/EPERM/);
      const setAside = await setAsideIn(dir, name);
      expect(setAside).toHaveLength(1);
      expect(await readFile(join(dir, 'backups', setAside[0]))).toEqual(damaged);
      expect(library.faces).toHaveLength(base.faces);
      expect(lostDecisions(base.decisions, library)).toEqual([]);
      // The open rewrote the document from the good copy, over the damaged file, without keeping that as the backup.
      expect(await readFile(join(dir, `${name}.json`))).not.toEqual(damaged);
      expect(await readFile(join(dir, 'backups', `${name}.json`))).not.toEqual(damaged);
      // One commit that changes the document: it goes over the file the open wrote.
      await library.transaction((tx) => {
        if (name === 'faces') tx.faces[0].faceness = 0.125;
        if (name === 'photos') tx.photos[0].takenAt = '2001-02-03T04:05:06.000Z';
        if (name === 'people') tx.settings.samePersonDistance = 0.33;
      });
    } finally {
      await library.close();
    }

    // Let go of, and damaged again: there is still a good copy to restore from.
    held.moving.clear();
    await DAMAGE_CASES.find((c) => c.name === caseName)!.damage(dir, base);
    const again = await Library.open(dir);
    try {
      expect(again.repairs.find((r) => r.part === `${name}.json`)?.action).toMatch(/restored from the last good copy/);
      expect(again.faces).toHaveLength(base.faces);
      expect(lostDecisions(base.decisions, again)).toEqual([]);
      if (name === 'faces') expect(again.faces[0].faceness).toBe(0.125);
      if (name === 'photos') expect(again.photos[0].takenAt).toBe('2001-02-03T04:05:06.000Z');
    } finally {
      await again.close();
    }
  }, 60_000);

  it('faces.json that can be neither moved nor replaced stops the open with what to do, and loses nothing', async () => {
    const { dir, damaged, backup } = await damagedCopy('faces', 'faces.json truncated half-way', 'held');
    const file = join(dir, 'faces.json');
    held.moving.add(file);
    held.replacing.add(file);

    const opening = Library.open(dir);
    await expect(opening).rejects.toThrow(
      new RegExp(
        `^faces\\.json in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged and Familiar could not replace it with the good copy in backups/faces\\.json: ` +
          'another program may be using it \\(an antivirus, backup or sync tool\\)\\. Close it and open the library again; nothing was lost\\.$',
      ),
    );
    // The damaged file is where it was, the good copy untouched, and the lock let go of.
    expect(await readFile(file)).toEqual(damaged);
    expect(await readFile(join(dir, 'backups', 'faces.json'))).toEqual(backup);

    // Once the other program lets go, the next open repairs it as usual.
    held.moving.clear();
    held.replacing.clear();
    const library = await Library.open(dir);
    try {
      expect(library.repairs.find((r) => r.part === 'faces.json')?.action).toMatch(/^the damaged file was set aside in backups\/faces\.damaged-/);
      expect(library.faces).toHaveLength(base.faces);
      expect(lostDecisions(base.decisions, library)).toEqual([]);
    } finally {
      await library.close();
    }
  }, 60_000);
});
