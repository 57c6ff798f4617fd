// Every kind of bad file the issue lists, generated here: each is skipped with a clear reason (or, for images
// with a misleading extension, imported by content), the import goes on and nothing stored before is lost.
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import type { ImportSummary } from '../../../main/library/import.js';
import { CountingAnalyzer, sharedFaces } from './helpers.js';

const runningAsRoot = process.getuid?.() === 0;

let pool: AnalysisPool;
let work: string;
let album: string;
let libraryDir: string;
let summary: ImportSummary;
let engine: Engine;
let facesBefore: string[];

const reasonFor = (name: string) => summary.skipped.find((s) => s.path.endsWith(name))?.reason;

beforeAll(async () => {
  pool = await AnalysisPool.create({ size: 2 });
  work = await mkdtemp(join(tmpdir(), 'familiar-bad-'));
  album = join(work, 'album');
  libraryDir = join(work, 'library');
  const good = join(sharedFaces, 'face_recognition', 'obama', 'obama_small.jpg');
  const goodBytes = await readFile(good);

  // A library that already holds a photo: nothing below may damage it.
  await mkdir(join(work, 'first'), { recursive: true });
  await copyFile(join(sharedFaces, 'face_recognition', 'biden', 'biden.jpg'), join(work, 'first', 'biden.jpg'));
  engine = await Engine.open(libraryDir, { analyzer: new CountingAnalyzer(pool) });
  await engine.import([join(work, 'first')]);
  facesBefore = engine.library.faces.map((f) => f.id);

  await mkdir(join(album, 'sub'), { recursive: true });
  await copyFile(good, join(album, 'good.jpg'));
  await writeFile(join(album, 'truncated.jpg'), goodBytes.subarray(0, Math.floor(goodBytes.length * 0.4)));
  await writeFile(join(album, 'empty.jpg'), '');
  const rose = sharp(join(sharedFaces, 'face_recognition', 'rose_leslie', 'img1.jpg'));
  await writeFile(join(album, 'really-png.jpg'), await rose.clone().png().toBuffer());
  await writeFile(join(album, 'really-webp.jpg'), await rose.clone().webp().toBuffer());
  await writeFile(join(album, 'notes.jpg'), 'These are not the pixels you are looking for.\n');
  const solid = { width: 8000, height: 8000, channels: 3 as const, background: { r: 90, g: 120, b: 150 } };
  await sharp({ create: solid }).png({ compressionLevel: 1 }).toFile(join(album, 'huge-64mp.png'));
  await sharp({ create: solid }).jpeg({ quality: 50 }).toFile(join(album, 'huge-64mp.jpg'));
  // A file that cannot be read. chmod 000 stops every user but root; as root (CI containers) the test uses a named
  // pipe with an image name instead, the other kind of path whose content cannot be read as a file.
  if (runningAsRoot) {
    execFileSync('mkfifo', [join(album, 'unreadable.jpg')]);
  } else {
    await copyFile(good, join(album, 'unreadable.jpg'));
    await chmod(join(album, 'unreadable.jpg'), 0o000);
  }
  await symlink(album, join(album, 'sub', 'loop')); // a folder cycle
  await symlink(join(album, 'self-loop.jpg'), join(album, 'self-loop.jpg')); // a link to itself
  await mkdir(join(album, 'vanishing'));
  await copyFile(good, join(album, 'vanishing', 'gone.jpg'));

  summary = await engine.import([album], {
    scan: {
      beforeListing: async (dir) => {
        if (dir === join(album, 'vanishing')) await rm(dir, { recursive: true }); // vanishes mid-scan
      },
    },
  });
}, 600_000);

afterAll(async () => {
  await engine?.close();
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('bad input', () => {
  it('skips a truncated JPEG', () => {
    expect(reasonFor('truncated.jpg')).toMatch(/damaged image/);
  });

  it('skips a zero-byte file', () => {
    expect(reasonFor('empty.jpg')).toBe('empty file (0 bytes)');
  });

  it('imports a .jpg that is really PNG or WebP, read by its content', () => {
    const formats = engine.library.photos.filter((p) => p.paths[0].includes('really-')).map((p) => p.format).sort();
    expect(formats).toEqual(['png', 'webp']);
    expect(reasonFor('really-png.jpg')).toBeUndefined();
  });

  it('skips a text file named .jpg as not an image', () => {
    expect(reasonFor('notes.jpg')).toMatch(/^not an image/);
  });

  it('reads a 64 MP JPEG downscaled and refuses a 64 MP PNG with the reason', () => {
    const jpeg = engine.library.photos.find((p) => p.paths[0].endsWith('huge-64mp.jpg'));
    expect(jpeg).toMatchObject({ width: 8000, height: 8000, faceIds: [] });
    expect(reasonFor('huge-64mp.png')).toMatch(/image too large: 8000x8000 PNG is 64\.0 megapixels, over the 50 MP limit/);
  });

  it(`skips a file that cannot be read (${runningAsRoot ? 'a named pipe, since root reads any file' : 'chmod 000'})`, () => {
    expect(reasonFor('unreadable.jpg')).toMatch(runningAsRoot ? /not a regular file/ : /permission denied/);
  });

  it('survives symlink loops', () => {
    expect(reasonFor('self-loop.jpg')).toMatch(/too many levels of symbolic links/);
    const good = engine.library.photos.filter((p) => p.paths.some((path) => path.endsWith('good.jpg')));
    expect(good).toHaveLength(1); // the folder cycle did not import the album twice
    expect(good[0].paths).toEqual([join(album, 'good.jpg')]);
  });

  it('reports a folder that vanished mid-scan', () => {
    expect(reasonFor('vanishing')).toBe('folder skipped: it vanished during the scan');
  });

  it('imports the good files and loses nothing stored before', () => {
    expect(summary.photos).toBe(4); // good, really-png, really-webp, huge-64mp.jpg
    expect(summary.skipped).toHaveLength(7);
    for (const id of facesBefore) expect(engine.library.face(id)).toBeDefined();
    expect(engine.library.photos).toHaveLength(5);
    expect(engine.library.faces.length).toBe(engine.library.vectorRows);
  });
});
