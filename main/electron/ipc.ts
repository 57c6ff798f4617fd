// IPC: one ipcMain.handle channel per contract call, all answered by the shared dispatcher (which validates
// arguments before the engine sees them). Calls are accepted only from our own page (familiar://app) in the
// top frame; events go to the main window only.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { callNames, ipcCallChannel, ipcEventChannel, type Envelope } from '../../preload/contract.js';
import type { Dispatcher } from '../api/dispatch.js';
import type { EventHub } from '../api/events.js';
import { isAppUrl } from './hardening.js';

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}

const untrusted: Envelope<never> = { error: 'Calls are accepted only from the Familiar window.', code: 'failed' };

/** Registers every call; returns a function that removes them (window reload in development, tests). */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, dispatcher: Dispatcher): () => void {
  for (const name of callNames) {
    ipcMain.handle(ipcCallChannel(name), (event, args: unknown) => {
      if (!isTrustedSender(event)) return untrusted;
      return dispatcher.call(name, args);
    });
  }
  return () => {
    for (const name of callNames) ipcMain.removeHandler(ipcCallChannel(name));
  };
}

/** Forwards engine events to a window's page for as long as it lives. */
export function forwardEvents(events: EventHub, contents: WebContents): () => void {
  const unsubscribe = events.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(ipcEventChannel(name), payload);
  });
  contents.once('destroyed', unsubscribe);
  return unsubscribe;
}
