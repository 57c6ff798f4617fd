// The desktop app as electron-builder packs it: a review found electron-builder 25.1.8 leaving @tensorflow/tfjs-core
// nested under @tensorflow/tfjs in app.asar, where tfjs-backend-wasm and face-api could not find it, so every import
// of a packaged build failed ("Cannot find module '@tensorflow/tfjs-core'"), and the archive carried 208 MB of source
// maps. Here the project is packed for real (a Linux directory build; a stand-in for the Electron binary, which cannot
// be downloaded here, and no fuses), and the compiled CLI imports real photos from the archive's own layout, run as
// bin/familiar.js runs it and as the app's own entry runs it when started with a command.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceApiModelFiles } from '../../../models/faceapi.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';

/** A PNG's size, from its IHDR chunk. */
function imageSize(path: string): { width: number; height: number } {
  const head = readFileSync(path).subarray(0, 24);
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

const root = resolve(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
const builderRequire = createRequire(require.resolve('electron-builder'));
const asar = builderRequire('@electron/asar') as { extractAll(archive: string, dest: string): void; listPackage(archive: string, options: object): string[] };

let dir: string;
let resources: string;
/** app.asar's files laid out as the app reads them: the archive, with app.asar.unpacked's native addons over it. */
let app: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-packed-'));
  const electronDist = join(dir, 'electron-dist');
  mkdirSync(join(electronDist, 'resources'), { recursive: true });
  mkdirSync(join(electronDist, 'locales'));
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  writeFileSync(join(electronDist, 'LICENSE'), '');
  const noFuses = join(dir, 'after-pack.cjs');
  writeFileSync(noFuses, 'module.exports = async () => {};\n');
  const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
  execFileSync(
    process.execPath,
    [cli, '--linux', 'dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.afterPack=${noFuses}`, '-c.npmRebuild=false', `-c.directories.output=${join(dir, 'out')}`],
    { cwd: root, stdio: 'pipe', env: { ...process.env, ELECTRON_BUILDER_CACHE: join(dir, 'cache') } },
  );
  resources = join(dir, 'out', 'linux-unpacked', 'resources');
  app = join(dir, 'app');
  asar.extractAll(join(resources, 'app.asar'), app);
  execFileSync('cp', ['-a', `${join(resources, 'app.asar.unpacked')}/.`, app]);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * The app's entry, dist/main/electron/main.js, with a stand-in for Electron's module beside it: what its main process
 * has in a packaged app (the binary's argv, no script in it; resourcesPath; isPackaged), and an exit that ends the
 * process. Nothing of the window is there to be called.
 */
function appEntry(): string {
  const stub = join(app, 'node_modules', 'electron');
  if (!existsSync(stub)) {
    mkdirSync(stub);
    writeFileSync(
      join(stub, 'index.js'),
      [
        'process.argv.splice(1, 1);',
        'process.resourcesPath = process.env.STUB_RESOURCES_PATH;',
        'exports.app = { isPackaged: true, disableHardwareAcceleration() {}, on() {}, exit(code) { process.exit(code); } };',
        // Named one by one: Node finds a CommonJS module's named exports only written out.
        ...['dialog', 'Menu', 'shell', 'BrowserWindow', 'screen', 'ipcMain', 'protocol', 'session'].map((name) => `exports.${name} = {};`),
      ].join('\n'),
    );
  }
  return join(app, 'dist', 'main', 'electron', 'main.js');
}

/** The app's environment: the weights are found where it announces them (FAMILIAR_MODELS_DIR unset), beside the archive. */
function appEnv(): NodeJS.ProcessEnv {
  const { FAMILIAR_MODELS_DIR: _, ...env } = process.env;
  return { ...env, STUB_RESOURCES_PATH: resources, NODE_PATH: '' };
}

describe('the packed desktop app', () => {
  it('finds faces with the modules and weights it ships, laid out as in app.asar', () => {
    const photos = join(dir, 'photos');
    mkdirSync(photos);
    for (const name of ['Abdullah_Gul_0001.jpg', 'Abdullah_Gul_0002.jpg']) copyFileSync(join(sharedFacesDir(), 'lfw_subset', 'Abdullah_Gul', name), join(photos, name));
    // An iPhone's format too: its decoder (libheif's WebAssembly, main/library/heic.ts) ships in the archive.
    execFileSync('heif-enc', ['-q', '90', '-o', join(photos, 'IMG_0003.HEIC'), join(sharedFacesDir(), 'lfw_subset', 'Abdullah_Gul', 'Abdullah_Gul_0001.jpg')], { stdio: 'pipe' });
    const said = execFileSync(process.execPath, [join(app, 'dist', 'main', 'cli', 'index.js'), 'import', photos, '--library', join(dir, 'library'), '--no-watch'], {
      cwd: dir,
      encoding: 'utf8',
      // As main/electron/app.ts sets it in a packaged app; and no node_modules of the checkout on the way.
      env: { ...process.env, FAMILIAR_MODELS_DIR: join(resources, 'models'), NODE_PATH: '' },
    });
    expect(said).toMatch(/Imported 3 photos .*: 3 faces found/);
  });

  it('runs a command given to the app itself, as the deb\'s /usr/bin/familiar or an AppImage passes it', () => {
    const photos = join(dir, 'photos-for-the-app');
    mkdirSync(photos);
    for (const name of ['Abdullah_Gul_0001.jpg', 'Abdullah_Gul_0002.jpg']) copyFileSync(join(sharedFacesDir(), 'lfw_subset', 'Abdullah_Gul', name), join(photos, name));
    const said = execFileSync(process.execPath, [appEntry(), '--no-sandbox', 'import', photos, '--library', join(dir, 'library-of-the-app'), '--no-watch'], {
      cwd: dir,
      encoding: 'utf8',
      env: appEnv(),
    });
    expect(said).toMatch(/Imported 2 photos .*: 2 faces found/);
  });

  it('dies of Ctrl-C when it stops a command it runs, once it has cleaned up, so a shell script running it stops too', async () => {
    const photos = join(dir, 'photos-to-stop');
    mkdirSync(photos);
    for (const person of ['Abdullah_Gul', 'Abel_Aguilar', 'Adrien_Brody']) {
      for (const name of readdirSync(join(sharedFacesDir(), 'lfw_subset', person)).slice(0, 4)) copyFileSync(join(sharedFacesDir(), 'lfw_subset', person, name), join(photos, name));
    }
    const library = join(dir, 'library-stopped');
    const child = spawn(process.execPath, [appEntry(), 'import', photos, '--library', library, '--no-watch'], { cwd: dir, env: appEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    child.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
    await expect.poll(() => said, { timeout: 60_000 }).toMatch(/files/);
    child.kill('SIGINT');
    expect(await ended).toEqual({ code: null, signal: 'SIGINT' });
    expect(said).toMatch(/Stopping after the current step/);
    expect(existsSync(join(library, '.lock'))).toBe(false);
  });

  it("has Familiar's icon: the picture electron-builder makes each platform's from, and the Linux window's", () => {
    const icon = join(root, 'assets', 'icon.png');
    const { width, height } = imageSize(icon);
    // electron-builder needs 512 px and up for macOS's .icns, 256 for Windows' .ico.
    expect([width, height]).toEqual([1024, 1024]);
    // main/electron/app.ts finds it three folders up from dist/main/electron.
    expect(existsSync(join(app, 'dist', 'main', 'electron', '..', '..', '..', 'assets', 'icon.png'))).toBe(true);
  });

  it('ships the face-api weights the app loads, once, beside the archive', () => {
    const weights = readdirSync(join(resources, 'models', 'face-api'));
    for (const file of faceApiModelFiles()) expect(weights).toContain(file);
    expect(existsSync(join(app, 'node_modules', '@vladmandic', 'face-api', 'model'))).toBe(false);
  });

  it('leaves out what Node never loads: source maps and tfjs browser bundles', () => {
    const files = asar.listPackage(join(resources, 'app.asar'), {});
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /@tensorflow\/[^/]+\/dist\/(miniprogram\/|[^/]+\.(min|es2017|fesm)\.js$)/.test(f))).toEqual([]);
    // The compiled app and tfjs's Node entry points are there.
    expect(files).toContain('/dist/main/electron/main.js');
    expect(files).toContain('/node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js');
    // libheif-js: the build with its WebAssembly embedded, not its other three.
    expect(files).toContain('/node_modules/libheif-js/libheif-wasm/libheif-bundle.js');
    expect(files.filter((f) => f.startsWith('/node_modules/libheif-js/') && /\.(wasm|mjs)$|\/libheif\/libheif\.js$/.test(f))).toEqual([]);
    // 325 MB before the maps and bundles were left out.
    expect(statSync(join(resources, 'app.asar')).size).toBeLessThan(120 * 1024 * 1024);
  });
});
