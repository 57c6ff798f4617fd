// The contract's schemas: every call accepts a well-formed request and rejects hostile ones (wrong types, huge
// strings, traversal in ids and paths, encodings, NUL bytes, extra keys); image refs map to URLs in one place.
import { describe, expect, it } from 'vitest';
import {
  AbsolutePath,
  callNames,
  calls,
  eventNames,
  events,
  httpBridge,
  Id,
  imageUrl,
  invoke,
  CallError,
  isCallName,
  RESTARTED_SENTENCE,
  UNREACHABLE_SENTENCE,
  parseImageRef,
  PersonName,
  TRAINING_DEFAULTS,
  type CallArgs,
} from '../../preload/contract.js';
import { DEFAULT_TRAIN_OPTIONS as AUTOENCODER_TRAINING } from '../../models/autoencoder/train.js';
import { DEFAULT_TRAIN_OPTIONS as EMBEDDER_TRAINING } from '../../models/embedder/train.js';
import { hostileIds, hostileNames, hostilePaths } from './hostile-inputs.js';
import { validSamples } from './samples.js';

describe('contract schemas', () => {
  it('has a valid sample for every call, and every sample passes its schema', () => {
    expect(Object.keys(validSamples).sort()).toEqual([...callNames].sort());
    for (const name of callNames) {
      const parsed = calls[name].args.safeParse(validSamples[name]);
      expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it('rejects every hostile id in every id field of every call', () => {
    let checked = 0;
    for (const name of callNames) {
      const sample = validSamples[name] as Record<string, unknown> | undefined;
      if (!sample) continue;
      for (const [key, value] of Object.entries(sample)) {
        const isIdField = typeof value === 'string' && Id.safeParse(value).success && !['name', 'kind'].includes(key);
        const isIdList = Array.isArray(value) && value.every((v) => typeof v === 'string') && key !== 'paths';
        if (!isIdField && !isIdList) continue;
        for (const hostile of hostileIds) {
          const bad = { ...sample, [key]: isIdList ? [hostile] : hostile };
          if (isIdList && Array.isArray(hostile)) continue;
          const parsed = calls[name].args.safeParse(bad);
          expect(parsed.success, `${name}.${key} accepted ${JSON.stringify(hostile)?.slice(0, 40)}`).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('rejects relative, traversing, NUL-carrying, URL and oversized import paths', () => {
    for (const path of hostilePaths) {
      expect(calls['import.start'].args.safeParse({ paths: [path] }).success, JSON.stringify(path).slice(0, 60)).toBe(false);
    }
    expect(AbsolutePath.safeParse('/home/ana/Pictures').success).toBe(true);
    expect(AbsolutePath.safeParse('C:\\Users\\Ana\\Pictures').success).toBe(true);
    expect(AbsolutePath.safeParse('\\\\nas\\photos\\2019').success).toBe(true);
    expect(calls['import.start'].args.safeParse({ paths: [] }).success).toBe(false);
    expect(calls['import.start'].args.safeParse({ paths: Array(257).fill('/a') }).success).toBe(false);
  });

  it('rejects empty, control-character and oversized names, and trims the rest', () => {
    for (const name of hostileNames) expect(PersonName.safeParse(name).success, JSON.stringify(name).slice(0, 40)).toBe(false);
    expect(PersonName.parse('  Ana María ')).toBe('Ana María');
    // A name is text, never a path: dots and slashes in it are harmless and allowed.
    expect(PersonName.parse('../Ana')).toBe('../Ana');
  });

  it('rejects unknown keys, so a misspelt or smuggled field is an error and not silently ignored', () => {
    expect(calls['people.rename'].args.safeParse({ personId: 'p1', name: 'Ana', path: '/etc' }).success).toBe(false);
    expect(calls['people.list'].args.safeParse({ includeHidden: true, admin: true }).success).toBe(false);
    expect(calls['jobs.list'].args.safeParse({ anything: 1 }).success).toBe(false);
  });

  it('rejects wrong types and out-of-range numbers', () => {
    expect(calls['photos.list'].args.safeParse({ limit: 100_000 }).success).toBe(false);
    expect(calls['photos.list'].args.safeParse({ offset: -1 }).success).toBe(false);
    expect(calls['photos.list'].args.safeParse({ limit: '10' }).success).toBe(false);
    expect(calls['photos.list'].args.safeParse({ limit: 1.5 }).success).toBe(false);
    expect(calls['photos.list'].args.safeParse({ only: 'yes' }).success).toBe(false);
    expect(calls['studio.interpolate'].args.safeParse({ from: { faceId: 'a-1' }, to: { faceId: 'b-1' }, steps: 10_000 }).success).toBe(false);
    expect(calls['settings.set'].args.safeParse({ values: { samePersonDistance: Infinity } }).success).toBe(false);
    expect(calls['settings.set'].args.safeParse({ values: { '../x': 1 } }).success).toBe(false);
    expect(calls['faces.move'].args.safeParse({ faceIds: Array(1001).fill('a-1'), personId: 'p' }).success).toBe(false);
  });

  it('fills defaults so handlers always see complete arguments', () => {
    expect(calls['photos.list'].args.parse({})).toEqual({ personIds: [], only: false, offset: 0, limit: 100 });
    expect(calls['people.list'].args.parse(undefined)).toEqual({ includeHidden: false, namedOnly: false });
    expect(calls['library.info'].args.parse(undefined)).toEqual({});
  });

  it("starts the training forms from the engine's own defaults, so the window trains like the CLI", () => {
    expect(TRAINING_DEFAULTS.embedder).toEqual({ epochs: EMBEDDER_TRAINING.epochs, margin: EMBEDDER_TRAINING.margin });
    expect(TRAINING_DEFAULTS.autoencoder).toEqual({ epochs: AUTOENCODER_TRAINING.epochs });
  });

  it('knows its own call names and nothing else', () => {
    expect(isCallName('people.list')).toBe(true);
    for (const name of ['toString', '__proto__', 'constructor', 'people.list.x', '', 'hasOwnProperty']) expect(isCallName(name)).toBe(false);
  });

  it('declares a schema for every event', () => {
    expect(eventNames.sort()).toEqual(['import.requested', 'job.done', 'job.progress', 'library.changed']);
    expect(events['library.changed'].safeParse({ what: ['people'] }).success).toBe(true);
    expect(events['import.requested'].safeParse({ paths: ['/photos/trips'] }).success).toBe(true);
    expect(events['import.requested'].safeParse({ paths: ['trips'] }).success).toBe(false);
  });
});

describe('image references', () => {
  it('map to the familiar:// protocol in Electron and to same-origin /files/ in the browser', () => {
    expect(imageUrl('thumb/0123abcd-0', 'electron')).toBe('familiar://files/thumb/0123abcd-0');
    expect(imageUrl('photo/deadbeef', 'browser')).toBe('/files/photo/deadbeef');
    expect(imageUrl('generated/9f', 'browser')).toBe('/files/generated/9f');
  });

  it('refuse anything that is not <kind>/<id>', () => {
    for (const ref of ['thumb/../x', 'thumb/%2e%2e', 'thumb/a/b', '../thumb/a', 'other/a', 'thumb/', 'thumb/a\u0000', '/etc/passwd', 'photo/a.jpg']) {
      expect(parseImageRef(ref), ref).toBeUndefined();
      expect(() => imageUrl(ref, 'browser')).toThrow();
    }
    expect(parseImageRef('preview/abc:1')).toEqual({ kind: 'preview', id: 'abc:1' });
  });
});

describe('httpBridge', () => {
  it('posts JSON to /api/call/<name> and hands back the envelope', async () => {
    const requests: Array<{ url: string; body: string }> = [];
    const bridge = httpBridge({
      base: 'http://127.0.0.1:1',
      fetch: async (url, init) => {
        requests.push({ url, body: init.body });
        return { status: 200, text: async () => JSON.stringify({ result: [] }) };
      },
    });
    const args: CallArgs<'people.list'> = { includeHidden: true };
    expect(await invoke(bridge, 'people.list', args)).toEqual([]);
    expect(requests).toEqual([{ url: 'http://127.0.0.1:1/api/call/people.list', body: '{"includeHidden":true}' }]);
  });

  it('turns an error envelope into a CallError with the code, and a dead server into a sentence', async () => {
    const failing = httpBridge({ fetch: async () => ({ status: 400, text: async () => JSON.stringify({ error: 'people.get: personId: bad', code: 'invalid-argument' }) }) });
    await expect(invoke(failing, 'people.get', { personId: 'p' })).rejects.toMatchObject({ code: 'invalid-argument', message: 'people.get: personId: bad' });
    const dead = httpBridge({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const err = await invoke(dead, 'library.info').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect(err).toMatchObject({ code: 'unreachable', message: UNREACHABLE_SENTENCE });
    expect((err as CallError).message).not.toMatch(/fetch/i);
  });

  it('reads the plain-text answers of a restarted server as words, not as broken JSON', async () => {
    // What `familiar serve` answers a page whose token an earlier run gave (main/server/server.ts).
    const restarted = httpBridge({ fetch: async () => ({ status: 401, text: async () => 'Open the address "familiar serve" printed (it carries the secret token).\n' }) });
    await expect(invoke(restarted, 'people.list', {})).rejects.toMatchObject({ code: 'restarted', message: RESTARTED_SENTENCE });
    const faulty = httpBridge({ fetch: async () => ({ status: 500, text: async () => 'Internal error.\n' }) });
    await expect(invoke(faulty, 'people.list', {})).rejects.toMatchObject({ code: 'failed', message: "Familiar's server answered with an error (500): Internal error." });
  });

  it('says when the server is lost, restarted, and back', async () => {
    const handlers = new Map<string, (event: { data: string }) => void>();
    let readyState = 1;
    class FakeSource {
      constructor(readonly url: string) {}
      addEventListener(type: string, fn: (event: { data: string }) => void) {
        handlers.set(type, fn);
      }
      get readyState() {
        return readyState;
      }
      close() {}
    }
    const bridge = httpBridge({ EventSource: FakeSource, fetch: async () => ({ status: 401, text: async () => 'Open the address "familiar serve" printed.' }) });
    const states: string[] = [];
    bridge.connection!((state) => states.push(state));
    bridge.events['job.progress'](() => {});
    // The browser tries again by itself while the server is down.
    readyState = 0;
    handlers.get('error')!({ data: '' });
    readyState = 1;
    handlers.get('open')!({ data: '' });
    // A new run refuses the stream: a call says why.
    readyState = 2;
    handlers.get('error')!({ data: '' });
    await expect.poll(() => states).toEqual(['unreachable', 'connected', 'restarted']);
  });

  it('delivers server-sent events to subscribers of that event only', () => {
    const handlers = new Map<string, (event: { data: string }) => void>();
    class FakeSource {
      constructor(readonly url: string) {}
      addEventListener(type: string, fn: (event: { data: string }) => void) {
        handlers.set(type, fn);
      }
      close() {}
    }
    const bridge = httpBridge({ EventSource: FakeSource });
    const seen: unknown[] = [];
    const stop = bridge.events['library.changed']((payload) => seen.push(payload));
    handlers.get('library.changed')!({ data: '{"what":["people"]}' });
    handlers.get('library.changed')!({ data: 'not json' });
    stop();
    handlers.get('library.changed')!({ data: '{"what":["faces"]}' });
    expect(seen).toEqual([{ what: ['people'] }]);
  });
});
