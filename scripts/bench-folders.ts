// What the Photos screen's folder view costs at scale (docs/architecture.md, "Renderer", the folder view):
//   npm run bench:folders [-- --photos 100000] [--folders 5000]
//
// Synthetic photo records, as an album of years of events: /album/<year>/<event>/IMG_n.jpg, a twentieth of them with
// a copy in a second folder; stored folder by folder, as an import stores them, and interleaved (each photo in
// another folder than the one before), the worst case. Timed (median of 5): the folder tree built from the photos'
// paths, which the engine does once per library revision (main/api/folders.ts), and its photos.folders answer as
// JSON; a year's photos with its events' in the grid's order (NewestFirst.placesWhere), first call after a change,
// then a later page. Baseline in the same run: the date order itself (NewestFirst), which the date view builds once
// per revision already; and the same order of the photos without their camera dates, copied files (their times all
// today) dated by what their paths state (main/api/photo-dates.ts): a third named as WhatsApp names them
// (IMG-20150612-WA0001.jpg), the rest by their folders' years, each worked out once per revision.
import { parseArgs } from 'node:util';
import { FolderTree } from '../main/api/folders.js';
import { PhotoDates } from '../main/api/photo-dates.js';
import { NewestFirst } from '../main/api/views.js';
import type { PhotoRecord } from '../main/store/types.js';
import { medianMs } from './timing.js';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '100000' }, folders: { type: 'string', default: '5000' } } });
const photoCount = Number(values.photos);
const folderCount = Number(values.folders);
const YEARS = 25;

const folderPath = (k: number) => `/album/${2000 + (k % YEARS)}/Event ${Math.floor(k / YEARS)}`;

function album(folderOf: (n: number) => number): PhotoRecord[] {
  const made: PhotoRecord[] = Array.from({ length: photoCount }, (_, n) => {
    const folder = folderOf(n);
    const paths = [`${folderPath(folder)}/IMG_${n}.jpg`];
    if (n % 20 === 0) paths.push(`${folderPath((folder + 7) % folderCount)}/IMG_${n} copy.jpg`);
    return {
      id: n.toString(16).padStart(64, '0'),
      paths,
      missing: false,
      width: 4000,
      height: 3000,
      orientation: 1,
      takenAt: new Date(Date.UTC(2000, 0, 1) + n * 3_600_000).toISOString(),
      bytes: 3_000_000,
      format: 'jpeg',
      analysis: null,
      faceIds: [],
    };
  });
  // Strings as the store has them, read from JSON.
  return JSON.parse(JSON.stringify(made));
}

/** The photos without their camera dates, as copies of today with messenger names or in year folders. */
function withoutCameraDates(photos: PhotoRecord[]): PhotoRecord[] {
  const copied = Date.now();
  const made = photos.map((photo, n) => {
    const day = photo.takenAt!.slice(0, 10).replaceAll('-', '');
    const paths = n % 3 === 0 ? photo.paths.map((path) => path.replace(/IMG_\d+/, `IMG-${day}-WA${String(n % 10000).padStart(4, '0')}`)) : photo.paths;
    return { ...photo, takenAt: null, paths, fileStamps: Object.fromEntries(paths.map((path) => [path, { size: 3_000_000, mtimeMs: copied }])) };
  });
  // Records as the store has them, read from JSON.
  return JSON.parse(JSON.stringify(made));
}

console.log(`| ${photoCount.toLocaleString('en')} photos, stored | folders | folder tree, once per revision | photos.folders answer | a year's photos with its events': first call / later page | baseline: the date order (NewestFirst) | the date order without camera dates, dated by their paths |`);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [layout, folderOf] of [
  ['folder by folder', (n: number) => Math.floor((n * folderCount) / photoCount)],
  ['interleaved', (n: number) => n % folderCount],
] as const) {
  const photos = album(folderOf);
  const library = { photos, facesOfPhoto: () => [] };
  const dateOrder = medianMs(() => new NewestFirst(library));
  const copies = { photos: withoutCameraDates(photos), facesOfPhoto: () => [] };
  const pathDateOrder = medianMs(() => new NewestFirst(copies, undefined, new PhotoDates(['/album'])));
  const building = medianMs(() => new FolderTree(photos, ['/album']));
  const tree = new FolderTree(photos, ['/album']);
  const answer = JSON.stringify(tree.folders);
  const serialising = medianMs(() => JSON.stringify(tree.folders));
  const year = tree.folders.find((f) => f.depth === 1)!;
  const orders = Array.from({ length: 5 }, () => new NewestFirst(library));
  const firstCall = medianMs(() => orders.pop()!.placesWhere(year.id, tree.holds(year.id, true)));
  const order = new NewestFirst(library);
  order.placesWhere(year.id, tree.holds(year.id, true));
  const laterPage = medianMs(() => order.placesWhere(year.id, tree.holds(year.id, true)).slice(1000, 1200).map((place) => order.photos[place]));
  console.log(
    `| ${layout} | ${tree.folders.length.toLocaleString('en')} | ${building.toFixed(0)} ms | ${(answer.length / 1e6).toFixed(2)} MB, ${serialising.toFixed(1)} ms to serialise | ` +
      `${firstCall.toFixed(1)} ms / ${(laterPage * 1000).toFixed(0)} µs (${year.total.toLocaleString('en')} photos) | ${dateOrder.toFixed(0)} ms | ${pathDateOrder.toFixed(0)} ms |`,
  );
}
