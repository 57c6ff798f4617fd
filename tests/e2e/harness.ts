// End-to-end plumbing: a real `familiar serve` on a temporary library, Debian's Chromium driven by
// playwright-core (never a downloaded browser), screenshots under test-output/e2e/, and a tally of everything
// the page logged as an error (Content-Security-Policy violations above all).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { GeneratedImages } from '../../main/api/generated.js';
import { ImageSource } from '../../main/api/files.js';
import { startServer, type RunningServer } from '../../main/server/server.js';
import type { FakeEngine, FakeState } from '../renderer/fake-engine.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedFaces = resolve(repoRoot, '..', 'shared', 'faces');
export const screenshotDir = join(repoRoot, 'test-output', 'e2e');
export const CHROMIUM = '/usr/bin/chromium';

/** The suite serves dist/renderer: build it when a checkout has not (npm run build does it in CI). */
export async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn' });
}

export interface Served {
  url: string;
  origin: string;
  token: string;
  libraryDir: string;
  port: number;
  /** What the server wrote to stderr, for failure messages. */
  log: string[];
  /** Ends the server with `signal` (SIGTERM: as Ctrl-C or a service manager stops it; SIGKILL: a crash) and waits for it. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `familiar serve --json` and waits for the line with its address: on any free port, or on `port` with `token`,
 * which is the same address again for a page that had it (a restart as a bookmarked home server does).
 */
export async function startServe(libraryDir: string, options: { port?: number; token?: string } = {}): Promise<Served> {
  const args = ['serve', '--library', libraryDir, '--port', String(options.port ?? 0), '--json'];
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin', 'familiar.js'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FAMILIAR_LIBRARY: libraryDir, ...(options.token !== undefined && { FAMILIAR_SERVE_TOKEN: options.token }) },
  });
  const log: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
  const address = await new Promise<{ url: string; origin: string; port: number; token: string }>((resolvePromise, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`familiar serve did not start in 120 s:\n${log.join('')}`)), 120_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const line = buffer.split('\n').find((l) => l.trim().startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolvePromise(JSON.parse(line));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`familiar serve exited with ${code}:\n${log.join('')}`));
    });
  });
  return {
    ...address,
    libraryDir,
    log,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill(signal);
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

/** Calls the contract over HTTP as the page does, with the token as a bearer: for setup and assertions. */
export function apiClient(served: Pick<Served, 'origin' | 'token'>) {
  return async function call<T = unknown>(name: string, args: unknown = {}): Promise<T> {
    const response = await fetch(`${served.origin}/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${served.token}` },
      body: JSON.stringify(args),
    });
    const answer = (await response.json()) as { result?: T; error?: string };
    if (answer.error !== undefined) throw new Error(`${name}: ${answer.error}`);
    return answer.result as T;
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export async function launchBrowser(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'familiar-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 860 },
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? 'light',
  });
  // Playwright waits 30 s for an element or an action by default; these runs share two cores with model work.
  context.setDefaultTimeout(60_000);
  const problems: string[] = [];
  // Reported by the page itself, so a violation cannot hide behind a console filter.
  await context.addInitScript(
    'document.addEventListener("securitypolicyviolation", (e) => console.error("CSP violation: " + e.violatedDirective + " blocked " + e.blockedURI));',
  );
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // Which request failed, with what the engine said: the console only says "Failed to load resource".
  page.on('response', async (response) => {
    if (response.status() < 400) return;
    const request = response.request();
    const body = await response.text().catch(() => '');
    problems.push(`HTTP ${response.status()} for ${request.method()} ${new URL(response.url()).pathname} ${request.postData() ?? ''} -> ${body.slice(0, 300)}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The browser's own console lines for requests a stopped server refused or cut off, or a restarted one refused (the old
 * token): what a test that stops the server expects among `problems`, no fault of the page.
 */
export const SERVER_GONE_LINE =
  /^Failed to load resource: (net::ERR_CONNECTION_REFUSED|net::ERR_INCOMPLETE_CHUNKED_ENCODING|net::ERR_EMPTY_RESPONSE|the server responded with a status of 401 \(Unauthorized\))$|^HTTP 401 for /;

/** The toasts on screen, to find one by what it says: the live region that reads it out holds the same words. */
export const shownToasts = (page: Page) => page.getByTestId('toasts');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // Let fades and image decodes settle so the picture shows what a person would see.
  await page.waitForTimeout(400);
  await page.screenshot({ path });
  return path;
}

/** Drops folders on the window the way a file manager does: file:// URLs in text/uri-list. */
export async function dropFolders(page: Page, folders: string[]): Promise<void> {
  const uris = folders.map((folder) => 'file://' + folder.split('/').map(encodeURIComponent).join('/'));
  // A function, not a string: the page's CSP forbids evaluating strings, and the test must not weaken it.
  await page.evaluate((uriList: string) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs in the page, which has the DOM types
    const g = globalThis as any;
    const data = new g.DataTransfer();
    data.setData('text/uri-list', uriList);
    const target = g.document.querySelector('main');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new g.DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
    }
  }, uris.join('\r\n'));
}

export function tempLibrary(): string {
  return mkdtempSync(join(tmpdir(), 'familiar-e2e-library-'));
}

/** A folder beside `libraryDir` with photos 1 to `each` of every one of `people` in lfw_subset (<person>-<n>.jpg). */
export function lfwAlbum(libraryDir: string, people: readonly string[], each: number): string {
  const album = `${libraryDir}-album`;
  mkdirSync(album);
  for (const person of people) {
    for (let n = 1; n <= each; n++) copyFileSync(join(sharedFaces, 'lfw_subset', person, `${person}_${String(n).padStart(4, '0')}.jpg`), join(album, `${person}-${n}.jpg`));
  }
  return album;
}

/** The end of a run that stops and starts its own server: the browser closed, the server stopped, `dirs` deleted. */
export async function closeRun(browser: Browser | undefined, served: Served | undefined, dirs: Array<string | undefined>): Promise<void> {
  try {
    await browser?.close();
  } finally {
    await served?.stop();
    for (const dir of dirs) if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Imports `paths` through the served engine (apiClient) and waits until the import is no longer running. */
export async function importAndWait(api: ReturnType<typeof apiClient>, paths: string[]): Promise<void> {
  const { jobId } = await api<{ jobId: string }>('import.start', { paths });
  for (;;) {
    const jobs = await api<Array<{ id: string; state: string }>>('jobs.list');
    if (jobs.find((j) => j.id === jobId)?.state !== 'running') return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface CropThumbLibrary {
  libraryDir: string;
  /** The face-api.js crops of ../shared/faces: real faces, the same order every run. */
  crops: string[];
  /** Empty, for the photos, faces and people the test gives its FakeEngine. */
  state: FakeState;
  /** Gives a FakeEngine face crop `i` as its thumbnail (the library's thumbs/<faceId>.webp, a link to it). */
  showCrop(faceId: string, i: number): void;
}

/** A temporary library holding each face-api.js crop once as a thumbnail, for a FakeEngine's faces to link to. */
export async function cropThumbLibrary(): Promise<CropThumbLibrary> {
  const libraryDir = tempLibrary();
  const thumbsDir = join(libraryDir, 'thumbs');
  mkdirSync(thumbsDir, { recursive: true });
  const root = join(sharedFaces, 'face-api.js');
  const crops = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .flatMap((d) => readdirSync(join(root, d.name)).map((file) => join(root, d.name, file)))
    .sort();
  for (const [i, crop] of crops.entries()) await sharp(crop).resize(160, 160).webp().toFile(join(thumbsDir, `crop-${i}.webp`));
  return {
    libraryDir,
    crops,
    state: { photos: [], faces: [], people: [] },
    showCrop: (faceId, i) => symlinkSync(`crop-${i % crops.length}.webp`, join(thumbsDir, `${faceId}.webp`)),
  };
}

export interface SignedIn {
  browser: Browser;
  page: Page;
  /** Closes the browser, stops the server and deletes the library (and the folders given to remove with it). */
  close(): Promise<void>;
}

/**
 * A browser signed in to `url` (its first visit carries the token that sets the session cookie), once `prepare` has
 * run. Its close() also stops the server and deletes `dirs`; so does a failure on the way, before it is thrown.
 */
async function signIn(url: string, stopServer: () => Promise<void>, dirs: string[], prepare?: () => Promise<void>): Promise<SignedIn> {
  let browser: Browser | undefined;
  const close = async () => {
    try {
      await browser?.close();
    } finally {
      await stopServer();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    await prepare?.();
    browser = await launchBrowser();
    await browser.page.goto(url);
  } catch (error) {
    await close();
    throw error;
  }
  return { browser, page: browser.page, close };
}

export interface ServedInBrowser extends Omit<Served, 'stop'>, SignedIn {
  api: ReturnType<typeof apiClient>;
}

/**
 * `familiar serve` on `libraryDir`, `prepare` run through its API (an import, names), then a browser signed in to it.
 * `alsoRemove`: folders made for the run (an album beside the library) that close() deletes with the library.
 */
export async function serveInBrowser(
  libraryDir: string,
  options: { prepare?: (api: ReturnType<typeof apiClient>) => Promise<void>; alsoRemove?: string[] } = {},
): Promise<ServedInBrowser> {
  const dirs = [libraryDir, ...(options.alsoRemove ?? [])];
  await ensureRendererBuilt();
  const { stop, ...served } = await startServe(libraryDir).catch((error: unknown) => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const api = apiClient(served);
  const signedIn = await signIn(served.url, stop, dirs, options.prepare && (() => options.prepare!(api)));
  return { ...served, api, ...signedIn };
}

export interface FakeServed extends SignedIn {
  server: RunningServer;
}

/**
 * The real HTTP server in front of a scripted FakeEngine, with thumbnails from `libraryDir` and each photo's file from
 * `photoPaths`, and a browser already signed in to it.
 */
export async function serveFakeEngine(
  engine: FakeEngine,
  libraryDir: string,
  options: { photoPaths: (photoId: string) => string[]; generated?: GeneratedImages },
): Promise<FakeServed> {
  await ensureRendererBuilt();
  const images = new ImageSource({ libraryDir, photoPaths: options.photoPaths, generated: options.generated ?? new GeneratedImages() });
  const server = await startServer({ port: 0, rendererDir: join(repoRoot, 'dist', 'renderer'), dispatcher: engine.dispatcher, images, events: engine.events });
  return { server, ...(await signIn(server.url, () => server.close(), [libraryDir])) };
}
