// `familiar people` keeps the "may be two people" verdicts of its last run in the library folder, and judges again only
// the groups that changed since (it judged every group on every run: 5-8.5 s at 6,220 groups). On lfw_subset's cached
// faces of Serena and Venus Williams grouped as one, as a first import of their photos groups them, and Colin Powell.
import { readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEPT_VERDICTS_FILE, readKeptVerdicts, writeKeptVerdicts } from '../../../main/people/kept-verdicts-file.js';
import { TwoPeopleVerdicts, type KeptVerdict } from '../../../main/people/two-people-verdicts.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addPersonWithFaces } from '../embedder/fixture.js';
import { runCli } from '../cli/cli-process.js';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-kept-verdicts-'));
  const library = await Library.open(dir);
  try {
    const lfw = await loadLfwPeople();
    const of = (identity: string) => lfw.find((p) => p.identity === identity)!.descriptors;
    await addPersonWithFaces(library, 'sisters', null, [...of('Serena_Williams'), ...of('Venus_Williams')], 0);
    await addPersonWithFaces(library, 'powell', 'Colin Powell', of('Colin_Powell'), 0);
  } finally {
    await library.close();
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The verdicts judged from scratch on the library as it is. */
async function judgedAfresh(library: Library): Promise<Map<string, KeptVerdict>> {
  const verdicts = new TwoPeopleVerdicts(library);
  try {
    await verdicts.settled();
    return verdicts.keptVerdicts();
  } finally {
    verdicts.stop();
  }
}

describe('kept "may be two people" verdicts', () => {
  it('takes a kept verdict while its digest holds, and judges again a group whose faces changed', async () => {
    const library = await Library.open(dir);
    try {
      const judged = await judgedAfresh(library);
      expect(judged.get('sisters')?.question).not.toBeNull();
      expect(judged.get('powell')?.question).toBeNull();
      // Kept verdicts that say the opposite, under the digests of the groups as they are: taken as they are, unjudged.
      const [someFaces, otherFaces] = [library.faces.slice(0, 3).map((f) => f.id), library.faces.slice(3, 6).map((f) => f.id)];
      const kept = new Map<string, KeptVerdict>([
        ['sisters', { key: judged.get('sisters')!.key, question: null }],
        ['powell', { key: judged.get('powell')!.key, question: { stays: someFaces, leaves: otherFaces } }],
      ]);
      const seeded = new TwoPeopleVerdicts(library, { kept });
      await seeded.settled();
      expect([...seeded.marked()]).toEqual(['powell']);
      seeded.stop();
      // One of Powell's faces gone to the sisters: both digests change, and both are judged again.
      const moved = library.faces.find((f) => f.personId === 'powell')!.id;
      await library.transaction((tx) => {
        tx.faces.find((f) => f.id === moved)!.personId = 'sisters';
      });
      const again = new TwoPeopleVerdicts(library, { kept });
      await again.settled();
      expect([...again.marked()]).toEqual(['sisters']);
      again.stop();
    } finally {
      await library.close();
    }
  });

  it('reads back what it wrote, only for the same generation of the vector files, and nothing from a damaged file', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'familiar-kept-verdicts-file-'));
    try {
      const verdicts = new Map<string, KeptVerdict>([
        ['a', { key: 'k1', question: { stays: ['f1', 'f2', 'f3'], leaves: ['f4', 'f5', 'f6'] } }],
        ['b', { key: 'k2', question: null }],
      ]);
      await writeKeptVerdicts(scratch, 2, verdicts, new Map());
      expect(await readKeptVerdicts(scratch, 2)).toEqual(verdicts);
      // Compacted since: row numbers name other vectors, so the digests mean nothing.
      expect((await readKeptVerdicts(scratch, 3)).size).toBe(0);
      for (const damaged of ['{"format":1,"vectorGeneration":2,"verdicts":{"a":{"key":"k1","stays":"f1"}}}', '{"format":1', '']) {
        writeFileSync(join(scratch, KEPT_VERDICTS_FILE), damaged);
        expect((await readKeptVerdicts(scratch, 2)).size).toBe(0);
      }
      // Unwritable (a file where the folder should be): the caller's command goes on.
      await expect(writeKeptVerdicts(join(scratch, KEPT_VERDICTS_FILE, 'nested'), 2, verdicts, new Map())).resolves.toBeUndefined();
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('familiar people writes them, answers the same from them, and over a damaged file', async () => {
    const file = join(dir, KEPT_VERDICTS_FILE);
    rmSync(file, { force: true });
    const first = await runCli('people', '--library', dir, '--json');
    expect(first.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { verdicts: Record<string, { leaves?: string[] }> };
    expect(Object.keys(written.verdicts).sort()).toEqual(['powell', 'sisters']);
    const marks = (out: string) => Object.fromEntries((JSON.parse(out) as { id: string; mayBeTwoPeople: boolean }[]).map((p) => [p.id, p.mayBeTwoPeople]));
    const second = await runCli('people', '--library', dir, '--json');
    expect(marks(second.out)).toEqual(marks(first.out));
    writeFileSync(file, 'not json');
    const third = await runCli('people', '--library', dir, '--json');
    expect(third.code).toBe(0);
    expect(marks(third.out)).toEqual(marks(first.out));
    expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow();
  });
});
