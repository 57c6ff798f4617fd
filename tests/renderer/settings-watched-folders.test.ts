// @vitest-environment jsdom
// Settings' "Watched folders": a library whose folders were imported once or are no longer watched said "None yet.
// Folders you import … are watched", which read as if its folders had been lost (QA). It says where its photos'
// folders are offered to be watched again instead.
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/svelte';
import SettingsScreen from '../../renderer/screens/SettingsScreen.svelte';
import { FakeEngine, sampleAlbum, type FakeState } from './fake-engine.js';
import { renderScreen } from './render.js';

/** What Settings says beside "Watched folders", spaces as read. */
async function watchedFolders(engine: FakeEngine): Promise<string> {
  renderScreen(SettingsScreen, {}, engine);
  const term = await screen.findByText('Watched folders');
  return term.nextElementSibling!.textContent!.replace(/\s+/g, ' ').trim();
}

/** sampleAlbum with its photos in two folders: /photos/2023 and /photos/2024. */
function twoFolders(): FakeState {
  const state = sampleAlbum();
  state.photos.forEach((photo, i) => (photo.path = photo.path.replace('/photos/', i % 2 ? '/photos/2023/' : '/photos/2024/')));
  return state;
}

describe('Settings: watched folders', () => {
  it('an empty library: folders imported will be watched', async () => {
    expect(await watchedFolders(new FakeEngine())).toBe(
      'None yet. Folders you import, in the app or with familiar import, are watched for new photos (--no-watch imports once).',
    );
  });

  it('photos from folders not watched: none, and Import lists them to watch', async () => {
    expect(await watchedFolders(new FakeEngine(twoFolders()))).toBe(
      'None. Familiar does not look for new photos in 2 folders your photos come from. Import lists them, each with “Watch it”.',
    );
    expect(screen.getByRole('link', { name: 'Import' }).getAttribute('href')).toBe('#/import');
  });

  it('one folder watched and one not: the watched one, and the other', async () => {
    const engine = new FakeEngine(twoFolders());
    engine.folders = ['/photos/2024'];
    expect(await watchedFolders(engine)).toBe(
      '/photos/2024 Familiar does not look for new photos in 1 other folder your photos come from. Import lists it, with “Watch it”.',
    );
  });

  it('every folder watched: the folders alone', async () => {
    const engine = new FakeEngine(twoFolders());
    engine.folders = ['/photos/2023', '/photos/2024'];
    expect(await watchedFolders(engine)).toBe('/photos/2023/photos/2024');
    expect(screen.queryByTestId('unwatched-folders')).toBeNull();
  });
});
