// The studio and training screens, and states a fresh import cannot stage, in headless Chromium, served by the
// real HTTP server (token, cookie, CSP, SSE, image route) in front of the scripted FakeEngine of the component
// tests, because `familiar serve` does not expose the autoencoder yet. The album is real: face-api.js crops from ../shared/faces. The "generated"
// faces are stand-ins drawn with sharp (a cross-fade between the two ends, a noised and a median-filtered
// crop), so these screenshots show the screens' layout and flow, not the autoencoder's quality.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { Page } from 'playwright-core';
import { GeneratedImages } from '../../main/api/generated.js';
import type { RunningServer } from '../../main/server/server.js';
import { FakeEngine, type FakeFace, type FakePerson, type FakePhoto, type FakeState, type PaintRequest } from '../renderer/fake-engine.js';
import { screenshot, serveFakeEngine, sharedFaces, tempLibrary, type Browser, type FakeServed } from './harness.js';

const THUMB = 160;
const named = new Set(['amy', 'penny', 'sheldon', 'leonard']);

/** face-api.js: 8 people x 5 tight 150x150 crops; each crop is one photo with one face. */
function album(): FakeState {
  const root = join(sharedFaces, 'face-api.js');
  const identities = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => d.name)
    .sort();
  const photos: FakePhoto[] = [];
  const faces: FakeFace[] = [];
  const people: FakePerson[] = [];
  for (const identity of identities) {
    const files = readdirSync(join(root, identity)).sort();
    people.push({ id: `person-${identity}`, name: named.has(identity) ? identity[0].toUpperCase() + identity.slice(1) : null, hidden: false, coverFaceId: null });
    files.forEach((file, i) => {
      const photo: FakePhoto = { id: `photo-${identity}-${i}`, path: join(root, identity, file), width: 150, height: 150, takenAt: null, faceIds: [`face-${identity}-${i}`] };
      photos.push(photo);
      // The last crop of each person is left out of their group, for the suggestions queue.
      faces.push({ id: photo.faceIds[0], photoId: photo.id, box: [12, 12, 126, 126], identity, personId: i < files.length - 1 ? `person-${identity}` : null, assignedBy: null, rejected: [] });
    });
  }
  return { photos, faces, people };
}

let served: FakeServed;
let server: RunningServer;
let browser: Browser;
let page: Page;
let engine: FakeEngine;

describe('Studio and training screens over the real server', () => {
  beforeAll(async () => {
    const library = tempLibrary();
    const state = album();
    mkdirSync(join(library, 'thumbs'), { recursive: true });
    const thumbPath = (faceId: string) => join(library, 'thumbs', `${faceId}.webp`);
    for (const face of state.faces) {
      const photo = state.photos.find((p) => p.id === face.photoId)!;
      await sharp(photo.path).resize(THUMB, THUMB).webp().toFile(thumbPath(face.id));
    }
    const generated = new GeneratedImages();
    const rgb = (faceId: string) => sharp(thumbPath(faceId)).removeAlpha().toColourspace('srgb');
    const paint = async (request: PaintRequest): Promise<string> => {
      let image: Sharp;
      if (request.kind === 'mix') {
        const top = await rgb(request.toFaceId!).ensureAlpha(request.t!).png().toBuffer();
        image = rgb(request.faceId).composite([{ input: top }]);
      } else if (request.kind === 'noisy') {
        const noise = await sharp({ create: { width: THUMB, height: THUMB, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 255 * request.t! } } })
          .png()
          .toBuffer();
        image = rgb(request.faceId).composite([{ input: noise, blend: 'overlay' }]);
      } else if (request.kind === 'clean') {
        image = rgb(request.faceId).median(3);
      } else {
        image = rgb(request.faceId).modulate({ brightness: 1.08, saturation: 1.3 });
      }
      return generated.put(await image.png().toBuffer(), 'image/png');
    };
    engine = new FakeEngine(state);
    engine.painter = paint;
    engine.stepMs = 250;
    engine.models.autoencoder.push({ version: 'v1', createdAt: '2026-11-20T09:00:00Z', faces: state.faces.length, people: 8, metrics: { psnr: 24.1 }, inUse: true });
    engine.models.autoencoderInUse = 'v1';
    served = await serveFakeEngine(engine, library, { photoPaths: (id) => [state.photos.find((p) => p.id === id)?.path ?? ''], generated });
    ({ server, browser, page } = served);
  }, 120_000);

  afterAll(() => served?.close());

  it('browses the interpolation strip between two people with the slider and the strip', async () => {
    await page.goto(`${server.origin}/#/studio`);
    await page.getByLabel('From: person').selectOption({ label: 'Amy' });
    await page.getByLabel('To: person').selectOption({ label: 'Penny' });
    await page.getByRole('button', { name: 'Blend' }).click();
    const strip = page.getByRole('list', { name: 'Blend, step by step' });
    await strip.waitFor();
    await expect.poll(() => strip.getByRole('button').count(), { timeout: 30_000 }).toBe(8);
    expect(engine.calls('studio.interpolate')).toEqual([{ from: { personId: 'person-amy' }, to: { personId: 'person-penny' }, steps: 8 }]);
    await page.getByRole('slider', { name: 'Position along the strip' }).fill('3');
    await page.getByRole('img', { name: 'Generated face at step 4 of 8' }).waitFor();
    await strip.getByRole('button', { name: /^Step 6/ }).click();
    await page.getByRole('img', { name: 'Generated face at step 6 of 8' }).waitFor();
    await screenshot(page, '20-studio-strip');
  });

  it('shows a face before and after the denoiser', async () => {
    await page.getByRole('tab', { name: 'Restore' }).click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('img', { name: 'Restored by the face studio' }).waitFor();
    await screenshot(page, '21-studio-denoise');
  });

  it('trains the embedder with a live loss chart and shows the verdict', async () => {
    // Train is off until two named people have two confirmed faces each: confirmed here, as the user would.
    for (const face of engine.state.faces) if (engine.state.people.some((p) => p.id === face.personId && p.name)) face.assignedBy = 'user';
    await page.goto(`${server.origin}/#/training`);
    const card = page.getByRole('article', { name: 'Recognition' });
    await card.getByRole('spinbutton').first().fill('8');
    await card.getByRole('button', { name: 'Train' }).click();
    await card.getByRole('progressbar').waitFor();
    await expect.poll(async () => (await card.locator('path.line').count()) > 0, { timeout: 60_000 }).toBe(true);
    await screenshot(page, '22-training-live');
    await card.getByText('Now using Recognition v1').waitFor({ timeout: 30_000 });
    await screenshot(page, '23-training-done');
    expect(engine.calls('training.embedder.start')).toEqual([{ epochs: 8, margin: 0.05 }]);
  });

  it('trains the face studio and reports it in plain words', async () => {
    const card = page.getByRole('article', { name: 'Face studio' });
    await card.getByRole('spinbutton').first().fill('6');
    await card.getByRole('button', { name: 'Train' }).click();
    await card.getByText('Now using Face studio v2').waitFor({ timeout: 30_000 });
    // Every figure, with its technical name, is one click away under Details.
    await card.getByText('Details: every figure, before and after').click();
    await card.getByRole('table').getByText(/^Detail kept/).waitFor();
    await screenshot(page, '24-studio-training-done');
  });

  it('offers to look again at the photos an earlier version analysed, until it has', async () => {
    engine.analysedEarlier = engine.state.photos.slice(0, 3).map((p) => p.id);
    await page.goto(`${server.origin}/#/settings`);
    await page.getByText(/^3 photos were analysed by an earlier version of Familiar/).waitFor();
    await screenshot(page, '25-settings-look-again');
    await page.getByRole('button', { name: 'Look again for missed faces' }).click();
    await expect.poll(() => engine.calls('import.lookAgain').length, { timeout: 30_000 }).toBe(1);
    await page.getByText(/analysed by an earlier version/).waitFor({ state: 'detached', timeout: 60_000 });
  });

  it('confirms suggestions from the keyboard over the real event stream', async () => {
    await page.goto(`${server.origin}/#/person/person-amy`);
    await page.getByRole('tab', { name: /Suggestions/ }).click();
    await page.getByRole('heading', { name: 'Is this Amy?' }).waitFor();
    await page.keyboard.press('y');
    await page.getByText('No suggestions left').waitFor();
    expect(engine.calls('faces.confirm')).toEqual([{ faceIds: ['face-amy-4'], personId: 'person-amy' }]);
  });

  it('takes a watched folder out of the library after saying what goes with it, and offers to forget photos gone from disk', async () => {
    const root = join(sharedFaces, 'face-api.js');
    engine.folders = [join(root, 'raj'), join(root, 'sheldon')];
    engine.missingPhotos = ['photo-raj-0', 'photo-raj-1']; // deleted outside Familiar
    await page.goto(`${server.origin}/#/import`);
    await page.getByRole('button', { name: `Remove ${join(root, 'sheldon')} from the library` }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Remove this folder from Familiar?' });
    await dialog.getByText('Sheldon loses 4 faces, all of them').waitFor();
    await dialog.getByText('“Sheldon” is kept, with no face, for when a face is named so again.').waitFor();
    await screenshot(page, '26-import-remove-folder');
    await dialog.getByRole('button', { name: 'Remove from library' }).click();
    await page.getByTestId('removal-summary').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('removal-summary').textContent()).toContain('5 photos and 5 faces');
    await expect.poll(() => page.getByRole('list', { name: 'Watched folders' }).getByRole('listitem').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('missing-photos').getByRole('button', { name: 'Forget them…' }).waitFor();
    await screenshot(page, '27-import-folder-removed');
    expect(engine.calls('library.removeFolder')).toEqual([{ path: join(root, 'sheldon') }]);
  });

  it('marks the faces that look unlike a person\'s confirmed ones, and selects them in one click', async () => {
    // Amy's first two crops are the user's; one of Penny's was placed with Amy by the clustering.
    for (const face of engine.state.faces) {
      if (face.id === 'face-amy-0' || face.id === 'face-amy-1') face.assignedBy = 'user';
      if (face.id === 'face-penny-0') Object.assign(face, { personId: 'person-amy', assignedBy: 'cluster' });
    }
    // The People list counts them on Amy's card, and its "To check" filter lists only her.
    await page.goto(`${server.origin}/#/people`);
    const amy = page.getByRole('option', { name: /^Amy, \d+ faces, 1 to check$/ });
    await amy.waitFor();
    expect((await amy.getByTestId('to-check').textContent())!.trim()).toBe('1 to check');
    await page.getByRole('radio', { name: 'To check' }).click();
    await expect.poll(() => page.getByRole('listbox', { name: 'People' }).getByRole('option').count(), { timeout: 30_000 }).toBe(1);
    await page.waitForTimeout(400);
    await screenshot(page, '06a-people-to-check');
    await amy.click();
    const notice = page.getByTestId('unlike-notice');
    await notice.waitFor();
    expect((await notice.textContent())!.replace(/\s+/g, ' ')).toContain("1 face looks unlike Amy's confirmed faces.");
    await page.waitForTimeout(400);
    await screenshot(page, '06b-person-unlike');
    await notice.getByRole('button', { name: 'Select it' }).click();
    await page.getByText('1 face selected').waitFor();
    const first = page.getByRole('listbox', { name: 'Faces of Amy' }).getByRole('option').first();
    // The grid's cells fill in as their faces load ("Loading face 1" on a busy machine: CI).
    await expect.poll(() => first.getAttribute('aria-label'), { timeout: 30_000 }).toBe('Face 1, not confirmed, looks unlike');
    expect(await first.getAttribute('aria-selected')).toBe('true');
    await page.waitForTimeout(400);
    await screenshot(page, '06c-person-unlike-selected');
  });

  it('asks whether a person whose faces look like two people is, and splits off the other part', async () => {
    // Three of Penny's faces placed with Amy, as the clustering groups sisters.
    for (const face of engine.state.faces) {
      if (face.id === 'face-penny-1' || face.id === 'face-penny-2' || face.id === 'face-penny-3') Object.assign(face, { personId: 'person-amy', assignedBy: 'cluster' });
    }
    // From People: the page is on Amy's already, and the same address would not load her again.
    await page.goto(`${server.origin}/#/people`);
    await page.getByRole('option', { name: /^Amy, / }).click();
    const question = page.getByRole('region', { name: 'These faces may be two people' });
    await question.waitFor();
    await page.waitForTimeout(400);
    await screenshot(page, '06d-person-two-people');
    await question.getByRole('button', { name: /^Split off \d+ faces$/ }).click();
    await question.waitFor({ state: 'detached' });
    expect(engine.calls('people.split')).toEqual([{ personId: 'person-amy' }]);
  });

  it('logged no errors and no Content-Security-Policy violation', () => {
    expect(browser.problems).toEqual([]);
  });
});
