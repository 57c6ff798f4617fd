// The name field's Enter: an existing name only when it was typed whole or is clearly being begun (whole words of one
// name's start: QA typed "Barack" and got a second Barack); a word of someone's name is a name of its own (QA: "George"
// on George W Bush's group picked "Grandpa George", and father and son became one person); a word typed part way
// ("Paul" while Paula exists, "Pen" while Penny does) makes Enter wait for a choice. Whatever Enter does is the
// highlighted option.
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
    expect(options()).toEqual(['Grandpa George', '* New person “George”']);
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getByRole('option', { name: 'New person “George”' }).id);
    await enter();
    expect(picked).toEqual(['George']);

    // ↓ reaches the existing name, and Enter then takes it.
    await typeInto(input, 'George');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual(['* Grandpa George', 'New person “George”']);
    await enter();
    expect(picked).toEqual(['George', 'Grandpa George']);
  });

  it.each([
    ['Barack', 'Barack Obama'],
    ['jen', 'Jen A'],
    ['mary ann', 'Mary Ann Lee'],
  ])('takes the one name "%s" begins in whole words (%s), the new name one ↓ away', async (typed, existing) => {
    // QA: "Barack" + Enter in "Who is this?" made a second person, Barack, beside Barack Obama.
    const { input, picked, options, enter } = field([existing, 'Grandpa George']);
    await typeInto(input, typed);
    expect(options()).toEqual([`* ${existing}`, `New person “${typed}”`]);
    expect(screen.queryByRole('status')).toBeNull();
    await enter();
    expect(picked).toEqual([existing]);

    await typeInto(input, typed);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual([existing, `* New person “${typed}”`]);
    await enter();
    expect(picked).toEqual([existing, typed]);
  });

  it('takes the name in "Move to…" too, where Enter would otherwise make a new person', async () => {
    const { input, picked, options, enter } = field(['Barack Obama', 'Penny'], { alwaysOffersNew: true });
    await typeInto(input, 'barack');
    expect(options()).toEqual(['* Barack Obama', 'New person “barack”']);
    await enter();
    expect(picked).toEqual(['Barack Obama']);
  });

  // A word typed part way is a name of its own as often as a name begun: Enter guesses neither, and the list asks.
  it.each([
    ['Paul', 'Paula'],
    ['Eric', 'Erica'],
    ['Anna', 'Annabel'],
    ['Nan', 'Nancy Pelosi'],
    ['Pen', 'Penny'],
    ['Jenn', 'Jennifer'],
  ])('waits for a choice on "%s" while only "%s" exists: neither made nor taken', async (typed, existing) => {
    const { input, picked, options, enter } = field([existing, 'Pierce Brosnan']);
    await typeInto(input, typed);
    expect(options()).toEqual([existing, `New person “${typed}”`]);
    expect(screen.getByRole('status').textContent).toContain('Which one?');
    expect(input.getAttribute('aria-activedescendant')).toBeNull();
    await enter();
    expect(picked).toEqual([]);
    expect(options()).toEqual([existing, `New person “${typed}”`]);

    // ↓ to the name, or ↓↓ to the new one.
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual([`* ${existing}`, `New person “${typed}”`]);
    expect(screen.queryByRole('status')).toBeNull();
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await enter();
    expect(picked).toEqual([typed]);
  });

  it('waits too after Escape closed the list: Enter opens it again to ask', async () => {
    const { input, picked, options, enter } = field(['Penny']);
    await typeInto(input, 'Pen');
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(options()).toEqual([]);
    await enter();
    expect(picked).toEqual([]);
    expect(options()).toEqual(['Penny', 'New person “Pen”']);
  });

  it('gives back an untouched name on Enter, though it begins another (a rename left as it was)', async () => {
    const { picked, enter } = field(['Barack Obama'], { value: 'Barack' });
    await enter();
    expect(picked).toEqual(['Barack']);
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
    expect(options()).toEqual(['* George W Bush', 'New person “George W”']);
    await enter();
    // Ann is a name of its own as often as the start of Anna (QA: a short family name put a group under another person).
    await typeInto(input, 'Ann');
    expect(options()).toEqual(['Anna', 'New person “Ann”']);
    await enter();
    expect(picked).toEqual(['George W Bush']);
  });

  it.each([
    ['Mary Ann', 'Mary Anne'],
    ['Mary Jo', 'Mary Joanna'],
    ['Mary Jos', 'Mary Josephine'],
  ])('does not take %s for %s: a begun last word may be a name of its own, so Enter waits', async (typed, existing) => {
    const { input, picked, options, enter } = field([existing]);
    await typeInto(input, typed);
    expect(options()).toEqual([existing, `New person “${typed}”`]);
    await enter();
    expect(picked).toEqual([]);
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(options()).toEqual([existing, `* New person “${typed}”`]);
    await enter();
    expect(picked).toEqual([typed]);
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
    const { input, picked, options, enter } = field(['करण', 'カク'], { alwaysOffersNew: true });
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

  it.each([
    ['Jenn', ['Jennifer', 'Jenny']],
    ['George', ['George W Bush', 'George Clooney']],
    ['George W', ['George W Bush', 'George Washington']],
  ])('waits when "%s" begins several names, listed first, the new name last', async (typed, existing) => {
    const { input, picked, options, enter } = field([...existing, 'Grandpa George']);
    await typeInto(input, typed);
    expect(options()).toEqual([...existing, ...(typed === 'George' ? ['Grandpa George'] : []), `New person “${typed}”`]);
    expect(screen.getByRole('status').textContent).toContain('Which one?');
    await enter();
    expect(picked).toEqual([]);
  });

  it('lists the names a word finds anywhere, as "Find a person" does, but not inside a word', async () => {
    const { input, options } = field(['Barack Obama', 'Pierce Brosnan', 'Gerhard Schroeder']);
    await typeInto(input, 'obama');
    expect(options()).toEqual(['Barack Obama', '* New person “obama”']);
    await typeInto(input, 'nan');
    expect(options()).toEqual([]);
    await typeInto(input, 'schröder');
    expect(options()).toEqual(['Gerhard Schroeder', '* New person “schröder”']);
  });

  it('a filter still takes the first match of any kind', async () => {
    const { input, picked, options, enter } = field(['Grandpa George'], { existingOnly: true });
    await typeInto(input, 'George');
    expect(options()).toEqual(['* Grandpa George']);
    await enter();
    expect(picked).toEqual(['Grandpa George']);
  });
});

describe('NameInput: a name the faces were said not to be', () => {
  it('lists it greyed, "you said not", never highlighted; Enter on it only says why', async () => {
    // QA: after No to "Is this Serena Williams?", "Serena" highlighted her and Enter only gave the engine's refusal.
    const { input, picked, options, enter } = field(['Serena Williams', 'Venus Williams'], { notNames: ['Serena Williams'] });
    await typeInto(input, 'Serena');
    expect(options()).toEqual(['Serena Williams · you said not', 'New person “Serena”']);
    expect(screen.getByRole('option', { name: /Serena Williams/ }).getAttribute('aria-disabled')).toBe('true');
    await enter();
    expect(picked).toEqual([]);
    // With the way back from a No said by mistake, which a name cannot take (QA).
    expect(screen.getByRole('status').textContent).toBe(
      "You said these faces are not Serena Williams: give them another name. Said by mistake? Select them on the group's page, then Move to Serena Williams.",
    );
    // Typed whole, the same; arrowed to, or clicked, the same.
    await typeInto(input, 'serena williams');
    expect(options()).toEqual(['Serena Williams · you said not']);
    expect(screen.queryByRole('status')).toBeNull();
    await enter();
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await enter();
    await fireEvent.mouseDown(screen.getByRole('option', { name: /Serena Williams/ }));
    expect(picked).toEqual([]);
    expect(screen.getByRole('status').textContent).toContain('not Serena Williams');
    // The new name is a ↓ away, and other names are taken as ever.
    await typeInto(input, 'Serena');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual(['Serena Williams · you said not', '* New person “Serena”']);
    await enter();
    await typeInto(input, 'Venus');
    expect(options()).toEqual(['* Venus Williams', 'New person “Venus”']);
    await enter();
    expect(picked).toEqual(['Serena', 'Venus Williams']);
  });
});

describe('NameInput: a name one face was said not to be, which naming it takes back', () => {
  it('lists it last among the likely names, marked "you said not", and takes it like any name', async () => {
    // After a mistaken No to "Is this Cleo?" about a loose face: Cleo stays a pick away, after the others.
    const { input, picked, options, enter } = field(['Ada', 'Bea', 'Cleo'], { likely: ['Cleo', 'Ada'], saidNot: ['Cleo'] });
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual(['* Ada', 'Cleo · you said not']);
    expect(screen.getByRole('option', { name: /Cleo/ }).getAttribute('aria-disabled')).toBeNull();
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await enter();
    await typeInto(input, 'Cleo');
    expect(options()).toEqual(['* Cleo · you said not']);
    await enter();
    expect(picked).toEqual(['Cleo', 'Cleo']);
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
    expect(within(group).getByRole('option', { name: 'New person “George”' }).getAttribute('aria-selected')).toBe('true');
    expect(within(group).getByRole('option', { name: 'Grandpa George' }).getAttribute('aria-selected')).toBe('false');
    await fireEvent.keyDown(input, { key: 'Enter' });
    await expect.poll(() => engine.calls('people.rename')).toEqual([{ personId: 'person-cleo', name: 'George' }]);
    expect(await screen.findByRole('option', { name: 'George, 2 faces' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Grandpa George, 5 faces' })).toBeTruthy();
  });
});

describe('NameInput: the people the faces look like first', () => {
  it('lists the likely names first among those the text matches, the name typed whole still first, Enter unchanged', async () => {
    // QA: "J" on Jacques Chirac's face listed six other J names, and the cap left his out.
    const names = ['Jaap Stam', 'Jack Straw', 'Jackie Chan', 'Jacky Cheung', 'Jacob Frenkel', 'Jacqueline Edwards', 'Jacques Chirac', 'Jeb Bush'];
    const { input, picked, options, enter } = field(names, { likely: ['Jeb Bush', 'Jacques Chirac'] });
    await typeInto(input, 'J');
    expect(options()).toEqual(['Jeb Bush', 'Jacques Chirac', 'Jaap Stam', 'Jack Straw', 'Jackie Chan', 'Jacky Cheung', 'New person “J”']);
    await typeInto(input, 'Jac');
    expect(options().slice(0, 2)).toEqual(['Jacques Chirac', 'Jack Straw']);
    // Typed whole, a name stays first, and Enter takes it.
    await typeInto(input, 'Jack Straw');
    expect(options()[0]).toBe('* Jack Straw');
    await enter();
    expect(picked).toEqual(['Jack Straw']);
  });

  it('shows the likely names alone on ↓ while nothing is typed, and nothing else', async () => {
    const { input, picked, options, enter } = field(['Ada', 'Bea', 'Cleo'], { likely: ['Cleo', 'Ada', 'Someone gone'] });
    expect(options()).toEqual([]);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual(['* Cleo', 'Ada']);
    await enter();
    expect(picked).toEqual(['Cleo']);
  });
});

describe('NameInput: one face (the photo viewer) and a word typed part way', () => {
  it.each([
    ['Hill', 'Hillary Clinton'],
    ['Obam', 'Barack Obama'],
    ['hillary cl', 'Hillary Clinton'],
  ])('takes the one name "%s" matches (%s), the new name one ↓ away', async (typed, existing) => {
    // QA: in the photo viewer, "Hill" + Enter did nothing until ↓.
    const { input, picked, options, enter } = field([existing, 'Bill Clinton'], { oneFace: true });
    await typeInto(input, typed);
    expect(options()).toEqual([`* ${existing}`, `New person “${typed}”`]);
    expect(screen.queryByRole('status')).toBeNull();
    await enter();
    expect(picked).toEqual([existing]);
  });

  it('makes a new name that begins an existing one with ↓ and Enter ("Paul" while Paula exists)', async () => {
    const { input, picked, options, enter } = field(['Paula'], { oneFace: true });
    await typeInto(input, 'Paul');
    // What Enter does is shown as it is typed: Paula, highlighted.
    expect(options()).toEqual(['* Paula', 'New person “Paul”']);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual(['Paula', '* New person “Paul”']);
    await enter();
    expect(picked).toEqual(['Paul']);
  });

  it('still makes a whole word of someone\'s name a name of its own, and asks when the text matches several names', async () => {
    const { input, picked, options, enter } = field(['Barack Obama', 'Hillary Clinton', 'Faith Hill'], { oneFace: true });
    await typeInto(input, 'Obama');
    expect(options()).toEqual(['Barack Obama', '* New person “Obama”']);
    await enter();
    await typeInto(input, 'Hill');
    expect(options()).toEqual(['Hillary Clinton', 'Faith Hill', 'New person “Hill”']);
    expect(screen.getByRole('status').textContent).toContain('Which one?');
    await enter();
    expect(picked).toEqual(['Obama']);
  });

  it('leaves a group\'s field as it was: a word typed part way makes Enter wait there, as it names every face of the group', async () => {
    const { input, picked, options, enter } = field(['Hillary Clinton']);
    await typeInto(input, 'Hill');
    expect(options()).toEqual(['Hillary Clinton', 'New person “Hill”']);
    await enter();
    expect(picked).toEqual([]);
  });
});

describe('NameInput: "Move to…" takes the one person the text matches', () => {
  const moveTo = (names: string[]) => field(names, { alwaysOffersNew: true, takesOnlyMatch: true });

  it.each([
    ['Seren', 'Serena Williams'],
    ['williams', 'Serena Williams'],
    ['Paul', 'Paula'],
  ])('takes %s for %s on Enter, shown highlighted as it is typed, "New person" one ↓ away', async (typed, existing) => {
    // QA: "Seren" + Enter did nothing, though the list held her alone; the hint said to press ↓ first.
    const { input, picked, options, enter } = moveTo([existing, 'Tony Blair']);
    await typeInto(input, typed);
    expect(options()).toEqual([`* ${existing}`, `New person “${typed}”`]);
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getByRole('option', { name: existing }).id);
    expect(screen.queryByRole('status')).toBeNull();
    await enter();
    expect(picked).toEqual([existing]);

    await typeInto(input, typed);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(options()).toEqual([existing, `* New person “${typed}”`]);
    await enter();
    expect(picked).toEqual([existing, typed]);
  });

  it('still asks which one when the text matches several people, and takes a name typed whole', async () => {
    const { input, picked, options, enter } = moveTo(['Serena Williams', 'Serena Jones', 'Venus Williams', 'Venus']);
    await typeInto(input, 'Seren');
    expect(options()).toEqual(['Serena Williams', 'Serena Jones', 'New person “Seren”']);
    expect(screen.getByRole('status').textContent).toContain('Which one?');
    await enter();
    expect(picked).toEqual([]);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await enter();
    expect(picked).toEqual(['Serena Williams']);

    await typeInto(input, 'venus');
    expect(options()).toEqual(['* Venus', 'Venus Williams']);
    await enter();
    expect(picked).toEqual(['Serena Williams', 'Venus']);
  });

  it('takes the only match after Escape closed the list too, and Escape then Escape still cancels', async () => {
    let cancelled = 0;
    const { input, picked, enter } = field(['Serena Williams'], { alwaysOffersNew: true, takesOnlyMatch: true, oncancel: () => cancelled++ });
    await typeInto(input, 'Seren');
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(cancelled).toBe(0);
    await enter();
    expect(picked).toEqual(['Serena Williams']);
    await typeInto(input, 'Seren');
    await fireEvent.keyDown(input, { key: 'Escape' });
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(cancelled).toBe(1);
  });
});
