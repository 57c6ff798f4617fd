// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import SettingsScreen from '../../renderer/screens/SettingsScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { renderScreen } from './render.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { roundedSetting } from '../../renderer/lib/format.js';
import { SETTING_LIMITS } from '../../preload/contract.js';

/** Types into a field and leaves it, as a browser reports it: input events, then change. */
async function enter(field: HTMLElement, text: string): Promise<void> {
  (field as HTMLInputElement).value = text;
  await fireEvent.input(field);
  await fireEvent.change(field);
}

describe('Settings screen', () => {
  it('regroups faces, says it is at work, and says what it did when it is done', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    await fireEvent.click(await screen.findByRole('button', { name: 'Regroup faces' }));
    await waitFor(() => expect(engine.calls('recluster.start')).toHaveLength(1));
    expect((screen.getByRole('button', { name: 'Regrouping…' }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(toasts.items.at(-1)?.message).toMatch(/^Regrouped \d+ faces into 3 people and groups\. \d+ faces are in no group\. Your names and corrections held\.$/), { timeout: 15_000 });
    expect(await screen.findByRole('button', { name: 'Regroup faces' })).toBeTruthy();
    // The "Regrouping…" toast goes once the result is in.
    expect(toasts.items.some((t) => t.message.startsWith('Regrouping faces'))).toBe(false);
  });

  it('says which faces placed with named people now wait under "Who is this?" (QA: a named person shrank unexplained)', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.regroupReleases = 2;
    renderScreen(SettingsScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Regroup faces' }));
    await waitFor(() => expect(toasts.items.at(-1)?.message).toMatch(/ 2 faces placed with people you named look as much like someone else: they wait for you under “Who is this\?”\. Your names and corrections held\.$/), { timeout: 15_000 });
  });

  it('counts the people and groups People shows, and says the ones hidden apart (QA: Regroup counted a hidden group)', async () => {
    const engine = new FakeEngine(sampleAlbum());
    await engine.dispatcher.call('people.hide', { personIds: ['person-cleo'], hidden: true });
    renderScreen(SettingsScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Regroup faces' }));
    await waitFor(() => expect(toasts.items.at(-1)?.message).toMatch(/^Regrouped \d+ faces into 2 people and groups; the one you hid kept its faces\. /), { timeout: 15_000 });
  });

  it('regroups with the numbers on the screen: a number typed and not saved is saved first, in the one click that says so', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    const distance = (await screen.findByLabelText(/count as one person$/)) as HTMLInputElement;
    const regroupButton = () => screen.getByRole('button', { name: /regroup/i }) as HTMLButtonElement;
    expect(regroupButton().textContent).toBe('Regroup faces');
    // While typing, before leaving the field, the button already says what it will do.
    distance.value = '0.05';
    await fireEvent.input(distance);
    expect(regroupButton().textContent).toBe('Save and regroup');
    await fireEvent.change(distance);
    await fireEvent.click(regroupButton());
    await waitFor(() => expect(engine.reclusteredWith).toEqual([0.05]));
    expect(engine.log.map((entry) => entry.name).filter((name) => name === 'settings.set' || name === 'recluster.start')).toEqual(['settings.set', 'recluster.start']);
    expect(engine.calls('settings.set')).toEqual([{ values: { samePersonDistance: 0.05 } }]);
    // Nothing is left unsaved, and one toast says both.
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    expect(toasts.items.at(-1)?.message).toBe('Saved 1 setting. Regrouping faces; your names and corrections are kept.');
    await waitFor(() => expect(toasts.items.at(-1)?.message).toMatch(/^Saved 1 setting\. Regrouped \d+ faces into /), { timeout: 15_000 });
    expect(regroupButton().textContent).toBe('Regroup faces');
  });

  it('does not regroup while a number is wrong, and says why beside the button', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    const distance = await screen.findByLabelText(/count as one person$/);
    const regroupButton = screen.getByRole('button', { name: /regroup/i }) as HTMLButtonElement;
    // While typing it waits ("0" on the way to "0.05" is no mistake to announce), and regrouping with it cannot start...
    await fireEvent.input(distance, { target: { value: '5' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(regroupButton.disabled).toBe(true);
    // ...and once the field is left, it says what is wrong and why the button is grey.
    await fireEvent.change(distance, { target: { value: '5' } });
    expect(screen.getByRole('alert').textContent).toBe('How different two faces may look and still count as one person: type a number from 0.02 to 1.');
    expect(regroupButton.disabled).toBe(true);
    const reason = (regroupButton.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent?.trim());
    expect(reason).toContain('Fix the number below to save or regroup.');
    await fireEvent.click(regroupButton);
    expect(engine.calls('recluster.start')).toEqual([]);
    expect(engine.calls('settings.set')).toEqual([]);
  });

  it('says at the field why Save is grey while a number out of range is still being typed, in the engine\'s range', async () => {
    renderScreen(SettingsScreen, {});
    const distance = await screen.findByLabelText(/count as one person$/);
    // QA typed 5 and Save greyed out with no word why.
    await fireEvent.input(distance, { target: { value: '5' } });
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    expect(distance.getAttribute('aria-invalid')).toBe('true');
    const reasons = (distance.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent?.trim());
    expect(reasons).toContain(`How different two faces may look and still count as one person: type a number from ${SETTING_LIMITS.samePersonDistance.min} to ${SETTING_LIMITS.samePersonDistance.max}.`);
    const saveReason = (screen.getByRole('button', { name: 'Save' }).getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent?.trim());
    expect(saveReason).toContain('Fix the number below to save or regroup.');
    // Typed, not yet left: shown, not announced over each keystroke.
    expect(screen.queryByRole('alert')).toBeNull();
    await fireEvent.input(distance, { target: { value: '0.5' } });
    expect(distance.getAttribute('aria-invalid')).toBe('false');
    expect(screen.queryByText(/type a number from/)).toBeNull();
  });

  it('says what looking again found once it is done, in place of its button', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.analysedEarlier = ['photo0', 'photo3'];
    engine.missedFaces = [{ id: 'face3-1', photoId: 'photo3', box: [700, 420, 90, 90], identity: 'cleo', personId: null, assignedBy: null, rejected: [] }];
    renderScreen(SettingsScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Look again for missed faces' }));
    const said = screen.getByTestId('look-again-said');
    expect(said.getAttribute('role')).toBe('status');
    await waitFor(() => expect(said.textContent).toBe('Looked again at 2 photos: found 1 more face. Every name and correction is kept.'), { timeout: 15_000 });
    expect(screen.queryByRole('button', { name: /Look again/ })).toBeNull();
  });

  it('says looking again found none when it found no face it had missed', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.analysedEarlier = ['photo0'];
    renderScreen(SettingsScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Look again for missed faces' }));
    await waitFor(() => expect(screen.getByTestId('look-again-said').textContent).toBe('Looked again at 1 photo: found no more faces. Every name and correction is kept.'), { timeout: 15_000 });
  });

  it('says how many settings it saved, and asks for a regroup only when the same-person distance changed', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    await fireEvent.click(await screen.findByRole('checkbox', { name: /Read names other apps tagged/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(engine.calls('settings.set')).toEqual([{ values: { readNamesOnImport: false } }]));
    await waitFor(() => expect(toasts.items.at(-1)?.message).toBe('Saved 1 setting. It applies from the next import.'));
    expect(toasts.items.at(-1)?.action).toBeUndefined();
  });

  it('says which of two settings saved a regroup applies, and when the other does (QA: "Saved 2 settings. … apply it")', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    const distance = (await screen.findByLabelText(/count as one person$/)) as HTMLInputElement;
    distance.value = '0.05';
    await fireEvent.input(distance);
    await fireEvent.change(distance);
    await fireEvent.click(screen.getByRole('checkbox', { name: /Read names other apps tagged/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(engine.calls('settings.set')).toHaveLength(1));
    await waitFor(() =>
      expect(toasts.items.at(-1)?.message).toBe('Saved 2 settings. Regroup faces to apply the grouping setting to the faces already grouped. The other applies from the next import.'),
    );
    expect(toasts.items.at(-1)?.action?.label).toBe('Regroup now');
  });

  it('says under a number what is wrong with it, and Save waits until it is right', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    const size = await screen.findByLabelText('Photo size when looking for faces');
    await enter(size, '10');
    expect((await screen.findByRole('alert')).textContent).toBe('Photo size when looking for faces: type a whole number from 320 to 4,096.');
    // The problem is read out with the field.
    expect(size.getAttribute('aria-describedby')?.split(' ')).toContain(screen.getByRole('alert').id);
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    await enter(size, '');
    expect(screen.getByRole('alert').textContent).toBe('Photo size when looking for faces: type a whole number from 320 to 4,096.');
    await enter(size, '1600');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(engine.calls('settings.set')).toEqual([{ values: { analysisMaxSide: 1600 } }]));
  });

  it('shows a calibrated number rounded, keeps the exact one unless another is typed, and saves what is typed', async () => {
    // Training carries the same-person distance to the new model to many digits (QA saw 0.1409182026).
    const engine = new FakeEngine(sampleAlbum());
    engine.settings = { ...engine.settings, samePersonDistance: 0.14091820269823074, analysisMaxSide: 1024 };
    renderScreen(SettingsScreen, {}, engine);
    const distance = (await screen.findByLabelText(/count as one person$/)) as HTMLInputElement;
    expect(distance.value).toBe('0.141');
    expect((screen.getByLabelText('Photo size when looking for faces') as HTMLInputElement).value).toBe('1024');
    const save = () => screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save().disabled).toBe(true);
    // Typing the shown number back is no change: the exact value stays.
    await enter(distance, '0.14');
    expect(save().disabled).toBe(false);
    await enter(distance, '0.141');
    expect(save().disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Regroup faces' })).toBeTruthy();
    await enter(distance, '0.15');
    await fireEvent.click(save());
    await waitFor(() => expect(engine.calls('settings.set')).toEqual([{ values: { samePersonDistance: 0.15 } }]));
    await waitFor(() => expect(distance.value).toBe('0.15'));
  });

  it('says in words where the same-person number stands against Familiar\'s measured one, and what it does, as it is typed', async () => {
    // QA: Settings showed a bare "0.087".
    const engine = new FakeEngine(sampleAlbum());
    engine.settings = { ...engine.settings, samePersonDistance: 0.087 };
    engine.measuredSamePersonDistance = 0.087;
    renderScreen(SettingsScreen, {}, engine);
    const distance = (await screen.findByLabelText(/count as one person$/)) as HTMLInputElement;
    const reading = () => screen.getByTestId('setting-reading').textContent;
    expect(distance.value).toBe('0.087');
    // A number the field's arrows reach, and the browser does not count invalid (QA: a step of 0.01 did both to 0.087).
    expect(distance.validity.stepMismatch).toBe(false);
    expect(await screen.findByTestId('setting-reading')).toBeTruthy();
    expect(reading()).toMatch(/^Familiar’s measured setting for its faces model/);
    await enter(distance, '0.06');
    expect(reading()).toBe('Stricter than Familiar’s measured 0.087: look-alikes are kept apart, and more small groups wait for a name.');
    await enter(distance, '0.12');
    expect(reading()).toBe('Looser than Familiar’s measured 0.087: more of one person’s photos go together, and look-alikes may be mixed up.');
    // A number out of range is said as such, not read.
    await enter(distance, '7');
    expect(screen.queryByTestId('setting-reading')).toBeNull();
  });

  it('steps the same-person number by the digit it shows, and counts no number the engine takes invalid', async () => {
    // QA: a fixed step of 0.001 made 0.0875 a mismatch the browser counts invalid, and the arrows jumped to 0.088.
    const engine = new FakeEngine(sampleAlbum());
    engine.settings = { ...engine.settings, samePersonDistance: 0.0875 };
    renderScreen(SettingsScreen, {}, engine);
    const distance = (await screen.findByLabelText(/count as one person$/)) as HTMLInputElement;
    expect(distance.value).toBe('0.0875');
    expect(distance.step).toBe('0.0001');
    expect(distance.validity.stepMismatch).toBe(false);
    distance.stepUp();
    expect(distance.value).toBe('0.0876');
    // Each number the engine takes, as typed, is valid, and its step is the digit shown or the last typed.
    for (const [typed, step] of [['0.02', '0.0001'], ['0.0999', '0.0001'], ['0.186', '0.001'], ['0.08753', '0.00001'], ['1', '0.01']]) {
      await enter(distance, typed);
      expect([typed, distance.step, distance.validity.valid]).toEqual([typed, step, true]);
    }
    // A calibrated number kept to many digits is shown, and stepped, as its three digits.
    engine.settings = { ...engine.settings, samePersonDistance: 0.14091820269823074 };
    document.body.innerHTML = '';
    renderScreen(SettingsScreen, {}, engine);
    const calibrated = (await screen.findByLabelText(/count as one person$/)) as HTMLInputElement;
    expect([calibrated.value, calibrated.step, calibrated.validity.valid]).toEqual(['0.141', '0.001', true]);
  });

  it('says what each setting does for you and which way to move it without hovering; the technical name waits under Details', async () => {
    renderScreen(SettingsScreen, {});
    // The words run the way the number does: a higher number lets faces differ more (QA: "how alike" read backwards).
    const alike = await screen.findByLabelText('How different two faces may look and still count as one person');
    const shown = (el: Element) => el.closest('details:not([open])') === null;
    // The explanation is on the page and read out with the field (aria-describedby), not in a tooltip.
    const described = (field: HTMLElement) => (field.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)!);
    const parts = described(alike);
    expect(parts.map((el) => el.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Familiar’s measured setting for its faces model: the best balance between keeping look-alikes apart and keeping each person together.',
      'Lower: stricter (fewer mix-ups) Higher: looser (fewer groups)',
      expect.stringMatching(/^Stricter keeps look-alikes such as brothers and sisters apart, but leaves more small groups for you to name\./),
    ]);
    expect(parts.every(shown)).toBe(true);
    expect(screen.getByText(/^Familiar shrinks each photo to this many pixels/)).toSatisfy(shown);
    expect(screen.getByText('finds smaller faces')).toSatisfy(shown);
    expect(document.querySelectorAll('.setting [title]')).toHaveLength(0);
    // The technical names are there for whoever looks for them, one click away.
    const term = screen.getByText(/^Same-person distance: the cosine distance \(1 − cosine similarity\) between two faces' descriptors below which they count as the same person\./);
    expect(shown(term)).toBe(false);
    const details = term.closest('details')!;
    await fireEvent.click(within(details).getByText('Details'));
    expect(details.open).toBe(true);
    expect(shown(term)).toBe(true);
    // The engine: what it means for speed in words; its name's technicalities (SIMD, threads, why) under Details.
    expect(screen.getByText(/^Good speed: Familiar uses its built-in engine/)).toSatisfy(shown);
    expect(shown(screen.getByText(/tfjs-node is not installed/))).toBe(false);
  });

  it('does not ask for the native engine where it is installed but the app\'s workers cannot use it', async () => {
    // tfjs-node serves one thread per process, and the desktop app's engine is a worker thread (models/backend.ts).
    const engine = new FakeEngine(sampleAlbum());
    engine.backend = {
      name: 'wasm',
      reason: 'Native TensorFlow (tfjs-node) serves one thread per process, its main one, and this is a worker thread, so the models run on WebAssembly with SIMD.',
      simd: true,
      threads: 1,
      nativeElsewhere: 'terminal',
    };
    const view = renderScreen(SettingsScreen, {}, engine);
    const said = await screen.findByText(/^Good speed: the app uses Familiar's built-in engine/);
    expect(said.textContent).toBe(
      "Good speed: the app uses Familiar's built-in engine, which works on every computer. The native engine installed here speeds up familiar import in a terminal; the app's workers cannot share it.",
    );
    expect(screen.queryByText(/would be faster/)).toBeNull();
    view.unmount();
    // `familiar serve`: its engine is a worker thread too, but face analysis runs on the native engine in processes.
    engine.backend = { ...engine.backend, nativeElsewhere: 'analysis' };
    renderScreen(SettingsScreen, {}, engine);
    expect(await screen.findByText(/^Faces are found with the native engine, in processes of their own; training uses/)).toBeTruthy();
    expect(screen.queryByText(/would be faster/)).toBeNull();
  });
});

describe('roundedSetting', () => {
  it('reads three significant digits, whole numbers whole', () => {
    expect([0.14091820269823074, 0.087, 0.0551234, 0.5, 12.3456, 1024, 1234.5].map(roundedSetting)).toEqual([0.141, 0.087, 0.0551, 0.5, 12.3, 1024, 1235]);
  });
});
