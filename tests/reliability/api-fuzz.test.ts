// Security (issue 7, point 6), beyond the dispatcher and server tests (which fuzz against spies): hostile calls
// against the REAL engine on a real library, and hostile image refs against the real image source. Whatever is
// accepted may change the library (a person named "../../etc" is just a name), but nothing outside the library
// folder is created, changed or served, nothing is polluted, and the library reopens with nothing to repair.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../main/api/index.js';
import { Library } from '../../main/store/library.js';
import { callNames, type CallName } from '../../preload/contract.js';
import { hostileIds, hostileNames, hostilePaths } from '../preload/hostile-inputs.js';
import { validSamples } from '../preload/samples.js';
import { treeDigest } from './helpers/damage-cases.js';
import { invariantProblems, seededRandom, writeSyntheticLibrary } from './helpers/library-state.js';

let work: string;
let libraryDir: string;
let outside: string;
/** Where the samples' folders to write to (an export's, a copy's) point: never the machine's own /home. */
let writable: string;
let api: Api;
let outsideBefore: Map<string, string>;
const SECRET = 'SECRET-OUTSIDE-THE-LIBRARY';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-reliability-api-'));
  libraryDir = join(work, 'library');
  outside = join(work, 'outside');
  writable = await mkdtemp(join(tmpdir(), 'familiar-reliability-api-writes-'));
  await writeSyntheticLibrary(libraryDir, { people: 8, facesPerPerson: 6, named: 4, confirmedPerPerson: 3, rejectionsPerPerson: 1, noise: 0.5, spread: 0.8, seed: 4 });
  // Neighbours a traversal would reach: a secret next to the library, a thumbnail-named symlink to it.
  await mkdir(outside, { recursive: true });
  await writeFile(join(outside, 'secret.webp'), SECRET);
  await writeFile(join(work, 'secret.webp'), SECRET);
  const library = await Library.open(libraryDir);
  const thumb = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#456' } }).webp().toBuffer();
  await mkdir(join(libraryDir, 'thumbs'), { recursive: true });
  for (const face of library.faces.slice(0, 4)) await writeFile(join(libraryDir, 'thumbs', `${face.id}.webp`), thumb);
  await library.close();
  await symlink(join(outside, 'secret.webp'), join(libraryDir, 'thumbs', 'ffffffffffffffff-9.webp'));
  outsideBefore = await treeDigest(outside);
  api = await createApi({ libraryDir, mode: 'browser', log: () => {} });
}, 60_000);
afterAll(async () => {
  await api?.close();
  if (work) await rm(work, { recursive: true, force: true });
  if (writable) await rm(writable, { recursive: true, force: true });
});

describe('hostile input against the real engine', () => {
  it('answers 1,500 seeded hostile calls with a result or an error, touching nothing outside the library', async () => {
    const random = seededRandom(777);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const reader = await Library.open(libraryDir, { readOnly: true });
    const faceIds = reader.faces.map((f) => f.id);
    const personIds = reader.people.people.map((p) => p.id);
    const photoIds = reader.photos.map((p) => p.id);
    await reader.close();
    const atoms = [...hostileIds, ...hostilePaths, ...hostileNames, { __proto__: { isAdmin: true } }, JSON.parse('{"__proto__":{"polluted":1}}')];
    // Real ids in the valid samples, so calls get past validation and into the engine.
    const realise = (value: unknown): unknown => {
      if (typeof value === 'string') {
        if (/^p\d$/.test(value)) return pick(personIds);
        if (/^0123456789abcdef-\d$/.test(value)) return pick(faceIds);
        if (/^a{64}$/.test(value)) return pick(photoIds);
        if (value === '/home/ana/Pictures') return join(work, 'no-such-album');
        if (value.startsWith('/home/ana/')) return join(writable, value.slice('/home/ana/'.length));
        return value;
      }
      if (Array.isArray(value)) return value.map(realise);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, realise(v)]));
      return value;
    };
    // The synthetic library's photos are all missing from disk (their paths are made up), so the one valid form of
    // 'library.removeMissing' would forget the whole library the later tests read; its hostile forms are below.
    const skip = new Set<CallName>(['dialog.chooseFolders', 'library.removeMissing']);
    for (const atom of atoms) expect((await api.dispatcher.call('library.removeMissing', { path: atom })).code).toBe('invalid-argument');
    let answered = 0;
    let accepted = 0;
    for (let i = 0; i < 1500; i++) {
      const name = pick(callNames.filter((n) => !skip.has(n)));
      const sample = realise(validSamples[name]) as Record<string, unknown>;
      const keys = Object.keys(sample);
      const args = random() < 0.25 || keys.length === 0 ? sample : { ...sample, [pick(keys)]: pick(atoms) };
      const answer = await api.dispatcher.call(name, args);
      expect(answer.result !== undefined || typeof answer.code === 'string', `${name} ${JSON.stringify(args)?.slice(0, 200)}`).toBe(true);
      answered++;
      if (answer.error === undefined) accepted++;
    }
    expect(answered).toBe(1500);
    expect(accepted).toBeGreaterThan(100);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    for (const job of api.jobs.list()) api.jobs.cancel(job.id);
  }, 180_000);

  it('serves no image ref outside the library, however it is written', async () => {
    const random = seededRandom(4242);
    const reader = await Library.open(libraryDir, { readOnly: true });
    const faceId = reader.faces[0].id;
    await reader.close();
    const tricks = [
      '../',
      '..%2f',
      '%2e%2e%2f',
      '%252e%252e%252f',
      '..\\',
      '/',
      '\u0000',
      '%00',
      './',
      '//',
      join(work, 'secret'),
      '../../outside/secret',
      'ffffffffffffffff-9',
      '\u2025/',
      '..;/',
      '.%2e/',
    ];
    const bases = [`thumb/${faceId}`, 'thumb/', 'photo/', 'preview/', 'generated/', ''];
    let served = 0;
    for (let i = 0; i < 2000; i++) {
      const base = pick(bases);
      const parts = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(tricks));
      const at = Math.floor(random() * (base.length + 1));
      const ref = random() < 0.5 ? base.slice(0, at) + parts.join('') + base.slice(at) : base + parts.join('') + 'secret';
      const image = await api.images.get(ref);
      if (image) {
        served++;
        expect(image.body.toString('latin1'), ref).not.toContain(SECRET);
      }
    }
    expect(await api.images.get(`thumb/${faceId}`)).toBeDefined(); // the real ref still works
    expect(await api.images.get('thumb/ffffffffffffffff-9')).toBeUndefined(); // a symlink out of the library
    expect(served).toBeLessThan(2000);

    function pick<T>(xs: readonly T[]): T {
      return xs[Math.floor(random() * xs.length)];
    }
  });

  it('left everything outside the library as it was, and the library opens with nothing to repair', async () => {
    await api.close();
    expect(await treeDigest(outside)).toEqual(outsideBefore);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(work)).sort()).toEqual(['library', 'outside', 'secret.webp']);
    const library = await Library.open(libraryDir);
    try {
      expect(library.repairs).toEqual([]);
      expect(invariantProblems(library)).toEqual([]);
    } finally {
      await library.close();
    }
  }, 60_000);
});
