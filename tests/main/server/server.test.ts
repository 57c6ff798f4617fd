// The loopback server: nothing answers without the token, to a foreign Host (DNS rebinding) or Origin, or
// outside the renderer folder and the library's own images; calls are validated before any handler; events
// stream over SSE. Requests are sent with node:http so paths reach the server exactly as written (no URL
// normalization by the client).
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callNames, type CallName } from '../../../preload/contract.js';
import { createDispatcher, type Handlers } from '../../../main/api/dispatch.js';
import { ApiError } from '../../../main/api/errors.js';
import { EventHub } from '../../../main/api/events.js';
import { ImageSource, PHOTO_MOVED } from '../../../main/api/files.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { MAX_BODY_BYTES, startServer, type RunningServer } from '../../../main/server/server.js';
import { cookieName } from '../../../main/server/security.js';
import { makeLibraryFixture, SECRET, type LibraryFixture } from '../api/fixture.js';
import { hostileIds } from '../../preload/hostile-inputs.js';
import { validSamples } from '../../preload/samples.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

let fx: LibraryFixture;
let server: RunningServer;
/** A photo whose file was swapped for a link to the secret file, outside the album. */
const swappedPhotoId = 'ef'.repeat(32);
let events: EventHub;
const spies = new Map<CallName, ReturnType<typeof vi.fn>>();

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; auth?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { host: `127.0.0.1:${server.port}`, ...options.headers };
  if (options.auth !== false && !('authorization' in headers) && !('cookie' in headers)) headers.authorization = `Bearer ${server.token}`;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const call = (name: string, args: unknown, headers: Record<string, string> = {}) =>
  send(`/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(args) });

beforeAll(async () => {
  fx = await makeLibraryFixture();
  const rendererDir = join(fx.root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Familiar</title><script type="module" src="./assets/app-abcdef12.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app-abcdef12.js'), 'console.log("app")');
  const handlers: Record<string, unknown> = {};
  for (const name of callNames) {
    const spy = vi.fn(async () => ({ answered: name }));
    spies.set(name, spy);
    handlers[name] = spy;
  }
  events = new EventHub();
  const images = new ImageSource({
    libraryDir: fx.libraryDir,
    photoPaths: (id) => (id === fx.photoId ? [fx.photoPath] : id === swappedPhotoId ? [join(fx.albumDir, 'IMG_0002.jpg')] : undefined),
    // A small face in the photo: the queues zoom on it, drawn from the photo's pixels around it.
    faceOf: (id) => (id === fx.faceId ? { photoId: fx.photoId, box: [600, 400, 40, 40], width: 1200, height: 800 } : undefined),
    generated: new GeneratedImages(),
  });
  symlinkSync(fx.secretFile, join(fx.albumDir, 'IMG_0002.jpg'));
  server = await startServer({ port: 0, rendererDir, dispatcher: createDispatcher(handlers as Handlers), images, events });
});

afterAll(async () => {
  await server?.close();
  fx?.cleanup();
});

describe('familiar serve: access', () => {
  it('listens on 127.0.0.1 only and prints a URL with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('refuses every route without the token', async () => {
    for (const path of ['/', '/index.html', '/assets/app-abcdef12.js', `/files/thumb/${fx.faceId}`, '/api/events']) {
      const answer = await send(path, { auth: false });
      expect(answer.status, path).toBe(401);
      expect(answer.text).not.toContain('console.log');
    }
    const answer = await send('/api/call/jobs.list', { method: 'POST', auth: false, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(answer.status).toBe(401);
    expect(spies.get('jobs.list')).not.toHaveBeenCalled();
  });

  it('refuses a wrong token, in the header, the cookie or the URL', async () => {
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A');
    expect((await send('/', { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401);
    expect((await send('/', { headers: { cookie: `${cookieName(server.port)}=${wrong}` } })).status).toBe(401);
    expect((await send(`/?token=${wrong}`, { auth: false })).status).toBe(401);
    expect((await send('/?token=', { auth: false })).status).toBe(401);
    // Another port's cookie is another server's session.
    expect((await send('/', { headers: { cookie: `${cookieName(server.port + 1)}=${server.token}` } })).status).toBe(401);
  });

  it('trades the URL token for an HttpOnly SameSite=Strict cookie and strips it from the address', async () => {
    const first = await send(`/?token=${server.token}`, { auth: false });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    // Never to another site: /.//evil.example/ is the path //evil.example/, which a browser reads as that host.
    for (const path of ['/.//evil.example/', '//evil.example/']) {
      const elsewhere = await send(`${path}?token=${server.token}`, { auth: false });
      expect(elsewhere.status, path).toBe(303);
      expect(elsewhere.headers.location, path).toMatch(/^\/(?!\/)/);
    }
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${cookieName(server.port)}=${server.token}; Path=/; HttpOnly; SameSite=Strict`));
    const page = await send('/', { headers: { cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Familiar</title>');
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`, `0.0.0.0:${server.port}`, `[::1]:${server.port}`]) {
      const answer = await send('/', { headers: { host } });
      expect(answer.status, host).toBe(403);
    }
    expect((await send('/', { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('refuses a request without any Host header', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(`GET / HTTP/1.0\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.[01] (403|400)/);
    expect(reply).not.toContain('<title>Familiar</title>');
  });

  it('refuses a foreign Origin or a cross-site fetch, before any handler', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`, 'null', `http://localhost.evil.example:${server.port}`]) {
      const answer = await call('jobs.list', {}, { origin });
      expect(answer.status, origin).toBe(403);
    }
    expect((await call('jobs.list', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // A page on another local port is "same-site" to the browser; it is still not us.
    expect((await call('jobs.list', {}, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await send(`/files/thumb/${fx.faceId}`, { headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    // No-cors image loads from other origins are blocked by the browser on this header as well.
    expect((await send(`/files/thumb/${fx.faceId}`)).headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(spies.get('jobs.list')).not.toHaveBeenCalled();
    const ours = await call('jobs.list', {}, { origin: server.origin, 'sec-fetch-site': 'same-origin' });
    expect(ours.status).toBe(200);
    expect(JSON.parse(ours.text)).toEqual({ result: { answered: 'jobs.list' } });
  });
});

describe('familiar serve: calls', () => {
  it('validates arguments with the contract before any handler runs', async () => {
    let rejected = 0;
    for (const name of ['people.rename', 'faces.move', 'photos.get', 'studio.denoise', 'jobs.cancel'] as CallName[]) {
      const sample = validSamples[name] as Record<string, unknown>;
      for (const [key, value] of Object.entries(sample)) {
        if (key === 'name') continue;
        for (const hostile of hostileIds) {
          if (hostile === undefined) continue;
          const answer = await call(name, { ...sample, [key]: Array.isArray(value) ? [hostile] : hostile });
          if (answer.status === 200) continue; // e.g. a list holding a valid-looking id
          expect(answer.status).toBe(400);
          expect(JSON.parse(answer.text).code).toBe('invalid-argument');
          rejected++;
        }
      }
      expect(spies.get(name), name).not.toHaveBeenCalled();
    }
    expect(rejected).toBeGreaterThan(150);
  });

  it('answers JSON only, within a size limit, and only to POST', async () => {
    expect((await send('/api/call/jobs.list', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await send('/api/call/jobs.list', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })).status).toBe(415);
    expect((await send('/api/call/jobs.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' })).status).toBe(400);
    const huge = JSON.stringify({ paths: ['/' + 'a'.repeat(MAX_BODY_BYTES)] });
    expect((await send('/api/call/import.start', { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge })).status).toBe(413);
    expect((await send('/api/call/jobs.list')).status).toBe(405);
    expect((await send('/', { method: 'PUT' })).status).toBe(405);
    expect((await send('/', { method: 'DELETE' })).status).toBe(405);
    expect(spies.get('import.start')).not.toHaveBeenCalled();
  });

  it('answers unknown calls and prototype names with unknown-call', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      const answer = await call(name, {});
      expect(answer.status, name).toBe(404);
      expect(JSON.parse(answer.text)).toEqual({ error: `Unknown call "${name}".`, code: 'unknown-call' });
    }
  });

  it('answers the engine\'s errors in the envelope with 200, and only a fault with a 5xx', async () => {
    // QA: importing a folder that is not there answered 404, which the browser logged as a failed resource.
    const importStart = spies.get('import.start')!;
    importStart.mockRejectedValueOnce(new ApiError('not-found', 'Cannot import /nowhere: there is no folder or file there.'));
    const missing = await call('import.start', { paths: ['/nowhere'] });
    expect(missing.status).toBe(200);
    expect(JSON.parse(missing.text)).toEqual({ error: 'Cannot import /nowhere: there is no folder or file there.', code: 'not-found' });
    importStart.mockRejectedValueOnce(new ApiError('invalid-argument', '/proc is a folder of the operating system, not of photos.'));
    expect((await call('import.start', { paths: ['/proc'] })).status).toBe(200);
    importStart.mockRejectedValueOnce(new ApiError('busy', 'The library is busy.'));
    expect((await call('import.start', { paths: ['/photos'] })).status).toBe(200);
    importStart.mockRejectedValueOnce(new Error('disk on fire'));
    const fault = await call('import.start', { paths: ['/photos'] });
    expect(fault.status).toBe(500);
    expect(JSON.parse(fault.text)).toEqual({ error: 'disk on fire', code: 'failed' });
    // A malformed call is still refused as such, before the engine: no path, a relative one.
    importStart.mockClear();
    for (const args of [{}, { paths: [] }, { paths: ['photos'] }]) {
      const refused = await call('import.start', args);
      expect(refused.status, JSON.stringify(args)).toBe(400);
      // The dispatcher's refusal, which the server alone does not check again: the envelope without its mark.
      expect(Object.keys(JSON.parse(refused.text))).toEqual(['error', 'code']);
      expect(JSON.parse(refused.text).code).toBe('invalid-argument');
    }
    const deep = `{"paths":${'['.repeat(40)}${']'.repeat(40)}}`;
    const tooDeep = await send('/api/call/import.start', { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
    expect(tooDeep.status).toBe(400);
    expect(JSON.parse(tooDeep.text)).toEqual({ error: 'import.start: The arguments are nested more than 32 levels deep.', code: 'invalid-argument' });
    expect(importStart).not.toHaveBeenCalled();
  });
});

describe('familiar serve: files', () => {
  it('serves the renderer with a strict CSP and security headers', async () => {
    const page = await send('/');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const script = await send('/assets/app-abcdef12.js');
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    // A screen path is the single-page app.
    expect((await send('/people/p1')).text).toContain('<title>Familiar</title>');
  });

  it('serves library images by id', async () => {
    const thumb = await send(`/files/thumb/${fx.faceId}`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.body.equals(fx.thumbBytes)).toBe(true);
    const photo = await send(`/files/photo/${fx.photoId}`);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect((await send(`/files/photo/${'00'.repeat(32)}`)).status).toBe(404);
    const full = await send(`/files/full/${fx.photoId}`);
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    const around = await send(`/files/around/${fx.faceId}`);
    expect(around.status).toBe(200);
    expect(around.headers['content-type']).toBe('image/jpeg');
  });

  it('says why a photo swapped on disk for a link out of its folder is not shown, and what to do, naming no path', async () => {
    for (const kind of ['photo', 'full', 'preview']) {
      const refused = await send(`/files/${kind}/${swappedPhotoId}`);
      expect(refused.status).toBe(409);
      expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(refused.text).toBe(PHOTO_MOVED + '\n');
      expect(refused.text).toMatch(/Import its folder again/);
      expect(refused.text).not.toContain(fx.root);
      expect(refused.text).not.toContain(SECRET);
    }
  });

  it('serves nothing outside the renderer folder and the library images, however the path is written', async () => {
    const secretName = 'secret.txt';
    const attempts = [
      `/../${secretName}`,
      `/../../${secretName}`,
      `/%2e%2e/${secretName}`,
      `/%2e%2e%2f${secretName}`,
      `/..%2f${secretName}`,
      `/%252e%252e/${secretName}`,
      `/assets/../../${secretName}`,
      `/assets/..%5c..%5c${secretName}`,
      `/..\\..\\${secretName}`,
      `/%00/${secretName}`,
      `/index.html%00.js`,
      `/library/faces.json`,
      `/../library/faces.json`,
      `/files/thumb/../../${secretName}`,
      `/files/thumb/..%2f..%2f${secretName}`,
      `/files/thumb/%2e%2e%2f%2e%2e%2f${secretName}`,
      `/files/thumb/fedcba9876543210-0`,
      `/files/thumb/escape%2f${secretName}`,
      `/files/thumb/escape/${secretName}`,
      `/files/photo/${encodeURIComponent(fx.secretFile)}`,
      `/files/photo/..%2f..%2fsecret`,
      `/files/full/..%2f..%2fsecret`,
      `/files/full/${encodeURIComponent(fx.secretFile)}`,
      `/files/${fx.secretFile}`,
      `/files/../faces.json`,
      `/files/thumb/${fx.faceId}%00.txt`,
      `//${fx.secretFile}`,
      fx.secretFile,
      `/${fx.secretFile}`,
      `/files/thumb/${'a'.repeat(5000)}`,
    ];
    for (const path of attempts) {
      const answer = await send(path);
      expect(answer.text, path).not.toContain(SECRET);
      if (answer.status === 200) {
        // Only the single-page fallback may answer 200, and it is the renderer's index.html.
        expect(answer.text, path).toContain('<title>Familiar</title>');
      }
    }
  });
});

describe('familiar serve: events', () => {
  it('streams events to an authenticated client as Server-Sent Events', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/api/events', headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${server.token}` } },
        (res) => {
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('retry:') && !text.includes('library.changed')) events.emit('library.changed', { what: ['people'] });
            if (text.includes('data: {"what":["people"]}')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(received).toContain('event: library.changed\ndata: {"what":["people"]}\n\n');
  });
});
