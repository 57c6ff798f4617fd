// The Linux tree watcher on real folders: one inotify watch per folder, not per file (Node's recursive watch on Linux
// took one for every photo too: 100,000 of the user's watches for a library that size, QA), and still every change
// heard, in folders made, moved in or removed while it watches.
import { mkdirSync, rmSync, watch } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinuxTreeWatcher } from '../../../main/library/tree-watch.js';

let root: string;
let watcher: LinuxTreeWatcher | null = null;
let heard: Array<string | null>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'familiar-tree-watch-'));
  heard = [];
});

afterEach(async () => {
  watcher?.close();
  watcher = null;
  await rm(root, { recursive: true, force: true });
});

/** Waits until a name under the root (null: "something changed") has been heard; inotify is quick, not synchronous. */
async function hears(name: string | null): Promise<void> {
  const until = Date.now() + 5_000;
  while (!heard.includes(name)) {
    if (Date.now() > until) throw new Error(`never heard ${name}; heard ${JSON.stringify(heard)}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

describe.runIf(process.platform === 'linux')('LinuxTreeWatcher', () => {
  it('takes one watch per folder, however many photos the folders hold, and hears a photo added deep in the tree', async () => {
    for (const year of ['2019', '2020']) {
      for (const month of ['01', '02', '03']) {
        await mkdir(join(root, year, month), { recursive: true });
        for (let i = 0; i < 20; i++) await writeFile(join(root, year, month, `IMG_${i}.jpg`), 'x');
      }
    }
    watcher = new LinuxTreeWatcher(root, (_event, name) => heard.push(name));
    // The root, two years, six months: 9 folders; the 120 photos take none.
    expect(watcher.size).toBe(9);
    await writeFile(join(root, '2020', '03', 'IMG_new.jpg'), 'x');
    await hears(join('2020', '03', 'IMG_new.jpg'));
  });

  it('watches a folder made, or moved in full, while it watches, and lets go of one removed', async () => {
    watcher = new LinuxTreeWatcher(root, (_event, name) => heard.push(name));
    expect(watcher.size).toBe(1);

    await mkdir(join(root, 'Holiday'));
    // A folder new to the tree: "something changed", as its files came before its watch.
    await hears(null);
    await writeFile(join(root, 'Holiday', 'beach.jpg'), 'x');
    await hears(join('Holiday', 'beach.jpg'));
    expect(watcher.size).toBe(2);

    // A card's folders, copied elsewhere and moved in at once: watched, and what lands in them later heard.
    const card = await mkdtemp(join(tmpdir(), 'familiar-tree-watch-card-'));
    await mkdir(join(card, 'DCIM', '100CANON'), { recursive: true });
    await writeFile(join(card, 'DCIM', '100CANON', 'IMG_0001.jpg'), 'x');
    heard = [];
    await rename(join(card, 'DCIM'), join(root, 'DCIM'));
    await rm(card, { recursive: true, force: true });
    await hears(null);
    expect(watcher.size).toBe(4);
    await writeFile(join(root, 'DCIM', '100CANON', 'IMG_0002.jpg'), 'x');
    await hears(join('DCIM', '100CANON', 'IMG_0002.jpg'));

    await rm(join(root, 'DCIM'), { recursive: true });
    await hears('DCIM');
    await new Promise((done) => setTimeout(done, 100));
    expect(watcher.size).toBe(2);
  });

  it('says a folder with a dot in its name moved in, and the root itself renamed, as "something changed"', async () => {
    // A review: the caller takes a name with a dot for a file, and "Trip.2023" moved in full was never looked at.
    const tree = join(root, 'Photos.2023');
    await mkdir(tree);
    watcher = new LinuxTreeWatcher(tree, (_event, name) => heard.push(name));
    const elsewhere = await mkdtemp(join(tmpdir(), 'familiar-tree-watch-trip-'));
    await mkdir(join(elsewhere, 'Trip.2023'));
    await writeFile(join(elsewhere, 'Trip.2023', 'a.jpg'), 'x');
    await rename(join(elsewhere, 'Trip.2023'), join(tree, 'Trip.2023'));
    await rm(elsewhere, { recursive: true, force: true });
    await hears(null);
    heard = [];
    await rename(tree, join(root, 'Photos.2024'));
    await hears(null);
    expect(heard).not.toContain('Photos.2023');
  });

  it('watches a folder removed and made again at once under the same name', async () => {
    await mkdir(join(root, 'export'));
    watcher = new LinuxTreeWatcher(root, (_event, name) => heard.push(name));
    // As an export script does: rm -rf export && mkdir export.
    rmSync(join(root, 'export'), { recursive: true });
    mkdirSync(join(root, 'export'));
    await new Promise((done) => setTimeout(done, 200));
    await writeFile(join(root, 'export', 'late.jpg'), 'x');
    await hears(join('export', 'late.jpg'));
    expect(watcher.size).toBe(2);
  });

  it('refuses a root that is not there, as fs.watch does', () => {
    expect(() => new LinuxTreeWatcher(join(root, 'gone'), () => {})).toThrow(/ENOENT/);
  });

  it('fails whole when the watches run out below the root, rather than watch part of the tree unsaid; passes over an unreadable folder', async () => {
    for (const year of ['2019', '2020', '2021']) await mkdir(join(root, year));
    const refusing = (code: string, after: number): typeof watch => {
      let calls = 0;
      return ((...args: Parameters<typeof watch>) => {
        if (++calls > after) throw Object.assign(new Error(`${code}: refused, watch`), { code });
        return watch(...args);
      }) as typeof watch;
    };
    expect(() => new LinuxTreeWatcher(root, () => {}, { watchFolder: refusing('ENOSPC', 2) })).toThrow(/ENOSPC/);
    watcher = new LinuxTreeWatcher(root, () => {}, { watchFolder: refusing('EACCES', 2) });
    expect(watcher.size).toBe(2);
  });
});
