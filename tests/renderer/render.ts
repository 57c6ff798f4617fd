// Renders one screen the way App does (client and live state in context), over a FakeEngine.
import { render, screen, within } from '@testing-library/svelte';
import type { Component } from 'svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { clientKey, liveKey } from '../../renderer/lib/context.js';
import { LiveState } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import type { Route } from '../../renderer/lib/router.svelte.js';

export function renderScreen<Props extends Record<string, unknown>>(
  screen: Component<Props>,
  props: Props,
  engine: FakeEngine = new FakeEngine(sampleAlbum()),
  mode: 'electron' | 'browser' = 'browser',
) {
  const client = new FamiliarClient(engine.bridge(mode));
  const live = new LiveState();
  const disconnect = live.connect(client);
  const context = new Map<symbol, unknown>([[clientKey, client], [liveKey, live]]);
  const result = render(screen as Component<Record<string, unknown>>, { props, context } as Parameters<typeof render>[1]);
  return { ...result, engine, client, live, disconnect };
}

/** The toasts on screen, to find one by what it says: the live region that reads it out holds the same words. */
export const shownToasts = () => within(screen.getByTestId('toasts'));

/** Sets a text field's value the way typing does (one input event), for Svelte's bind:value. */
export async function typeInto(field: HTMLElement, text: string): Promise<void> {
  const { fireEvent } = await import('@testing-library/svelte');
  (field as HTMLInputElement).value = text;
  await fireEvent.input(field);
}

/**
 * The whole app on `route`, told of the engine's changes as main.ts has it (App takes Ctrl+Z). Answers how to
 * disconnect it, for the test's afterEach.
 */
export async function renderAppAt(route: Route, engine: FakeEngine): Promise<() => void> {
  const [{ default: App }, { router }] = await Promise.all([import('../../renderer/App.svelte'), import('../../renderer/lib/router.svelte.js')]);
  router.go(route, { replace: true });
  const client = new FamiliarClient(engine.bridge());
  const live = new LiveState();
  const disconnect = live.connect(client);
  render(App, { props: { client, live } });
  return disconnect;
}
