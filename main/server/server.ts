// `familiar serve`: the same contract as the desktop app, over HTTP on 127.0.0.1 only, for browsers (the
// end-to-end tests, or a home server reached through an SSH tunnel).
//   GET  /?token=T            sets the session cookie and redirects to / (the token leaves the address bar)
//   GET  /…                   the built renderer (dist/renderer), single-page fallback to index.html
//   POST /api/call/<name>     JSON args -> `{ result } | { error, code }` (validated by the dispatcher first; 200
//                             for the engine's answer, its errors too; 4xx for a malformed call, 5xx for a fault)
//   GET  /api/events          Server-Sent Events: job.progress, job.done, library.changed
//   GET  /files/<kind>/<id>   thumbnails, photos, previews and generated images, by id only
// Every request must come to Host 127.0.0.1:<port> or localhost:<port>, from no Origin or our own, and carry
// the token (cookie, or `Authorization: Bearer`), except the first page load that presents it in the URL.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { HTTP_EVENTS_PATH, type ErrorCode, type EventName } from '../../preload/contract.js';
import type { Dispatcher } from '../api/dispatch.js';
import type { EventHub } from '../api/events.js';
import type { ImageSource } from '../api/files.js';
import { isInside } from '../paths.js';
import {
  MIN_TOKEN_LENGTH,
  newToken,
  presentedToken,
  refuseForeign,
  SECURITY_HEADERS,
  sessionCookie,
  tokenMatches,
} from './security.js';

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_EVENT_STREAMS = 32;
const HEARTBEAT_MS = 20_000;

export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  dispatcher: Dispatcher;
  images: Pick<ImageSource, 'get'>;
  events: EventHub;
  /** A fixed token (at least 32 characters) instead of a random one: for a bookmarked home server. */
  token?: string;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The status of a call's answer. A request that is no call (the dispatcher's refusal, marked `malformed`) is a 4xx.
 * A call the engine answered is a 200, an error included: a folder that is not there, a busy library, a box with no
 * face in it are answers the app shows in words, and a 4xx made the browser log each as a failure of its own (QA:
 * importing a missing folder logged "Failed to load resource: 404"). A fault stays a 5xx, for the console and the
 * e2e tests.
 */
const statusOf: Record<ErrorCode, number> = {
  'invalid-argument': 200,
  'not-found': 200,
  busy: 200,
  'unknown-call': 404,
  'not-available': 501,
  failed: 500,
};

const FILE_ROUTE = /^\/files\/((?:thumb|photo|full|around|preview|generated)\/[A-Za-z0-9_:-]{1,128})$/;
const CALL_ROUTE = /^\/api\/call\/([A-Za-z.]{1,64})$/;

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'cache-control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendText(res: ServerResponse, status: number, message: string): void {
  send(res, status, message + '\n', { 'content-type': 'text/plain; charset=utf-8' });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8' });
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The renderer file for a URL path, or undefined when it does not exist or would leave the renderer folder. */
async function staticFile(rendererRoot: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((seg) => seg === '..')) return undefined;
  const candidate = resolve(rendererRoot, '.' + (decoded.endsWith('/') ? decoded + 'index.html' : decoded));
  if (!isInside(rendererRoot, candidate)) return undefined;
  try {
    const real = await realpath(candidate);
    if (!isInside(rendererRoot, real) || !(await stat(real)).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`The server token must be at least ${MIN_TOKEN_LENGTH} characters.`);
  const log = options.log ?? (() => {});
  const rendererRoot = await realpath(options.rendererDir).catch(() => resolve(options.rendererDir));
  const streams = new Set<ServerResponse>();
  let port = 0;

  async function servePage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const file = await staticFile(rendererRoot, url.pathname);
    // Single-page app: a path without an extension that is not a file is a screen; hand it index.html.
    const target = file ?? (extname(url.pathname) === '' ? await staticFile(rendererRoot, '/index.html') : undefined);
    if (!target && url.pathname === '/favicon.ico') return send(res, 204, '');
    if (!target) {
      const built = await stat(join(rendererRoot, 'index.html')).catch(() => undefined);
      if (!built) return sendText(res, 503, 'The renderer is not built: run "npm run build:renderer", then reload.');
      return sendText(res, 404, 'Not found.');
    }
    const type = mimeTypes[extname(target).toLowerCase()] ?? 'application/octet-stream';
    const hashed = /[.-][A-Za-z0-9_-]{8,}\.(js|css|woff2?|svg|png)$/.test(target) && !target.endsWith('index.html');
    send(res, 200, await readFile(target), {
      'content-type': type,
      'cache-control': hashed ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    if (streams.size >= MAX_EVENT_STREAMS) return sendText(res, 503, 'Too many open event streams.');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const unsubscribe = options.events.subscribe((name: EventName, payload: unknown) => {
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', close);
    res.on('error', close);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = refuseForeign(req, port);
    if (refusal) return sendText(res, 403, refusal);
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') return sendText(res, 405, 'Method not allowed.');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return sendText(res, 400, 'Bad request.');
    }

    // First load: the printed URL carries the token; trade it for a cookie and drop it from the address bar.
    const urlToken = url.searchParams.get('token');
    if (urlToken !== null && method === 'GET' && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/files/')) {
      if (!tokenMatches(token, urlToken)) return sendText(res, 401, 'This link is not valid any more: use the address "familiar serve" printed.');
      url.searchParams.delete('token');
      // One leading slash: "//host/" (which /.//host/ becomes) would send the browser to another site.
      const path = `/${url.pathname.replace(/^\/+/, '')}`;
      return send(res, 303, '', { location: path + url.search, 'set-cookie': sessionCookie(port, token) });
    }
    if (!tokenMatches(token, presentedToken(req, port))) {
      return sendText(res, 401, 'Open the address "familiar serve" printed (it carries the secret token).');
    }

    if (url.pathname === HTTP_EVENTS_PATH) {
      if (method !== 'GET') return sendText(res, 405, 'Method not allowed.');
      return openEventStream(req, res);
    }
    const callRoute = CALL_ROUTE.exec(url.pathname);
    if (callRoute || url.pathname.startsWith('/api/')) {
      if (method !== 'POST') return sendText(res, 405, 'Calls are POST requests.');
      // JSON only: an HTML form cannot send it, so no cross-site form can reach a call even if a browser let it.
      if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) {
        return sendJson(res, 415, { error: 'Calls take a JSON body (content-type: application/json).', code: 'invalid-argument' });
      }
      let args: unknown;
      try {
        const body = await readBody(req);
        args = body.trim() === '' ? undefined : JSON.parse(body);
      } catch (err) {
        if (err instanceof BodyTooLarge) return sendJson(res, 413, { error: `A call's arguments are at most ${MAX_BODY_BYTES} bytes.`, code: 'invalid-argument' });
        return sendJson(res, 400, { error: 'The arguments are not valid JSON.', code: 'invalid-argument' });
      }
      // A path that is no call's name: the name as the client wrote it after /api/call/ (QA: "call/__proto__").
      const name = callRoute ? callRoute[1] : url.pathname.replace(/^\/api\/(call\/)?/, '');
      const answer = await options.dispatcher.call(name, args);
      // No such call, or arguments the contract refuses: the dispatcher refused it before the engine was asked.
      if (answer.malformed) return sendJson(res, answer.code === 'unknown-call' ? 404 : 400, { error: answer.error, code: answer.code });
      return sendJson(res, answer.error !== undefined ? statusOf[answer.code] : 200, answer);
    }
    if (url.pathname.startsWith('/files/')) {
      if (method === 'POST') return sendText(res, 405, 'Method not allowed.');
      // Refs are plain ids: anything percent-encoded, dotted or slashed beyond <kind>/<id> is refused unread.
      const route = FILE_ROUTE.exec(url.pathname);
      const image = route ? await options.images.get(route[1]) : undefined;
      if (!image) return sendText(res, 404, 'Not found.');
      return send(res, image.status ?? 200, image.body, {
        'content-type': image.contentType,
        'cache-control': image.immutable ? 'private, max-age=86400, immutable' : 'private, no-cache',
      });
    }
    if (method === 'POST') return sendText(res, 405, 'Method not allowed.');
    return servePage(req, res, url);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`serve: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error.');
      else res.end();
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    // Loopback only: nothing on the network can reach it, whatever the firewall says.
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const stream of streams) stream.end();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
