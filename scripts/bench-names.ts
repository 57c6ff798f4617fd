// How long names take to leave and enter Familiar as XMP face regions, at family-album scale:
//   npm run bench:names [-- --photos 2000,20000]
//
// A library of N photos (one real 250x250 JPEG from ../shared/faces/lfw_subset hard-linked N times, 1,000 to a
// folder), two faces each, 200 named people. Measured:
//   export       familiar names export, first run: a sidecar written beside every photo
//   re-export    the same again: every sidecar read, parsed and found up to date, none written
//   import       a second library of the same photos with no names reads every sidecar (and walks each JPEG's
//                metadata segments for embedded XMP) and names all 2N faces in one decision
//   Picasa       the sidecars gone, the same faces tagged in a .picasa.ini a folder (main/people/picasa-names.ts):
//                a third library reads them and names all 2N faces
// Baseline in the same run: the file system alone, writing the same sidecar bytes to the same N paths and
// reading them back with the first 64 KB of each photo, so the figures show what parsing, building and matching
// add on top of the disk.
import { link, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportNamesToXmp, importNamesFromOtherApps, sidecarPathFor } from '../main/people/xmp-names.js';
import { Library } from '../main/store/library.js';
import type { FaceRecord, PhotoRecord } from '../main/store/types.js';
import { sharedFacesDir } from '../tests/helpers/shared-faces.js';

const listArg = (name: string, fallback: string): number[] => {
  const i = process.argv.indexOf(name);
  return (i >= 0 ? process.argv[i + 1] : fallback).split(',').map(Number);
};
const sizes = listArg('--photos', '2000,20000');
const PEOPLE = 200;
const PER_FOLDER = 1000;
const source = join(sharedFacesDir(), 'lfw_subset', 'George_W_Bush', 'George_W_Bush_0001.jpg');

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - started) / 1000 };
}

async function makeLibrary(dir: string, photoPaths: string[], named: boolean): Promise<Library> {
  const library = await Library.open(dir);
  const rows = await library.appendVectors(Array.from({ length: photoPaths.length * 2 }, () => new Float32Array(library.info.backboneDim).fill(0.1)));
  const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: `person-${i}`, name: `Person ${i}`, hidden: false, coverFaceId: null, createdAt: new Date(0).toISOString() }));
  const photos: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  photoPaths.forEach((path, i) => {
    const id = i.toString(16).padStart(16, '0').padEnd(64, 'a');
    const faceIds = [0, 1].map((k) => `${id.slice(0, 16)}-${k}`);
    photos.push({ id, paths: [path], missing: false, width: 250, height: 250, orientation: 1, takenAt: null, bytes: 0, format: 'jpeg', analysis: null, faceIds });
    faceIds.forEach((faceId, k) =>
      faces.push({
        id: faceId,
        photoId: id,
        box: [30 + k * 110, 50, 80, 95],
        score: 0.99,
        landmarks: [],
        vectorRow: rows[i * 2 + k],
        personId: named ? `person-${(i * 2 + k) % PEOPLE}` : null,
        assignedBy: named ? 'user' : null,
        rejectedPersonIds: [],
        faceness: null,
        thumb: '',
      }),
    );
  });
  await library.transaction((tx) => {
    if (named) tx.people.people.push(...people);
    tx.photos.push(...photos);
    tx.faces.push(...faces);
  });
  return library;
}

const rate = (n: number, seconds: number) => `${Math.round(n / seconds).toLocaleString('en-US')} photos/s`;
const row = (label: string, seconds: number, n: number, baseline?: number) =>
  console.log(`${label.padEnd(34)} ${seconds.toFixed(2).padStart(7)} s  ${rate(n, seconds).padStart(16)}${baseline ? `  ${(seconds / baseline).toFixed(1)}x the file system alone` : ''}`);

for (const n of sizes) {
  const work = await mkdtemp(join(tmpdir(), 'familiar-bench-names-'));
  try {
    const paths: string[] = [];
    for (let i = 0; i < n; i++) {
      const folder = join(work, 'album', `folder-${Math.floor(i / PER_FOLDER)}`);
      if (i % PER_FOLDER === 0) await mkdir(folder, { recursive: true });
      const path = join(folder, `photo-${i}.jpg`);
      await link(source, path);
      paths.push(path);
    }
    const named = await makeLibrary(join(work, 'named'), paths, true);
    const exported = await timed(() => exportNamesToXmp(named));
    const again = await timed(() => exportNamesToXmp(named));
    await named.close();
    if (exported.value.written !== n || again.value.unchanged !== n) throw new Error(`export wrote ${exported.value.written}, re-export found ${again.value.unchanged} up to date, of ${n}`);

    const fresh = await makeLibrary(join(work, 'fresh'), paths, false);
    const imported = await timed(() => importNamesFromOtherApps(fresh));
    await fresh.close();
    if (imported.value.facesNamed !== 2 * n) throw new Error(`import named ${imported.value.facesNamed} of ${2 * n} faces`);

    // The baseline's bytes (below), read before the sidecars go.
    const text = await readFile(sidecarPathFor(paths[0]), 'utf8');
    // Picasa: the sidecars gone, each folder's faces in its .picasa.ini, the contacts named in it as Picasa 3.9 did.
    for (const p of paths) await rm(sidecarPathFor(p));
    const fraction = (v: number) => Math.round((v / 250) * 65535).toString(16).padStart(4, '0');
    const rect64 = (k: number) => `rect64(${[30 + k * 110, 50, 30 + k * 110 + 80, 50 + 95].map(fraction).join('')})`;
    const contactId = (person: number) => (person + 1).toString(16).padStart(16, '0');
    const contacts = ['[Contacts2]', ...Array.from({ length: PEOPLE }, (_, person) => `${contactId(person)}=Person ${person};;`)];
    for (let start = 0; start < n; start += PER_FOLDER) {
      const sections = paths.slice(start, start + PER_FOLDER).flatMap((path, j) => {
        const i = start + j;
        return [`[${path.split('/').at(-1)}]`, `faces=${[0, 1].map((k) => `${rect64(k)},${contactId((i * 2 + k) % PEOPLE)}`).join(';')}`];
      });
      await writeFile(join(work, 'album', `folder-${start / PER_FOLDER}`, '.picasa.ini'), [...contacts, ...sections, ''].join('\r\n'));
    }
    const picasa = await makeLibrary(join(work, 'picasa'), paths, false);
    const fromPicasa = await timed(() => importNamesFromOtherApps(picasa));
    await picasa.close();
    if (fromPicasa.value.facesNamed !== 2 * n) throw new Error(`Picasa's files named ${fromPicasa.value.facesNamed} of ${2 * n} faces`);

    // Baseline: the same bytes to the same paths, and back, with no XMP work at all.
    const writeBase = await timed(async () => {
      for (const p of paths) await writeFile(`${p}.base.xmp`, text);
    });
    const readBase = await timed(async () => {
      const head = Buffer.alloc(64 * 1024);
      for (const p of paths) {
        await readFile(`${p}.base.xmp`, 'utf8');
        const handle = await open(p, 'r');
        await handle.read(head, 0, head.length, 0);
        await handle.close();
      }
    });

    console.log(`\n=== ${n.toLocaleString('en-US')} photos, ${(2 * n).toLocaleString('en-US')} faces, ${PEOPLE} named people ===`);
    row('export (sidecar beside each photo)', exported.seconds, n, writeBase.seconds);
    row('re-export (all up to date)', again.seconds, n, readBase.seconds);
    row('import into a fresh library', imported.seconds, n, readBase.seconds);
    row("import from Picasa's .picasa.ini", fromPicasa.seconds, n, readBase.seconds);
    row('baseline: write the same bytes', writeBase.seconds, n);
    row('baseline: read them + 64 KB of photo', readBase.seconds, n);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
