// The `familiar://` protocol: `familiar://app/<file>` serves the built renderer, `familiar://files/<kind>/<id>`
// serves images by id through the shared ImageSource (thumbnails inside the library folder, photos from the
// paths the library recorded, generated images from memory). Nothing else answers: no other host, no method
// but GET, no percent-encoding, no `..`. This module takes its Electron pieces as arguments so tests can drive
// it without the Electron binary; main.ts wires in the real `protocol`.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { ImageSource } from '../api/files.js';
import { isInside } from '../paths.js';
import { ELECTRON_CSP } from './csp.js';

export const SCHEME = 'familiar';

/** Must be passed to protocol.registerSchemesAsPrivileged before the app is ready. */
export const schemePrivileges = {
  scheme: SCHEME,
  // standard: real origins (so 'self' in the CSP means familiar://app); secure: treated like https.
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false },
};

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

const FILE_PATH = /^\/((?:thumb|photo|full|around|preview|generated)\/[A-Za-z0-9_:-]{1,128})$/;
const APP_PATH = /^\/[A-Za-z0-9_./-]*$/;

const baseHeaders = {
  'content-security-policy': ELECTRON_CSP,
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-site',
};

function notFound(): Response {
  return new Response('Not found.', { status: 404, headers: { ...baseHeaders, 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * The raw path of a request URL, before the URL parser would resolve `..` or `%2e%2e`: a request that needed
 * normalizing is refused rather than normalized, so what is checked is exactly what was asked for.
 */
function rawPath(url: string, host: string): string | undefined {
  const prefix = `${SCHEME}://${host}`;
  if (!url.toLowerCase().startsWith(prefix)) return undefined;
  const rest = url.slice(prefix.length).replace(/[?#].*$/s, '');
  return rest === '' ? '/' : rest;
}

export interface ProtocolOptions {
  rendererDir: string;
  images: Pick<ImageSource, 'get'>;
}

export function createProtocolHandler(options: ProtocolOptions): (request: Request) => Promise<Response> {
  let rendererRoot: Promise<string> | undefined;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed.', { status: 405, headers: baseHeaders });
    let host: string;
    try {
      host = new URL(request.url).host;
    } catch {
      return notFound();
    }
    if (host === 'files') {
      const path = rawPath(request.url, 'files');
      const match = path ? FILE_PATH.exec(path) : null;
      const image = match ? await options.images.get(match[1]) : undefined;
      if (!image) return notFound();
      return new Response(new Uint8Array(image.body), {
        status: image.status ?? 200,
        headers: { ...baseHeaders, 'content-type': image.contentType, 'cache-control': image.immutable ? 'max-age=86400, immutable' : 'no-cache' },
      });
    }
    if (host === 'app') {
      const path = rawPath(request.url, 'app');
      if (!path || !APP_PATH.test(path) || path.split('/').some((seg) => seg === '..' || seg === '.')) return notFound();
      rendererRoot ??= realpath(options.rendererDir).catch(() => resolve(options.rendererDir));
      const root = await rendererRoot;
      let file = resolve(root, '.' + (path.endsWith('/') ? path + 'index.html' : path));
      // Single-page app: extension-less paths are screens.
      if (extname(path) === '') file = resolve(root, 'index.html');
      // Compared as the platform compares names (main/paths.ts); realpath spells `root` and `real` the same way.
      if (!isInside(root, file)) return notFound();
      try {
        const real = await realpath(file);
        if (!isInside(root, real) || !(await stat(real)).isFile()) return notFound();
        const body = await readFile(real);
        return new Response(new Uint8Array(body), {
          status: 200,
          headers: { ...baseHeaders, 'content-type': mimeTypes[extname(real).toLowerCase()] ?? 'application/octet-stream' },
        });
      } catch {
        return notFound();
      }
    }
    return notFound();
  };
}
