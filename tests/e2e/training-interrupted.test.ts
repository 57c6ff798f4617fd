// A recognition training cut short, in headless Chromium against a real `familiar serve`: started with the Training
// screen's Train, the server killed during it (a crash), then stopped during the next run (as Ctrl-C stops it), and
// started again on the same address each time. Each interruption is written in training-runs.json and said on the
// Recognition card once the page is back in contact, and a run to the end clears it. Two people of lfw_subset, two
// photos each: the runs last about a second, so the server is stopped when training-runs.json says the run is under
// way. Screenshots: 60-training-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { TRAINING_RUNS_FILE } from '../../main/api/training-runs.js';
import {
  apiClient,
  closeRun,
  ensureRendererBuilt,
  importAndWait,
  launchBrowser,
  lfwAlbum,
  screenshot,
  SERVER_GONE_LINE,
  startServe,
  tempLibrary,
  type Browser,
  type Served,
} from './harness.js';

const PEOPLE = ['Abdullah_Gul', 'Adrien_Brody'];

interface Run {
  pass: number | null;
  passes: number | null;
}
interface Runs {
  running: { embedder?: Run };
  interrupted: { embedder?: Run & { cause: string } };
}

let library: string;
let album: string;
let served: Served;
let browser: Browser;
let page: Page;

const runsFile = () => join(library, TRAINING_RUNS_FILE);
const readRuns = (): Runs => JSON.parse(readFileSync(runsFile(), 'utf8')) as Runs;
const card = () => page.getByRole('article', { name: 'Recognition' });
const lostContact = () => page.getByTestId('jobs-lost');

/** Resolves once training-runs.json says a recognition run is under way and `when` holds of it. */
function runWrittenDown(when: (run: Run) => boolean): { seen: Promise<void>; stopWatching(): void } {
  let stopWatching = () => {};
  const seen = new Promise<void>((resolve) => {
    const check = () => {
      try {
        const run = readRuns().running.embedder;
        if (run && when(run)) {
          stopWatching();
          resolve();
        }
      } catch {
        // Not written yet, or between its write and its rename: the next change says more.
      }
    };
    const watcher = watch(library, check);
    stopWatching = () => watcher.close();
    check();
  });
  return { seen, stopWatching };
}

/**
 * Clicks Train on the Recognition card and ends the server with `signal` once `when` holds of the run it wrote down,
 * then starts it again on the same address.
 */
async function trainAndStop(signal: NodeJS.Signals, when: (run: Run) => boolean, shot: string): Promise<void> {
  const written = runWrittenDown(when);
  await card().getByRole('button', { name: 'Train Recognition' }).click();
  try {
    // Its progress on the card too: the page has its answer, and follows the run.
    await Promise.all([written.seen, card().getByRole('progressbar').waitFor()]);
  } finally {
    written.stopWatching();
  }
  await served.stop(signal);
  // The page notices by its event stream: the sidebar no longer shows the run's last progress as current.
  await lostContact().waitFor();
  await card().getByText('No contact with Familiar: progress unknown').waitFor();
  expect(await card().getByRole('button', { name: 'Cancel' }).isDisabled()).toBe(true);
  await screenshot(page, shot);
  const { port, token } = served;
  served = await startServe(library, { port, token });
}

describe('An interrupted recognition training, in a browser', () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
    library = tempLibrary();
    album = lfwAlbum(library, PEOPLE, 2);
    served = await startServe(library);
    const api = apiClient(served);
    await importAndWait(api, [album]);
    // Each photo's largest face named after its folder (a news photo may show someone else behind): two people with two
    // confirmed faces each, what Train asks for.
    const { photos } = await api<{ photos: Array<{ id: string }> }>('photos.list', { limit: 10 });
    for (const { id } of photos) {
      const photo = await api<{ paths: string[]; faces: Array<{ id: string; box: [number, number, number, number] }> }>('photos.get', { photoId: id });
      const person = PEOPLE.find((p) => photo.paths[0].includes(p))!;
      const [largest] = [...photo.faces].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
      await api('faces.name', { faceIds: [largest.id], name: person.replace('_', ' ') });
    }
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/training`);
    await card().getByRole('button', { name: 'Train Recognition' }).waitFor();
  }, 300_000);

  afterAll(() => closeRun(browser, served, [library, album]), 60_000);

  it('says on the card that the last training stopped when Familiar crashed, and at which pass', async () => {
    // Killed once it is past its first pass: the pass under way is written down with each new one.
    await trainAndStop('SIGKILL', (run) => (run.pass ?? 0) >= 2, '60-training-crashed-no-contact');
    // Back at the same address: the page finds the server again by itself, and the run is no longer shown as running.
    await lostContact().waitFor({ state: 'detached' });
    const said = card().getByRole('status').filter({ hasText: 'The last training was interrupted' });
    await said.waitFor();
    const { interrupted } = readRuns();
    expect(interrupted.embedder).toMatchObject({ cause: 'crashed', passes: 40 });
    const { pass } = interrupted.embedder!;
    expect(pass).toBeGreaterThanOrEqual(2);
    expect(await said.textContent()).toBe(`The last training was interrupted during pass ${pass} of 40 (Familiar stopped unexpectedly); train again.`);
    expect(await card().getByRole('button', { name: 'Train Recognition' }).isEnabled()).toBe(true);
    expect(await page.getByTestId('jobs-status').textContent()).toBe('');
    await screenshot(page, '60-training-crashed');
  });

  it('says it stopped because Familiar closed when the server is stopped during the next run', async () => {
    // Stopped as soon as it is under way: closing stops it between two of its steps, whichever pass that is in.
    await trainAndStop('SIGTERM', () => true, '60-training-closed-no-contact');
    await lostContact().waitFor({ state: 'detached' });
    const said = card().getByRole('status').filter({ hasText: 'The last training was interrupted' });
    await said.filter({ hasText: '(Familiar closed)' }).waitFor();
    expect(readRuns()).toMatchObject({ running: {}, interrupted: { embedder: { cause: 'closed' } } });
    expect(await said.textContent()).toMatch(/^The last training was interrupted (before its first pass|during pass \d+ of 40) \(Familiar closed\); train again\.$/);
    await screenshot(page, '60-training-closed');
  });

  it('forgets the interruption once a training runs to its end', async () => {
    await card().getByRole('button', { name: 'Train Recognition' }).click();
    await card().getByRole('button', { name: 'Dismiss the last recognition training' }).waitFor({ timeout: 120_000 });
    expect(await card().getByText('The last training was interrupted').count()).toBe(0);
    expect(readRuns()).toEqual({ running: {}, interrupted: {} });
    await screenshot(page, '60-training-after');
  });

  it('logged no errors and no Content-Security-Policy violation', () => {
    // But the browser's own lines for the requests the server refused or cut off while it was down.
    expect(browser.problems.filter((problem) => !SERVER_GONE_LINE.test(problem))).toEqual([]);
  });
});
