// The events main pushes to every connected renderer (Electron windows over IPC, browsers over SSE).
import type { EventName, EventPayload } from '../../preload/contract.js';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch {
        // A closed window or dropped connection must not stop the others from hearing about the job.
      }
    }
  }
}
