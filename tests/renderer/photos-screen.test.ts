// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import PhotosScreen from '../../renderer/screens/PhotosScreen.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum, type FakeState } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { toasts } from '../../renderer/lib/live.svelte.js';

function bigAlbum(count: number, takenAt: (i: number) => string | null = () => null): FakeState {
  const album = sampleAlbum();
  for (let i = 0; i < count; i++) album.photos.push({ id: `extra${i}`, path: `/photos/extra_${i}.jpg`, width: 800, height: 600, takenAt: takenAt(i), faceIds: [] });
  return album;
}

/**
 * The sample album over three months, with six photos of nobody added in March. In rows of 4: March 2019 (photos
 * 0-9), February 2019 (10-13), December 2018 (14-15), no date (16-17).
 */
function datedAlbum(): FakeState {
  const album = sampleAlbum();
  const days = ['2019-03-14', '2019-03-12', '2019-03-10', '2019-03-08', '2019-02-20', '2019-02-15', '2019-02-10', '2019-02-05', '2018-12-24', '2018-12-20', null, null];
  album.photos.forEach((photo, i) => (photo.takenAt = days[i] ? `${days[i]}T10:00:00Z` : null));
  for (let i = 0; i < 6; i++) album.photos.push({ id: `march${i}`, path: `/photos/march_${i}.jpg`, width: 800, height: 600, takenAt: `2019-03-0${i + 1}T10:00:00Z`, faceIds: [] });
  return album;
}

/** The renderer's time zone, which the months are counted in (familiar serve may run the engine in another). */
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const undo: Array<() => void> = [];
afterEach(() => undo.splice(0).forEach((restore) => restore()));

/**
 * jsdom lays nothing out: every element gets this size, and the grid sits at the top of its scroller's content,
 * so the grid has columns and a window, and the scrubber a height. 760 px wide: rows of 4 photos, 191 px apart.
 */
function layOut(width: number, height: number): void {
  const prototype = HTMLElement.prototype as unknown as Record<string, unknown>;
  const box = (top: number) => ({ top, bottom: top + height, left: 0, right: width, x: 0, y: top, width, height, toJSON: () => ({}) }) as DOMRect;
  Object.defineProperty(prototype, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(prototype, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(prototype, 'getBoundingClientRect', {
    configurable: true,
    value(this: HTMLElement) {
      return box(this.classList.contains('virtual-grid') ? -(this.parentElement?.scrollTop ?? 0) : 0);
    },
  });
  undo.push(() => {
    delete prototype.clientWidth;
    delete prototype.clientHeight;
    delete prototype.getBoundingClientRect;
  });
}

const photosGrid = () => screen.getByRole('listbox', { name: 'Photos' });
const indexes = (element: HTMLElement) => within(element).getAllByRole('option').map((cell) => Number(cell.getAttribute('data-index')));

/** 40 photos in each month of 2020 under the sample album's 2024: June 2020 starts at photo 252 (12 + 6 x 40). */
function yearOf2020(): FakeState {
  return bigAlbum(480, (i) => `2020-${String(12 - Math.floor(i / 40)).padStart(2, '0')}-${String(28 - Math.floor((i % 40) / 2)).padStart(2, '0')}T10:00:00Z`);
}

/** Photos an import brings, all taken on one day. */
function imported(engine: FakeEngine, count: number, day: string): void {
  const first = engine.state.photos.length;
  for (let i = 0; i < count; i++) engine.state.photos.push({ id: `new${first + i}`, path: `/photos/new_${first + i}.jpg`, width: 800, height: 600, takenAt: `${day}T10:00:00Z`, faceIds: [] });
  engine.events.emit('library.changed', { what: ['photos'] });
}

/** Where photo `index` starts in the grid layOut(760, …) gives: a 44-px heading over each month, rows of 4, 191 px apart. */
async function cellTop(engine: FakeEngine, index: number): Promise<number> {
  const months = (await engine.dispatcher.call('photos.timeline', {})).result as Array<{ count: number }>;
  let [top, start] = [0, 0];
  for (const { count } of months) {
    if (index < start + count) return top + 44 + Math.floor((index - start) / 4) * 191;
    top += 44 + Math.ceil(count / 4) * 191;
    start += count;
  }
  throw new Error(`No photo ${index}`);
}

/** Which photo a cell shows (its preview's URL names it), once loaded. */
const shownAt = (index: number) => photosGrid().querySelector(`[data-index="${index}"] img`)?.getAttribute('src') ?? null;

describe('Photos screen', () => {
  it('renders only the rows on screen, however large the library', async () => {
    const engine = new FakeEngine(bigAlbum(5000));
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, engine);
    expect(await screen.findByText('5,012 photos')).toBeTruthy();
    const cells = within(screen.getByRole('listbox', { name: 'Photos' })).getAllByRole('option');
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.length).toBeLessThan(100);
    // Only the first page of photos was fetched, and the months once.
    expect(engine.calls('photos.list')).toEqual([{ personIds: [], only: false, offset: 0, limit: 200, timeZone }]);
    expect(engine.calls('photos.timeline')).toEqual([{ personIds: [], only: false, timeZone }]);
  });

  it('shows the photos under month headings, newest first, the undated last', async () => {
    layOut(760, 600);
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(datedAlbum()));
    const march = await screen.findByRole('group', { name: 'March 2019' });
    expect(indexes(march)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await waitFor(() => expect(within(march).getAllByRole('option')[0].getAttribute('aria-label')).toMatch(/photo from Mar 14, 2019$/));
    expect(within(march).getAllByRole('option')[9].getAttribute('aria-label')).toBe('Photo from Mar 1, 2019, no faces');
    // Each month starts a row of its own under its heading, which says how many photos it holds.
    expect(indexes(screen.getByRole('group', { name: 'February 2019' }))).toEqual([10, 11, 12, 13]);
    expect(within(photosGrid()).getByText('March 2019').nextElementSibling?.textContent).toBe('10 photos');
    expect(within(photosGrid()).getByText('February 2019').nextElementSibling?.textContent).toBe('4 photos');
    // Rendered as far down as the window reaches: December's heading and first row, not the photos with no date.
    expect(indexes(screen.getByRole('group', { name: 'December 2018' }))).toEqual([14, 15]);
    expect(screen.queryByRole('group', { name: 'No date' })).toBeNull();
    expect(engine.calls('photos.timeline')).toEqual([{ personIds: [], only: false, timeZone }]);
  });

  it("files a photo without a camera date under its file's month, and says the date is the file's", async () => {
    layOut(760, 600);
    const album = datedAlbum();
    // A scan with no EXIF date, its file from February 2019 (QA: 211 of 216 photos were under "No date").
    Object.assign(album.photos[10], { fileDate: '2019-02-18T10:00:00Z' });
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(album));
    const february = await screen.findByRole('group', { name: 'February 2019' });
    expect(indexes(february)).toEqual([10, 11, 12, 13, 14]);
    await waitFor(() => expect(within(february).getAllByRole('option')[1].getAttribute('aria-label')).toMatch(/^Photo from Feb 18, 2019 \(the file's date\), /));
  });

  it('heads the photos a folder dates only to its year with the year, after its months, and says so on each tile', async () => {
    layOut(760, 600);
    const album = datedAlbum();
    // Scans in a folder "2019", copied today (QA: 442 photos in folders "2015" … "2019" all under "December 2026").
    const copied = new Date().toISOString();
    Object.assign(album.photos[10], { path: '/photos/2019/scan 001.jpg', fileDate: copied });
    Object.assign(album.photos[11], { path: '/photos/2019/scan 002.jpg', fileDate: copied });
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(album));
    const year = await screen.findByRole('group', { name: '2019' });
    expect(indexes(year)).toEqual([14, 15]);
    expect(within(photosGrid()).getByText('2019', { selector: '.month' }).nextElementSibling?.textContent).toBe('2 photos');
    expect(screen.getByRole('group', { name: 'February 2019' })).toBeTruthy();
    await waitFor(() => expect(within(year).getAllByRole('option')[0].getAttribute('aria-label')).toMatch(/^Photo from 2019 \(the folder's year\), /));
  });

  it('counts the months of the people in the filter', async () => {
    layOut(760, 600);
    const { engine } = renderScreen(PhotosScreen, { personIds: ['person-ada'], photoId: null }, new FakeEngine(datedAlbum()));
    expect(indexes(await screen.findByRole('group', { name: 'March 2019' }))).toEqual([0, 1, 2, 3]);
    expect(indexes(screen.getByRole('group', { name: 'February 2019' }))).toEqual([4]);
    expect(within(photosGrid()).getByText('February 2019').nextElementSibling?.textContent).toBe('1 photo');
    expect(engine.calls('photos.timeline')).toEqual([{ personIds: ['person-ada'], only: false, timeZone }]);
    // Only Ada: the photo with Bob leaves March.
    await fireEvent.click(screen.getByRole('checkbox', { name: /Only them/ }));
    await waitFor(() => expect(within(photosGrid()).getByText('March 2019').nextElementSibling?.textContent).toBe('3 photos'));
    expect(engine.calls('photos.timeline').at(-1)).toEqual({ personIds: ['person-ada'], only: true, timeZone });
  });

  it("counts the months in the renderer's time zone, which the engine's may not be", async () => {
    layOut(760, 600);
    // The browser is on Kiritimati (UTC+14): noon UTC on March 31st is April 1st there.
    const resolvedOptions = Intl.DateTimeFormat.prototype.resolvedOptions;
    Intl.DateTimeFormat.prototype.resolvedOptions = function (this: Intl.DateTimeFormat) {
      return { ...resolvedOptions.call(this), timeZone: 'Pacific/Kiritimati' };
    };
    undo.push(() => (Intl.DateTimeFormat.prototype.resolvedOptions = resolvedOptions));
    const album = datedAlbum();
    album.photos[0].takenAt = '2019-03-31T12:00:00.000Z';
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(album));
    expect(indexes(await screen.findByRole('group', { name: 'April 2019' }))).toEqual([0]);
    expect(indexes(screen.getByRole('group', { name: 'March 2019' }))[0]).toBe(1);
    expect(engine.calls('photos.timeline')).toEqual([{ personIds: [], only: false, timeZone: 'Pacific/Kiritimati' }]);
  });

  it("shows a photo's date and month on its camera's clock wherever the browser is, and the others in the browser's zone", async () => {
    layOut(760, 600);
    // The browser (and the engine) in New York, 6 hours behind Paris that night.
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    undo.push(() => (zone === undefined ? delete process.env.TZ : (process.env.TZ = zone)));
    const album = datedAlbum();
    // Taken at 00:30 on 1 November in Paris (UTC+1), its camera said so: 19:30 on 31 October in New York.
    Object.assign(album.photos[0], { takenAt: '2019-10-31T23:30:00.000Z', takenOffset: 60, takenOffsetKnown: true });
    // The same moment with no offset kept (imported before Familiar kept it): in the browser's zone, as before.
    Object.assign(album.photos[1], { takenAt: '2019-10-31T23:30:00.000Z' });
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: 'photo0' }, new FakeEngine(album));
    const november = await screen.findByRole('group', { name: 'November 2019' });
    expect(indexes(november)).toEqual([0]);
    expect(indexes(screen.getByRole('group', { name: 'October 2019' }))).toEqual([1]);
    expect(engine.calls('photos.timeline')).toEqual([{ personIds: [], only: false, timeZone: 'America/New_York' }]);
    await waitFor(() => expect(within(november).getByRole('option').getAttribute('aria-label')).toMatch(/photo from Nov 1, 2019$/));
    expect(within(screen.getByRole('group', { name: 'October 2019' })).getByRole('option').getAttribute('aria-label')).toMatch(/photo from Oct 31, 2019$/);
    // The viewer reads the camera's time, and says whose clock it is.
    const viewer = await screen.findByRole('dialog', { name: 'Photo' });
    await waitFor(() => expect(viewer.querySelector('.meta strong')?.textContent).toBe('Nov 1, 2019, 12:30 AM'));
    expect(viewer.querySelector('.meta span')?.textContent).toMatch(/^the time where it was taken \(UTC\+1\) · photos\/img_0\.jpg · /);
    expect(screen.getByRole('img', { name: 'Photo from Nov 1, 2019' })).toBeTruthy();
  });

  it("says where a photo was taken only when the photo said its zone, not when it is the importing computer's", async () => {
    layOut(760, 600);
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    undo.push(() => (zone === undefined ? delete process.env.TZ : (process.env.TZ = zone)));
    const album = datedAlbum();
    // No zone in its EXIF: the camera's clock was read on a computer in Paris (UTC+1 that night).
    Object.assign(album.photos[0], { takenAt: '2019-10-31T23:30:00.000Z', takenOffset: 60 });
    renderScreen(PhotosScreen, { personIds: [], photoId: 'photo0' }, new FakeEngine(album));
    const viewer = await screen.findByRole('dialog', { name: 'Photo' });
    await waitFor(() => expect(viewer.querySelector('.meta strong')?.textContent).toBe('Nov 1, 2019, 12:30 AM'));
    expect(viewer.querySelector('.meta span')?.textContent).toMatch(/^the time on the camera's clock · photos\/img_0\.jpg · /);
    expect(viewer.textContent).not.toMatch(/where it was taken/);
  });

  it('keeps each month one run of the grid when the engine is in another zone than the browser', async () => {
    layOut(760, 600);
    // `familiar serve` in UTC, the browser in Tokyo (UTC+9).
    const zone = process.env.TZ;
    process.env.TZ = 'UTC';
    undo.push(() => (zone === undefined ? delete process.env.TZ : (process.env.TZ = zone)));
    const resolvedOptions = Intl.DateTimeFormat.prototype.resolvedOptions;
    Intl.DateTimeFormat.prototype.resolvedOptions = function (this: Intl.DateTimeFormat) {
      return { ...resolvedOptions.call(this), timeZone: 'Asia/Tokyo' };
    };
    undo.push(() => (Intl.DateTimeFormat.prototype.resolvedOptions = resolvedOptions));
    const album = datedAlbum();
    album.photos.splice(3);
    // Imported before offsets were kept: 10:00 and 05:00 on 1 October in Tokyo (01:00, and 20:00 on 30 September in UTC).
    Object.assign(album.photos[0], { takenAt: '2019-10-01T01:00:00.000Z' });
    Object.assign(album.photos[1], { takenAt: '2019-09-30T20:00:00.000Z' });
    // Its camera said New York's offset: 22:00 on 30 September.
    Object.assign(album.photos[2], { takenAt: '2019-10-01T02:00:00.000Z', takenOffset: -240, takenOffsetKnown: true });
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(album));
    expect(indexes(await screen.findByRole('group', { name: 'October 2019' }))).toEqual([0, 1]);
    expect(indexes(screen.getByRole('group', { name: 'September 2019' }))).toEqual([2]);
    expect(within(photosGrid()).getAllByRole('group').map((group) => group.getAttribute('aria-label'))).toEqual(['October 2019', 'September 2019']);
    expect(engine.calls('photos.list')).toEqual([{ personIds: [], only: false, offset: 0, limit: 200, timeZone: 'Asia/Tokyo' }]);
  });

  it('dates and orders the photos on one clock when the browser names no time zone', async () => {
    layOut(760, 600);
    // The browser in Tokyo (UTC+9) but naming no zone; `familiar serve` in New York, whose clock it had sorted them by.
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    undo.push(() => (zone === undefined ? delete process.env.TZ : (process.env.TZ = zone)));
    const resolvedOptions = Intl.DateTimeFormat.prototype.resolvedOptions;
    Intl.DateTimeFormat.prototype.resolvedOptions = function (this: Intl.DateTimeFormat) {
      return { ...resolvedOptions.call(this), timeZone: undefined as unknown as string };
    };
    undo.push(() => (Intl.DateTimeFormat.prototype.resolvedOptions = resolvedOptions));
    const album = datedAlbum();
    album.photos.splice(2);
    // Imported before offsets were kept: 01:00 on 1 October and 20:00 on 30 September, UTC.
    Object.assign(album.photos[0], { takenAt: '2019-10-01T01:00:00.000Z' });
    Object.assign(album.photos[1], { takenAt: '2019-09-30T20:00:00.000Z' });
    const engine = new FakeEngine(album);
    // An engine told no zone uses its own machine's.
    const bridge = engine.bridge.bind(engine);
    engine.bridge = (mode) => {
      const made = bridge(mode);
      const calls = made.calls as unknown as Record<string, (args: { timeZone?: string }) => unknown>;
      for (const name of ['photos.list', 'photos.timeline']) {
        const call = calls[name];
        calls[name] = (args) => call({ ...args, timeZone: args.timeZone ?? 'America/New_York' });
      }
      return made;
    };
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, engine);
    // One clock, UTC, for the order, the months and the dates the tiles say.
    const september = await screen.findByRole('group', { name: 'September 2019' });
    expect(indexes(screen.getByRole('group', { name: 'October 2019' }))).toEqual([0]);
    expect(indexes(september)).toEqual([1]);
    await waitFor(() => expect(within(september).getByRole('option').getAttribute('aria-label')).toMatch(/photo from Sep 30, 2019$/));
    expect(within(screen.getByRole('group', { name: 'October 2019' })).getByRole('option').getAttribute('aria-label')).toMatch(/photo from Oct 1, 2019$/);
    expect(engine.calls('photos.list')).toEqual([{ personIds: [], only: false, offset: 0, limit: 200, timeZone: 'UTC' }]);
  });

  it('jumps to a date from the scrubber, fetching only the photos there', async () => {
    layOut(760, 600);
    // 3,000 photos three days apart back from January 2010, 20 with no date, and the sample album's 2024.
    const engine = new FakeEngine(bigAlbum(3020, (i) => (i < 3000 ? new Date(Date.UTC(2010, 0, 15) - i * 3 * 86_400_000).toISOString() : null)));
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, engine);
    const scrubber = await screen.findByRole('slider', { name: 'Jump to a date' });
    const viewport = photosGrid().parentElement!;
    expect(scrubber.getAttribute('aria-valuetext')).toBe('September 2024');
    // The years are on it, newest first.
    const years = [...scrubber.querySelectorAll('.year')].map((label) => label.textContent);
    expect(years[0]).toBe('2024');
    expect(years.indexOf('2009')).toBeLessThan(years.indexOf('1995'));

    // End: the photos with no date, the last 20 (3,012 on): their page is fetched, not the ones between.
    await fireEvent.keyDown(scrubber, { key: 'End' });
    expect(scrubber.getAttribute('aria-valuetext')).toBe('No date');
    const undated = await screen.findByRole('group', { name: 'No date' });
    expect(indexes(undated)[0]).toBe(3012);
    await waitFor(() => expect(within(undated).getAllByRole('option')[0].getAttribute('aria-label')).toBe('Photo with no date, no faces'));
    expect(engine.calls('photos.list').map((call) => (call as { offset: number }).offset)).toEqual([0, 3000]);

    // A month up (the oldest photo's, May 29th, 1985), then back to the top.
    await fireEvent.keyDown(scrubber, { key: 'ArrowUp' });
    expect(scrubber.getAttribute('aria-valuetext')).toBe('May 1985');
    expect(await screen.findByRole('group', { name: 'May 1985' })).toBeTruthy();
    await fireEvent.keyDown(scrubber, { key: 'Home' });
    expect(viewport.scrollTop).toBe(0);
    expect(scrubber.getAttribute('aria-valuetext')).toBe('September 2024');

    // A click halfway down the strip: halfway down the photos, in the late 1990s.
    await fireEvent.pointerDown(scrubber, { clientY: 300, button: 0, pointerId: 1 });
    await fireEvent.pointerUp(scrubber, { clientY: 300, button: 0, pointerId: 1 });
    const month = scrubber.getAttribute('aria-valuetext')!;
    expect(month).toMatch(/^\w+ 199[6-9]$/);
    expect(await screen.findByRole('group', { name: month })).toBeTruthy();
    expect(engine.calls('photos.list').length).toBeLessThanOrEqual(4);
  });

  it('moves through the months with the arrow keys, row by row as they show', async () => {
    layOut(760, 600);
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(datedAlbum()));
    await screen.findByRole('group', { name: 'March 2019' });
    const focused = () => Number(document.activeElement?.getAttribute('data-index'));
    const press = async (key: string) => fireEvent.keyDown(document.activeElement!, { key });
    photosGrid().querySelector<HTMLElement>('[data-index="9"]')!.focus();
    // March's last row (8, 9) to February's row, to December's, to the photos with no date (scrolled to).
    await press('ArrowDown');
    await waitFor(() => expect(focused()).toBe(11));
    await press('ArrowDown');
    await waitFor(() => expect(focused()).toBe(15));
    await press('ArrowDown');
    await waitFor(() => expect(focused()).toBe(17));
    expect(photosGrid().parentElement!.scrollTop).toBeGreaterThan(0);
    await press('ArrowUp');
    await waitFor(() => expect(focused()).toBe(15));
    await press('ArrowLeft');
    await waitFor(() => expect(focused()).toBe(14));
    await press('Home');
    await waitFor(() => expect(focused()).toBe(0));
    await press('End');
    await waitFor(() => expect(focused()).toBe(17));
    await press('Enter');
    expect(router.current).toEqual({ name: 'photos', personIds: [], photoId: 'photo11' });
  });

  it('takes the keys at once on arrival: the first photo has the focus, the arrows move, Space does not open, Enter does', async () => {
    layOut(760, 600);
    (document.activeElement as HTMLElement | null)?.blur();
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(datedAlbum()));
    await screen.findByRole('group', { name: 'March 2019' });
    const focused = () => Number(document.activeElement?.getAttribute('data-index'));
    await waitFor(() => expect(focused()).toBe(0));
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    await waitFor(() => expect(focused()).toBe(1));
    // Space selects in the other grids; here there is nothing to select, and it opens nothing (the shortcuts list says so).
    await fireEvent.keyDown(document.activeElement!, { key: ' ' });
    expect(router.current).not.toMatchObject({ photoId: 'photo1' });
    await fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(router.current).toEqual({ name: 'photos', personIds: [], photoId: 'photo1' });
  });

  it('puts the arrows back into the grid when the focus was lost', async () => {
    layOut(760, 600);
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(datedAlbum()));
    await screen.findByRole('group', { name: 'March 2019' });
    photosGrid().querySelector<HTMLElement>('[data-index="5"]')!.focus();
    (document.activeElement as HTMLElement).blur();
    await fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement?.getAttribute('data-index')).toBe('5'));
  });

  it('says who is in each photo to a screen reader, not only how many faces', async () => {
    // Room for every month of the sample album.
    layOut(1400, 2400);
    renderScreen(PhotosScreen, { personIds: [], photoId: null });
    expect(await screen.findByText('12 photos')).toBeTruthy();
    const labels = within(screen.getByRole('listbox', { name: 'Photos' }))
      .getAllByRole('option')
      .map((cell) => cell.getAttribute("aria-label")!);
    expect(labels.some((label) => /^Ada, photo (from .+|with no date)$/.test(label))).toBe(true);
    // Faces nobody named are counted.
    expect(labels).toContain('Ada (+1 face), photo from Jan 10, 2024');
  });

  it('keeps the photos on screen while it fetches them again after a change, instead of blanking the grid', async () => {
    const { engine, live } = renderScreen(PhotosScreen, { personIds: [], photoId: null });
    expect(await screen.findByText('12 photos')).toBeTruthy();
    const loaded = () => within(screen.getByRole('listbox', { name: 'Photos' })).getAllByRole('option').filter((cell) => cell.getAttribute('aria-label') !== 'Loading photo').length;
    const before = loaded();
    expect(before).toBeGreaterThan(0);
    let answer: (() => void) | null = null;
    const call = engine.dispatcher.call.bind(engine.dispatcher);
    // The next photos.list answers only when the test says so.
    engine.dispatcher.call = async (name, args) => {
      if (name === 'photos.list') await new Promise<void>((resolve) => (answer = resolve));
      return call(name, args);
    };
    live.changes.photos++;
    await waitFor(() => expect(answer).not.toBeNull());
    expect(loaded()).toBe(before);
    answer!();
    await waitFor(() => expect(engine.calls('photos.list')).toHaveLength(2));
    expect(loaded()).toBe(before);
  });

  it('keeps the photos on screen where they are when an import adds photos above them', async () => {
    layOut(760, 600);
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(yearOf2020()));
    const scrubber = await screen.findByRole('slider', { name: 'Jump to a date' });
    const viewport = photosGrid().parentElement!;
    // To June 2020 from the scrubber: its heading at the top, its first photo under it.
    for (let month = 0; month < 15; month++) await fireEvent.keyDown(scrubber, { key: 'ArrowDown' });
    expect(scrubber.getAttribute('aria-valuetext')).toBe('June 2020');
    await waitFor(() => expect(shownAt(252)).not.toBeNull());
    const june = shownAt(252);
    const offset = (await cellTop(engine, 252)) - viewport.scrollTop;

    // 20 photos of a month not in the library yet come in above: June's first photo stays where it was on screen.
    imported(engine, 20, '2024-10-05');
    await waitFor(() => expect(shownAt(272)).toBe(june));
    await waitFor(async () => expect((await cellTop(engine, 272)) - viewport.scrollTop).toBe(offset));
    expect(scrubber.getAttribute('aria-valuetext')).toBe('June 2020');

    // Scrolled into the middle of a row further down, by hand: the photo cut by the top of the view stays cut as much.
    viewport.scrollTop = (await cellTop(engine, 272 + 12)) + 50;
    await fireEvent.scroll(viewport);
    await waitFor(() => expect(shownAt(284)).not.toBeNull());
    const cut = shownAt(284);
    imported(engine, 20, '2024-06-05');
    await waitFor(() => expect(shownAt(304)).toBe(cut));
    await waitFor(async () => expect(viewport.scrollTop - (await cellTop(engine, 304))).toBe(50));
    expect(scrubber.getAttribute('aria-valuetext')).toBe('June 2020');
  });

  it('says in two sentences that no photo shows the people chosen together, and what to do', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-cleo')!.name = 'Cleo';
    renderScreen(PhotosScreen, { personIds: ['person-ada', 'person-cleo'], photoId: null }, new FakeEngine(album));
    const title = await screen.findByText('No photos with all of them');
    expect(title.parentElement!.textContent!.replace(/\s+/g, ' ')).toContain('No photo shows Ada and Cleo together. Remove someone from the filter to see more.');
  });

  it('lets Tab back into the grid at the month the scrubber jumped to, not a photo above it', async () => {
    layOut(760, 600);
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(yearOf2020()));
    const scrubber = await screen.findByRole('slider', { name: 'Jump to a date' });
    // The focus on a photo at the top, then June 2020 from the scrubber: its heading at the top, photo 252 first under it.
    photosGrid().querySelector<HTMLElement>('[data-index="0"]')!.focus();
    scrubber.focus();
    for (let month = 0; month < 15; month++) await fireEvent.keyDown(scrubber, { key: 'ArrowDown' });
    expect(scrubber.getAttribute('aria-valuetext')).toBe('June 2020');
    await waitFor(() => expect(shownAt(252)).not.toBeNull());
    // May's last rows are drawn above it, off screen: Tab (Shift+Tab from the scrubber) goes to June's first photo.
    expect(shownAt(251)).not.toBeNull();
    expect(photosGrid().querySelector('[tabindex="0"]')?.getAttribute('data-index')).toBe('252');
  });

  it('keeps the keyboard focus on the same photo when an import adds photos above it', async () => {
    layOut(760, 600);
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(yearOf2020()));
    const scrubber = await screen.findByRole('slider', { name: 'Jump to a date' });
    for (let month = 0; month < 15; month++) await fireEvent.keyDown(scrubber, { key: 'ArrowDown' });
    await waitFor(() => expect(shownAt(257)).not.toBeNull());
    // The photo in view is focused, then one a row under it.
    const focused = () => document.activeElement?.getAttribute('data-index') ?? null;
    for (const index of [252, 277]) {
      const photo = shownAt(index);
      photosGrid().querySelector<HTMLElement>(`[data-index="${index}"]`)!.focus();
      imported(engine, 20, '2024-10-05');
      await waitFor(() => expect(shownAt(index + 20)).toBe(photo));
      await waitFor(() => expect(focused()).toBe(String(index + 20)));
      // The only tile Tab reaches is that photo's, and the arrows go on from it.
      expect(photosGrid().querySelector('[tabindex="0"]')?.getAttribute('data-index')).toBe(String(index + 20));
      await fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
      await waitFor(() => expect(focused()).toBe(String(index + 21)));
    }
  });

  it('keeps the keyboard focus on the same photo at the top of the grid, where new photos show above it', async () => {
    layOut(760, 600);
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(yearOf2020()));
    await waitFor(() => expect(shownAt(2)).not.toBeNull());
    const photo = shownAt(2);
    photosGrid().querySelector<HTMLElement>('[data-index="2"]')!.focus();
    imported(engine, 4, '2024-10-05');
    await waitFor(() => expect(screen.getByRole('group', { name: 'October 2024' })).toBeTruthy());
    expect(photosGrid().parentElement!.scrollTop).toBe(0);
    await waitFor(() => expect(document.activeElement?.getAttribute('data-index')).toBe('6'));
    expect(shownAt(6)).toBe(photo);
  });

  it('leaves the first tile the one Tab reaches after an import, when no tile was focused', async () => {
    layOut(760, 600);
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(yearOf2020()));
    await waitFor(() => expect(shownAt(0)).not.toBeNull());
    imported(engine, 4, '2024-10-05');
    await waitFor(() => expect(screen.getByRole('group', { name: 'October 2024' })).toBeTruthy());
    await waitFor(() => expect(shownAt(0)).not.toBeNull());
    expect(photosGrid().querySelector('[tabindex="0"]')?.getAttribute('data-index')).toBe('0');
  });

  it('shows new photos above at the top of the grid', async () => {
    layOut(760, 600);
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine(yearOf2020()));
    const scrubber = await screen.findByRole('slider', { name: 'Jump to a date' });
    await waitFor(() => expect(shownAt(0)).not.toBeNull());
    imported(engine, 20, '2024-10-05');
    await waitFor(() => expect(screen.getByRole('group', { name: 'October 2024' })).toBeTruthy());
    expect(photosGrid().parentElement!.scrollTop).toBe(0);
    expect(indexes(screen.getByRole('group', { name: 'October 2024' }))[0]).toBe(0);
    expect(scrubber.getAttribute('aria-valuetext')).toBe('October 2024');
  });

  it('follows a person in the filter merged into another, and drops one deleted, without an error', async () => {
    layOut(760, 600);
    toasts.items = [];
    const engine = new FakeEngine(datedAlbum());
    engine.state.people.find((p) => p.id === 'person-bob')!.name = 'Bill';
    const { rerender } = renderScreen(PhotosScreen, { personIds: ['person-ada'], photoId: null }, engine);
    expect(await screen.findByText('5 photos with Ada')).toBeTruthy();
    await screen.findByRole('group', { name: 'March 2019' });

    // Ada merged into Bill elsewhere (the People screen, another window): the filter follows, the link too.
    const before = engine.log.length;
    await engine.dispatcher.call('people.merge', { intoId: 'person-bob', fromIds: ['person-ada'] });
    await waitFor(() => expect(router.current).toEqual({ name: 'photos', personIds: ['person-bob'], photoId: null }));
    expect(toasts.items.map((t) => [t.message, t.tone])).toEqual([['“Ada” was merged into “Bill”, so the filter shows “Bill”.', 'info']]);
    await rerender({ personIds: ['person-bob'], photoId: null });
    expect(await screen.findByText('7 photos with Bill')).toBeTruthy();
    expect(await screen.findByRole('group', { name: 'March 2019' })).toBeTruthy();
    // No call since asked for the person merged away.
    expect(engine.log.slice(before).filter((entry) => ['photos.list', 'photos.timeline'].includes(entry.name)).map((entry) => (entry.args as { personIds: string[] }).personIds)).not.toContainEqual(['person-ada']);

    // Deleted: the filter goes without them.
    await engine.dispatcher.call('people.delete', { personIds: ['person-bob'] });
    await waitFor(() => expect(router.current).toEqual({ name: 'photos', personIds: [], photoId: null }));
    expect(toasts.items.at(-1)?.message).toBe('“Bill” is no longer in your library, so the filter goes without them.');
    expect(toasts.items.filter((t) => t.tone === 'error')).toEqual([]);
  });

  it('opens an old link with people no longer in the library without them', async () => {
    toasts.items = [];
    const { engine, rerender } = renderScreen(PhotosScreen, { personIds: ['person-gone', 'person-ada', 'not an id!'], photoId: null });
    await waitFor(() => expect(router.current).toEqual({ name: 'photos', personIds: ['person-ada'], photoId: null }));
    expect(toasts.items.map((t) => t.tone)).toEqual(['info']);
    await rerender({ personIds: ['person-ada'], photoId: null });
    expect(await screen.findByText('5 photos with Ada')).toBeTruthy();
    expect(screen.queryByText('Something went wrong')).toBeNull();
    expect(engine.calls('photos.list')).toEqual([{ personIds: ['person-ada'], only: false, offset: 0, limit: 200, timeZone }]);
  });

  it('keeps "Only them" in the address, so a reload, a bookmark or Back shows the same photos', async () => {
    // QA: the address said only the people; a reload showed a larger set, and the copy count changed with it.
    router.go({ name: 'photos', personIds: ['person-ada'], photoId: null }, { replace: true });
    const first = renderScreen(PhotosScreen, { personIds: ['person-ada'], photoId: null });
    await fireEvent.click(await screen.findByRole('checkbox', { name: /Only them/ }));
    await waitFor(() => expect(location.hash).toBe('#/photos?people=person-ada&only=1'));
    expect(router.current).toMatchObject({ name: 'photos', personIds: ['person-ada'], only: true });
    first.unmount();
    first.disconnect();

    // Opened from that address: ticked, and the list asked for is Ada's alone.
    const { engine } = renderScreen(PhotosScreen, { personIds: ['person-ada'], photoId: null, onlyInAddress: true });
    expect(((await screen.findByRole('checkbox', { name: /Only them/ })) as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(engine.calls('photos.list').at(-1)).toMatchObject({ personIds: ['person-ada'], only: true }));
    await fireEvent.click(screen.getByRole('checkbox', { name: /Only them/ }));
    await waitFor(() => expect(location.hash).toBe('#/photos?people=person-ada'));
  });

  it('follows the address back: Back to an address without "Only them" unticks it, and the address is not written over', async () => {
    // A review: the box kept its own state, so Back to the photos with others too came back ticked, rewritten so.
    router.go({ name: 'photos', personIds: ['person-ada'], photoId: null }, { replace: true });
    const { engine, rerender } = renderScreen(PhotosScreen, { personIds: ['person-ada'], photoId: null });
    await fireEvent.click(await screen.findByRole('checkbox', { name: /Only them/ }));
    await waitFor(() => expect(location.hash).toBe('#/photos?people=person-ada&only=1'));
    router.go({ name: 'photos', personIds: ['person-ada'], photoId: null }, { replace: true });
    await rerender({ personIds: ['person-ada'], photoId: null, onlyInAddress: false });
    await waitFor(() => expect((screen.getByRole('checkbox', { name: /Only them/ }) as HTMLInputElement).checked).toBe(false));
    await waitFor(() => expect(engine.calls('photos.list').at(-1)).toMatchObject({ only: false }));
    expect(location.hash).toBe('#/photos?people=person-ada');
  });

  it('turns "Only them" off with the last person out of the filter', async () => {
    const { engine, rerender } = renderScreen(PhotosScreen, { personIds: ['person-ada'], photoId: null });
    await fireEvent.click(await screen.findByRole('checkbox', { name: /Only them/ }));
    expect(await screen.findByText(/photos? with Ada only$/)).toBeTruthy();
    await rerender({ personIds: [], photoId: null });
    expect(screen.queryByRole('checkbox', { name: /Only them/ })).toBeNull();
    await rerender({ personIds: ['person-bob'], photoId: null });
    expect(await screen.findByText('3 photos with an unnamed group')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: /Only them/ }) as HTMLInputElement).checked).toBe(false);
    expect(engine.calls('photos.list').at(-1)).toMatchObject({ personIds: ['person-bob'], only: false });
  });

  it('says a person never alone is never alone, and offers their photos with others too (QA: "all of them together")', async () => {
    const album = sampleAlbum();
    // Ada never alone: Bob beside her in each of her photos.
    for (const photo of album.photos.filter((p) => p.faceIds.some((id) => album.faces.find((f) => f.id === id)!.personId === 'person-ada'))) {
      const id = `${photo.id}-stranger`;
      album.faces.push({ id, photoId: photo.id, box: [1, 1, 40, 40], identity: 'bob', personId: 'person-bob', assignedBy: 'cluster', rejected: [] });
      photo.faceIds.push(id);
    }
    renderScreen(PhotosScreen, { personIds: ['person-ada'], photoId: null }, new FakeEngine(album));
    expect(await screen.findByText('5 photos with Ada')).toBeTruthy();
    await fireEvent.click(screen.getByRole('checkbox', { name: /Only them/ }));
    expect(await screen.findByRole('heading', { name: 'No photos of Ada alone' })).toBeTruthy();
    expect(screen.getByText(/Ada is always with someone else in the photos\./)).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/all of them|together|Remove someone/);
    const button = screen.getByRole('button', { name: 'Show photos with others too' });
    button.focus();
    await fireEvent.click(button);
    expect(await screen.findByText('5 photos with Ada')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: /Only them/ }) as HTMLInputElement).checked).toBe(false);
    // The button went with the empty state: the focus is on the box it unticked, not lost to the page (a review).
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: /Only them/ })));
  });

  it('filters by several people at once (AND)', async () => {
    const { engine } = renderScreen(PhotosScreen, { personIds: ['person-ada', 'person-bob'], photoId: null });
    expect(await screen.findByText('1 photo with Ada and an unnamed group')).toBeTruthy();
    expect(engine.calls('photos.list')[0]).toEqual({ personIds: ['person-ada', 'person-bob'], only: false, offset: 0, limit: 200, timeZone });
    await fireEvent.click(screen.getByRole('checkbox', { name: /Only them/ }));
    await waitFor(() => expect(engine.calls('photos.list').at(-1)).toMatchObject({ only: true }));
  });

  it('adds a person to the filter from part of their name with Enter, as a search does', async () => {
    renderScreen(PhotosScreen, { personIds: [], photoId: null });
    await fireEvent.click(await screen.findByRole('button', { name: 'With people…' }));
    const field = screen.getByRole('combobox', { name: 'Person to filter by' });
    await typeInto(field, 'ad');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(router.current).toEqual({ name: 'photos', personIds: ['person-ada'], photoId: null }));
    // The field stays, empty and focused, for the next name; a name nobody has stays in it, to correct, and says so.
    const again = await screen.findByRole('combobox', { name: 'Person to filter by' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Person to filter by' })));
    expect((again as HTMLInputElement).value).toBe('');
    await typeInto(again, 'zzz');
    await fireEvent.keyDown(again, { key: 'Enter' });
    expect((screen.getByRole('combobox', { name: 'Person to filter by' }) as HTMLInputElement).value).toBe('zzz');
    expect(screen.getByRole('alert').textContent).toBe('Nobody is called “zzz”.');
    await fireEvent.keyDown(again, { key: 'Escape' });
    // Focus stays in the filter, on the button that adds another person.
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toMatch(/^(With people…|\+ and…)$/));
  });

  it('puts the focus in the open name field when the last person is taken out of the filter (not on the page)', async () => {
    router.go({ name: 'photos', personIds: ['person-ada'], photoId: null }, { replace: true });
    render(App, { props: { client: new FamiliarClient(new FakeEngine(sampleAlbum()).bridge('browser')), live: new LiveState() } });
    await fireEvent.click(await screen.findByRole('button', { name: '+ and…' }));
    const remove = screen.getByRole('button', { name: 'Remove Ada from the filter' });
    remove.focus();
    await fireEvent.click(remove);
    await waitFor(() => expect(router.current).toMatchObject({ name: 'photos', personIds: [] }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Person to filter by' })));
  });

  it('shows each person\'s face in the list of names, and takes the last person out with Backspace in the empty field', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
    album.people.find((p) => p.id === 'person-cleo')!.name = 'Cleo';
    router.go({ name: 'photos', personIds: ['person-ada', 'person-bob'], photoId: null }, { replace: true });
    const { rerender } = renderScreen(PhotosScreen, { personIds: ['person-ada', 'person-bob'], photoId: null }, new FakeEngine(album));
    await fireEvent.click(await screen.findByRole('button', { name: '+ and…' }));
    const field = screen.getByRole('combobox', { name: 'Person to filter by' }) as HTMLInputElement;
    await typeInto(field, 'cl');
    const cleo = screen.getByRole('option', { name: 'Cleo' });
    expect(cleo.querySelector('img')?.getAttribute('src')).toBeTruthy();
    // With a name typed, Backspace is the field's own: nobody leaves the filter.
    await fireEvent.keyDown(field, { key: 'Backspace' });
    expect(router.current).toMatchObject({ personIds: ['person-ada', 'person-bob'] });
    await typeInto(field, '');
    await fireEvent.keyDown(field, { key: 'Backspace' });
    await waitFor(() => expect(router.current).toMatchObject({ name: 'photos', personIds: ['person-ada'], photoId: null }));
    await rerender({ personIds: ['person-ada'], photoId: null });
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Person to filter by' }));
    await fireEvent.keyDown(screen.getByRole('combobox', { name: 'Person to filter by' }), { key: 'Backspace' });
    await waitFor(() => expect(router.current).toMatchObject({ name: 'photos', personIds: [], photoId: null }));
  });

  it('says a photo no longer in the library is gone, instead of an error to retry', async () => {
    renderScreen(PhotosScreen, { personIds: [], photoId: 'f'.repeat(64) });
    expect(await screen.findByText('This photo is no longer in your library')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('opens the viewer with named face boxes; clicking a box names the face', async () => {
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: 'photo11' });
    const dialog = await screen.findByRole('dialog', { name: 'Photo' });
    const box = await screen.findByRole('button', { name: 'Face: unnamed. Click to name or correct.' });
    await fireEvent.click(box);
    const field = screen.getByRole('combobox', { name: 'Name this face' });
    (field as HTMLInputElement).value = 'Dana';
    await fireEvent.input(field);
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('faces.name')).toEqual([{ faceIds: ['face11-0'], name: 'Dana' }]));
    expect(dialog).toBeTruthy();
    // The editor closes and the focus lands on the face's row in the list, not on the page behind.
    await waitFor(() => expect(document.activeElement?.getAttribute('data-face-row')).toBe('face11-0'));
  });

  it('a new name for a face of an unnamed group names the group, not a one-face person beside it', async () => {
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: 'photo5' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Face: in an unnamed group. Click to name or correct.' }));
    expect(screen.getByText("A new name names this face's whole group.")).toBeTruthy();
    const field = screen.getByRole('combobox', { name: 'Name this face' });
    (field as HTMLInputElement).value = 'Bob';
    await fireEvent.input(field);
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'person-bob', name: 'Bob' }]));
    expect(engine.calls('faces.name')).toEqual([]);
  });
});

describe('Photos title', () => {
  it('says no count with a person just chosen until their photos are counted (CI: "4 photos with" the folder\'s count)', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const { rerender } = renderScreen(PhotosScreen, { personIds: [], photoId: null, folderId: null }, engine);
    const title = () => document.querySelector('.subtitle')!.textContent!.trim();
    await waitFor(() => expect(title()).toBe('12 photos'));
    // The person is checked before their photos are fetched: meanwhile the title must not say 12 photos with them.
    engine.callDelays['people.current'] = 300;
    await rerender({ personIds: ['person-ada'], photoId: null, folderId: null });
    expect(title()).not.toMatch(/^12 photos with/);
    await waitFor(() => expect(title()).toMatch(/^\d+ photos? with Ada$/));
    expect(title()).not.toMatch(/^12 /);
  });
});
