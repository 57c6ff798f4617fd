// The familiar:// protocol: the renderer from familiar://app, images by id from familiar://files, and nothing
// else — no traversal, no other host, no method but GET.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageSource, PHOTO_MOVED } from '../../../main/api/files.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { createProtocolHandler, schemePrivileges } from '../../../main/electron/protocol.js';
import { makeLibraryFixture, SECRET, type LibraryFixture } from '../api/fixture.js';

let fx: LibraryFixture;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  fx = await makeLibraryFixture();
  const rendererDir = join(fx.root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Familiar</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  // A second photo whose file was swapped for a link to the secret file, outside the album.
  const swapped = join(fx.albumDir, 'IMG_0002.jpg');
  symlinkSync(fx.secretFile, swapped);
  const photoPaths = (id: string) => (id === fx.photoId ? [fx.photoPath] : id === 'ef'.repeat(32) ? [swapped] : undefined);
  const faceOf = (id: string) => (id === fx.faceId ? { photoId: fx.photoId, box: [600, 400, 40, 40] as const, width: 1200, height: 800 } : undefined);
  const images = new ImageSource({ libraryDir: fx.libraryDir, photoPaths, faceOf, generated: new GeneratedImages() });
  handle = createProtocolHandler({ rendererDir, images });
});
afterAll(() => fx.cleanup());

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('familiar:// protocol', () => {
  it('is registered as a standard, secure scheme (real origin for the CSP)', () => {
    expect(schemePrivileges).toMatchObject({ scheme: 'familiar', privileges: { standard: true, secure: true } });
  });

  it('serves the renderer with the CSP and the library images by id', async () => {
    const page = await get('familiar://app/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' familiar:\/\/files/);
    expect(await page.text()).toContain('<title>Familiar</title>');
    expect((await get('familiar://app/people/p1')).status).toBe(200);
    const thumb = await get(`familiar://files/thumb/${fx.faceId}`);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await thumb.arrayBuffer()).equals(fx.thumbBytes)).toBe(true);
    expect((await get(`familiar://files/photo/${fx.photoId}`)).headers.get('content-type')).toBe('image/jpeg');
    expect((await get(`familiar://files/full/${fx.photoId}`)).headers.get('content-type')).toBe('image/jpeg');
    expect((await get(`familiar://files/around/${fx.faceId}`)).headers.get('content-type')).toBe('image/jpeg');
  });

  it('says why a photo swapped on disk for a link out of its folder is not shown, naming no path', async () => {
    const refused = await get(`familiar://files/photo/${'ef'.repeat(32)}`);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toBe(PHOTO_MOVED + '\n');
  });

  it('cannot read anything outside the library images and the renderer', async () => {
    const attempts = [
      'familiar://files/thumb/../../secret.txt',
      'familiar://files/thumb/..%2f..%2fsecret.txt',
      'familiar://files/thumb/%2e%2e%2f%2e%2e%2fsecret.txt',
      'familiar://files/%2e%2e/%2e%2e/secret.txt',
      'familiar://files/thumb/fedcba9876543210-0',
      'familiar://files/thumb/escape/secret.txt',
      'familiar://files/thumb/escape%2fsecret.txt',
      `familiar://files/photo/${encodeURIComponent(fx.secretFile)}`,
      `familiar://files/full/${encodeURIComponent(fx.secretFile)}`,
      `familiar://files${fx.secretFile}`,
      'familiar://files/faces.json',
      'familiar://files/thumb/0123456789abcdef-0%00.txt',
      'familiar://app/../secret.txt',
      'familiar://app/..%2fsecret.txt',
      'familiar://app/%2e%2e/secret.txt',
      'familiar://app/assets/..%5c..%5csecret.txt',
      'familiar://app/%2e%2e%2f%2e%2e%2flibrary%2ffaces.json',
      `familiar://app${fx.secretFile}.js`,
      `familiar://${fx.root.replace(/^\//, '')}/secret.txt`,
      'familiar://secret.txt/',
      'familiar://library/faces.json',
      'familiar://evil.example/index.html',
    ];
    for (const url of attempts) {
      const answer = await get(url);
      const text = await answer.text();
      expect(text, url).not.toContain(SECRET);
      if (answer.status === 200) expect(text, url).toContain('<title>Familiar</title>');
    }
  });

  it('answers only GET and HEAD', async () => {
    expect((await get('familiar://app/index.html', 'POST')).status).toBe(405);
    expect((await get('familiar://app/index.html', 'PUT')).status).toBe(405);
  });
});
