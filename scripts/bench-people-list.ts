// What the People list costs as the number of face groups grows (docs/architecture.md, "Renderer"):
//   npm run bench:people-list [-- --groups 3000,20000] [--faces 100000] [--engine-only]
//
// First the engine's side (docs/clustering.md, "The marker on People cards"): `people.list` answered by the real
// handlers over lfw_subset's 1,680 cached faces regrouped, and over a synthetic library of --faces faces in groups of
// 4 to 1,000 (a tenth of the larger ones two lookalikes' faces mixed), while the "may be two people" marks fill in the
// background: the request's time before any verdict is kept (median of 21), how long a request waits while the fill
// runs (one every 20 ms, from when it was sent until it is answered: the slice under way finishes first), the time to
// judge every group (largest first), the request again once every verdict is kept, and the time to judge again after
// one decision (a face of the largest group taken out of it: that group alone is judged again). Then what a change
// costs before any judging (median of 21), in the same run: every person's digest hashed, as a change nobody named
// (a setting, a job's batch) did before; such a change now (every face compared with what its person's last check
// saw), when it changed nobody's faces and when it changed one face of the largest group; and the digests of the
// people a decision says it touched only.
// The built renderer (npm run build first) in Debian's Chromium, over the real HTTP server in front of the
// component tests' FakeEngine, with `people.list` answered from a prepared list so the figures are the
// renderer's alone. Measured from the test's side, so each includes one round trip to the browser: opening the
// list until its first card is on screen, typing a name into "Find a person" until the list shows it, clearing the
// field until every group is back, selecting one card, and scrolling to the end; then the cards in the page and
// the page's live heap. Baseline in the same run: the same steps on 100 groups.
// Last, a decision on the list, with the FakeEngine holding the groups (2-6 faces each) as the e2e test's library
// does: a card deleted from the keyboard, then undone, five times. Timed in the page: from the Enter key to the
// toast, the page's longest task and all its long tasks until it is idle again, and the lists it asked for.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EventHub } from '../main/api/events.js';
import { openEngineHandlers } from '../main/api/handlers.js';
import { JobRegistry } from '../main/api/jobs.js';
import { Engine } from '../main/engine.js';
import { recluster } from '../main/people/clustering.js';
import { TwoPeopleVerdicts } from '../main/people/two-people-verdicts.js';
import { facesByPerson, newPersonId, nowIso } from '../main/people/library.js';
import { Library } from '../main/store/library.js';
import type { FaceRecord, PersonRecord } from '../main/store/types.js';
import { TWO_PEOPLE_MIN_FACES, twoPartsToJudge, twoPeopleFromParts } from '../main/people/two-people.js';
import { twoPeopleParts } from '../main/people/two-people-apart.js';
import { loadLfwPeople } from '../tests/models/embedder/lfw-fixture.js';
import { addOneFacePhotos, onePhotoOneFace } from '../tests/main/embedder/fixture.js';
import { seededRandom } from '../models/cluster/random.js';
import { GeneratedImages } from '../main/api/generated.js';
import { ImageSource } from '../main/api/files.js';
import { startServer } from '../main/server/server.js';
import { FakeEngine } from '../tests/renderer/fake-engine.js';
import { ensureRendererBuilt, launchBrowser, repoRoot, tempLibrary } from '../tests/e2e/harness.js';
import type { PersonSummary } from '../preload/contract.js';
import type { FakeState } from '../tests/renderer/fake-engine.js';

const flag = process.argv.indexOf('--groups');
const sizes = [100, ...(flag >= 0 ? process.argv[flag + 1] : '3000,20000').split(',').map(Number)];
const facesFlag = process.argv.indexOf('--faces');
const syntheticFaces = facesFlag >= 0 ? Number(process.argv[facesFlag + 1]) : 100_000;

/** lfw_subset's cached faces, one photo each, regrouped as an import would group them. */
async function lfwLibrary(dir: string): Promise<void> {
  const library = await Library.open(dir);
  const people = await loadLfwPeople();
  await addOneFacePhotos(library, people.flatMap((p) => p.descriptors.map((descriptor) => ({ identity: p.identity, descriptor }))));
  await recluster(library);
  await library.close();
}

/**
 * `n` faces in unnamed groups of 1,000, 100, 20 and 4 faces (a fifth of the faces each, the rest in no group), every
 * tenth larger group two lookalikes' faces mixed (centres about 0.065 apart, under the same-person distance), one
 * photo each.
 */
async function syntheticLibrary(dir: string, n: number): Promise<void> {
  const library = await Library.open(dir);
  const dim = library.info.backboneDim;
  const random = seededRandom(7);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const unit = (v: Float32Array) => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const near = (centre: Float32Array, spread: number) => unit(centre.map((x) => x + spread * gaussian()));
  const sizes: number[] = [];
  for (const size of [1000, 100, 20, 4]) for (let k = 0; k < Math.floor(n / 5 / size); k++) sizes.push(size);
  const descriptors: Float32Array[] = [];
  const groupOf: number[] = [];
  sizes.forEach((size, g) => {
    const centre = unit(Float32Array.from({ length: dim }, gaussian));
    const other = g % 10 === 0 && size >= 20 ? near(centre, 0.032) : centre;
    for (let k = 0; k < size; k++) {
      descriptors.push(near(k % 2 === 1 ? other : centre, 0.018));
      groupOf.push(g);
    }
  });
  while (descriptors.length < n) {
    descriptors.push(unit(Float32Array.from({ length: dim }, gaussian)));
    groupOf.push(-1);
  }
  const people: PersonRecord[] = sizes.map(() => ({ id: newPersonId(), name: null, hidden: false, coverFaceId: null, createdAt: nowIso() }));
  const rows = await library.appendVectors(descriptors);
  await library.transaction((tx) => {
    tx.people.people.push(...people);
    rows.forEach((row, r) => {
      const person = groupOf[r] >= 0 ? people[groupOf[r]].id : null;
      const { photo, face } = onePhotoOneFace(r + 1, `/album/${Math.floor(r / 1000)}/${r}.jpg`, row, { personId: person, assignedBy: person ? 'cluster' : null });
      tx.photos.push(photo);
      tx.faces.push(face);
    });
  });
  await library.close();
}

// A full collection before each series, without asking for node's --expose-gc on the command line: the fill's garbage
// must not land in the list's figures after it.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const REPEATS = 21;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US'));

/** The engine's side of the list while the marks fill: one table row. */
async function engineRow(label: string, build: (dir: string) => Promise<void>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'familiar-bench-people-list-'));
  try {
    await build(dir);
    const engine = await Engine.open(dir);
    const events = new EventHub();
    const api = await openEngineHandlers({ libraryDir: dir, mode: 'browser', version: 'bench', events, jobs: new JobRegistry(events), generated: new GeneratedImages(), engine });
    const list = api.handlers['people.list']!;
    const timed = async () => {
      const started = performance.now();
      await list({ includeHidden: false, namedOnly: false });
      return performance.now() - started;
    };
    // Back to back, the fill (started with the handlers) gets no turn: these are answered before any verdict is kept.
    const series = async () => {
      collectGarbage();
      const times: number[] = [];
      for (let k = 0; k < REPEATS; k++) times.push(await timed());
      return times;
    };
    await timed();
    const before = await series();
    const fillStarted = performance.now();
    const judged = api.twoPeopleJudged().then(() => performance.now() - fillStarted);
    let filling = true;
    void judged.then(() => (filling = false));
    const waits: number[] = [];
    while (filling) {
      const sent = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 0));
      await list({ includeHidden: false, namedOnly: false });
      waits.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const fill = await judged;
    const after = await series();
    // One decision: a face of the largest group taken out of it. Only that group is judged again.
    const largest = (await list({ includeHidden: false, namedOnly: false }))[0];
    const faceOf = await api.handlers['faces.ofPerson']!({ personId: largest.id, offset: 0, limit: 1, order: 'confirmed-first' });
    const rejected = (await api.handlers['faces.reject']!({ faceIds: [faceOf.faces[0].id], personId: largest.id })) as { personIds: string[] };
    const decided = performance.now();
    await api.twoPeopleJudged();
    const again = performance.now() - decided;
    // The check itself, in the same run, on verdicts of its own (the handlers' are kept as they are): every digest, or
    // only the decision's people's.
    const checks = new TwoPeopleVerdicts(engine.library) as unknown as {
      checkAll(global: string): void;
      checkSome(personIds: ReadonlySet<string>, global: string): void;
      globalKey(): string;
      keyOf(person: PersonRecord, own: readonly FaceRecord[], global: string): string;
      checkedGlobal: string | null;
      stop(): void;
    };
    const global = checks.globalKey();
    // As after the check that started it: the embedding and the distance are the ones checked last.
    checks.checkedGlobal = global;
    const touched = new Set(rejected.personIds);
    // Before: one walk sorting the faces by person, and every shown person of 6+ faces hashed.
    const hashEveryone = () => {
      const byPerson = facesByPerson(engine.library.faces);
      for (const p of engine.library.people.people) {
        const own = byPerson.get(p.id);
        if (own && !p.hidden && own.length >= TWO_PEOPLE_MIN_FACES && !p.onePerson) checks.keyOf(p, own, global);
      }
    };
    // A batch that changed one face of the largest group (who placed it, back and forth), in memory only.
    const changing = engine.library.faces.find((f) => f.personId === largest.id)! as FaceRecord;
    const placedBy = changing.assignedBy;
    const changeOneFace = () => {
      changing.assignedBy = changing.assignedBy === 'user' ? 'cluster' : 'user';
      checks.checkAll(global);
    };
    const checkTime = (check: () => void) => {
      check();
      collectGarbage();
      const times: number[] = [];
      for (let k = 0; k < REPEATS; k++) {
        const started = performance.now();
        check();
        times.push(performance.now() - started);
      }
      return median(times);
    };
    const hashedAll = checkTime(hashEveryone);
    const nobodyChanged = checkTime(() => checks.checkAll(global));
    const oneChanged = checkTime(changeOneFace);
    changing.assignedBy = placedBy;
    const named = checkTime(() => checks.checkSome(touched, global));
    checks.stop();
    const people = (await list({ includeHidden: false, namedOnly: false })) as Array<{ faceCount: number; mayBeTwoPeople: boolean }>;
    const marked = people.filter((p) => p.mayBeTwoPeople).length;
    // The rule before, in the same run: the last merge's height alone, without the parts lying apart as two people's.
    const byPerson = facesByPerson(engine.library.faces);
    const markedBefore = engine.library.people.people.filter((p) => {
      const own = byPerson.get(p.id) ?? [];
      const asked = !p.hidden && twoPartsToJudge(engine.library, p, own);
      return asked && twoPeopleFromParts(engine.library, p, own, twoPeopleParts(asked.vectors, asked.rows, { ...asked.options, separation: 0 })) !== null;
    }).length;
    const judgedGroups = people.filter((p) => p.faceCount >= 6).length;
    const faces = engine.library.faces.length;
    await api.close();
    await engine.close();
    return `| ${label} | ${faces.toLocaleString('en-US')} | ${people.length.toLocaleString('en-US')} (${judgedGroups.toLocaleString('en-US')} of 6+ faces) | ${ms(median(before))} | ${ms(median(waits))} / ${ms(Math.max(...waits))} (${waits.length}) | ${(fill / 1000).toFixed(2)} | ${ms(median(after))} | ${ms(again)} (${largest.faceCount.toLocaleString('en-US')} faces) | ${ms(hashedAll)} / ${ms(nobodyChanged)} / ${ms(oneChanged)} / ${ms(named)} | ${marked} / ${markedBefore} |`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log('| library | faces | groups shown | people.list, no verdict kept (ms, median of 21) | a request while the marks fill: median / longest wait (ms) (requests) | every group judged (s) | people.list, every verdict kept (ms, median of 21) | one decision in the largest group: judged again (ms) | the check after a change: every person hashed (before) / a change nobody named that changed no one / one face of the largest group / only those the decision touched (ms, median of 21) | marked "may be two people" / by the rule before (the last merge alone) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
console.log(await engineRow('lfw_subset, regrouped', lfwLibrary));
console.log(await engineRow(`synthetic, ${syntheticFaces.toLocaleString('en-US')} faces`, (dir) => syntheticLibrary(dir, syntheticFaces)));
if (process.argv.includes('--engine-only')) process.exit(0);
console.log();

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
    mayBeTwoPeople: i % 41 === 0,
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

/** The e2e test's library of `count` groups: group g has 2 + g % 5 faces, the first tenth named. */
function groupsState(count: number): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  for (let g = 0; g < count; g++) {
    const id = `person-${g}`;
    state.people.push({ id, name: g < count / 10 ? `Person ${String(g + 1).padStart(5, '0')}` : null, hidden: false, coverFaceId: null });
    for (let k = 0; k < 2 + (g % 5); k++) {
      state.photos.push({ id: `photo-${g}-${k}`, path: `/album/${g}-${k}.jpg`, width: 150, height: 150, takenAt: null, faceIds: [`face-${g}-${k}`] });
      state.faces.push({ id: `face-${g}-${k}`, photoId: `photo-${g}-${k}`, box: [12, 12, 126, 126], identity: id, personId: id, assignedBy: null, rejected: [] });
    }
  }
  return state;
}

/** Watches the page from the next Enter until the first toast saying `said`: when each came, and the long tasks. */
const watchDecision = (said: string) =>
  page.evaluate((toastSays) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs in the page, which has the DOM types
    const g = globalThis as any;
    const watch = { enter: 0, toast: 0, tasks: [] as number[] };
    g.decisionWatch = watch;
    new g.PerformanceObserver((list: { getEntries(): Array<{ duration: number }> }) => watch.tasks.push(...list.getEntries().map((task) => task.duration))).observe({ type: 'longtask' });
    g.addEventListener('keydown', (event: { key: string }) => event.key === 'Enter' && !watch.enter && (watch.enter = performance.now()), { capture: true });
    const toasts = new g.MutationObserver(() => {
      if (!g.document.querySelector('.toasts')?.textContent?.includes(toastSays)) return;
      watch.toast = performance.now();
      toasts.disconnect();
    });
    toasts.observe(g.document.body, { subtree: true, childList: true, characterData: true });
  }, said);
const watched = () => page.evaluate(() => (globalThis as unknown as { decisionWatch: { enter: number; toast: number; tasks: number[] } }).decisionWatch);

console.log();
console.log("| groups | a delete: Enter to its toast (ms) | the page's longest task / all its long tasks, until idle (ms) | people.list asked for |");
console.log('| --- | --- | --- | --- |');
for (const count of sizes.filter((n) => n >= 1000)) {
  const decisionEngine = new FakeEngine(groupsState(count));
  const decisionServer = await startServer({ port: 0, rendererDir: join(repoRoot, 'dist', 'renderer'), dispatcher: decisionEngine.dispatcher, images, events: decisionEngine.events });
  await page.unroute('**/api/call/people.list');
  await page.goto(decisionServer.url);
  await page.goto(`${decisionServer.origin}/#/people`);
  const everyone = page.locator(`[role="option"][aria-setsize="${count}"]`).first();
  const toToast: number[] = [];
  const longest: number[] = [];
  const allLong: number[] = [];
  const lists: number[] = [];
  for (let run = 0; run < 5; run++) {
    await everyone.waitFor();
    await page.getByRole('listbox', { name: 'People' }).getByRole('option').nth(3).focus();
    await page.keyboard.press('Delete');
    await page.getByRole('alertdialog').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).focus();
    await page.waitForTimeout(1000);
    await watchDecision('Deleted');
    const listed = decisionEngine.calls('people.list').length;
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as { decisionWatch: { toast: number } }).decisionWatch.toast > 0);
    await page.locator(`[role="option"][aria-setsize="${count - 1}"]`).first().waitFor();
    // Idle: a second and a half without a long task nor a request.
    for (let seen = -1; ; ) {
      const now = (await watched()).tasks.length + decisionEngine.log.length;
      if (now === seen) break;
      seen = now;
      await page.waitForTimeout(1500);
    }
    const { enter, toast, tasks } = await watched();
    toToast.push(toast - enter);
    longest.push(Math.max(0, ...tasks));
    allLong.push(tasks.reduce((sum, task) => sum + task, 0));
    lists.push(decisionEngine.calls('people.list').length - listed);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
  }
  await everyone.waitFor();
  const range = (values: number[]) => `${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))}`;
  console.log(`| ${count.toLocaleString('en-US')} | ${range(toToast)} | ${range(longest)} / ${range(allLong)} | ${range(lists)} |`);
  await decisionServer.close();
}
await browser.close();
await server.close();
