// `familiar names import` says how far it is, as `familiar import` does (QA: nothing at all over a large folder): on
// a log or a pipe a plain line every few seconds and at the end of each stage, with --json progress lines; a folder of
// sidecars (--from) is searched and each sidecar matched, said as it goes. Real photos from ../shared/faces.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../main/jobs/progress.js';
import { importFolders } from '../../../main/library/import.js';
import { sidecarPathFor } from '../../../main/people/xmp-names.js';
import { Library } from '../../../main/store/library.js';
import { makeAlbum } from '../library/helpers.js';
import { runCli } from './cli-process.js';

const PEOPLE = ['Colin_Powell', 'Tony_Blair'];
const ALBUM = Object.fromEntries(PEOPLE.flatMap((person) => [1, 2, 3, 4, 5].map((n) => [`${person}/${n}.jpg`, `lfw_subset/${person}/${person}_000${n}.jpg`])));
/** A sidecar another app wrote with no face region in it. */
const EMPTY_SIDECAR = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""/></rdf:RDF></x:xmpmeta>';

let work: string;
let libraryDir: string;
let sidecars: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-names-progress-'));
  const album = await makeAlbum(join(work, 'album'), ALBUM);
  libraryDir = join(work, 'library');
  const library = await Library.open(libraryDir);
  try {
    // Where the faces are is not the point here: the photos are read for their tags.
    await importFolders(library, async () => ({ size: 1, analyze: async () => [] }), 'names-progress-test', [album]);
  } finally {
    await library.close();
  }
  // Three sidecars in a folder mirroring the photos' paths, as an export to a folder writes them.
  sidecars = join(work, 'sidecars');
  for (const file of ['Colin_Powell/1.jpg', 'Colin_Powell/2.jpg', 'Tony_Blair/1.jpg']) {
    const path = sidecarPathFor(join(album, file), sidecars);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, EMPTY_SIDECAR);
  }
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('familiar names import progress', () => {
  it('prints plain lines on a log or a pipe, counting the photos read', async () => {
    const run = await runCli('names', 'import', '--library', libraryDir);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Reading the face tags other apps wrote: 0\/10 photos, ETA --:--$/m);
    expect(run.out).toMatch(/^Reading the face tags other apps wrote: 10\/10 photos(, [\d.]+ photos\/s)?, ETA 00:00$/m);
    expect(run.out).toContain('10 photos read, 0 with names');
  });

  it('says what it finds in a folder of sidecars, then matches each one, with --json as lines that reach their end', async () => {
    const run = await runCli('names', 'import', '--from', sidecars, '--library', libraryDir, '--json');
    expect(run.code).toBe(0);
    const lines = run.out.trim().split('\n').map((line) => JSON.parse(line) as JobProgress & { type: string });
    const progress = lines.filter((l) => l.type === 'progress');
    // The folders of sidecars counted as they are searched: never "found in 0 folders".
    const scan = progress.filter((p) => p.stage === 'scan').map((p) => p.message);
    expect(scan.at(-1)).toMatch(/^Looking for sidecars: 3 found in \d+ folders$/);
    expect(progress.filter((p) => p.stage === 'match').at(-1)).toMatchObject({ done: 3, total: 3, message: 'Matching the sidecars to photos' });
    expect(progress.filter((p) => p.stage === 'read').at(-1)).toMatchObject({ done: 10, total: 10 });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', photosRead: 10, fromFolder: { sidecars: 3, matchedByPath: 3 } });
  });
});
