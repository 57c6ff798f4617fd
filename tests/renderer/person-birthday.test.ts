// @vitest-environment jsdom
// A person's birthday on their page: added, changed and cleared under the name, a date that cannot be read said before
// anything is sent; the faces in photos taken before it pointed at and selected for one "Not Ada"; and the photo
// viewer saying how old each person was.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import PhotosScreen from '../../renderer/screens/PhotosScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { renderScreen, typeInto } from './render.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';

const undo: Array<() => void> = [];
afterEach(() => undo.splice(0).forEach((restore) => restore()));

/** jsdom lays nothing out: every element this size, so the Photos grid has columns and renders its month headings. */
function layOut(width: number, height: number): void {
  const prototype = HTMLElement.prototype as unknown as Record<string, unknown>;
  Object.defineProperty(prototype, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(prototype, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(prototype, 'getBoundingClientRect', {
    configurable: true,
    value: () => ({ top: 0, bottom: height, left: 0, right: width, x: 0, y: 0, width, height, toJSON: () => ({}) }) as DOMRect,
  });
  undo.push(() => {
    delete prototype.clientWidth;
    delete prototype.clientHeight;
    delete prototype.getBoundingClientRect;
  });
}

describe("A person's birthday", () => {
  it('is added under the name, a date read two ways refused in words before anything is sent', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Add birthday' }));
    const field = screen.getByRole('textbox', { name: 'Birthday of Ada' });
    expect(document.activeElement).toBe(field);

    await typeInto(field, '03/01/2024');
    await fireEvent.submit(field.closest('form')!);
    expect(screen.getByRole('alert').textContent).toMatch(/^"03\/01\/2024" could be read with the day and month either way\. Write it as/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(engine.calls('people.setBirthday')).toEqual([]);

    await typeInto(field, '1 March 2024');
    expect(screen.queryByRole('alert')).toBeNull();
    await fireEvent.submit(field.closest('form')!);
    await waitFor(() => expect(engine.calls('people.setBirthday')).toEqual([{ personId: 'person-ada', birthday: '2024-03-01' }]));
    const shown = await screen.findByRole('button', { name: /^Born March 1, 2024 · \d+ years old$/ });
    expect(document.activeElement).toBe(shown);
    expect(toasts.items.at(-1)).toMatchObject({ message: 'Set the birthday of "Ada" to March 1, 2024.', action: { label: 'Undo' } });
  });

  it('points at the faces in photos taken before it, and selects them for one "Not Ada"', async () => {
    const album = sampleAlbum();
    // Ada's photos are from January to May 2024: born on 1 March, the first two cannot be of her.
    album.people[0].birthday = '2024-03-01';
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' }, new FakeEngine(album));
    const notice = await screen.findByTestId('before-birth-notice');
    expect(notice.textContent!.replace(/\s+/g, ' ').trim()).toMatch(
      /^2 faces are in photos taken before Ada was born \(March 1, 2024\)\. Someone else's, such as a brother's or sister's, or the camera's clock was wrong: check them\. Select them$/,
    );
    const grid = screen.getByRole('listbox', { name: 'Faces of Ada' });
    await waitFor(() => expect(within(grid).getAllByRole('option', { name: /in a photo from before their birth/ })).toHaveLength(2));

    await fireEvent.click(within(notice).getByRole('button', { name: 'Select them' }));
    await screen.findByText('2 faces selected');
    await fireEvent.click(screen.getByRole('button', { name: /Not Ada/ }));
    await waitFor(() => expect(engine.calls('faces.reject')).toEqual([{ faceIds: ['face0-0', 'face1-0'], personId: 'person-ada' }]));
    await waitFor(() => expect(screen.queryByTestId('before-birth-notice')).toBeNull());
  });

  it('is changed, kept as it was on Escape, and cleared', async () => {
    const album = sampleAlbum();
    album.people[0].birthday = '2024-03-01';
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' }, new FakeEngine(album));
    const button = await screen.findByRole('button', { name: /^Born March 1, 2024/ });

    await fireEvent.click(button);
    const field = screen.getByRole('textbox', { name: 'Birthday of Ada' }) as HTMLInputElement;
    // The stored form: it reads back in any language, where the words shown may not.
    expect(field.value).toBe('2024-03-01');
    await typeInto(field, '2023');
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.queryByRole('textbox', { name: 'Birthday of Ada' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: /^Born March 1, 2024/ })));

    // The same date again closes the field and decides nothing.
    await fireEvent.click(screen.getByRole('button', { name: /^Born March 1, 2024/ }));
    await fireEvent.submit(screen.getByRole('textbox', { name: 'Birthday of Ada' }).closest('form')!);
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Birthday of Ada' })).toBeNull());
    expect(engine.calls('people.setBirthday')).toEqual([]);

    await fireEvent.click(screen.getByRole('button', { name: /^Born March 1, 2024/ }));
    await typeInto(screen.getByRole('textbox', { name: 'Birthday of Ada' }), 'May 2019');
    await fireEvent.submit(screen.getByRole('textbox', { name: 'Birthday of Ada' }).closest('form')!);
    await screen.findByRole('button', { name: /^Born May 2019 · \d+ years old$/ });
    expect(screen.queryByTestId('before-birth-notice')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: /^Born May 2019/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await screen.findByRole('button', { name: 'Add birthday' });
    expect(engine.calls('people.setBirthday')).toEqual([
      { personId: 'person-ada', birthday: '2019-05' },
      { personId: 'person-ada', birthday: null },
    ]);
  });

  it('is not offered for a group without a name', async () => {
    renderScreen(PersonScreen, { personId: 'person-bob' });
    await screen.findByRole('listbox', { name: 'Faces of Unnamed group' });
    expect(screen.queryByRole('button', { name: 'Add birthday' })).toBeNull();
  });

  it("gives each person's age in the photo viewer", async () => {
    const album = sampleAlbum();
    album.people[0].birthday = '2024-03-01';
    // photo3 is from 13 April 2024: Ada is a month old there.
    renderScreen(PhotoViewer, { photoId: 'photo3', people: [], onclose: () => {}, onstep: () => {} }, new FakeEngine(album));
    await waitFor(() => expect(document.querySelector('[data-face-age]')?.textContent).toBe('1 month'));
    expect(document.querySelector('[data-face-age]')!.closest('button')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('Ada 1 month');
    // photo1 is from before her birth: no age.
    renderScreen(PhotoViewer, { photoId: 'photo1', people: [], onclose: () => {}, onstep: () => {} }, new FakeEngine(album));
    await waitFor(() => expect(document.querySelectorAll('[data-face-age]')).toHaveLength(1));
  });

  it("heads each month of the person's photos with how old they were", async () => {
    layOut(760, 4000);
    const album = sampleAlbum();
    album.people[0].birthday = '2024-03-01';
    renderScreen(PhotosScreen, { personIds: ['person-ada'], photoId: null }, new FakeEngine(album));
    await screen.findByRole('group', { name: 'May 2024' });
    const agesUnder = (month: string) => screen.getByText(month, { selector: '.month' }).closest('.month-heading')!.querySelector('[data-month-ages]')?.textContent ?? null;
    await waitFor(() => expect(agesUnder('May 2024')).toBe('Ada, 2 months'));
    expect(agesUnder('April 2024')).toBe('Ada, 1 month');
    expect(agesUnder('March 2024')).toBe('Ada, newborn');
    // Before her birth: nothing said (the person page points at those photos).
    expect(agesUnder('February 2024')).toBeNull();
  });
});
