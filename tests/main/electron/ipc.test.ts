// IPC: every contract call has its own handle channel, answered by the shared dispatcher, and only for our page
// in the top frame; events reach the window's page and stop when it is gone.
import { describe, expect, it, vi } from 'vitest';
import { callNames, ipcCallChannel, ipcEventChannel } from '../../../preload/contract.js';
import { createDispatcher } from '../../../main/api/dispatch.js';
import { EventHub } from '../../../main/api/events.js';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock());

const { registerIpc, forwardEvents } = await import('../../../main/electron/ipc.js');
const { FakeWebContents } = await import('./electron-mock.js');

function setup() {
  const handlers = new Map<string, (event: unknown, args: unknown) => unknown>();
  const ipcMain = {
    handle: (channel: string, fn: (event: unknown, args: unknown) => unknown) => void handlers.set(channel, fn),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
  const rename = vi.fn(async ({ name }: { name: string }) => ({ description: `Named ${name}.`, personIds: ['p1'], faceIds: [] }));
  const unregister = registerIpc(ipcMain as never, createDispatcher({ 'people.rename': rename }));
  return { handlers, rename, unregister };
}

const fromFrame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('IPC', () => {
  it('registers one handle channel per call and removes them all', () => {
    const { handlers, unregister } = setup();
    expect([...handlers.keys()].sort()).toEqual(callNames.map(ipcCallChannel).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('validates through the dispatcher and answers envelopes', async () => {
    const { handlers, rename } = setup();
    const channel = ipcCallChannel('people.rename');
    expect(await handlers.get(channel)!(fromFrame('familiar://app/index.html'), { personId: 'p1', name: 'Ana' })).toMatchObject({ result: { description: 'Named Ana.' } });
    const bad = (await handlers.get(channel)!(fromFrame('familiar://app/index.html'), { personId: '../../etc', name: 'Ana' })) as { code: string };
    expect(bad.code).toBe('invalid-argument');
    expect(rename).toHaveBeenCalledTimes(1);
  });

  it('ignores calls from any other page or from a subframe', async () => {
    const { handlers, rename } = setup();
    const channel = ipcCallChannel('people.rename');
    for (const event of [fromFrame('https://evil.example/'), fromFrame('file:///tmp/x.html'), fromFrame('familiar://files/thumb/a'), fromFrame('familiar://app/index.html', {}), { senderFrame: null }]) {
      const answer = (await handlers.get(channel)!(event, { personId: 'p1', name: 'Ana' })) as { error?: string };
      expect(answer.error).toMatch(/only from the Familiar window/);
    }
    expect(rename).not.toHaveBeenCalled();
  });

  it('forwards events to the page until it is destroyed', () => {
    const hub = new EventHub();
    const contents = new FakeWebContents();
    forwardEvents(hub, contents as never);
    hub.emit('library.changed', { what: ['people'] });
    contents.emit('destroyed');
    hub.emit('library.changed', { what: ['faces'] });
    expect(contents.sent).toEqual([{ channel: ipcEventChannel('library.changed'), payload: { what: ['people'] } }]);
  });
});
