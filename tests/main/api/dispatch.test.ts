// The dispatcher: arguments are validated by the contract before any handler runs; every outcome is an
// envelope; engine errors keep their sentence; calls without a handler say so.
import { describe, expect, it, vi } from 'vitest';
import { callNames, calls, type CallName } from '../../../preload/contract.js';
import { createDispatcher, type Handlers } from '../../../main/api/dispatch.js';
import { ApiError } from '../../../main/api/errors.js';
import { hostileIds, hostilePaths } from '../../preload/hostile-inputs.js';
import { validSamples } from '../../preload/samples.js';

function spyHandlers() {
  const spies = new Map<CallName, ReturnType<typeof vi.fn>>();
  const handlers: Record<string, unknown> = {};
  for (const name of callNames) {
    const spy = vi.fn(async () => ({ ok: name }));
    spies.set(name, spy);
    handlers[name] = spy;
  }
  return { handlers: handlers as Handlers, spies };
}

describe('dispatcher', () => {
  it('passes validated, defaulted arguments to the handler and wraps the result', async () => {
    const { handlers, spies } = spyHandlers();
    const dispatcher = createDispatcher(handlers);
    expect(await dispatcher.call('photos.list', { personIds: ['p1'] })).toEqual({ result: { ok: 'photos.list' } });
    expect(spies.get('photos.list')).toHaveBeenCalledWith({ personIds: ['p1'], only: false, offset: 0, limit: 100 });
    expect(await dispatcher.call('people.rename', { personId: 'p1', name: '  Ana ' })).toEqual({ result: { ok: 'people.rename' } });
    expect(spies.get('people.rename')).toHaveBeenCalledWith({ personId: 'p1', name: 'Ana' });
  });

  it('never reaches a handler with hostile arguments, for any call and any field', async () => {
    const { handlers, spies } = spyHandlers();
    const dispatcher = createDispatcher(handlers);
    let rejected = 0;
    for (const name of callNames) {
      const sample = validSamples[name] as Record<string, unknown>;
      const variants: unknown[] = [42, 'string', [sample], { ...sample, extra: '../../etc/passwd' }];
      for (const [key, value] of Object.entries(sample)) {
        const pool = key === 'paths' ? hostilePaths.map((p) => [p]) : typeof value === 'string' || Array.isArray(value) ? hostileIds : [];
        for (const hostile of pool) {
          const mutated = Array.isArray(value) && key !== 'paths' ? [hostile] : hostile;
          if (key === 'version' && typeof hostile === 'string' && /^[A-Za-z0-9_:-]{1,128}$/.test(hostile)) continue;
          variants.push({ ...sample, [key]: mutated });
        }
      }
      for (const args of variants) {
        if (calls[name].args.safeParse(args).success) continue;
        const answer = await dispatcher.call(name, args);
        expect(answer.error, `${name} ${JSON.stringify(args).slice(0, 80)}`).toBeTypeOf('string');
        expect(answer.code).toBe('invalid-argument');
        expect((answer.error ?? '').length).toBeLessThan(400);
        rejected++;
      }
      expect(spies.get(name), name).not.toHaveBeenCalled();
    }
    expect(rejected).toBeGreaterThan(700);
  });

  it('says what is wrong with an argument in plain words, which the app can show as they are', async () => {
    const dispatcher = createDispatcher({});
    const refusal = async (name: string, args: unknown) => (await dispatcher.call(name, args)).error;
    expect(await refusal('training.embedder.start', { epochs: -5 })).toBe('training.embedder.start: epochs must be at least 1.');
    expect(await refusal('training.embedder.start', { epochs: 1.5 })).toBe('training.embedder.start: epochs must be a whole number.');
    expect(await refusal('training.embedder.start', { epochs: 'ten' })).toBe('training.embedder.start: epochs must be a number.');
    expect(await refusal('training.embedder.start', { epochs: 9999 })).toBe('training.embedder.start: epochs must be at most 500.');
    expect(await refusal('training.embedder.start', { bogus: 1 })).toBe('training.embedder.start: Unknown field: bogus.');
    expect(await refusal('people.rename', { name: 'Ada' })).toBe('people.rename: personId is missing.');
    // A schema's own sentence wins.
    expect(await refusal('people.rename', { personId: 'person-1', name: '' })).toBe('people.rename: name: A name must not be empty.');
  });

  it('refuses arguments nested deeper than any call needs, without walking them recursively', async () => {
    const dispatcher = createDispatcher({ 'people.rename': async () => ({ description: 'x', personIds: [], faceIds: [] }) });
    const deep = JSON.parse(`{"personId":"p","name":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(await dispatcher.call('people.rename', deep)).toEqual({ error: 'people.rename: The arguments are nested more than 32 levels deep.', code: 'invalid-argument', malformed: true });
  });

  it('refuses unknown call names, including prototype keys', async () => {
    const dispatcher = createDispatcher(spyHandlers().handlers);
    for (const name of ['__proto__', 'constructor', 'toString', 'people', 'people.list ', '../people.list', 42, null]) {
      const answer = await dispatcher.call(name, {});
      expect(answer.code, String(name)).toBe('unknown-call');
    }
  });

  it('answers "not available in this build" for a call without a handler, after validating it', async () => {
    const dispatcher = createDispatcher({});
    expect(await dispatcher.call('studio.denoise', { faceId: 'a-1' })).toEqual({ error: 'studio.denoise: not available in this build.', code: 'not-available' });
    expect((await dispatcher.call('studio.denoise', { faceId: '../a' })).code).toBe('invalid-argument');
  });

  it('marks a request that is no call as malformed (the HTTP server\'s 4xx, its only check), never an engine\'s own refusal', async () => {
    const rename = vi.fn(async () => {
      throw new ApiError('invalid-argument', 'Ada is a name already taken.');
    });
    const dispatcher = createDispatcher({ 'people.rename': rename });
    expect(await dispatcher.call('no.such.call', {})).toEqual({ error: 'Unknown call "no.such.call".', code: 'unknown-call', malformed: true });
    expect(await dispatcher.call('people.rename', { personId: '../x', name: 'Ada' })).toMatchObject({ code: 'invalid-argument', malformed: true });
    expect(rename).not.toHaveBeenCalled();
    const engine = await dispatcher.call('people.rename', { personId: 'person-1', name: 'Ada' });
    expect(engine).toEqual({ error: 'Ada is a name already taken.', code: 'invalid-argument' });
    expect('malformed' in engine).toBe(false);
  });

  it('keeps an engine error\'s sentence and maps its kind to a code', async () => {
    const log = vi.fn();
    const dispatcher = createDispatcher(
      {
        'people.get': async () => {
          throw new ApiError('not-found', 'No person has the id "p9".');
        },
        'people.delete': async () => {
          const err = new Error('The library is locked by another Familiar (pid 12).');
          err.name = 'LibraryLockedError';
          throw err;
        },
        'people.hide': async () => {
          throw new Error('disk full');
        },
      },
      log,
    );
    expect(await dispatcher.call('people.get', { personId: 'p9' })).toEqual({ error: 'No person has the id "p9".', code: 'not-found' });
    expect(await dispatcher.call('people.delete', { personIds: ['p9'] })).toEqual({ error: 'The library is locked by another Familiar (pid 12).', code: 'busy' });
    expect(await dispatcher.call('people.hide', { personIds: ['p9'], hidden: true })).toEqual({ error: 'disk full', code: 'failed' });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('lists the calls it can answer', () => {
    expect(createDispatcher({ undo: async () => ({ undone: null, message: null }) }).available()).toEqual(['undo']);
  });
});

describe('dispatcher fuzz', () => {
  /** Small deterministic PRNG (mulberry32), so a failure replays. */
  function rng(seed: number) {
    return () => {
      seed |= 0;
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const atoms = [...hostileIds, ...hostilePaths, 0, 1, 500, 501, -0, NaN, Infinity, 1e308, '', 'p1', 'a-0', '/home/ana', 'raw', 'embedder', true, false, null, undefined];

  it('answers 5,000 random argument objects with a result or a validation error, never a crash', async () => {
    const next = rng(20261128);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const value = (depth: number): unknown => {
      const r = next();
      if (depth > 2 || r < 0.6) return pick(atoms);
      if (r < 0.8) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      const keys = ['personId', 'faceId', 'faceIds', 'paths', 'name', 'limit', 'offset', 'values', 'from', 'to', 'kind', 'version', '__proto__', 'constructor'];
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [pick(keys), value(depth + 1)]));
    };
    const { handlers, spies } = spyHandlers();
    const dispatcher = createDispatcher(handlers);
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const name = pick(callNames);
      const sample = validSamples[name] as Record<string, unknown>;
      // Half the time mutate one field of a valid call, so the fuzz reaches past the first check.
      const args = next() < 0.5 ? value(0) : { ...sample, [pick(Object.keys(sample).length ? Object.keys(sample) : ['x'])]: value(1) };
      // The dispatcher reads a JSON null body as "no arguments".
      const valid = calls[name].args.safeParse(args === null ? undefined : args).success;
      const before = spies.get(name)!.mock.calls.length;
      const answer = await dispatcher.call(name, args);
      if (valid) {
        accepted++;
        expect(answer.result).toEqual({ ok: name });
        expect(spies.get(name)!.mock.calls.length).toBe(before + 1);
      } else {
        expect(answer.code).toBe('invalid-argument');
        expect(spies.get(name)!.mock.calls.length).toBe(before);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(accepted).toBeGreaterThan(0);
  });
});
