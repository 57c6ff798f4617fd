// What the People list costs as the number of face groups grows (docs/architecture.md, "Renderer"):
//   npm run bench:people-list [-- --groups 3000,20000]
//
// The built renderer (npm run build first) in Debian's Chromium, over the real HTTP server in front of the
// component tests' FakeEngine, with `people.list` answered from a prepared list so the figures are the
// renderer's alone. Measured from the test's side, so each includes one round trip to the browser: opening the
// list until its first card is on screen, typing a name into "Find a person" until the list shows it, clearing the
// field until every group is back, selecting one card, and scrolling to the end; then the cards in the page and
// the page's live heap. Baseline in the same run: the same steps on 100 groups.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GeneratedImages } from '../main/api/generated.js';
import { ImageSource } from '../main/api/files.js';
import { startServer } from '../main/server/server.js';
import { FakeEngine } from '../tests/renderer/fake-engine.js';
import { ensureRendererBuilt, launchBrowser, repoRoot, tempLibrary } from '../tests/e2e/harness.js';
import type { PersonSummary } from '../preload/contract.js';

const flag = process.argv.indexOf('--groups');
const sizes = [100, ...(flag >= 0 ? process.argv[flag + 1] : '3000,20000').split(',').map(Number)];

/** N groups, the first tenth named "Person 00001"…, with 2-98 faces; every 17th has faces to check. */
function groups(count: number): PersonSummary[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `person-${i}`,
    name: i < count / 10 ? `Person ${String(i + 1).padStart(5, '0')}` : null,
    faceCount: 2 + ((count - i) % 97),
    photoCount: 2,
    coverFaceId: `face-${i}`,
    cover: `thumb/face-${i}`,
    toCheck: i % 17 === 0 ? 2 : 0,
    confirmedCount: i < count / 10 ? 2 : 0,
    hidden: false,
  }));
}

async function elapsed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return Math.round(performance.now() - started);
}

await ensureRendererBuilt();
const library = tempLibrary();
mkdirSync(join(library, 'thumbs'), { recursive: true });
const engine = new FakeEngine();
const images = new ImageSource({ libraryDir: library, photoPaths: () => [], generated: new GeneratedImages() });
const server = await startServer({ port: 0, rendererDir: join(repoRoot, 'dist', 'renderer'), dispatcher: engine.dispatcher, images, events: engine.events });
const browser = await launchBrowser();
const { page } = browser;
await page.goto(server.url);

console.log('| groups | open the list (ms) | find one name (ms) | clear the find (ms) | select one (ms) | scroll to the end (ms) | cards in the page | live heap (MB) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const count of sizes) {
  const list = JSON.stringify({ result: groups(count) });
  await page.unroute('**/api/call/people.list');
  await page.route('**/api/call/people.list', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: list }));
  await page.goto(`${server.origin}/#/import`);
  await page.getByRole('heading', { name: 'Import' }).waitFor();
  const setSize = (n: number) => `[role="option"][aria-setsize="${n}"]`;
  const open = await elapsed(async () => {
    await page.goto(`${server.origin}/#/people`);
    await page.locator(setSize(count)).first().waitFor();
  });
  const find = page.getByRole('searchbox', { name: 'Find a person' });
  const found = await elapsed(async () => {
    await find.fill('person 00007');
    await page.locator(setSize(1)).waitFor();
  });
  const cleared = await elapsed(async () => {
    await find.fill('');
    await page.locator(setSize(count)).first().waitFor();
  });
  const selected = await elapsed(async () => {
    await page.locator('.select-dot').first().dispatchEvent('click');
    await page.getByText('1 selected').waitFor();
  });
  await page.keyboard.press('Escape');
  const scrolled = await elapsed(async () => {
    await page.locator('.scroll').evaluate((scroller) => scroller.scrollTo(0, scroller.scrollHeight));
    await page.locator(`[role="option"][aria-posinset="${count}"]`).waitFor();
  });
  const cards = await page.getByRole('option').count();
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  console.log(`| ${count.toLocaleString('en-US')}${count === 100 ? ' (baseline)' : ''} | ${open} | ${found} | ${cleared} | ${selected} | ${scrolled} | ${cards} | ${(heap / 1e6).toFixed(1)} |`);
}
await browser.close();
await server.close();
