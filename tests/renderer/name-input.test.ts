// The name field's Enter: an existing name only when it was typed whole or is clearly being finished; a word of
// someone's name is a name of its own (QA: "George" on George W Bush's group picked "Grandpa George", and father and
// son became one person). Whatever Enter does is the highlighted option.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/svelte';
import NameInput from '../../renderer/components/NameInput.svelte';
import PeopleScreen from '../../renderer/screens/PeopleScreen.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** A bare name field over `names`: what Enter submitted, and the options as shown (the chosen one starred). */
function field(names: string[], props: Record<string, unknown> = {}) {
  const picked: string[] = [];
  renderScreen(NameInput, { names, label: 'Name', onsubmit: (name: string) => picked.push(name), ...props });
  const input = screen.getByRole('combobox', { name: 'Name' });
  const options = () => screen.queryAllByRole('option').map((o) => `${o.getAttribute('aria-selected') === 'true' ? '* ' : ''}${o.textContent!.trim()}`);
  const enter = () => fireEvent.keyDown(input, { key: 'Enter' });
  return { input, picked, options, enter };
}

describe('NameInput: what Enter picks', () => {
  it('makes "George" when only "Grandpa George" exists, and keeps Grandpa George one ↓ away', async () => {
    const { input, picked, options, enter } = field(['Grandpa George', 'Ada']);
    await typeInto(input, 'George');
    expect(options()).toEqual(['Grandpa George', '* Create “George”']);
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getByRole('option', { name: 'Create “George”' }).id);
    await enter();
    expect(picked).toEqual(['George']);

    // ↓ reaches the existing name, and Enter then takes it.
    await typeInto(input, 'George');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual(['* Grandpa George', 'Create “George”']);
    await enter();
    expect(picked).toEqual(['George', 'Grandpa George']);
  });

  it('makes a name that is a first word of another too: "Jen" while "Jen A" exists', async () => {
    const { input, picked, options, enter } = field(['Jen A']);
    await typeInto(input, 'Jen');
    expect(options()).toEqual(['Jen A', '* Create “Jen”']);
    await enter();
    expect(picked).toEqual(['Jen']);
  });

  it('makes a one-word name that starts another: "Jenn" while "Jennifer" exists, Jennifer one ↓ away', async () => {
    const { input, picked, options, enter } = field(['Jennifer', 'Grandpa George']);
    await typeInto(input, 'Jenn');
    expect(options()).toEqual(['Jennifer', '* Create “Jenn”']);
    await enter();
    expect(picked).toEqual(['Jenn']);

    await typeInto(input, 'Jenn');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual(['* Jennifer', 'Create “Jenn”']);
    await enter();
    expect(picked).toEqual(['Jenn', 'Jennifer']);
  });

  // A long name that starts another is a name of its own as often as not: the Ann/Anna slip, in longer names.
  it.each([
    ['Paul', 'Paula'],
    ['Eric', 'Erica'],
    ['Carl', 'Carla'],
    ['Anna', 'Annabel'],
    ['Joan', 'Joanna'],
  ])('makes "%s" while only "%s" exists', async (typed, existing) => {
    const { input, picked, options, enter } = field([existing]);
    await typeInto(input, typed);
    expect(options()).toEqual([existing, `* Create “${typed}”`]);
    await enter();
    expect(picked).toEqual([typed]);
  });

  it('takes the existing spelling of a name typed whole in another case or without its accents', async () => {
    const { input, picked, options, enter } = field(['Grandpa George', 'Zoë']);
    await typeInto(input, 'grandpa GEORGE');
    expect(options()).toEqual(['* Grandpa George']);
    await enter();
    await typeInto(input, 'zoe');
    expect(options()).toEqual(['* Zoë']);
    await enter();
    expect(picked).toEqual(['Grandpa George', 'Zoë']);
  });

  it('takes several words spelled from the start of a name ("George W" for George W Bush), not a short name that starts a longer one', async () => {
    const { input, picked, options, enter } = field(['George W Bush', 'Anna']);
    await typeInto(input, 'George W');
    expect(options()).toEqual(['* George W Bush', 'Create “George W”']);
    await enter();
    // Ann is a name of its own as often as the start of Anna (QA: a short family name put a group under another person).
    await typeInto(input, 'Ann');
    expect(options()).toEqual(['Anna', '* Create “Ann”']);
    await enter();
    expect(picked).toEqual(['George W Bush', 'Ann']);
  });

  it('makes "Mary Ann" while only "Mary Anne" exists: a last word typed whole, or but for a letter or two, is a name of its own', async () => {
    const { input, picked, options, enter } = field(['Mary Anne']);
    await typeInto(input, 'Mary Ann');
    expect(options()).toEqual(['Mary Anne', '* Create “Mary Ann”']);
    await enter();
    // Mary Anne stays one ↓ away.
    await typeInto(input, 'Mary Ann');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual(['* Mary Anne', 'Create “Mary Ann”']);
    await enter();
    expect(picked).toEqual(['Mary Ann', 'Mary Anne']);
  });

  it.each([
    ['Mary Jo', 'Mary Joanna'],
    ['Mary Jos', 'Mary Josephine'],
  ])('makes "%s" while only %s exists: a begun last word is a name of its own, the longer one ↓ away', async (typed, existing) => {
    const { input, picked, options, enter } = field([existing]);
    await typeInto(input, typed);
    expect(options()).toEqual([existing, `* Create “${typed}”`]);
    await enter();
    expect(picked).toEqual([typed]);
  });

  it('makes "Mary Ann" while "Mary Ann Lee" exists, as "Jen" while "Jen A" does', async () => {
    const { input, picked, options, enter } = field(['Mary Ann Lee']);
    await typeInto(input, 'mary ann');
    expect(options()).toEqual(['Mary Ann Lee', '* Create “mary ann”']);
    await enter();
    expect(picked).toEqual(['mary ann']);
  });

  it.each([
    ['Mary A', 'Mary Anne'],
    ['mary a.', 'Mary A. Lee'],
    ['Mary Anne L', 'Mary Anne Lee'],
  ])('finishes "%s" as %s: an initial', async (typed, existing) => {
    const { input, picked, options, enter } = field([existing, 'Mary Beth']);
    await typeInto(input, typed);
    expect(options()[0]).toBe(`* ${existing}`);
    await enter();
    expect(picked).toEqual([existing]);
  });

  it('takes "Mary Ann" typed whole when both Mary Ann and Mary Anne exist', async () => {
    const { input, picked, options, enter } = field(['Mary Anne', 'Mary Ann']);
    await typeInto(input, 'MARY ANN');
    expect(options()).toEqual(['* Mary Ann', 'Mary Anne']);
    await enter();
    expect(picked).toEqual(['Mary Ann']);
  });

  it('tells apart names that differ in a mark of Hindi or Japanese, which are letters there, not accents', async () => {
    // Kiran is not Karan, nor Gaku Kaku: taken as one, the name already there hid the new one, which could not be made.
    const { input, picked, options, enter } = field(['करण', 'カク'], { newLabel: 'New person' });
    await typeInto(input, 'किरण');
    expect(options()).toEqual(['* New person “किरण”']);
    await enter();
    await typeInto(input, 'ガク');
    expect(options()).toEqual(['* New person “ガク”']);
    await enter();
    await typeInto(input, 'करण');
    expect(options()).toEqual(['* करण']);
    await enter();
    expect(picked).toEqual(['किरण', 'ガク', 'करण']);
  });

  it('makes the name typed when two names could finish it', async () => {
    const { input, picked, options, enter } = field(['Jennifer', 'Jenny']);
    await typeInto(input, 'Jenn');
    expect(options()).toEqual(['Jennifer', 'Jenny', '* Create “Jenn”']);
    await enter();
    expect(picked).toEqual(['Jenn']);
  });

  it('a filter still takes the first match of any kind', async () => {
    const { input, picked, options, enter } = field(['Grandpa George'], { existingOnly: true });
    await typeInto(input, 'George');
    expect(options()).toEqual(['* Grandpa George']);
    await enter();
    expect(picked).toEqual(['Grandpa George']);
  });
});

describe('naming a group with a word of someone else’s name', () => {
  it('names the group "George" and leaves Grandpa George alone', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-ada')!.name = 'Grandpa George';
    const { engine } = renderScreen(PeopleScreen, {}, new FakeEngine(album));
    const group = await screen.findByRole('option', { name: 'Unnamed group: add a name, 2 faces' });
    await fireEvent.click(within(group).getByText('Add a name'));
    const input = within(group).getByRole('combobox', { name: 'Name for this person' });
    await typeInto(input, 'George');
    expect(within(group).getByRole('option', { name: 'Create “George”' }).getAttribute('aria-selected')).toBe('true');
    expect(within(group).getByRole('option', { name: 'Grandpa George' }).getAttribute('aria-selected')).toBe('false');
    await fireEvent.keyDown(input, { key: 'Enter' });
    await expect.poll(() => engine.calls('people.rename')).toEqual([{ personId: 'person-cleo', name: 'George' }]);
    expect(await screen.findByRole('option', { name: 'George, 2 faces' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Grandpa George, 5 faces' })).toBeTruthy();
  });
});
