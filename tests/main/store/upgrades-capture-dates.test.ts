// A library where an older build stored the capture date of a camera whose clock was set wrong ("9999:12:31") or
// never set, opened by this one: the date is forgotten, once, as the import now reads such a clock, and the photo
// takes its file's date like one with none. Plausible dates stay as they were.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../main/store/library.js';
import { ALL_UPGRADES, FORGOT_IMPLAUSIBLE_CAPTURE_DATES } from '../../../main/store/upgrades.js';
import { makePeopleFixture, type PeopleFixture } from '../people/fixture.js';

let fx: PeopleFixture;
let reopened: Library | null = null;

beforeEach(async () => {
  fx = await makePeopleFixture({ faces: 40 });
});

afterEach(async () => {
  await reopened?.close();
  reopened = null;
  await fx?.close();
});

describe('opening a library where an older build stored a capture date no camera was set to', () => {
  it('forgets it once, offset and all, and keeps every plausible date', async () => {
    const [wrong, zoned, unset, plausible, early] = fx.library.photos.slice(0, 5).map((p) => p.id);
    await fx.library.transaction((tx) => {
      const photo = (id: string) => tx.photos.find((p) => p.id === id)!;
      Object.assign(photo(wrong), { takenAt: '9999-12-31T23:59:59.000Z', takenOffset: 0 });
      // The clock said 9998-01-01 01:00 at UTC+2: stored as 9997-12-31 23:00 UTC.
      Object.assign(photo(zoned), { takenAt: '9997-12-31T23:00:00.000Z', takenOffset: 120, takenOffsetKnown: true });
      Object.assign(photo(unset), { takenAt: '0001-01-01T00:00:00.000Z' });
      Object.assign(photo(plausible), { takenAt: '2019-06-01T10:00:00.000Z', takenOffset: 120, takenOffsetKnown: true });
      Object.assign(photo(early), { takenAt: '1826-06-01T10:00:00.000Z' });
      // As a library the older build wrote: this upgrade not run yet.
      tx.people.upgrades = ALL_UPGRADES.filter((u) => u !== FORGOT_IMPLAUSIBLE_CAPTURE_DATES);
    });
    await fx.library.close();

    reopened = await Library.open(fx.dir);
    expect(reopened.people.upgrades).toEqual(ALL_UPGRADES);
    for (const id of [wrong, zoned, unset]) {
      const photo = reopened.photo(id)!;
      expect(photo.takenAt).toBeNull();
      expect(photo.takenOffset).toBeUndefined();
      expect(photo.takenOffsetKnown).toBeUndefined();
    }
    expect(reopened.photo(plausible)).toMatchObject({ takenAt: '2019-06-01T10:00:00.000Z', takenOffset: 120, takenOffsetKnown: true });
    expect(reopened.photo(early)!.takenAt).toBe('1826-06-01T10:00:00.000Z');
    await reopened.close();

    // Written to disk, and recorded as run: it does not run again at the next open.
    reopened = await Library.open(fx.dir);
    expect(reopened.photo(wrong)!.takenAt).toBeNull();
    await reopened.transaction((tx) => {
      tx.photos.find((p) => p.id === wrong)!.takenAt = '9999-01-01T00:00:00.000Z';
    });
    await reopened.close();
    reopened = await Library.open(fx.dir);
    expect(reopened.photo(wrong)!.takenAt).toBe('9999-01-01T00:00:00.000Z');
  });
});
