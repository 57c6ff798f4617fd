// `familiar serve` stopped or restarted under an open page (QA): the page says so in words, once, stops showing a
// running job's old progress as current, and offers no "Try again" that cannot work. The browser's own bridge
// (preload/contract.ts httpBridge) runs over the FakeEngine's dispatcher, as `familiar serve` would answer.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState, toasts } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { httpBridge, RESTARTED_SENTENCE, UNREACHABLE_SENTENCE } from '../../preload/contract.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { typeInto } from './render.js';

/** The server as the page sees it: up, stopped, or a new run that does not know this page's token. */
type Server = 'up' | 'stopped' | 'restarted';

function servedApp(engine: FakeEngine) {
  const state = { server: 'up' as Server };
  const streams: Array<{ readyState: number; fire(type: string): void }> = [];
  class EventStream {
    readyState = 1;
    private readonly handlers = new Map<string, Array<(event: { data: string }) => void>>();
    constructor(readonly url: string) {
      streams.push(this);
      engine.events.subscribe((name, payload) => this.handlers.get(name)?.forEach((fn) => fn({ data: JSON.stringify(payload) })));
    }
    addEventListener(type: string, fn: (event: { data: string }) => void) {
      this.handlers.set(type, [...(this.handlers.get(type) ?? []), fn]);
    }
    fire(type: string) {
      this.handlers.get(type)?.forEach((fn) => fn({ data: '' }));
    }
    close() {}
  }
  const bridge = httpBridge({
    EventSource: EventStream,
    fetch: async (url, init) => {
      if (state.server === 'stopped') throw new TypeError('Failed to fetch');
      // What main/server/server.ts answers a page with another run's token.
      if (state.server === 'restarted') return { status: 401, text: async () => 'Open the address "familiar serve" printed (it carries the secret token).\n' };
      const answer = await engine.dispatcher.call(url.replace('/api/call/', ''), JSON.parse(init.body));
      return { status: 200, text: async () => JSON.stringify(answer) };
    },
  });
  const client = new FamiliarClient(bridge);
  const live = new LiveState();
  const disconnect = live.connect(client);
  render(App, { props: { client, live } });
  /** The server stops, or comes back: the event stream notices first, as the browser's EventSource does. */
  const becomes = (server: Server) => {
    state.server = server;
    for (const stream of streams) {
      stream.readyState = server === 'stopped' ? 0 : server === 'restarted' ? 2 : 1;
      stream.fire(server === 'up' ? 'open' : 'error');
    }
  };
  return { live, becomes, disconnect };
}

describe('a page whose server went away', () => {
  it('says in words, once, that Familiar cannot be reached, and stops showing the running job as progressing', async () => {
    router.go({ name: 'people' });
    const engine = new FakeEngine(sampleAlbum());
    const { becomes, disconnect } = servedApp(engine);
    await screen.findByRole('heading', { name: 'People' });
    engine.events.emit('job.progress', { jobId: 'job-1', kind: 'train-autoencoder', progress: { job: 'train-autoencoder', stage: 'train', done: 6, total: 65, etaSeconds: 1800, ratePerSecond: null } });
    expect(await screen.findByRole('button', { name: 'Training the face studio… 9%' })).toBeTruthy();

    becomes('stopped');
    expect(await screen.findByTestId('jobs-lost')).toBeTruthy();
    expect(screen.getByTestId('jobs-lost').textContent).toContain('No contact with Familiar');
    expect(screen.queryByRole('button', { name: /9%/ })).toBeNull();

    // Photos loads two things at once; both fail, and the sentence shows once, in the screen's panel.
    router.go({ name: 'photos', personIds: [], photoId: null });
    const panel = await screen.findByText(UNREACHABLE_SENTENCE);
    expect(panel.closest('[role="alert"]')?.textContent).toContain('No contact with Familiar');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    await waitFor(() => expect(toasts.items.filter((t) => t.message === UNREACHABLE_SENTENCE)).toEqual([]));
    expect(document.body.textContent).not.toMatch(/fetch/i);

    // Back with the same token: the job the new run does not know is gone from the sidebar, and Try again works.
    becomes('up');
    await waitFor(() => expect(screen.queryByTestId('jobs-lost')).toBeNull());
    await waitFor(() => expect(screen.queryByRole('button', { name: /Training the face studio/ })).toBeNull());
    await waitFor(() => expect(screen.queryByText(UNREACHABLE_SENTENCE)).toBeNull());
    disconnect();
  });

  it('shows no old progress as current while it reads the jobs again, back in contact', async () => {
    router.go({ name: 'people' });
    const engine = new FakeEngine(sampleAlbum());
    const { becomes, disconnect } = servedApp(engine);
    await screen.findByRole('heading', { name: 'People' });
    engine.events.emit('job.progress', { jobId: 'job-1', kind: 'import', progress: { job: 'import', stage: 'analyse', done: 3, total: 65, etaSeconds: 120, ratePerSecond: 0.5 } });
    expect(await screen.findByRole('button', { name: /^Importing…/ })).toBeTruthy();
    becomes('stopped');
    await screen.findByTestId('jobs-lost');
    // Every change to the page until the job is gone: the import the stop ended never shows as running again (a loaded
    // e2e run saw "Importing…" back in the sidebar between the contact and the answer of jobs.list).
    let shownAgain = false;
    const watch = new MutationObserver(() => {
      if (screen.queryByRole('button', { name: /^Importing…/ })) shownAgain = true;
    });
    watch.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    becomes('up');
    await waitFor(() => expect(screen.queryByTestId('jobs-lost')).toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 50));
    watch.disconnect();
    expect(shownAgain).toBe(false);
    expect(screen.queryByRole('button', { name: /^Importing…/ })).toBeNull();
    disconnect();
  });

  it('shows no old import progress on the Import screen, nor a Cancel that cannot reach Familiar', async () => {
    router.go({ name: 'import' });
    const engine = new FakeEngine(sampleAlbum());
    const { becomes, disconnect } = servedApp(engine);
    engine.events.emit('job.progress', { jobId: 'job-1', kind: 'import', progress: { job: 'import', stage: 'analyse', done: 3, total: 65, etaSeconds: 120, ratePerSecond: 0.5 } });
    expect(await screen.findByRole('progressbar', { name: 'Import progress' })).toBeTruthy();

    becomes('stopped');
    expect((await screen.findByTestId('import-no-contact')).textContent).toContain(`Importing: progress unknown. ${UNREACHABLE_SENTENCE}`);
    expect(screen.queryByRole('progressbar', { name: 'Import progress' })).toBeNull();
    expect(screen.queryByText('Time left')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(screen.getAllByText(UNREACHABLE_SENTENCE, { exact: false })).toHaveLength(1);

    // Back with the same token: the import the new run does not know is no longer shown.
    becomes('up');
    await waitFor(() => expect(screen.queryByTestId('import-no-contact')).toBeNull());
    await waitFor(() => expect(screen.queryByRole('progressbar', { name: 'Import progress' })).toBeNull());
    disconnect();
  });

  it('imports the folders waiting once back in contact, when the import they waited for ended out of contact', async () => {
    router.go({ name: 'import' });
    const engine = new FakeEngine();
    engine.stepMs = 150;
    engine.pending = ['/photos/family', '/photos/trips'].map((folder) => ({ folder, state: sampleAlbum(), skipped: [] }));
    const { becomes, disconnect } = servedApp(engine);
    await typeInto(await screen.findByLabelText('Folder path'), '/photos/family');
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    await screen.findByRole('progressbar', { name: 'Import progress' });
    await typeInto(screen.getByLabelText('Folder to import next'), '/photos/trips');
    await fireEvent.click(screen.getByRole('button', { name: 'Import next' }));
    await waitFor(() => expect(screen.getByRole('list', { name: 'Folders to import next' }).textContent).toContain('/photos/trips'));

    // The connection drops, and the import's end is said before the page counts itself in contact again (as on a
    // stream opened again before jobs.list answers): the folders waiting did not start, then or ever (QA).
    becomes('stopped');
    await screen.findByTestId('import-no-contact');
    await waitFor(() => expect(engine.jobs.list()[0].state).toBe('done'), { timeout: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }]);
    becomes('up');
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/trips'] }]));
    await waitFor(() => expect(screen.getByTestId('import-where').textContent).toBe('From /photos/trips'));
    disconnect();
  });

  it('offers no Cancel on a training card that cannot reach Familiar', async () => {
    router.go({ name: 'training' });
    const engine = new FakeEngine(sampleAlbum());
    const { becomes, disconnect } = servedApp(engine);
    engine.events.emit('job.progress', { jobId: 'job-1', kind: 'train-embedder', progress: { job: 'train-embedder', stage: 'epoch', done: 2, total: 40, etaSeconds: 60, ratePerSecond: null } });
    const cancel = await screen.findByRole('button', { name: 'Cancel' });
    expect((cancel as HTMLButtonElement).disabled).toBe(false);
    becomes('stopped');
    await waitFor(() => expect((screen.getByRole('button', { name: 'Cancel' }) as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByText('No contact with Familiar: progress unknown')).toBeTruthy();
    disconnect();
  });

  it('says a restarted server needs its new address, with no Try again that cannot work', async () => {
    router.go({ name: 'people' });
    const { becomes, disconnect, live } = servedApp(new FakeEngine(sampleAlbum()));
    await screen.findByRole('heading', { name: 'People' });
    becomes('restarted');
    await waitFor(() => expect(live.connection).toBe('restarted'));
    await fireEvent.click(screen.getByRole('link', { name: /Photos/ }));
    expect(await screen.findByText(RESTARTED_SENTENCE)).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/JSON|Unexpected token/);
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    disconnect();
  });
});
