// "Mark a missed face" in headless Chromium against a real `familiar serve`: a photo whose face is far too dark for the
// import, opened in the viewer, a box dragged around the face with the mouse, the face found and named. A box dragged
// over the background says it holds no face. Screenshots: 20-mark-face-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { apiClient, ensureRendererBuilt, launchBrowser, screenshot, sharedFaces, startServe, tempLibrary, type Browser, type Served } from './harness.js';

interface PhotoDetail {
  id: string;
  paths: string[];
  faces: Array<{ id: string; box: [number, number, number, number]; personName: string | null }>;
}

let served: Served;
let browser: Browser;
let page: Page;
let api: ReturnType<typeof apiClient>;
let library: string;
let album: string;
let dark: PhotoDetail;

/** Drags from one point of the photo to another, in the photo's own pixels (250 x 250), with the real mouse. */
async function dragOnPhoto(from: [number, number], to: [number, number]) {
  const layer = page.getByRole('button', { name: /Drag a box around the missed face/ });
  const rect = (await layer.boundingBox())!;
  const at = ([x, y]: [number, number]) => [rect.x + (x / 250) * rect.width, rect.y + (y / 250) * rect.height] as const;
  await page.mouse.move(...at(from));
  await page.mouse.down();
  await page.mouse.move(...at([(from[0] + to[0]) / 2, (from[1] + to[1]) / 2]), { steps: 4 });
  await page.mouse.move(...at(to), { steps: 4 });
  await page.mouse.up();
}

describe('Mark a missed face, in a browser', () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
    library = tempLibrary();
    album = `${library}-album`;
    mkdirSync(album);
    // Tony Blair at 15 % of his light: the import finds no face; and a photo of him as it is, named.
    await sharp(join(sharedFaces, 'lfw_subset', 'Tony_Blair', 'Tony_Blair_0002.jpg')).linear(0.15, 10).toFile(join(album, 'dark.jpg'));
    copyFileSync(join(sharedFaces, 'lfw_subset', 'Tony_Blair', 'Tony_Blair_0001.jpg'), join(album, 'blair.jpg'));
    served = await startServe(library);
    api = apiClient(served);
    const { jobId } = await api<{ jobId: string }>('import.start', { paths: [album] });
    for (;;) {
      const jobs = await api<Array<{ id: string; state: string }>>('jobs.list');
      if (jobs.find((j) => j.id === jobId)?.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const photos = await api<{ photos: Array<{ id: string }> }>('photos.list', { limit: 10 });
    const details = await Promise.all(photos.photos.map((p) => api<PhotoDetail>('photos.get', { photoId: p.id })));
    dark = details.find((d) => d.paths[0].endsWith('dark.jpg'))!;
    const blair = details.find((d) => d.paths[0].endsWith('blair.jpg'))!;
    await api('faces.name', { faceIds: [blair.faces[0].id], name: 'Tony Blair' });
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(served.url);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    for (const dir of [library, album]) if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('finds the face in a box dragged around it, and names it', async () => {
    expect(dark.faces).toHaveLength(0);
    await page.goto(`${served.origin}/#/photos/${dark.id}`);
    await page.getByRole('dialog', { name: 'Photo' }).waitFor();
    await page.getByText('No faces were found in this photo.').waitFor();
    await page.getByRole('button', { name: 'Mark a missed face' }).click();
    await page.getByText(/Drag a box around the face, from the hairline to the chin/).waitFor();
    await dragOnPhoto([70, 55], [185, 195]);
    const field = page.getByRole('combobox', { name: 'Name this face' });
    await field.waitFor({ timeout: 60_000 });
    await page.getByText(/Added the face you marked/).waitFor();
    await screenshot(page, '20-mark-face-found');
    const after = await api<PhotoDetail>('photos.get', { photoId: dark.id });
    expect(after.faces).toHaveLength(1);
    const [x, y, w, h] = after.faces[0].box;
    expect(x + w / 2).toBeGreaterThan(95);
    expect(x + w / 2).toBeLessThan(155);
    expect(y + h / 2).toBeGreaterThan(95);
    expect(y + h / 2).toBeLessThan(165);
    await field.fill('Tony Blair');
    await field.press('Enter');
    await expect.poll(async () => (await api<PhotoDetail>('photos.get', { photoId: dark.id })).faces[0].personName).toBe('Tony Blair');
    await page.getByRole('button', { name: /Face: Tony Blair/ }).waitFor();
    await screenshot(page, '21-mark-face-named');
    expect(browser.problems).toEqual([]);
  }, 120_000);

  it('says so when the box holds no face, and changes nothing', async () => {
    await page.getByRole('button', { name: 'Mark a missed face' }).click();
    await dragOnPhoto([5, 180], [60, 245]);
    await page.getByText(/Familiar found no face in that box/).waitFor({ timeout: 60_000 });
    await screenshot(page, '22-mark-face-none');
    expect((await api<PhotoDetail>('photos.get', { photoId: dark.id })).faces).toHaveLength(1);
    // Still drawing, to try again; Escape stops without closing the photo.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Mark a missed face' }).waitFor();
    await page.getByRole('dialog', { name: 'Photo' }).waitFor();
    // The engine's refusal is the one failed request (the server answers a refused argument with 400), nothing else.
    const refused = /status of 400|^HTTP 400 for POST \/api\/call\/faces\.addDrawn .*found no face in that box/;
    expect(browser.problems.filter((p) => !refused.test(p))).toEqual([]);
    expect(browser.problems.filter((p) => p.startsWith('HTTP 400'))).toHaveLength(1);
  }, 120_000);
});
