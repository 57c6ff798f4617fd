// The server a page talks to going away under it, in headless Chromium against a real `familiar serve`: stopped during
// an import (as Ctrl-C stops it), then started again on the same address, then restarted with a new secret token. The
// page says it in words, once, with no Try again that cannot work and no old progress shown as current, and finds the
// server again by itself when it is back at the same address. Screenshots: 61-server-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import type { Page } from 'playwright-core';
import { RESTARTED_SENTENCE, UNREACHABLE_SENTENCE } from '../../preload/contract.js';
import {
  closeRun,
  dropFolders,
  ensureRendererBuilt,
  launchBrowser,
  lfwAlbum,
  screenshot,
  SERVER_GONE_LINE,
  startServe,
  tempLibrary,
  type Browser,
  type Served,
} from './harness.js';

// Ten photos, of which the import reads one or more before the server is stopped.
const PEOPLE = ['Abdullah_Gul', 'Adrien_Brody', 'Alejandro_Toledo', 'Amelie_Mauresmo', 'Andre_Agassi'];

let library: string;
let album: string;
let served: Served;
let browser: Browser;
let page: Page;

const sidebar = () => page.getByRole('navigation', { name: 'Sections' });
const nav = (name: string) => sidebar().getByRole('link', { name });
const errorPanel = () => page.getByRole('alert').filter({ hasText: 'No contact with Familiar' });

describe('A page whose server stopped or restarted, in a browser', () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
    library = tempLibrary();
    album = lfwAlbum(library, PEOPLE, 2);
    served = await startServe(library);
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'Add a folder of photos' }).waitFor();
  }, 300_000);

  afterAll(() => closeRun(browser, served, [library, album]), 60_000);

  it('says in words, once, that Familiar cannot be reached, and shows no old progress as current', async () => {
    await dropFolders(page, [album]);
    // Stopped once it has read a photo, whose face the next open groups: past the loading of the face finder.
    const importing = sidebar().getByRole('button', { name: /^Importing… \d+%$/ });
    await page.getByTestId('import-count').filter({ hasText: /^[1-9] of 10$/ }).waitFor({ timeout: 120_000 });
    expect(await importing.count()).toBe(1);
    await served.stop('SIGTERM');

    // The sidebar: the import's last figure is gone, and why is said in its place.
    const lost = page.getByTestId('jobs-lost');
    await lost.waitFor();
    expect((await lost.textContent())!.replace(/\s+/g, ' ').trim()).toBe('No contact with Familiar Importing: progress unknown');
    expect(await importing.count()).toBe(0);
    // The Import screen too: no counts, speed or time left of the import, no Cancel that cannot reach it.
    const importCard = page.getByTestId('import-no-contact');
    await importCard.waitFor();
    expect((await importCard.textContent())!.replace(/\s+/g, ' ').trim()).toBe(`No contact with Familiar Importing: progress unknown. ${UNREACHABLE_SENTENCE}`);
    expect(await page.getByRole('progressbar', { name: 'Import progress' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    await screenshot(page, '61-server-stopped-import');

    // A screen that loads something now: its panel says what happened and what to do, and no toast says it again.
    await nav('Photos').click();
    await errorPanel().waitFor();
    expect(await errorPanel().textContent()).toContain(UNREACHABLE_SENTENCE);
    expect(await page.getByText(UNREACHABLE_SENTENCE).count()).toBe(1);
    // Started again at the same address, Familiar answers the same page: trying again can work.
    expect(await errorPanel().getByRole('button', { name: 'Try again' }).count()).toBe(1);
    expect(await page.locator('body').textContent()).not.toMatch(/fetch|JSON|Unexpected token/i);
    await screenshot(page, '61-server-stopped-photos');
  });

  it('finds the server again by itself once it is started on the same address', async () => {
    const { port, token } = served;
    served = await startServe(library, { port, token });
    await errorPanel().waitFor({ state: 'detached' });
    await page.getByTestId('jobs-lost').waitFor({ state: 'detached' });
    // The import the stop ended is no longer shown as running, and the photos it kept are listed. The open groups the
    // faces that import kept, as an import job of its own, shown while it runs (CI, loaded, caught it running): the
    // sidebar empties once it ends, where the old import, never said to end by the server that held it, would stay.
    await expect.poll(() => sidebar().getByRole('button', { name: /^Importing…/ }).count(), { timeout: 60_000 }).toBe(0);
    await page.getByRole('listbox', { name: 'Photos' }).getByRole('option').first().waitFor();
    await screenshot(page, '61-server-back-photos');
    // The import the stop cut short is said on Import, its words beside or above its buttons, never squeezed into a
    // column a word wide by a Resume button that names the folder.
    await nav('Import').click();
    const stopped = page.getByRole('heading', { name: 'Import stopped part-way' });
    await stopped.waitFor();
    expect((await stopped.boundingBox())!.width).toBeGreaterThanOrEqual(320);
    // Named once library.info has answered: the folder Familiar remembers, which Resume reads the rest of.
    await page.getByTestId('import-outcome').filter({ hasText: `Familiar closed while it imported ${album}.` }).waitFor();
    await page.getByRole('button', { name: `Resume importing ${basename(album)}` }).waitFor();
    await screenshot(page, '61-server-back-import');
  });

  it('says a server restarted with a new token needs its new address, with no Try again that cannot work', async () => {
    const { port } = served;
    await served.stop('SIGTERM');
    served = await startServe(library, { port });
    await nav('People').click();
    const panel = page.getByRole('alert').filter({ hasText: RESTARTED_SENTENCE });
    await panel.waitFor();
    expect(await panel.textContent()).toContain('No contact with Familiar');
    expect(await page.getByText(RESTARTED_SENTENCE).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/JSON|Unexpected token/);
    await screenshot(page, '61-server-restarted-new-token');

    // The new address opens it.
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    await expect.poll(() => page.getByText(RESTARTED_SENTENCE).count()).toBe(0);
  });

  it('logged no errors and no Content-Security-Policy violation', () => {
    // But the browser's own lines for the requests the server refused or cut off while it was down.
    expect(browser.problems.filter((problem) => !SERVER_GONE_LINE.test(problem))).toEqual([]);
  });
});
