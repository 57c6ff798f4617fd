// The object the preload exposes as `window.familiar`: one function per call of the contract, bound to its own
// IPC channel, and one subscribe function per event. Kept apart from index.ts so tests can build it without
// Electron.
import {
  callNames,
  eventNames,
  ipcCallChannel,
  ipcEventChannel,
  type CallFunctions,
  type EventSubscriptions,
  type FamiliarBridge,
} from './contract.js';

/** The parts of Electron's ipcRenderer the bridge uses (structural, so this module never imports electron). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface WebUtilsLike {
  getPathForFile(file: never): string;
}

export function buildBridge(ipc: IpcRendererLike, files: WebUtilsLike): FamiliarBridge {
  const calls = {} as Record<string, (args?: unknown) => Promise<unknown>>;
  for (const name of callNames) {
    const channel = ipcCallChannel(name);
    calls[name] = (args?: unknown) => ipc.invoke(channel, args);
  }
  const events = {} as Record<string, (listener: (payload: unknown) => void) => () => void>;
  for (const name of eventNames) {
    const channel = ipcEventChannel(name);
    events[name] = (listener) => {
      if (typeof listener !== 'function') throw new TypeError(`familiar.events["${name}"] needs a function.`);
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, forward);
      return () => {
        ipc.removeListener(channel, forward);
      };
    };
  }
  return Object.freeze({
    mode: 'electron' as const,
    calls: Object.freeze(calls) as unknown as CallFunctions,
    events: Object.freeze(events) as unknown as EventSubscriptions,
    // Electron removed File.path; dropped folders reach the import only through this one function.
    pathForFile: (file: object) => files.getPathForFile(file as never),
  });
}
