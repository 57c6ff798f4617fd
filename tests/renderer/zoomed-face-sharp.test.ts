// @vitest-environment jsdom
// The queues zoom on a small face in a group photo, drawn from the photo's small preview: once zoomed past the preview's
// pixels, the image with every pixel of the photo is laid over it (QA: the face in an 800-px group photo was the 480-px
// preview stretched to 2,400 px). In a photo larger than the viewer's image, the photo's own pixels around the face are
// asked for at once, and the face zooms as far as they allow.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import WhichScreen from '../../renderer/screens/WhichScreen.svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { FakeEngine, sampleAlbum, type FakeState } from './fake-engine.js';
import { renderScreen } from './render.js';
import { layOutZoomablePhoto } from './zoom-layout.js';

const undo: Array<() => void> = [];
afterEach(() => undo.splice(0).forEach((restore) => restore()));

/** The sample album with every face small in its photo (40 px of 1,200): each is shown zoomed 4x. */
function smallFaces(): FakeState {
  const album = sampleAlbum();
  for (const face of album.faces) face.box = [face.box[0], face.box[1], 40, 40];
  return album;
}

/** The preview loads, 480 px wide, in a photo laid out 600 px wide and zoomed 4x: the sharper image is asked for. */
async function sharperImageShown(): Promise<string | null> {
  const preview = await waitFor(() => {
    const image = document.querySelector<HTMLImageElement>('.canvas img:not(.full)');
    expect(image?.getAttribute('src')).toMatch(/preview\//);
    return image!;
  });
  expect(document.querySelector<HTMLElement>('.canvas')!.style.width).toBe('400%');
  expect(document.querySelector('.canvas img.full')).toBeNull();
  Object.defineProperty(preview, 'naturalWidth', { value: 480 });
  await fireEvent.load(preview);
  return document.querySelector('.canvas img.full')?.getAttribute('src') ?? null;
}

/**
 * Ada's suggestions, every photo `width` x `height` (larger than the viewer's image holds) and each face `side` px
 * square, placed `spread` times as far from the corner as in the sample album.
 */
async function largePhotoSuggestions(width: number, height: number, spread: number, side: number): Promise<FakeState> {
  undo.push(layOutZoomablePhoto(600, 400));
  const album = smallFaces();
  for (const photo of album.photos) Object.assign(photo, { width, height });
  for (const face of album.faces) face.box = [face.box[0] * spread, face.box[1] * spread, side, side];
  renderScreen(PersonScreen, { personId: 'person-ada', initialTab: 'suggestions' }, new FakeEngine(album));
  expect(await screen.findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
  return album;
}

/** The photo's preview loads, 480 px wide. */
async function previewLoaded(): Promise<void> {
  const preview = document.querySelector<HTMLImageElement>('.canvas img:not(.full):not(.around)')!;
  Object.defineProperty(preview, 'naturalWidth', { value: 480 });
  await fireEvent.load(preview);
}

describe('a face zoomed in the queues', () => {
  it('is drawn from the photo\'s own pixels in "Who is this?", not its preview blown up', async () => {
    undo.push(layOutZoomablePhoto(600, 400));
    const album = smallFaces();
    // No unnamed groups: the queue opens on a loose face, shown in its photo (a group shows its faces instead).
    album.people = album.people.filter((p) => p.name);
    for (const face of album.faces) if (face.personId !== 'person-ada') face.personId = null;
    renderScreen(WhoScreen, {}, new FakeEngine(album));
    expect(await sharperImageShown()).toMatch(/\/photo\/photo\d+$/);
  });

  it('is drawn from the photo\'s own pixels in "Which one?"', async () => {
    undo.push(layOutZoomablePhoto(600, 400));
    const album = smallFaces();
    album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
    album.lookalikes = { bob: 'ada' };
    renderScreen(WhichScreen, {}, new FakeEngine(album));
    expect(await sharperImageShown()).toMatch(/\/photo\/photo\d+$/);
  });

  it('is drawn from the photo\'s own pixels around the face in a photo larger than the viewer\'s image, asked for at once', async () => {
    // A panorama 12,000 px wide (QA: a face in it was a speck at 4x, a blur of the preview until its 8,192-px image came).
    const album = await largePhotoSuggestions(12_000, 9000, 10, 300);
    // The face fills 0.3 of the view's height (9x: 1,333 of the photo's pixels across), drawn from those pixels, asked
    // for with the preview; the 8,192-px image is not needed.
    const around = await waitFor(() => {
      const image = document.querySelector<HTMLImageElement>('.canvas img.around');
      expect(image?.getAttribute('src')).toMatch(/\/around\/face9-0$/);
      return image!;
    });
    const canvas = document.querySelector<HTMLElement>('.canvas')!;
    expect(canvas.style.width).toBe('900%');
    // Where those pixels lie in the photo: the view's part of it, the face in its middle.
    const [left, width] = [parseFloat(around.style.left), parseFloat(around.style.width)];
    expect(width).toBeCloseTo(100 / 9, 3);
    const face = album.faces.find((f) => f.id === 'face9-0')!.box;
    expect(left + width / 2).toBeCloseTo(((face[0] + face[2] / 2) / 12_000) * 100, 3);
    await previewLoaded();
    expect(document.querySelector('.canvas img.full')).toBeNull();
    // Its pixels show once loaded; the whole photo, from the full image, once asked for.
    expect(around.classList.contains('loaded')).toBe(false);
    await fireEvent.load(around);
    expect(around.classList.contains('loaded')).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Whole photo' }));
    expect(around.classList.contains('loaded')).toBe(false);
    await waitFor(() => expect(document.querySelector('.canvas img.full')?.getAttribute('src')).toMatch(/full\/photo9$/));
  });

  it('falls back on the full image when the pixels around the face cannot be had', async () => {
    await largePhotoSuggestions(6000, 4000, 5, 200);
    const around = await waitFor(() => document.querySelector<HTMLImageElement>('.canvas img.around')!);
    await fireEvent.error(around);
    await previewLoaded();
    await waitFor(() => expect(document.querySelector('.canvas img.full')?.getAttribute('src')).toMatch(/full\/photo9$/));
  });

  it('asks for nothing more when the preview holds every pixel of a small photo', async () => {
    undo.push(layOutZoomablePhoto(600, 400));
    const album = smallFaces();
    for (const photo of album.photos) Object.assign(photo, { width: 480, height: 320 });
    for (const face of album.faces) face.box = [40, 40, 16, 16];
    renderScreen(PersonScreen, { personId: 'person-ada', initialTab: 'suggestions' }, new FakeEngine(album));
    expect(await screen.findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
    expect(await sharperImageShown()).toBeNull();
  });
});
