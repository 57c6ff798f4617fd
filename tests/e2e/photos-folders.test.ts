// Photos by folder in headless Chromium against a real `familiar serve`: an album in year and event folders (one photo
// copied into two of them, one folder with an odd name) imported, then its folders chosen from the tree with the keys,
// with and without their subfolders, and with a person named. QA: a freshly copied album all landed in one month, and the
// folders the user made were nowhere. Then a folder's photos copied out into a folder typed on the page. Screenshots:
// 53-photos-by-folder.png, 54a-photos-copy-dialog.png, 54-photos-copied.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { importAndWait, screenshot, serveInBrowser, sharedFaces, tempLibrary, type ServedInBrowser } from './harness.js';

const ODD = 'Ünïcødé & <b>odd "names" 🎉';
const lfw = (person: string, n: number) => join(sharedFaces, 'lfw_subset', person, `${person}_000${n}.jpg`);
/** Where each photo goes in the album. */
const ALBUM: Record<string, string> = {
  '2018/gul-1.jpg': lfw('Abdullah_Gul', 1),
  '2018/Summer holiday/gul-2.jpg': lfw('Abdullah_Gul', 2),
  '2018/Summer holiday/gul-3.jpg': lfw('Abdullah_Gul', 3),
  '2018/Summer holiday/toledo-1.jpg': lfw('Alejandro_Toledo', 1),
  '2019/Trip to Rome/brody-1.jpg': lfw('Adrien_Brody', 1),
  '2019/Trip to Rome/brody-2.jpg': lfw('Adrien_Brody', 2),
  '2019/Trip to Rome/gul-4.jpg': lfw('Abdullah_Gul', 4),
  [`${ODD}/toledo-2.jpg`]: lfw('Alejandro_Toledo', 2),
  // The same photo kept in two folders: one photo, in both.
  [`${ODD}/brody-1 copy.jpg`]: lfw('Adrien_Brody', 1),
};

let served: ServedInBrowser;
let page: Page;
let album: string;

const tree = () => page.getByRole('tree', { name: 'Folders' });
const folderRow = (name: string | RegExp) => tree().getByRole('treeitem', { name });

describe('Photos by folder, in a browser', () => {
  beforeAll(async () => {
    const library = tempLibrary();
    album = `${library}-album`;
    served = await serveInBrowser(library, {
      alsoRemove: [album, `${album}-copied`],
      async prepare(api) {
        for (const [target, source] of Object.entries(ALBUM)) {
          mkdirSync(dirname(join(album, target)), { recursive: true });
          copyFileSync(source, join(album, target));
        }
        await importAndWait(api, [album]);
        // Abdullah Gul named, for the people filter: the group his first photo's face is in.
        const first = (await api<{ photos: Array<{ id: string }> }>('photos.list', { limit: 20 })).photos;
        for (const { id } of first) {
          const photo = await api<{ paths: string[]; faces: Array<{ id: string }> }>('photos.get', { photoId: id });
          if (photo.paths[0].endsWith('gul-1.jpg')) await api('faces.name', { faceIds: [photo.faces[0].id], name: 'Abdullah Gul' });
        }
      },
    });
    page = served.page;
  }, 300_000);

  afterAll(() => served?.close(), 60_000);

  it('shows the folders the album was kept in, and a folder\'s photos chosen with the keys', async () => {
    await page.goto(`${served.origin}/#/photos`);
    await page.locator('.subtitle', { hasText: /^\s*8 photos\s*$/ }).waitFor();
    await page.getByRole('radio', { name: 'By folder' }).click();
    // The album (open), then its folders by name, each with its photos and its subfolders'.
    await folderRow(/^2018/).waitFor();
    const rows = await tree().getByRole('treeitem').evaluateAll((items) => items.map((item) => [item.querySelector('.name')!.textContent, item.querySelector('.count')?.textContent ?? '']));
    expect(rows).toEqual([
      ['All photos', ''],
      [album.split('/').at(-1), '8'],
      ['2018', '4'],
      ['2019', '3'],
      [ODD, '2'],
    ]);

    // Into 2019 and its Trip to Rome with the arrows, chosen with Enter.
    await folderRow(/^2019/).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[role="treeitem"]:focus .name').textContent()).toBe('Trip to Rome');
    await page.keyboard.press('Enter');
    await page.getByText('3 photos in “Trip to Rome”').waitFor();
    await expect.poll(() => page.locator('.tile img').count()).toBe(3);
    await expect.poll(() => page.locator('.tile img').evaluateAll((images) => images.every((img) => (img as unknown as { complete: boolean }).complete))).toBe(true);
    expect(await folderRow(/^Trip to Rome/).getAttribute('aria-selected')).toBe('true');
    // The tree beside the grid, the grid's first photo right of it.
    const pane = (await tree().boundingBox())!;
    const tile = (await page.locator('.tile').first().boundingBox())!;
    expect(tile.x).toBeGreaterThan(pane.x + pane.width);
    await screenshot(page, '53-photos-by-folder');

    // 2018 without its subfolders: its own photo; with Abdullah Gul and its subfolders: his two photos there.
    await folderRow(/^2018/).click();
    await page.getByText('4 photos in “2018”').waitFor();
    await page.getByRole('checkbox', { name: 'Subfolders' }).click();
    await page.getByText('1 photo in “2018”, not its subfolders').waitFor();
    await page.getByRole('checkbox', { name: 'Subfolders' }).click();
    await page.getByRole('button', { name: 'With people…' }).click();
    await page.getByRole('combobox', { name: 'Person to filter by' }).fill('Abdullah Gul');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const subtitle = page.locator('.subtitle', { hasText: 'with Abdullah Gul in “2018”' });
    await subtitle.waitFor();
    const [, count] = /^(\d+) photos? with/.exec((await subtitle.textContent())!.trim())!;
    // His photos in 2018 and its subfolder (which of the four the grouping put with him), all in the grid.
    expect(Number(count)).toBeGreaterThanOrEqual(1);
    expect(Number(count)).toBeLessThanOrEqual(4);
    await expect.poll(() => page.locator('.tile').count()).toBe(Number(count));
    // The tree counts his photos too, 2018's the grid's (QA: with a person in the filter it still counted every photo).
    await expect.poll(() => folderRow(/^2018/).locator('.count').textContent()).toBe(count);
    expect(Number(await folderRow(/^Trip to Rome/).locator('.count').textContent())).toBeLessThan(3);
    await screenshot(page, '53b-photos-by-folder-with-a-person');
    expect(page.url()).toMatch(/#\/photos\?people=[^&]+&folder=[0-9a-f]{16}$/);
    expect(served.browser.problems).toEqual([]);
  });

  it("copies a folder's photos into a folder typed on the page, as files, and copies nothing twice when asked again", async () => {
    const to = `${album}-copied/For the slideshow`;
    await page.goto(`${served.origin}/#/photos`);
    await page.getByRole('radio', { name: 'By folder' }).click();
    await folderRow(/^Trip to Rome/).click();
    await page.getByText('3 photos in “Trip to Rome”').waitFor();

    const copyOnce = async (shot?: string) => {
      await page.getByRole('button', { name: 'Copy 3 photos to a folder…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Copy 3 photos to a folder' });
      // Whole in the window, not held in the toolbar (whose backdrop blur placed it there: its title was above the top).
      const box = (await dialog.boundingBox())!;
      const window = page.viewportSize()!;
      expect(box.y).toBeGreaterThan(0);
      expect(box.y + box.height).toBeLessThan(window.height);
      if (shot) await screenshot(page, shot);
      await dialog.getByRole('textbox', { name: 'Folder' }).fill(to);
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      return page.getByTestId('copy-outcome');
    };
    const first = await copyOnce('54a-photos-copy-dialog');
    await first.getByRole('heading', { name: 'Photos copied' }).waitFor();
    expect(await first.locator('.sentence').textContent()).toBe(`Copied 3 photos to ${to}.`);
    expect(readdirSync(to).sort()).toEqual(['brody-1.jpg', 'brody-2.jpg', 'gul-4.jpg']);
    for (const name of readdirSync(to)) expect(readFileSync(join(to, name)).equals(readFileSync(join(album, '2019', 'Trip to Rome', name)))).toBe(true);
    await screenshot(page, '54-photos-copied');

    await first.getByRole('button', { name: 'Dismiss what the copy did' }).click();
    const second = await copyOnce();
    await expect.poll(() => second.locator('.sentence').textContent()).toBe(`All 3 photos were already in ${to}: nothing to copy.`);
    expect(readdirSync(to)).toHaveLength(3);
    expect(served.browser.problems).toEqual([]);
  });
});
