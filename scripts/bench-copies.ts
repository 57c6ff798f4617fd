// Resized and re-compressed copies (models/cluster/resized-copy.ts): how many copies of a photo are recognised as
// copies, and how many pairs of distinct photos of one person are taken for copies. Benchmark on ../shared/faces
// (docs/reliability.md, "Copies of a photo"):
//   npm run bench:copies -- [--people 40]
//
// Copies are made in a temporary folder, never beside the photos: of 3 photos each of `--people` lfw_subset people with
// ten photos, at half size (JPEG quality 75), at quality 50 and as WebP at 80 % of the size; of every photo of
// face_recognition and compreface (group photos too) and face-api.js's group photos, shrunk to 1024 pixels (quality
// 80, a shared export) and at quality 60. Positives: each copy with its photo and with the other copies of it, and
// face_recognition's obama-240p/480p/720p/1080p, one photograph at four sizes. Negatives: every other pair of photos of
// one person (lfw_subset's 1,680 photos among them, from the embeddings cache, and yalefaces' shots of one sitting),
// copies included; and the hash alone on every pair of lfw_subset photos of two different people. Each photo is decoded
// and analysed as the import does. It also prints how much the faces' pixels changed (faceChange) in the pairs that
// passed the hash and the faces, copies and not.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { AnalysisPool } from '../main/jobs/analysis-pool.js';
import { decodePhoto } from '../main/library/decode.js';
import { DEFAULT_ANALYSIS_MAX_SIDE } from '../main/store/types.js';
import { COPY_FACE_CHANGE, COPY_HASH_BITS, faceChange, facesUnchanged, pictureHash, pictureHashDistance, resizedCopyFaces, type PictureWithFaces } from '../models/cluster/resized-copy.js';
import { ensureDatasetEmbeddings, loadDatasetEmbeddings, sharedFacesDir } from '../tests/helpers/shared-faces.js';

const { values } = parseArgs({ options: { people: { type: 'string', default: '40' } } });
const shared = sharedFacesDir();
type Photo = PictureWithFaces & { file: string; source: string; copy: string | null; identity: string };
type Make = (file: string) => Promise<Buffer>;

const lfwCopies: Record<string, Make> = {
  'half size, JPEG 75': async (f) => sharp(f).resize({ width: Math.round(((await sharp(f).metadata()).width ?? 2) / 2) }).jpeg({ quality: 75 }).toBuffer(),
  'JPEG 50': (f) => sharp(f).jpeg({ quality: 50 }).toBuffer(),
  'WebP, 80 % size': async (f) => sharp(f).resize({ width: Math.round(((await sharp(f).metadata()).width ?? 2) * 0.8) }).webp({ quality: 80 }).toBuffer(),
};
const largeCopies: Record<string, Make> = {
  '1024 px, JPEG 80': (f) => sharp(f, { limitInputPixels: false }).rotate().resize({ width: 1024, height: 1024, fit: 'inside' }).jpeg({ quality: 80 }).toBuffer(),
  'JPEG 60': (f) => sharp(f, { limitInputPixels: false }).rotate().jpeg({ quality: 60 }).toBuffer(),
};

const pool = await AnalysisPool.create();
const work = mkdtempSync(join(tmpdir(), 'familiar-bench-copies-'));
const started = performance.now();
try {
  /** A photo's file decoded and analysed as the import does (DEFAULT_ANALYSIS_MAX_SIDE), or only hashed. */
  const read = async (bytes: Buffer, analyse: boolean): Promise<Omit<PictureWithFaces, 'faces'> & { faces: PictureWithFaces['faces'] | null }> => {
    const decoded = await decodePhoto(bytes, DEFAULT_ANALYSIS_MAX_SIDE);
    const hash = pictureHash(decoded.image);
    const faces = analyse ? await pool.analyze(decoded.image) : null;
    return {
      width: decoded.width,
      height: decoded.height,
      hash,
      faces:
        faces?.map((f) => ({
          box: [f.box[0] * decoded.scaleX, f.box[1] * decoded.scaleY, f.box[2] * decoded.scaleX, f.box[3] * decoded.scaleY],
          landmarks: f.landmarks.flatMap(([x, y]) => [x * decoded.scaleX, y * decoded.scaleY]),
          vector: f.descriptor,
          side: f.analysedSide,
        })) ?? null,
    };
  };
  const photos: Photo[] = [];
  const jobs: Array<() => Promise<void>> = [];
  const copiesOf = (file: string, identity: string, makes: Record<string, Make>) => {
    for (const [copy, make] of Object.entries(makes)) {
      const path = join(work, `${jobs.length}-${basename(file)}`);
      jobs.push(async () => {
        writeFileSync(path, await make(file));
        const seen = await read(await readFile(path), true);
        photos.push({ ...seen, faces: seen.faces!, file: path, source: relative(shared, file), copy, identity });
      });
    }
  };

  // lfw_subset: faces from the embeddings cache, hashed here; copies of three photos of every `--people`th person.
  await ensureDatasetEmbeddings('lfw_subset', { pool });
  const lfw = await loadDatasetEmbeddings('lfw_subset');
  const tenPhotos = [...new Set(lfw.map((p) => p.identity))].filter((id) => id !== null && lfw.filter((p) => p.identity === id).length >= 10) as string[];
  const chosen = new Set(tenPhotos.filter((_, i) => i % 4 === 0).slice(0, Number(values.people)));
  for (const image of lfw) {
    jobs.push(async () => {
      const { hash } = await read(await readFile(image.file), false);
      // Analysed at their own size (250 pixels): a face's side there is its box's.
      const faces = image.faces.map((f) => ({ box: f.box, landmarks: f.landmarks.flat(), vector: f.descriptor, side: Math.min(f.box[2], f.box[3]) }));
      photos.push({ width: image.width, height: image.height, hash, faces, file: image.file, source: relative(shared, image.file), copy: null, identity: image.identity ?? image.relative });
    });
    if (chosen.has(image.identity!) && /_000[147]\.jpg$/.test(image.relative)) copiesOf(image.file, image.identity!, lfwCopies);
  }
  // Larger photos: analysed here, with their copies.
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (['_labels', '_no_faces', '_unlabeled'].includes(e.name) ? [] : walk(join(dir, e.name))) : /\.(jpe?g|png|gif)$/i.test(e.name) ? [join(dir, e.name)] : [],
    );
  // yalefaces: shots of one sitting, the head still and only the expression or the light changing (eyes closed, a
  // smile, a wink): distinct photos, analysed here, without copies. A file byte for byte another's is one photo.
  const sitting = new Set<string>();
  for (const file of walk(join(shared, 'yalefaces')).sort()) {
    jobs.push(async () => {
      const bytes = await readFile(file);
      const digest = createHash('sha256').update(bytes).digest('hex');
      if (sitting.has(digest)) return;
      sitting.add(digest);
      const seen = await read(bytes, true);
      photos.push({ ...seen, faces: seen.faces!, file, source: relative(shared, file), copy: null, identity: basename(join(file, '..')) });
    });
  }
  for (const file of ['face_recognition', 'compreface', 'face-api.js/_group_photos'].flatMap((d) => walk(join(shared, d))).sort()) {
    const identity = basename(join(file, '..'));
    jobs.push(async () => {
      const seen = await read(await readFile(file), true);
      photos.push({ ...seen, faces: seen.faces!, file, source: relative(shared, file), copy: null, identity });
    });
    copiesOf(file, identity, largeCopies);
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: pool.size * 2 }, async () => {
      while (next < jobs.length) await jobs[next++]();
    }),
  );

  /** One photograph: a photo and its copies; the four sizes of one Obama frame. */
  const photograph = (p: Photo) => p.source.replace(/obama-(240|480|720|1080)p/, 'obama-frame');
  const pixelsOf = async (p: Photo) => ({ image: (await decodePhoto(await readFile(p.file), DEFAULT_ANALYSIS_MAX_SIDE)).image, width: p.width, height: p.height });
  /** faceChange of each pair of faces that passed the other signs: how far copies' faces lie from other shots'. */
  const changes: Array<{ one: boolean; worst: number }> = [];
  const counts = { copies: 0, found: 0, others: 0, takenForCopies: [] as string[], missed: [] as string[] };
  const byIdentity = new Map<string, Photo[]>();
  for (const p of photos) byIdentity.set(p.identity, [...(byIdentity.get(p.identity) ?? []), p]);
  for (const group of byIdentity.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const [a, b] = [group[i], group[j]];
        const one = photograph(a) === photograph(b);
        // Copies of two distinct photos say what the photos do: counted once, as the photos.
        if (!one && a.copy !== null && b.copy !== null) continue;
        // Either way round; the face pixels (facesUnchanged) only where the other signs agree, read from the files.
        let copy = false;
        for (const [original, other] of [[a, b], [b, a]]) {
          const pairs = resizedCopyFaces(original, other);
          if (!pairs) continue;
          const [before, now] = [await pixelsOf(original), await pixelsOf(other)];
          for (const j of pairs.values()) changes.push({ one, worst: faceChange(before, now, original.faces[j].box) });
          copy ||= facesUnchanged({ ...before, faces: original.faces }, now, pairs);
        }
        const what = `${a.source}${a.copy ? ` (${a.copy})` : ''} ~ ${b.source}${b.copy ? ` (${b.copy})` : ''}`;
        if (one) {
          counts.copies++;
          if (copy) counts.found++;
          else counts.missed.push(`${what}: ${a.faces.length}/${b.faces.length} faces, hash ${pictureHashDistance(a.hash, b.hash)} bits`);
        } else {
          counts.others++;
          if (copy) counts.takenForCopies.push(what);
        }
      }
    }
  }
  // The hash alone, on photos of two different people (lfw_subset originals).
  const originals = photos.filter((p) => p.copy === null && p.source.startsWith('lfw_subset/'));
  const within = new Map<number, number>();
  for (let i = 0; i < originals.length; i++) {
    for (let j = i + 1; j < originals.length; j++) {
      if (originals[i].identity === originals[j].identity) continue;
      const bits = pictureHashDistance(originals[i].hash, originals[j].hash);
      within.set(bits, (within.get(bits) ?? 0) + 1);
    }
  }
  const strangers = [...within.values()].reduce((a, b) => a + b, 0);
  const closer = (bits: number) => [...within].filter(([b]) => b <= bits).reduce((s, [, n]) => s + n, 0);
  console.log(`${photos.length} photos and copies read in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  console.log(`copies recognised: ${counts.found} of ${counts.copies} pairs (one photograph)`);
  console.log(`distinct photos of one person taken for copies: ${counts.takenForCopies.length} of ${counts.others} pairs`);
  for (const line of counts.takenForCopies) console.log(`  taken for a copy: ${line}`);
  console.log(`photos of two different people within ${COPY_HASH_BITS} bits of hash: ${closer(COPY_HASH_BITS)} of ${strangers} pairs (within 32: ${closer(32)})`);
  for (const line of counts.missed) console.log(`  not recognised: ${line}`);
  for (const one of [true, false]) {
    const worst = changes.filter((c) => c.one === one).map((c) => c.worst).sort((x, y) => x - y);
    const at = (q: number) => worst[Math.min(worst.length - 1, Math.floor(worst.length * q))].toFixed(3);
    if (worst.length > 0) console.log(`face pixels changed (worst block; a copy's at most ${COPY_FACE_CHANGE}), ${one ? 'copies' : 'distinct photos'} passing the other signs: ${worst.length} faces, min ${at(0)}, median ${at(0.5)}, p99 ${at(0.99)}, max ${at(1)}`);
  }
} finally {
  await pool.close();
  rmSync(work, { recursive: true, force: true });
}
