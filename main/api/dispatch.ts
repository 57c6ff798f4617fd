// One entry point for every call, shared by the IPC handlers (main/electron) and the HTTP server (main/server):
// the call name is checked against the contract, the arguments are validated and normalized by the contract's
// schema BEFORE any handler (and so the engine) runs, and every outcome becomes `{ result } | { error, code }`.
import { calls, isCallName, type CallName, type CallResult, type Envelope, type ParsedArgs } from '../../preload/contract.js';
import { codeOf, NOT_AVAILABLE } from './errors.js';

export type Handler<K extends CallName> = (args: ParsedArgs<K>) => Promise<CallResult<K>> | CallResult<K>;
export type Handlers = { [K in CallName]?: Handler<K> };

export interface Dispatcher {
  call(name: unknown, rawArgs: unknown): Promise<Envelope<unknown>>;
  /** Calls this build can answer (the rest answer 'not available in this build'). */
  available(): CallName[];
}

/**
 * First schema issue as one sentence: `training.embedder.start: epochs must be at least 1.` (the contract's plain
 * wording), or `people.rename: name: A name must not be empty.` (a schema's own sentence).
 */
function describeIssue(name: string, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const first = issues[0];
  if (!first) return `${name}: invalid arguments.`;
  const path = first.path.map(String).join('.');
  if (/^[a-z]/.test(first.message)) return `${name}: ${path ? `${path} ${first.message}` : first.message.charAt(0).toUpperCase() + first.message.slice(1)}.`;
  return `${name}: ${path ? `${path}: ` : ''}${first.message}`;
}

/**
 * No call's arguments nest deeper than a few levels. A body of 8,000 nested brackets (16 KB, far under the size cap)
 * overflowed the stack copying it to the engine's worker, and would overflow the schema's walk too: such arguments are
 * refused before anything walks them recursively.
 */
export const MAX_ARGUMENT_DEPTH = 32;

/** Whether `value` nests objects or arrays deeper than `max` levels (checked without recursion). */
export function nestsTooDeep(value: unknown, max = MAX_ARGUMENT_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

export const TOO_DEEP = `The arguments are nested more than ${MAX_ARGUMENT_DEPTH} levels deep.`;

/**
 * A request that is no call at all (no such call, arguments the contract refuses), refused before the engine is asked.
 * Marked as such, through the engine's worker too, so the HTTP server answers it with a 4xx and an engine's own
 * 'invalid-argument' (a folder of the operating system) with a 200, without checking the call a second time.
 */
export type Refusal = { error: string; code: 'invalid-argument' | 'unknown-call'; malformed: true };

export const refusal = (error: string, code: Refusal['code'] = 'invalid-argument'): Refusal => ({ error, code, malformed: true });

/** The checks before any handler: a call the contract names, with arguments its schema takes. */
function checkCall(name: unknown, rawArgs: unknown): { name: CallName; args: unknown } | { refused: Refusal } {
  if (!isCallName(name)) return { refused: refusal(`Unknown call "${String(name).slice(0, 64)}".`, 'unknown-call') };
  if (nestsTooDeep(rawArgs)) return { refused: refusal(`${name}: ${TOO_DEEP}`) };
  const parsed = calls[name].args.safeParse(rawArgs === null ? undefined : rawArgs);
  if (!parsed.success) return { refused: refusal(describeIssue(name, parsed.error.issues)) };
  return { name, args: parsed.data };
}

export function createDispatcher(handlers: Handlers, log: (message: string) => void = () => {}): Dispatcher {
  return {
    available: () => (Object.keys(handlers) as CallName[]).filter((k) => typeof handlers[k] === 'function'),
    async call(rawName, rawArgs) {
      const checked = checkCall(rawName, rawArgs);
      if ('refused' in checked) return checked.refused;
      const name = checked.name;
      const handler = handlers[name] as Handler<typeof name> | undefined;
      if (!handler) return { error: `${name}: ${NOT_AVAILABLE}.`, code: 'not-available' };
      try {
        const result = await handler(checked.args as never);
        return { result };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const code = codeOf(err);
        if (code === 'failed') log(`${name} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
        return { error: message, code };
      }
    },
  };
}
