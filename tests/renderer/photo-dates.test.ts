// @vitest-environment jsdom
// Photos without a camera date, dated by what their paths state (main/api/photo-dates.ts, through the fake engine as
// the engine does it): the viewer says where the date is from, and shows a photo known only to its year as the year,
// not as a day made up (the grid's heading of such photos: photos-screen.test.ts). QA: 442 photos in folders
// "2015" … "2019", copied, all under "December 2026", the viewer saying only "date of the file".
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import { FakeEngine, sampleAlbum, type FakeState } from './fake-engine.js';
import { renderScreen } from './render.js';

/** Copied today: the file's time says nothing of when the photo was taken. */
const COPIED = new Date().toISOString();

/** The sample album's photo9, without a camera date, at `path`, its file's time `fileDate`. */
function albumWith(path: string, fileDate: string | null): FakeState {
  const album = sampleAlbum();
  Object.assign(album.photos.find((p) => p.id === 'photo9')!, { path, takenAt: null, fileDate });
  return album;
}

async function viewerSays(album: FakeState): Promise<{ date: string; source: string }> {
  renderScreen(PhotoViewer, { photoId: 'photo9', people: [], onclose: () => {}, onstep: () => {} }, new FakeEngine(album));
  const dialog = await screen.findByRole('dialog', { name: 'Photo' });
  await waitFor(() => expect(dialog.querySelector('.meta strong')).toBeTruthy());
  return { date: dialog.querySelector('.meta strong')!.textContent!, source: dialog.querySelector('.meta span')!.textContent! };
}

describe('Photo viewer: where a date without a camera date is from', () => {
  it('shows a photo known only to its year as the year, from its folder', async () => {
    const said = await viewerSays(albumWith('/photos/2015/scan 001.jpg', COPIED));
    expect(said.date).toBe('2015');
    expect(said.source).toMatch(/^year from the folder “2015” · 2015\/scan 001\.jpg · /);
    expect(screen.getByRole('img', { name: 'Photo from 2015' })).toBeTruthy();
  });

  it('shows a month from a folder as the month', async () => {
    const said = await viewerSays(albumWith('/photos/2015_06 Rome/a.jpg', COPIED));
    expect(said.date).toBe('June 2015');
    expect(said.source).toMatch(/^month from the folder “2015_06 Rome” · /);
  });

  it("says the date is from the file name: WhatsApp's, which has no EXIF", async () => {
    const said = await viewerSays(albumWith('/photos/2019/IMG-20150612-WA0001.jpg', COPIED));
    expect(said.date).toBe('Jun 12, 2015');
    expect(said.source).toMatch(/^date from the file name · /);
  });

  it("says the date is the file's, and when its folder agrees", async () => {
    expect((await viewerSays(albumWith('/photos/scans/scan.jpg', '2021-06-05T10:00:00Z'))).source).toMatch(/^date of the file: the photo does not say when it was taken · /);
    document.body.innerHTML = '';
    const said = await viewerSays(albumWith('/photos/2021/scan.jpg', '2021-06-05T10:00:00Z'));
    expect(said.date).toBe('Jun 5, 2021');
    expect(said.source).toMatch(/^date of the file, which its folder “2021” agrees with · /);
  });
});
