// "Mark a missed face": does a box drawn around a face the import missed find it, and does a box drawn where there is
// no face stay the box as drawn (FaceRecord.undetected), joining no one? Benchmark on ../shared/faces (docs/models.md,
// "A face the user marks"):
//   npm run bench:drawn-faces [-- --people 30]
//
// Faces the import misses are made from lfw_subset photos: dimmed to 15 % of their light, turned 45, 60 and 90
// degrees, and eyes covered by a dark bar. A copy of each is imported; a box (75,65,100,115, loose around an lfw
// face) is drawn on every copy whose face the import missed. Boxes on no face: four corners of each plain lfw photo
// (background, shoulders) and 18 boxes of three sizes on each of compreface's photos without faces. Printed: how many
// missed faces the boxes find, how many boxes on no face the detector takes for a face (each one's detector score and
// landmark fit), and how many of the boxes kept as drawn joined a person.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Engine } from '../main/engine.js';
import type { FaceRecord } from '../main/store/types.js';
import { landmarkFitResidual } from '../models/aligner.js';
import type { Box, Point } from '../models/types.js';

const { values } = parseArgs({ options: { people: { type: 'string', default: '30' } } });
const shared = resolve(import.meta.dirname, '..', '..', 'shared', 'faces');
const lfw = join(shared, 'lfw_subset');
const fit = (face: FaceRecord) => {
  const points: Point[] = [];
  for (let i = 0; i < face.landmarks.length; i += 2) points.push([face.landmarks[i], face.landmarks[i + 1]]);
  return landmarkFitResidual(points);
};

const work = mkdtempSync(join(tmpdir(), 'familiar-bench-drawn-'));
try {
  const album = join(work, 'album');
  mkdirSync(album);
  const people = readdirSync(lfw, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && readdirSync(join(lfw, d.name)).length > 2)
    .map((d) => d.name)
    .sort()
    .slice(20, 20 + Number(values.people));
  const bar = await sharp({ create: { width: 110, height: 28, channels: 3, background: '#111' } }).png().toBuffer();
  for (const [n, person] of people.entries()) {
    const file = join(lfw, person, readdirSync(join(lfw, person)).sort()[1]);
    for (const angle of [45, 60, 90]) await sharp(file).rotate(angle, { background: '#777' }).resize(250, 250, { fit: 'cover' }).toFile(join(album, `turned${angle}-${n}.jpg`));
    await sharp(file).composite([{ input: bar, left: 70, top: 100 }]).toFile(join(album, `eyes-${n}.jpg`));
    await sharp(file).linear(0.15, 10).toFile(join(album, `dimmed-${n}.jpg`));
    copyFileSync(file, join(album, `plain-${n}.jpg`));
  }
  const noFaces = join(shared, 'compreface', '_no_faces');
  for (const file of readdirSync(noFaces)) copyFileSync(join(noFaces, file), join(album, `noface-${file}`));

  const engine = await Engine.open(join(work, 'library'));
  try {
    const started = performance.now();
    await engine.import([album]);
    console.log(`imported ${engine.library.photos.length} photos in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const tries = { missed: new Map<string, { found: number; of: number }>(), noFace: 0, added: [] as string[], keptJoined: [] as string[] };
    const seconds: number[] = [];
    const draw = async (photoId: string, box: Box) => {
      const t = performance.now();
      try {
        const result = await engine.addDrawnFace(photoId, box);
        return result.added ? engine.library.face(result.faceId)! : null;
      } catch {
        return null;
      } finally {
        seconds.push((performance.now() - t) / 1000);
      }
    };
    for (const photo of engine.library.photos) {
      const name = photo.paths[0].split('/').pop()!;
      const kind = name.split('-')[0];
      if (kind === 'plain') {
        for (const box of [[0, 170, 80, 80], [170, 170, 80, 80], [0, 0, 70, 80], [180, 0, 70, 80]] as Box[]) {
          tries.noFace++;
          const face = await draw(photo.id, box);
          if (face && !face.undetected) tries.added.push(`${name} ${box.join(',')}: score ${face.score.toFixed(2)}, fit ${fit(face).toFixed(2)}`);
          if (face?.undetected && face.personId) tries.keptJoined.push(`${name} ${box.join(',')}`);
        }
      } else if (kind === 'noface') {
        for (const share of [0.1, 0.15, 0.3]) for (const cx of [0.25, 0.5, 0.75]) for (const cy of [0.3, 0.6]) {
          const side = Math.min(photo.width, photo.height) * share;
          const box: Box = [photo.width * cx - side / 2, photo.height * cy - side / 2, side, side * 1.2];
          tries.noFace++;
          const face = await draw(photo.id, box);
          if (face && !face.undetected) tries.added.push(`${name} ${box.map(Math.round).join(',')}: score ${face.score.toFixed(2)}, fit ${fit(face).toFixed(2)}`);
          if (face?.undetected && face.personId) tries.keptJoined.push(`${name} ${box.map(Math.round).join(',')}`);
        }
      } else if (engine.library.facesOfPhoto(photo.id).length === 0) {
        const tally = tries.missed.get(kind) ?? { found: 0, of: 0 };
        tally.of++;
        const face = await draw(photo.id, [75, 65, 100, 115]);
        if (face && !face.undetected) tally.found++;
        tries.missed.set(kind, tally);
      }
    }
    const found = [...tries.missed.values()].reduce((n, t) => n + t.found, 0);
    const of = [...tries.missed.values()].reduce((n, t) => n + t.of, 0);
    console.log(`faces the import missed, found by a box drawn around them: ${found} of ${of}`);
    for (const [kind, t] of tries.missed) console.log(`  ${kind.padEnd(10)} ${t.found} of ${t.of}`);
    console.log(`boxes drawn on no face that the detector took for a face: ${tries.added.length} of ${tries.noFace}`);
    for (const line of tries.added) console.log(`  ${line}`);
    console.log(`boxes drawn on no face, kept as drawn, that joined a person: ${tries.keptJoined.length}`);
    for (const line of tries.keptJoined) console.log(`  ${line}`);
    seconds.sort((a, b) => a - b);
    console.log(`time per box: median ${seconds[Math.floor(seconds.length / 2)].toFixed(2)} s, slowest ${seconds.at(-1)!.toFixed(2)} s (${engine.library.info.embedding.kind})`);
  } finally {
    await engine.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
