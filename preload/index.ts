// The sandboxed preload: exposes `window.familiar`, one function per call of the contract and one subscribe
// function per event, and nothing else. ipcRenderer itself never reaches the page: each function is bound to
// its own channel, arguments are structured-cloned by contextBridge, and event listeners receive only the
// payload (never the IpcRendererEvent, whose `sender` is ipcRenderer). Built as a CommonJS bundle
// (scripts/build-preload.ts) because Electron's sandboxed preloads cannot load ES modules or node_modules.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  callNames,
  eventNames,
  ipcCallChannel,
  ipcEventChannel,
  type CallFunctions,
  type EventSubscriptions,
  type FamiliarBridge,
} from './contract.js';

export function buildBridge(
  ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>,
  files: Pick<typeof webUtils, 'getPathForFile'>,
): FamiliarBridge {
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
    pathForFile: (file: object) => files.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
  });
}

contextBridge.exposeInMainWorld('familiar', buildBridge(ipcRenderer, webUtils));
