// The watcher behind "the library watches added folders for new photos": a photo copied into a watched folder
// (or a subfolder) wakes one debounced re-import; non-photo files and unwatched folders do not. A sidecar another app
// saves there (XMP, Picasa's .picasa.ini) is said apart, with its path, for its photos' names to be read again.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderWatcher } from '../../../main/library/folder-watcher.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'familiar-watch-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function watcherRecording(debounceMs = 300, platform?: NodeJS.Platform, retryMs?: number) {
  const changes: string[] = [];
  const errors: string[] = [];
  const sidecars: Array<[string, string[]]> = [];
  const watcher = new FolderWatcher({ onChange: (f) => changes.push(f), onSidecarsChange: (f, files) => sidecars.push([f, files]), onError: (f) => errors.push(f), debounceMs, platform, retryMs });
  cleanup.push(() => watcher.close());
  return { watcher, changes, errors, sidecars };
}

const photo = join(sharedFacesDir(), 'face_recognition', 'biden', 'biden.jpg');
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('FolderWatcher', () => {
  it('fires once per quiet period when photos land in a watched folder or its subfolders', async () => {
    const album = tempDir();
    const { watcher, changes } = watcherRecording();
    watcher.watch([album]);
    mkdirSync(join(album, 'summer'));
    copyFileSync(photo, join(album, 'summer', 'a.jpg'));
    copyFileSync(photo, join(album, 'b.JPG'));
    await expect.poll(() => changes.length, { timeout: 30_000 }).toBe(1);
    expect(changes[0]).toBe(resolve(album));
    await settle(600);
    expect(changes).toHaveLength(1);
  });

  it('ignores files that are not photos, and folders it no longer watches', async () => {
    const album = tempDir();
    const other = tempDir();
    const { watcher, changes } = watcherRecording();
    watcher.watch([album, other]);
    watcher.watch([album]);
    expect(watcher.watching).toEqual([resolve(album)]);
    writeFileSync(join(album, 'notes.txt'), 'not a photo');
    copyFileSync(photo, join(other, 'c.jpg'));
    await settle(900);
    expect(changes).toEqual([]);
  });

  it('watches one folder listed in two spellings once where the platform takes them for one (macOS), and says it as listed now', async () => {
    const album = join(tempDir(), 'Zo\u00eb');
    mkdirSync(album);
    const other = album.slice(0, -'Zo\u00eb'.length) + 'zoe\u0308'; // NFD, lower case: the same folder on a Mac
    const { watcher, changes, errors } = watcherRecording(300, 'darwin');
    watcher.watch([album, other]);
    expect(watcher.watching).toEqual([album]);
    watcher.watch([other]); // the list now spells it otherwise: the same watch, said the new way
    expect(watcher.watching).toEqual([other]);
    copyFileSync(photo, join(album, 'e.jpg'));
    await expect.poll(() => changes.length, { timeout: 30_000 }).toBe(1);
    expect(changes).toEqual([other]);
    expect(errors).toEqual([]);
    // Linux: two spellings, two folders; the one not on disk cannot be watched.
    const linux = watcherRecording(300, 'linux');
    linux.watcher.watch([album, other]);
    expect(linux.watcher.watching).toEqual([album]);
    expect(linux.errors).toEqual([other]);
  });

  it('says which sidecars changed, apart from the photos: an XMP saved by digiKam or Lightroom, a .picasa.ini', async () => {
    const album = tempDir();
    mkdirSync(join(album, 'summer'));
    const { watcher, changes, sidecars } = watcherRecording();
    watcher.watch([album]);
    writeFileSync(join(album, 'summer', 'a.jpg.xmp'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
    writeFileSync(join(album, 'B.XMP'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
    writeFileSync(join(album, 'summer', '.picasa.ini'), '[a.jpg]\nfaces=rect64(1000200030004000),1\n');
    await expect.poll(() => sidecars.length, { timeout: 30_000 }).toBe(1);
    expect(sidecars[0]).toEqual([resolve(album), [join(album, 'B.XMP'), join(album, 'summer', '.picasa.ini'), join(album, 'summer', 'a.jpg.xmp')].sort()]);
    // No photo changed: no import.
    expect(changes).toEqual([]);
    // A photo and its sidecar at once: the import, then the names.
    copyFileSync(photo, join(album, 'c.jpg'));
    writeFileSync(join(album, 'c.jpg.xmp'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
    await expect.poll(() => sidecars.length, { timeout: 30_000 }).toBe(2);
    expect(changes).toEqual([resolve(album)]);
    expect(sidecars[1]).toEqual([resolve(album), [join(album, 'c.jpg.xmp')]]);
    await settle(600);
    expect([changes.length, sidecars.length]).toEqual([1, 2]);
  });

  it('reports a folder it cannot watch and keeps watching the others', async () => {
    const album = tempDir();
    const { watcher, changes, errors } = watcherRecording();
    watcher.watch([join(album, 'does-not-exist'), album]);
    expect(errors).toEqual([join(album, 'does-not-exist')]);
    copyFileSync(photo, join(album, 'd.webp'));
    await expect.poll(() => changes.length, { timeout: 30_000 }).toBe(1);
  });

  it('watches a folder absent when it started once it is there, and looks at it then (a drive plugged in again)', async () => {
    // QA: a watched folder missing as the app started was never watched again until the next start.
    const album = join(tempDir(), 'Family');
    const { watcher, changes, errors } = watcherRecording(300, undefined, 200);
    watcher.watch([album]);
    watcher.watch([album]); // a refresh after an import: tried again, not reported again
    await settle(700);
    expect([errors, changes, watcher.watching]).toEqual([[album], [], []]);
    mkdirSync(album);
    copyFileSync(photo, join(album, 'while-away.jpg'));
    // Back: watched, and its photos looked at once, those put there while it was away included.
    await expect.poll(() => changes, { timeout: 10_000 }).toEqual([album]);
    expect(watcher.watching).toEqual([album]);
    copyFileSync(photo, join(album, 'after.jpg'));
    await expect.poll(() => changes.length, { timeout: 30_000 }).toBe(2);
    expect(errors).toEqual([album]);
  });

  it('watches a folder again once it is back after it went away while watched', async () => {
    const album = join(tempDir(), 'Family');
    mkdirSync(album);
    const { watcher, changes, errors } = watcherRecording(300, undefined, 200);
    watcher.watch([album]);
    rmSync(album, { recursive: true });
    await expect.poll(() => errors, { timeout: 10_000 }).toEqual([album]);
    expect([changes, watcher.watching]).toEqual([[], []]);
    mkdirSync(album);
    await expect.poll(() => changes, { timeout: 10_000 }).toEqual([album]);
    copyFileSync(photo, join(album, 'back.jpg'));
    await expect.poll(() => changes.length, { timeout: 30_000 }).toBe(2);
  });
});
