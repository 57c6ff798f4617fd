// What the folder watcher reports after a names export: the sidecars as the export left them are its own, any other
// change (digiKam saving one a second later, a file the export never touched) is another app's, read again.
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnSidecarWrites } from '../../../main/api/own-sidecars.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-own-sidecars-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('OwnSidecarWrites', () => {
  it("tells the export's own writes and removals from other apps' changes, each write once", async () => {
    const [written, edited, removed, untouched] = ['a.jpg.xmp', 'b.jpg.xmp', 'c.jpg.xmp', 'd.xmp'].map((name) => join(dir, name));
    const own = new OwnSidecarWrites();
    for (const [path, text] of [[written, '<x/>'], [edited, '<y/>']] as const) {
      await writeFile(path, text);
      own.record(path, text);
    }
    own.record(removed, null);
    await writeFile(edited, '<y rating="4"/>');
    await writeFile(untouched, '<z/>');
    expect(await own.othersOf([written, edited, removed, untouched])).toEqual([edited, untouched]);
    // Heard once as Familiar's: a later change to the same file, even back to the same text, is another app's.
    expect(await own.othersOf([written])).toEqual([written]);
    // A new export forgets what the last one wrote.
    own.record(written, '<x/>');
    own.clear();
    expect(await own.othersOf([written])).toEqual([written]);
    // A file the export wrote and another app then deleted is that app's change.
    own.record(written, '<x/>');
    await unlink(written);
    expect(await own.othersOf([written])).toEqual([written]);
  });
});
