// @vitest-environment jsdom
// Looking again at a large library takes hours: Settings says how long, and from what, before the user asks for it,
// and the Import screen says how long it has left while it runs (QA: "ETA 00:00" through a whole look again).
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import SettingsScreen from '../../renderer/screens/SettingsScreen.svelte';
import ImportScreen from '../../renderer/screens/ImportScreen.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

/** The paragraph beside "Look again for missed faces". */
async function lookAgainOffer(): Promise<string> {
  const button = await screen.findByRole('button', { name: 'Look again for missed faces' });
  return button.closest('dd')!.querySelector('p')!.textContent!.replace(/\s+/g, ' ').trim();
}

describe('the offer to look again', () => {
  it("says how long it takes at this library's own pace, and what it gains", async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.analysedEarlier = Array.from({ length: 6000 }, (_, i) => `earlier${i}`);
    // This library's imports took ~0.96 s a photo: looking again, 2.5 times that.
    engine.lookAgainPace = { secondsPerPhoto: 2.4, basis: 'imports' };
    renderScreen(SettingsScreen, {}, engine);
    expect(await lookAgainOffer()).toBe(
      '6,000 photos were analysed by an earlier version of Familiar, which misses some faces (a child looking down, people in the background). ' +
        'Looking again at 6,000 photos takes about 4 hours on this computer: about 2.5 times as long a photo as its imports took. ' +
        'About 1 photo in 60 gains a face. Looking again keeps every name and correction.',
    );
  });

  it('says when the time is a guess, Familiar having timed no import of this library', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.analysedEarlier = Array.from({ length: 300 }, (_, i) => `earlier${i}`);
    // The fake's typical pace, as main/library/analysis-pace.ts's: 0.5 s a photo, times 2.5.
    renderScreen(SettingsScreen, {}, engine);
    expect(await lookAgainOffer()).toContain('Looking again at 300 photos takes about 6 minutes at a typical pace (a guess: Familiar has not yet timed an import of this library).');
  });
});

describe('the Import screen during a look again', () => {
  it('says it reads the photos again on purpose, its speed and the time it has left, from the photos it analyses', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.analysedEarlier = sampleAlbum().photos.map((p) => p.id);
    engine.stepMs = 150;
    const { client, live } = renderScreen(ImportScreen, {}, engine);
    // Started from Settings: the Import screen follows it as any import.
    const { jobId } = await client.call('import.lookAgain');
    live.track(jobId, 'import');
    const stats = await screen.findByRole('progressbar', { name: 'Import progress' }).then((bar) => bar.closest('.panel') as HTMLElement);
    // Never an import's "reads each photo once" (QA), not even before its first report says which run it is.
    const said = () => stats.querySelector('.panel-head p')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(said()).not.toContain('reads each photo once');
    const value = (label: string) => within(stats).getByText(label).nextElementSibling!.textContent!.trim();
    await waitFor(() => expect(value('Time left')).toMatch(/^\d+ s$/), { timeout: 10_000 });
    expect(value('Speed')).toMatch(/^\d+(\.\d)? photos\/s$/);
    expect(value('Photos')).toMatch(/^\d+ of 12$/);
    expect(said()).toBe('Each photo an earlier version of Familiar analysed is read again, on purpose, to find the faces it missed. Names and corrections are kept.');
  });
});
