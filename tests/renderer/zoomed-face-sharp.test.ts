// @vitest-environment jsdom
// The queues zoom on a small face in a group photo, drawn from the photo's small preview: once zoomed past the preview's
// pixels, the image with every pixel of the photo is laid over it (QA: the face in an 800-px group photo was the 480-px
// preview stretched to 2,400 px).
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

  it('is drawn from the full image of a photo larger than the viewer\'s image, in a person\'s suggestions', async () => {
    undo.push(layOutZoomablePhoto(600, 400));
    const album = smallFaces();
    // 6,000 px wide: its image holds 2,560 of them, its full image all.
    for (const photo of album.photos) Object.assign(photo, { width: 6000, height: 4000 });
    for (const face of album.faces) face.box = [face.box[0] * 5, face.box[1] * 5, 200, 200];
    renderScreen(PersonScreen, { personId: 'person-ada', initialTab: 'suggestions' }, new FakeEngine(album));
    expect(await screen.findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
    expect(await sharperImageShown()).toMatch(/full\/photo9$/);
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
