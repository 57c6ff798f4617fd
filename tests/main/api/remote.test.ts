// The API in a worker thread, as the desktop app runs it: calls, validation, events and images cross the thread
// boundary unchanged; local handlers answer on the calling thread; closing releases the library lock and later
// calls get one clear sentence instead of hanging. While the library opens, calls wait for it (the window shows
// at once); a library that cannot open answers why.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openingApi, startApiWorker } from '../../../main/api/remote.js';

const dir = mkdtempSync(join(tmpdir(), 'familiar-remote-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('API in a worker thread', () => {
  it('answers calls, validates, forwards events and images, and releases the lock on close', async () => {
    const libraryDir = join(dir, 'library');
    const api = await startApiWorker({
      libraryDir,
      mode: 'electron',
      localHandlers: { 'dialog.chooseFolders': async () => ({ paths: ['/home/ana/Pictures'] }) },
      log: () => {},
    });
    try {
      expect(existsSync(join(libraryDir, '.lock'))).toBe(true);
      const info = await api.dispatcher.call('library.info', {});
      expect(info.result).toMatchObject({ libraryDir, mode: 'electron', counts: { photos: 0 } });
      expect(await api.dispatcher.call('dialog.chooseFolders', {})).toEqual({ result: { paths: ['/home/ana/Pictures'] } });
      // Refused by the worker's dispatcher, and still marked as no call when the answer comes back (the server's 4xx).
      expect(await api.dispatcher.call('people.rename', { personId: '../x', name: 'A' })).toMatchObject({ code: 'invalid-argument', malformed: true });
      expect((await api.dispatcher.call('no.such.call', {})).code).toBe('unknown-call');
      // Arguments nested 8,000 deep (16 KB) overflowed the stack copying them to the worker: refused, and it goes on.
      const deep = JSON.parse(`{"personId":"p","name":${'['.repeat(8000)}${']'.repeat(8000)}}`);
      expect(await api.dispatcher.call('people.rename', deep)).toEqual({ error: 'people.rename: The arguments are nested more than 32 levels deep.', code: 'invalid-argument', malformed: true });
      expect(await api.dispatcher.call('no.such.call', deep)).toMatchObject({ code: 'invalid-argument' });
      expect((await api.dispatcher.call('settings.get', {})).error).toBeUndefined();

      const changed = new Promise((resolve) => api.events.subscribe((name, payload) => name === 'library.changed' && resolve(payload)));
      expect((await api.dispatcher.call('settings.set', { values: { samePersonDistance: 0.3 } })).error).toBeUndefined();
      expect(await changed).toEqual({ what: ['settings'] });

      expect(await api.images.get('thumb/0123456789abcdef-0')).toBeUndefined();
      expect(await api.images.get('../../etc/passwd')).toBeUndefined();
      // Calls in flight at once are matched to their own answers.
      const answers = await Promise.all([api.dispatcher.call('jobs.list', {}), api.dispatcher.call('people.list', {}), api.dispatcher.call('settings.get', {})]);
      expect(answers.map((a) => Array.isArray(a.result) || typeof a.result === 'object')).toEqual([true, true, true]);
    } finally {
      await api.close();
    }
    expect(existsSync(join(libraryDir, '.lock'))).toBe(false);
    expect(await api.dispatcher.call('library.info', {})).toEqual({ error: 'Familiar is closing.', code: 'failed' });
  });

  it('takes calls, images and events while the library is still opening, and answers them once it is open', async () => {
    const libraryDir = join(dir, 'opening');
    const api = openingApi(libraryDir, startApiWorker({ libraryDir, mode: 'electron', log: () => {} }));
    try {
      // The window asks whether it is still opening, and hears so at once.
      expect(await api.dispatcher.call('library.opening', {})).toEqual({ result: { opening: true } });
      // Asked before the worker is up: both wait for it rather than fail.
      const [info, image] = await Promise.all([api.dispatcher.call('library.info', {}), api.images.get('thumb/0123456789abcdef-0')]);
      expect(info.result).toMatchObject({ libraryDir, counts: { photos: 0 } });
      expect(image).toBeUndefined();
      expect(await api.dispatcher.call('library.opening', {})).toEqual({ result: { opening: false } });
      expect(api.dispatcher.available()).toContain('people.list');
      const changed = new Promise((resolve) => api.events.subscribe((name, payload) => name === 'library.changed' && resolve(payload)));
      await api.dispatcher.call('settings.set', { values: { samePersonDistance: 0.3 } });
      expect(await changed).toEqual({ what: ['settings'] });
    } finally {
      await api.close();
    }
    expect(existsSync(join(libraryDir, '.lock'))).toBe(false);
  });

  it('answers every call with why, when the library cannot open', async () => {
    const libraryDir = join(dir, 'held');
    const first = await startApiWorker({ libraryDir, mode: 'electron', log: () => {} });
    try {
      const opening = startApiWorker({ libraryDir, mode: 'electron', log: () => {} });
      opening.catch(() => {});
      const api = openingApi(libraryDir, opening);
      const answer = await api.dispatcher.call('people.list', {});
      expect(answer.code).toBe('failed');
      expect(answer.error).toMatch(/^Familiar could not open its library: .*(in use|locked|another)/i);
      expect(await api.images.get('thumb/0123456789abcdef-0')).toBeUndefined();
      await api.close();
    } finally {
      await first.close();
    }
  });

  it('fails to start with the library\'s own sentence when another Familiar holds it', async () => {
    const libraryDir = join(dir, 'locked');
    const first = await startApiWorker({ libraryDir, mode: 'electron', log: () => {} });
    try {
      await expect(startApiWorker({ libraryDir, mode: 'electron', log: () => {} })).rejects.toThrow(/in use|locked|another/i);
    } finally {
      await first.close();
    }
  });
});
