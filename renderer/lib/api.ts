// The renderer's only door to the engine: the contract's bridge (`window.familiar` from the preload in the
// desktop app, or the HTTP bridge over `familiar serve` in a browser), wrapped so screens get typed results
// or a thrown CallError carrying the engine's one-sentence message.
import {
  connectBridge,
  imageUrl,
  invoke,
  type CallArgs,
  type CallName,
  type CallResult,
  type FamiliarBridge,
  type ImageRef,
} from '../../preload/contract.js';
import type { AppEvent } from './types.js';

/** A call the engine answered: its name, what was sent, and the answer. */
export type AnsweredCall = { [K in CallName]: { name: K; args: CallArgs<K> | undefined; result: CallResult<K> } }[CallName];

export class FamiliarClient {
  constructor(readonly bridge: FamiliarBridge) {}

  /** 'electron' offers the native folder picker; 'browser' asks for a typed path. */
  get mode(): 'electron' | 'browser' {
    return this.bridge.mode;
  }

  call<K extends CallName>(name: K, ...args: undefined extends CallArgs<K> ? [CallArgs<K>?] : [CallArgs<K>]): Promise<CallResult<K>> {
    const answer = invoke(this.bridge, name, args[0]);
    // Told beside the caller, not before it: the answer reaches the caller when it would without listeners.
    answer.then((result) => this.answered.forEach((listener) => listener({ name, args: args[0], result } as AnsweredCall)), () => {});
    return answer;
  }

  private readonly answered = new Set<(call: AnsweredCall) => void>();

  /** Called with every call the engine answered (lib/undo.ts: what the user last changed). */
  onAnswered(listener: (call: AnsweredCall) => void): () => void {
    this.answered.add(listener);
    return () => this.answered.delete(listener);
  }

  imageUrl(ref: ImageRef | null | undefined): string | null {
    if (!ref) return null;
    try {
      return imageUrl(ref, this.bridge.mode);
    } catch {
      return null;
    }
  }

  /** One stream of every engine event, as the union the live state understands. */
  onEvent(listener: (event: AppEvent) => void): () => void {
    const offs = [
      this.bridge.events['job.progress']((payload) => listener({ type: 'job.progress', ...payload })),
      this.bridge.events['job.done']((payload) => listener({ type: 'job.done', ...payload })),
      this.bridge.events['library.changed']((payload) => listener({ type: 'library.changed', ...payload })),
    ];
    return () => offs.forEach((off) => off());
  }
}

export function connectClient(): FamiliarClient {
  return new FamiliarClient(connectBridge());
}
