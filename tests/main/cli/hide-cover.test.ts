// `familiar hide`, `show` and `cover` on real faces (lfw_subset backbone descriptors from the shared cache). QA deleted
// "Bill Gates" to be rid of him: the delete grouped his faces again at once, as a new group to name, and the CLI had no
// way to hide a person, which is what the app's People screen offers for it; nor to choose a person's cover.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listPeople, recluster } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { addPersonWithFaces } from '../embedder/fixture.js';
import { runCli } from '../people/fixture.js';

let people: Map<string, LfwPerson>;
let dir: string;
let billFaces: string[];
let tonyFaces: string[];

beforeAll(async () => {
  people = new Map((await loadLfwPeople()).map((p) => [p.identity, p]));
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-hide-cli-'));
  const library = await Library.open(dir);
  try {
    billFaces = await addPersonWithFaces(library, 'person-bill', 'Bill Gates', people.get('Bill_Gates')!.descriptors, 10);
    tonyFaces = await addPersonWithFaces(library, 'person-tony', 'Tony', people.get('Tony_Blair')!.descriptors, 2);
  } finally {
    await library.close();
  }
});

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(dir, ...args);

async function inLibrary<T>(read: (library: Library) => T): Promise<T> {
  const library = await Library.open(dir, { readOnly: true });
  try {
    return read(library);
  } finally {
    await library.close();
  }
}

describe('familiar hide, show and cover', () => {
  it('delete says a person deleted comes back as a group, and how to hide them instead', async () => {
    const deleted = await cli('delete', 'Bill Gates');
    expect(deleted.code).toBe(0);
    expect(deleted.out).toMatch(/Grouped again: 10 faces in a new unnamed group person-/);
    expect(deleted.out).toContain('Not to see them again, hide them instead: familiar undo, then familiar hide "Bill Gates".\n');
  });

  it('hides a person: not listed, faces kept theirs through a regrouping, listed with --all, shown again', async () => {
    const hidden = await cli('hide', 'bill gates');
    expect(hidden.code).toBe(0);
    expect(hidden.out).toBe('Hid "Bill Gates".\n"familiar people --all" lists them; "familiar show" or "familiar undo" shows them again.\n');
    expect((await cli('people')).out).not.toContain('Bill Gates');
    // Said in the count line, as the app's People says it (QA: no hint that anyone was hidden).
    expect((await cli('people')).out.split('\n')[0]).toMatch(/; 1 hidden \(--all lists them\)$/);
    expect((await cli('people', '--all')).out).toMatch(/Bill Gates +10 faces .* hidden\n/);
    expect((await cli('people', '--all')).out.split('\n')[0]).not.toMatch(/hidden/);

    // A regrouping leaves a hidden person's faces with them, and makes no group of them.
    const library = await Library.open(dir);
    try {
      await recluster(library);
      expect(billFaces.map((id) => library.face(id)?.personId)).toEqual(billFaces.map(() => 'person-bill'));
      expect(listPeople(library, { includeHidden: false }).map((p) => p.name)).toEqual(['Tony']);
    } finally {
      await library.close();
    }

    // Hiding him again changes nothing, and says so: no decision for an undo to take back.
    const again = await cli('hide', 'Bill Gates');
    expect(again.code).toBe(1);
    expect(again.err).toContain('"Bill Gates" is hidden already.');

    const shown = await cli('show', 'Bill Gates');
    expect(shown.code).toBe(0);
    expect(shown.out).toBe('Showed "Bill Gates".\n"familiar undo" hides them again.\n');
    expect((await cli('people')).out).toMatch(/Bill Gates +10 faces/);
    expect((await cli('show', 'Bill Gates')).err).toContain('"Bill Gates" is shown already.');
    // One undo takes back the show, the next the hide: nothing in between.
    expect((await cli('undo')).code).toBe(0);
    expect((await cli('people')).out).not.toContain('Bill Gates');
  });

  it('hides several in one decision that one undo takes back, and refuses a name it does not know, hiding nothing', async () => {
    expect((await cli('hide', 'Bill Gates', 'Tony')).code).toBe(0);
    expect(await inLibrary((l) => l.people.people.filter((p) => p.hidden).map((p) => p.name))).toEqual(['Bill Gates', 'Tony']);
    expect((await cli('undo')).code).toBe(0);
    expect(await inLibrary((l) => l.people.people.filter((p) => p.hidden).length)).toBe(0);

    const unknown = await cli('hide', 'Tony', 'Serena Williams');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No person "Serena Williams"');
    expect(await inLibrary((l) => l.people.people.filter((p) => p.hidden).length)).toBe(0);
    expect((await cli('hide')).code).toBe(2);
  });

  it('chooses a cover among the person\'s faces, confirming it, and refuses another person\'s face', async () => {
    const chosen = await cli('cover', 'Tony', tonyFaces[5]);
    expect(chosen.code).toBe(0);
    expect(chosen.out).toBe('Chose a new cover for "Tony".  ("familiar undo" reverts it)\n');
    expect(await inLibrary((l) => [l.people.people.find((p) => p.id === 'person-tony')?.coverFaceId, l.face(tonyFaces[5])?.assignedBy])).toEqual([tonyFaces[5], 'user']);

    const wrong = await cli('cover', 'Tony', billFaces[0]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(`Face ${billFaces[0]} is not one of`);
    expect((await cli('cover', 'Tony')).code).toBe(2);
  });
});
