// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import StudioScreen from '../../renderer/screens/StudioScreen.svelte';
import SettingsScreen from '../../renderer/screens/SettingsScreen.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

describe('Training screen', () => {
  it('draws the epochs reported before the window opened (a reload mid-training)', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.stepMs = 30;
    const { result } = await engine.dispatcher.call('training.embedder.start', { epochs: 200, margin: 0.05 }) as { result: { jobId: string } };
    // A few epochs go by with no window listening.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const { live } = renderScreen(TrainingScreen, {}, engine);
    await waitFor(() => expect(live.jobs[result.jobId]?.history.length ?? 0).toBeGreaterThanOrEqual(3));
    expect(live.jobs[result.jobId].history[0].detail?.epoch).toBe(1);
    await engine.dispatcher.call('jobs.cancel', { jobId: result.jobId });
  });

  it('trains the embedder with a live loss chart, then shows the verdict and before/after metrics', async () => {
    const { engine } = renderScreen(TrainingScreen, {});
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(within(card).getByRole('button', { name: /Train/ }));
    await waitFor(() => expect(engine.calls('training.embedder.start')).toEqual([{ epochs: 40, margin: 0.05 }]));
    const chart = await within(card).findByRole('img', { name: /^Loss\. Loss: / }, { timeout: 5000 });
    await waitFor(() => expect(chart.querySelector('path.line')).toBeTruthy(), { timeout: 5000 });
    expect(await within(card).findByText('Adopted version v1', {}, { timeout: 10_000 })).toBeTruthy();
    // The held-out figures are shares: charted in percent, in the words of the table.
    const checked = within(card).getByRole('img', { name: /^Checked on faces set aside\. Faces recognised: \d+\.\d%.*; Same-person pairs matched: \d+\.\d%/ });
    expect([...checked.querySelectorAll('text.tick')].some((tick) => /^\d+\.\d%$/.test(tick.textContent ?? ''))).toBe(true);
    // Plain words for identification accuracy and TAR; the counts and the false-match rate go under the table.
    const rows = within(within(card).getByRole('table')).getAllByRole('row').map((row) => [...row.children].map((cell) => cell.textContent?.trim()));
    expect(rows).toEqual([
      ['Metric', 'Before', 'Version v1'],
      ['Faces recognised', '88.0 %', '94.0 %'],
      ['Same-person pairs matched', '93.3 %', '95.4 %'],
    ]);
    expect(within(card).getByText('Measured on 241 confirmed faces set aside to check the model and 1,986 same-person pairs, pairs matched at 1 false match in 1,000.')).toBeTruthy();
    // Roll back to the pretrained network.
    await fireEvent.click(within(card).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(engine.calls('models.use')).toEqual([{ kind: 'embedder', version: 'raw' }]));
  }, 20_000);
});

describe('Training numbers', () => {
  it('says under the fields what is wrong with them, and does not start', async () => {
    const { engine } = renderScreen(TrainingScreen, {});
    const card = await screen.findByRole('article', { name: 'Face studio' });
    await fireEvent.input(within(card).getByRole('spinbutton'), { target: { value: '0' } });
    expect((await within(card).findByRole('alert')).textContent).toBe('Epochs: a whole number from 1 to 500.');
    expect((within(card).getByRole('button', { name: /Train/ }) as HTMLButtonElement).disabled).toBe(true);
    const recognition = screen.getByRole('article', { name: 'Recognition' });
    await fireEvent.input(within(recognition).getAllByRole('spinbutton')[1], { target: { value: '8' } });
    expect((await within(recognition).findByRole('alert')).textContent).toBe('Margin: a number from 0.01 to 2.');
    expect(engine.calls('training.embedder.start')).toEqual([]);
    expect(engine.calls('training.autoencoder.start')).toEqual([]);
  });
});

describe('Face studio training', () => {
  it('reports how well it draws faces in plain words, PSNR in dB', async () => {
    const { engine } = renderScreen(TrainingScreen, {});
    const card = await screen.findByRole('article', { name: 'Face studio' });
    await fireEvent.click(within(card).getByRole('button', { name: /Train/ }));
    await waitFor(() => expect(engine.calls('training.autoencoder.start')).toHaveLength(1));
    expect(await within(card).findByText('Adopted version v1', {}, { timeout: 10_000 })).toBeTruthy();
    const rows = within(within(card).getByRole('table')).getAllByRole('row').map((row) => [...row.children].map((cell) => cell.textContent?.trim()));
    expect(rows).toEqual([
      ['Metric', 'In use before', 'Version v1'],
      ['Loss on faces set aside', '0.1900', '0.1250'],
      ['Detail kept (PSNR)', '14.6 dB', '17.8 dB'],
      ['Likeness (SSIM)', '26.1 %', '47.8 %'],
    ]);
    expect(within(card).getByRole('img', { name: /^Loss\. Loss on faces learnt from: .*; Loss on faces set aside: / })).toBeTruthy();
  }, 20_000);
});

describe('Studio screen', () => {
  it('asks for a trained autoencoder first', async () => {
    renderScreen(StudioScreen, {});
    expect(await screen.findByText('Teach Familiar to draw faces first')).toBeTruthy();
  });

  it('interpolates between two people and scrubs along the strip', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.models.autoencoder.push({ version: 'v1', createdAt: '2026-01-01T00:00:00Z', faces: 12, people: 3, metrics: {}, inUse: true });
    engine.models.autoencoderInUse = 'v1';
    renderScreen(StudioScreen, {}, engine);
    const from = await screen.findByLabelText('From: person');
    await fireEvent.change(from, { target: { value: 'person-ada' } });
    // The same person at both ends: said, and not generated.
    await fireEvent.change(screen.getByLabelText('To: person'), { target: { value: 'person-ada' } });
    expect(screen.getByText(/^From and To are the same face/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Interpolate' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.change(screen.getByLabelText('To: person'), { target: { value: 'person-bob' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Interpolate' }));
    await waitFor(() => expect(engine.calls('studio.interpolate')).toEqual([{ from: { personId: 'person-ada' }, to: { personId: 'person-bob' }, steps: 8 }]));
    const strip = await screen.findByRole('list', { name: 'Interpolation strip' });
    expect(within(strip).getAllByRole('button')).toHaveLength(8);
    await fireEvent.click(within(strip).getByRole('button', { name: /Step 4/ }));
    expect(screen.getByRole('img', { name: 'Generated face at step 4 of 8' })).toBeTruthy();
  });

  it('offers named people A-Z, then only the largest unnamed groups, when there are hundreds', async () => {
    const album = sampleAlbum();
    album.people[0].name = 'Zoë';
    album.people[1].name = 'ada';
    // 120 more unnamed groups of 1-12 faces.
    for (let g = 0; g < 120; g++) {
      album.people.push({ id: `person-extra${g}`, name: null, hidden: false, coverFaceId: null });
      for (let k = 0; k < 1 + (g % 12); k++) {
        album.photos.push({ id: `photo-extra${g}-${k}`, path: `/photos/extra_${g}_${k}.jpg`, width: 800, height: 600, takenAt: null, faceIds: [`face-extra${g}-${k}`] });
        album.faces.push({ id: `face-extra${g}-${k}`, photoId: `photo-extra${g}-${k}`, box: [10, 10, 100, 100], identity: `extra${g}`, personId: `person-extra${g}`, assignedBy: null, rejected: [] });
      }
    }
    const engine = new FakeEngine(album);
    engine.models.autoencoder.push({ version: 'v1', createdAt: '2026-01-01T00:00:00Z', faces: 12, people: 3, metrics: {}, inUse: true });
    engine.models.autoencoderInUse = 'v1';
    renderScreen(StudioScreen, {}, engine);
    const from = await screen.findByLabelText('From: person');
    const groups = from.querySelectorAll('optgroup');
    expect([...groups].map((g) => g.label)).toEqual(['Named', 'Largest unnamed groups (of 121)']);
    expect([...groups[0].querySelectorAll('option')].map((o) => o.textContent)).toEqual(['ada', 'Zoë']);
    const unnamed = [...groups[1].querySelectorAll('option')].map((o) => o.textContent);
    expect(unnamed).toHaveLength(50);
    expect(unnamed[0]).toBe('Unnamed group 1 (12 faces)');
    expect(unnamed.at(-1)).not.toBe('Unnamed group 50 (1 face)');
  });
});

describe('Settings screen', () => {
  it('shows the backend and why, and saves a changed threshold', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    expect(await screen.findByText('WebAssembly')).toBeTruthy();
    expect(screen.getByText(/tfjs-node is not installed/)).toBeTruthy();
    const field = screen.getByLabelText('Same-person distance');
    await fireEvent.change(field, { target: { value: '0.25' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(engine.calls('settings.set')).toEqual([{ values: { samePersonDistance: 0.25 } }]));
  });

  it('names the face models Familiar loads, and which file is missing', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.missingModelFiles = ['face_landmark_68_model.bin'];
    renderScreen(SettingsScreen, {}, engine);
    const list = (await screen.findByRole('heading', { name: 'Face models' })).nextElementSibling as HTMLElement;
    expect([...list.querySelectorAll('li')].map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Face detector (SSD MobileNet v1)',
      'Face landmarks (68 points) missing face_landmark_68_model.bin',
      'Recognition network (ResNet, 128 dimensions)',
    ]);
  });

  it('offers to look again at the photos an earlier version analysed, and says so no more once it has', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.analysedEarlier = ['photo0', 'photo3'];
    engine.missedFaces = [{ id: 'face3-1', photoId: 'photo3', box: [700, 420, 90, 90], identity: 'cleo', personId: null, assignedBy: null, rejected: [] }];
    renderScreen(SettingsScreen, {}, engine);
    expect(await screen.findByText(/^2 photos were analysed by an earlier version of Familiar, which misses some faces/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Look again for missed faces' }));
    await waitFor(() => expect(engine.calls('import.lookAgain')).toEqual([{}]));
    // Once the job is done, the counts come back without the offer, and the face it found is in the library.
    expect(await screen.findByRole('button', { name: 'Looking for faces…' })).toHaveProperty('disabled', true);
    await waitFor(() => expect(screen.queryByText(/analysed by an earlier version/)).toBeNull(), { timeout: 5000 });
    expect(engine.state.faces.some((f) => f.id === 'face3-1')).toBe(true);
    expect(engine.state.photos.find((p) => p.id === 'photo3')!.faceIds).toContain('face3-1');
  });

  it('turns off reading other apps\' face tags on import', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    const box = (await screen.findByLabelText('Read names other apps tagged')) as HTMLInputElement;
    expect(box.checked).toBe(true);
    await fireEvent.click(box);
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(engine.calls('settings.set')).toEqual([{ values: { readNamesOnImport: false } }]));
    expect(engine.settings.readNamesOnImport).toBe(false);
  });
});

describe('Loss chart', () => {
  it('labels its ticks with enough decimals to tell them apart on a narrow range', async () => {
    const { render } = await import('@testing-library/svelte');
    const LossChart = (await import('../../renderer/components/LossChart.svelte')).default;
    const { container } = render(LossChart, { props: { title: 'PSNR', series: [{ label: 'PSNR', tone: 1, points: [{ x: 1, y: 11.4 }, { x: 2, y: 11.44 }] }] } });
    const ticks = [...container.querySelectorAll('text.tick')].map((t) => t.textContent).slice(0, 3);
    expect(new Set(ticks).size).toBe(3);
  });
});
