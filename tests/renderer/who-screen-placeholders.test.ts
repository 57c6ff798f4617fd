// @vitest-environment jsdom
// While a group's faces load on "Who is this?", their places are kept: a placeholder per face the page will show, each
// the size of the face tile it stands for, the "more" tile when the group has more, and the hint under them. Before,
// eight placeholders of a fixed 120 px whatever the group and the faces' size, and no hint: the layout jumped when the
// faces came (QA).
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { addOneFacePhoto, FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen } from './render.js';

/** One unnamed group of `count` faces, one a photo. */
function oneGroup(count: number): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [{ id: 'person-group', name: null, hidden: false, coverFaceId: null }] };
  for (let i = 0; i < count; i++) addOneFacePhoto(state, 'someone', 'person-group');
  return state;
}

/** Holds the group's faces back until `release` is called. */
function holdFaces(engine: FakeEngine): () => void {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const call = engine.dispatcher.call.bind(engine.dispatcher);
  engine.dispatcher.call = (async (name: string, args: unknown) => {
    if (name === 'faces.ofPerson') await held;
    return call(name as never, args);
  }) as typeof engine.dispatcher.call;
  return release;
}

/** The face's size in a tile (jsdom lays nothing out: each box's border, 2 px, is its class's). */
const faceSize = (content: HTMLElement) => [content.style.width, content.style.height];

const hint = () => screen.queryByText(/^Someone else among them\?/);

describe('"Who is this?" while a group\'s faces load', () => {
  it('keeps a place the size of each face of a small group, and the hint under them', async () => {
    const engine = new FakeEngine(oneGroup(3));
    const release = holdFaces(engine);
    renderScreen(WhoScreen, {}, engine);
    await screen.findByRole('group', { name: 'Faces in this group' });
    const placeholders = screen.getAllByTestId('face-placeholder');
    // Before: 8 of them, for a group of 3.
    expect(placeholders).toHaveLength(3);
    expect(screen.queryByTestId('more-placeholder')).toBeNull();
    expect(hint()).toBeTruthy();
    const placeholderSizes = placeholders.map((p) => faceSize(p.querySelector<HTMLElement>('.skeleton')!));

    release();
    const tiles = await screen.findAllByRole('button', { name: /^Face \d: someone else\?/ });
    expect(tiles).toHaveLength(3);
    expect(screen.queryAllByTestId('face-placeholder')).toEqual([]);
    expect(placeholderSizes[0]).toEqual(['120px', '120px']);
    expect(tiles.map((t) => faceSize(t.querySelector<HTMLElement>('.thumb')!))).toEqual(placeholderSizes);
    expect(hint()).toBeTruthy();
  });

  it('keeps the first page\'s places and the "more" tile\'s for a large group', async () => {
    const engine = new FakeEngine(oneGroup(30));
    const release = holdFaces(engine);
    renderScreen(WhoScreen, {}, engine);
    await screen.findByRole('group', { name: 'Faces in this group' });
    const shown = screen.getAllByTestId('face-placeholder').length;
    expect(screen.getByTestId('more-placeholder').className).toContain('more-tile');

    release();
    expect(await screen.findAllByRole('button', { name: /^Face \d+: someone else\?/ })).toHaveLength(shown);
    expect(screen.getByRole('button', { name: /^Show \d+ more faces?/ }).className).toContain('more-tile');
  });
});
