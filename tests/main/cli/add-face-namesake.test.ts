// `familiar add-face --name` names the unnamed group the face lands in, as the app's viewer does; a name someone it
// appears with in a photo has would merge the two unasked, so it is refused as `familiar name` refuses it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { newPersonId, nowIso } from '../../../main/people/library.js';
import { Library } from '../../../main/store/library.js';
import { sharedFaces } from '../library/helpers.js';
import { runCli as run } from './cli-process.js';

let dir: string;
let libraryDir: string;
let photo: string;
/** The two faces of the photo: one in an unnamed group, the other confirmed as "Zoë". */
let inGroup: { id: string; box: number[] };
let group: string;
let zoe: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-add-face-namesake-'));
  const album = join(dir, 'album');
  mkdirSync(album);
  photo = join(album, 'obama_and_biden.jpg');
  copyFileSync(join(sharedFaces, 'face_recognition', '_group_photos', 'obama_and_biden.jpg'), photo);
  libraryDir = join(dir, 'library');
  const engine = await Engine.open(libraryDir);
  try {
    await engine.import([album]);
  } finally {
    await engine.close();
  }
  const library = await Library.open(libraryDir);
  try {
    const [a, b] = [...library.faces].sort((x, y) => y.box[2] * y.box[3] - x.box[2] * x.box[3]);
    inGroup = { id: a.id, box: a.box };
    [group, zoe] = [newPersonId(), newPersonId()];
    await library.transaction((tx) => {
      tx.people.people = tx.people.people.filter((p) => p.id !== a.personId && p.id !== b.personId);
      tx.people.people.push({ id: group, name: null, hidden: false, coverFaceId: null, createdAt: nowIso() });
      tx.people.people.push({ id: zoe, name: 'Zoë', hidden: false, coverFaceId: null, createdAt: nowIso() });
      for (const f of tx.faces) {
        if (f.id === a.id) Object.assign(f, { personId: group, assignedBy: 'cluster', rejectedPersonIds: [] });
        if (f.id === b.id) Object.assign(f, { personId: zoe, assignedBy: 'user', rejectedPersonIds: [] });
      }
    });
  } finally {
    await library.close();
  }
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('familiar add-face --name', () => {
  it('refuses to merge the group the face is in into someone it appears with, by any spelling of their name', async () => {
    const box = inGroup.box.map((v) => Math.round(v)).join(',');
    const refused = await run('add-face', photo, '--box', box, '--name', 'zoe', '--library', libraryDir);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `familiar add-face: This group appears with "Zoë" in a photo: one person is in a photo only once, so they are probably two people. ` +
        `Nothing was changed. To merge them anyway: familiar merge "Zoë" "${group}". Or choose another name.\n`,
    );
    const library = await Library.open(libraryDir, { readOnly: true });
    try {
      expect(library.face(inGroup.id)).toMatchObject({ personId: group, assignedBy: 'cluster' });
      expect(library.people.people.map((p) => p.name)).toEqual(expect.arrayContaining([null, 'Zoë']));
    } finally {
      await library.close();
    }

    // Another name names the group, as before.
    const named = await run('add-face', photo, '--box', box, '--name', 'Ada', '--library', libraryDir);
    expect(named.err).toBe('');
    expect(named.code).toBe(0);
    expect(named.out).toMatch(/^That face was marked already: [0-9a-f]{16}-\d+ \[[\d, ]+\]\. Named "Ada" \(1 face, all confirmed\)\./);
  }, 300_000);
});
