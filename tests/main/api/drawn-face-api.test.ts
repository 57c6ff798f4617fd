// "Mark a missed face" through the API (faces.addDrawn: the contract refuses malformed boxes before the engine sees
// them; the engine's refusals come back as one sentence) and through `familiar add-face`.
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../../preload/contract.js';
import { createApi, type Api } from '../../../main/api/index.js';
import { runCli as run } from '../cli/cli-process.js';
import { parseBox } from '../../../main/cli/commands/add-face.js';
import { sharedFaces } from '../library/helpers.js';

let dir: string;
let api: Api | null = null;
let libraryDir: string;
let album: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-drawn-api-'));
  album = join(dir, 'album');
  mkdirSync(album);
  copyFileSync(join(sharedFaces, 'lfw_subset', 'Colin_Powell', 'Colin_Powell_0001.jpg'), join(album, 'powell.jpg'));
  copyFileSync(join(sharedFaces, 'compreface', '_no_faces', '017_0.jpg'), join(album, 'landscape.jpg'));
  libraryDir = join(dir, 'library');
  api = await createApi({ libraryDir, mode: 'browser', log: () => {} });
  const started = await api.dispatcher.call('import.start', { paths: [album] });
  const job = await api.jobs.settled((started.result as { jobId: string }).jobId);
  if (job.state !== 'done') throw new Error(`import ${job.state}: ${job.error}`);
}, 600_000);

afterAll(async () => {
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function photoNamed(name: string) {
  const page = await api!.dispatcher.call('photos.list', { personIds: [], only: false, offset: 0, limit: 10 });
  const summary = (page.result as { photos: Array<{ id: string }> }).photos;
  for (const { id } of summary) {
    const detail = calls['photos.get'].result.parse((await api!.dispatcher.call('photos.get', { photoId: id })).result);
    if (detail.paths[0].endsWith(name)) return detail;
  }
  throw new Error(`no photo ${name}`);
}

describe('faces.addDrawn', () => {
  it('refuses malformed boxes and unknown photos before the engine looks', async () => {
    const powell = await photoNamed('powell.jpg');
    for (const box of [[10, 10, 50], [10, 10, -5, 50], [-1, 10, 50, 50], [10, 10, Number.NaN, 50], [10, 10, 50, Infinity], ['10', 10, 50, 50], null]) {
      const answer = await api!.dispatcher.call('faces.addDrawn', { photoId: powell.id, box });
      expect(answer.code, JSON.stringify(box)).toBe('invalid-argument');
    }
    expect((await api!.dispatcher.call('faces.addDrawn', { photoId: powell.id, box: [1, 2, 30, 40], extra: 1 })).code).toBe('invalid-argument');
    expect((await api!.dispatcher.call('faces.addDrawn', { photoId: 'f'.repeat(64), box: [1, 2, 30, 40] })).code).toBe('not-found');
    expect((await api!.dispatcher.call('faces.addDrawn', { photoId: powell.id, box: [1, 2, 5, 40] })).error).toMatch(/too small to hold a face/);
  });

  it('answers a box around a marked face with that face, and keeps a box it finds no face in as drawn, saying so', async () => {
    const powell = await photoNamed('powell.jpg');
    const [face] = powell.faces;
    const answer = await api!.dispatcher.call('faces.addDrawn', { photoId: powell.id, box: face.box });
    const drawn = calls['faces.addDrawn'].result.parse(answer.result);
    expect(drawn).toMatchObject({ added: false, description: 'That face was marked already.' });
    expect(drawn.face.id).toBe(face.id);

    const landscape = await photoNamed('landscape.jpg');
    const kept = calls['faces.addDrawn'].result.parse((await api!.dispatcher.call('faces.addDrawn', { photoId: landscape.id, box: [100, 100, 120, 140] })).result);
    expect(kept).toMatchObject({ added: true, undetected: true, description: "Added the face you marked. Familiar couldn't make out a face there itself, so it kept your box as you drew it." });
    expect(kept.face.box.map(Math.round)).toEqual([100, 100, 120, 140]);
    expect((await photoNamed('landscape.jpg')).faces.map((f) => f.id)).toEqual([kept.face.id]);
    // Refused only where no box can hold a face, saying what to do.
    const outside = await api!.dispatcher.call('faces.addDrawn', { photoId: landscape.id, box: [landscape.width + 10, 10, 120, 140] });
    expect(outside.code).toBe('invalid-argument');
    expect(outside.error).toMatch(/^The box lies outside the photo \(\d+ x \d+ pixels\): draw it on the photo, around the face\.$/);
  });
});


describe('familiar add-face', () => {
  it('reads boxes as four numbers and refuses anything else in one sentence', () => {
    expect(parseBox('10,20.5, 30,40')).toEqual([10, 20.5, 30, 40]);
    for (const bad of ['10,20,30', 'a,b,c,d', '10,,30,40']) expect(() => parseBox(bad)).toThrow(/--box must be four numbers/);
    expect(() => parseBox('-1,2,3,4')).toThrow(/left and top must be 0 or more/);
    expect(() => parseBox('10,20,30,0')).toThrow(/width and height above 0/);
    expect(() => parseBox(undefined)).toThrow(/give the face's box/);
  });

  it('says when a box holds a face already marked, and when it kept a box it found no face in, by photo path', async () => {
    await api!.close();
    api = null;
    const powell = join(album, 'powell.jpg');
    const marked = await run('add-face', powell, '--box', '60,60,130,130', '--library', libraryDir);
    expect(marked.err).toBe('');
    expect(marked.code).toBe(0);
    expect(marked.out).toMatch(/^That face was marked already: [0-9a-f]{16}-0 \[\d+, \d+, \d+, \d+\], in no group\.\n$/);

    const none = await run('add-face', join(album, 'landscape.jpg'), '--box', '300,100,120,140', '--library', libraryDir, '--json');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.out)).toMatchObject({ added: true, undetected: true, personId: null });

    const usage = await run('add-face', powell, '--library', libraryDir);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/--box left,top,width,height/);

    const json = await run('add-face', powell, '--box', '60,60,130,130', '--name', 'Colin Powell', '--library', libraryDir, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ added: false, personName: 'Colin Powell', named: expect.stringMatching(/Colin Powell/) });

    // The photo moved since the import: given as its new file, Familiar looks in that file (here, finding no face in
    // the corner, so keeping the box) instead of saying the photo is missing.
    const moved = join(dir, 'moved.jpg');
    renameSync(powell, moved);
    const corner = await run('add-face', moved, '--box', '0,170,80,80', '--library', libraryDir);
    expect(corner.err).toBe('');
    expect(corner.code).toBe(0);
    expect(corner.out).toMatch(/^Added face [0-9a-f]{16}-1 \[0, 170, 80, 80\], in no group\.\nFamiliar could not make out a face in that box itself, so it kept the box as you gave it\.\n$/);
  }, 400_000); // ~22 s in a loaded full run
});
