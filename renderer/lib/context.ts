// The client and the live event state reach every screen through Svelte context, so component tests can
// render a screen with a fake client.
import { getContext, setContext } from 'svelte';
import type { FamiliarClient } from './api.js';
import { LiveState } from './live.svelte.js';

export const clientKey = Symbol('familiar-client');
export const liveKey = Symbol('familiar-live');

export function provideApp(client: FamiliarClient, live: LiveState): void {
  setContext(clientKey, client);
  setContext(liveKey, live);
}

export function useClient(): FamiliarClient {
  const client = getContext<FamiliarClient | undefined>(clientKey);
  if (!client) throw new Error('No Familiar client in context: render screens inside <App> or pass one in tests.');
  return client;
}

export function useLive(): LiveState {
  const live = getContext<LiveState | undefined>(liveKey);
  if (!live) throw new Error('No live state in context: render screens inside <App> or pass one in tests.');
  return live;
}
