// The object the preload exposes: one function per call bound to its own channel, one subscribe function per
// event that forwards only the payload, and no way to reach ipcRenderer or pick a channel.
import { describe, expect, it } from 'vitest';
import { buildBridge, type IpcRendererLike } from '../../preload/bridge.js';
import { callNames, eventNames, ipcCallChannel, ipcEventChannel } from '../../preload/contract.js';

function fakeIpc() {
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args });
      return { result: channel };
    },
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener: (channel, listener) => {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown) => {
    const sender = { secret: 'ipcRenderer itself' };
    for (const l of listeners.get(channel) ?? []) l({ sender }, payload);
  };
  return { ipc, invoked, listeners, emit };
}

describe('preload bridge', () => {
  it('exposes exactly one function per contract call, each bound to its own channel', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = buildBridge(ipc, { getPathForFile: () => '/x' });
    expect(Object.keys(bridge.calls).sort()).toEqual([...callNames].sort());
    for (const name of callNames) expect(typeof bridge.calls[name]).toBe('function');
    await bridge.calls['people.rename']({ personId: 'p1', name: 'Ana' });
    expect(invoked).toEqual([{ channel: ipcCallChannel('people.rename'), args: [{ personId: 'p1', name: 'Ana' }] }]);
  });

  it('exposes no generic invoke, send or ipcRenderer, and is frozen', () => {
    const { ipc } = fakeIpc();
    const bridge = buildBridge(ipc, { getPathForFile: () => '/x' });
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'events', 'mode', 'pathForFile']);
    expect(JSON.stringify(Object.keys(bridge.calls))).not.toMatch(/invoke|send|ipc/);
    expect(Object.isFrozen(bridge) && Object.isFrozen(bridge.calls) && Object.isFrozen(bridge.events)).toBe(true);
    expect(() => {
      (bridge.calls as unknown as Record<string, unknown>)['evil'] = () => {};
    }).toThrow();
  });

  it('forwards only the payload of an event (never the IPC event and its sender) and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const bridge = buildBridge(ipc, { getPathForFile: () => '/x' });
    expect(Object.keys(bridge.events).sort()).toEqual([...eventNames].sort());
    const received: unknown[][] = [];
    const stop = bridge.events['job.progress']((...args: unknown[]) => received.push(args));
    emit(ipcEventChannel('job.progress'), { jobId: 'j' });
    stop();
    emit(ipcEventChannel('job.progress'), { jobId: 'k' });
    expect(received).toEqual([[{ jobId: 'j' }]]);
    expect(listeners.get(ipcEventChannel('job.progress'))?.size).toBe(0);
    expect(() => bridge.events['job.done']('not a function' as never)).toThrow(TypeError);
  });

  it('reveals a dropped file\'s path through webUtils only', () => {
    const { ipc } = fakeIpc();
    const seen: unknown[] = [];
    const bridge = buildBridge(ipc, {
      getPathForFile: (file) => {
        seen.push(file);
        return '/home/ana/Pictures';
      },
    });
    const file = { name: 'Pictures' };
    expect(bridge.pathForFile!(file)).toBe('/home/ana/Pictures');
    expect(seen).toEqual([file]);
  });
});
