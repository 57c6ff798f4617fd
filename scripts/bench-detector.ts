// Detector choice by the numbers: recall and false positives against time, per detector configuration.
//   npm run bench:detector [-- --lfw N] [-- --only name,name]
// Truth: compreface group photos carry a nose point per face (compreface/_labels/annotations.py): a detection
// is correct when its box holds an unclaimed nose point. The face_recognition and face-api.js group photos
// were counted by eye (counts below; a range where background faces are debatable). _no_faces must stay 0.
// Tight crops (ORL, face-api.js identity crops) and LFW photos each hold one face: recall = found >= 1.
// Time = CPU ms per image in this thread (the machine is shared, so wall time is noise), detection only.
import { basename } from 'node:path';
import { DEFAULT_DETECTOR, detectFaces, type DetectorConfig } from '../models/detector.js';
import { loadFaceApiNets } from '../models/faceapi.js';
import type { Box, RgbImage } from '../models/types.js';
import { compreFaceNoses, decodeImage, EYE_COUNTS, listDataset, matchNoses, type DatasetImage } from '../tests/helpers/shared-faces.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const lfwCount = Number(arg('--lfw') ?? 100);
const only = arg('--only')?.split(',');

const { faceapi, tf, backend } = await loadFaceApiNets(['ssdMobilenetv1', 'tinyFaceDetector']);

const variant = (name: string, config: Partial<DetectorConfig>) => ({ name, config: { ...DEFAULT_DETECTOR, cropRetryMaxSide: 0, ...config } });
const configs = [
  variant('ssd 0.5', { model: 'ssd', minConfidence: 0.5 }),
  variant('ssd 0.4', { model: 'ssd', minConfidence: 0.4 }),
  variant('ssd 0.5 + crop retry', { model: 'ssd', minConfidence: 0.5, cropRetryMaxSide: 400 }),
  variant('ssd 0.4 + crop retry', { model: 'ssd', minConfidence: 0.4, cropRetryMaxSide: 400 }),
  variant('ssd 0.4 + crop retry (face-api pass)', { model: 'ssd', minConfidence: 0.4, cropRetryMaxSide: 400, ssdPass: 'faceapi' }),
  variant('ssd 0.35 + crop retry', { model: 'ssd', minConfidence: 0.35, cropRetryMaxSide: 400 }),
  variant('tiny 416 0.5', { model: 'tiny', inputSize: 416, minConfidence: 0.5 }),
  variant('tiny 608 0.5', { model: 'tiny', inputSize: 608, minConfidence: 0.5 }),
  variant('tiny 608 0.4 + crop retry', { model: 'tiny', inputSize: 608, minConfidence: 0.4, cropRetryMaxSide: 400 }),
].filter((c) => !only || only.includes(c.name));

interface Loaded {
  entry: DatasetImage;
  group: string;
  image: RgbImage;
  scale: number;
}
const load = async (entries: DatasetImage[], group: string): Promise<Loaded[]> =>
  Promise.all(
    entries.map(async (entry) => {
      const d = await decodeImage(entry.file);
      return { entry, group, image: d.image, scale: d.originalWidth / d.image.width };
    }),
  );
const everyNth = <T>(list: T[], n: number) => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / n)) === 0).slice(0, n);

const groups: Loaded[] = [
  ...(await load(await listDataset('compreface/_group_photos'), 'compreface groups')),
  ...(await load([...(await listDataset('face_recognition/_group_photos')), ...(await listDataset('face-api.js/_group_photos'))], 'eye-counted groups')),
  ...(await load(await listDataset('compreface/_no_faces'), 'no faces')),
  ...(await load((await listDataset('orl_att_faces')).filter((e) => basename(e.file) === '1.pgm'), 'ORL crops')),
  ...(await load((await listDataset('face-api.js')).filter((e) => e.identity), 'face-api.js crops')),
  ...(await load(everyNth(await listDataset('lfw_subset'), lfwCount), 'lfw')),
];
const noses = compreFaceNoses();
console.log(`backend ${backend.name}; ${groups.length} images\n`);

const header = ['config', 'compreface groups: found/true (false)', 'eye-counted groups: within count', 'no-face photos: false', 'ORL crops', 'face-api.js crops', `lfw (${groups.filter((g) => g.group === 'lfw').length})`, 'CPU ms/image (groups)', 'CPU ms/image (crops+lfw)'];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => ' --- ').join('|')}|`);
for (const { name, config } of configs) {
  await detectFaces(faceapi, tf, tf.zeros([64, 64, 3]) as never, config); // warm-up
  const stats = { cfHit: 0, cfTrue: 0, cfFalse: 0, eyeOk: 0, eyeN: 0, eyeDetail: [] as string[], noFace: 0, orl: 0, orlN: 0, fa: 0, faN: 0, lfw: 0, lfwN: 0 };
  let groupCpu = 0, groupN = 0, smallCpu = 0, smallN = 0;
  for (const g of groups) {
    const tensor = tf.tensor3d(g.image.data, [g.image.height, g.image.width, 3], 'int32');
    const c0 = process.cpuUsage();
    const found = await detectFaces(faceapi, tf, tensor, config);
    const c = process.cpuUsage(c0);
    tensor.dispose();
    const ms = (c.user + c.system) / 1000;
    const boxes = found.map((f) => ({ score: f.score, box: f.box.map((v) => v * g.scale) as Box }));
    if (g.group === 'compreface groups' || g.group === 'eye-counted groups' || g.group === 'no faces') { groupCpu += ms; groupN++; }
    else { smallCpu += ms; smallN++; }
    switch (g.group) {
      case 'compreface groups': {
        const truth = noses.get(basename(g.entry.file)) ?? [];
        const expected = basename(g.entry.file) === 'four-plus-one-faces.jpg' ? 5 : truth.length;
        if (truth.length > 0) {
          const [hit, miss] = matchNoses(boxes, truth);
          stats.cfHit += hit; stats.cfFalse += miss; stats.cfTrue += truth.length;
        } else {
          // No nose points for this one: count-based.
          stats.cfHit += Math.min(boxes.length, expected); stats.cfFalse += Math.max(0, boxes.length - expected); stats.cfTrue += expected;
        }
        break;
      }
      case 'eye-counted groups': {
        const [min, max] = EYE_COUNTS[g.entry.file.split('/').slice(-3).join('/')] ?? [0, 0];
        stats.eyeN++;
        if (boxes.length >= min && boxes.length <= max) stats.eyeOk++;
        stats.eyeDetail.push(`${boxes.length}`);
        break;
      }
      case 'no faces': stats.noFace += boxes.length; break;
      case 'ORL crops': stats.orlN++; if (boxes.length > 0) stats.orl++; break;
      case 'face-api.js crops': stats.faN++; if (boxes.length > 0) stats.fa++; break;
      case 'lfw': stats.lfwN++; if (boxes.length > 0) stats.lfw++; break;
    }
  }
  const pct = (a: number, b: number) => `${((a / Math.max(1, b)) * 100).toFixed(0)}%`;
  console.log(
    `| ${name} | ${stats.cfHit}/${stats.cfTrue} (${stats.cfFalse}) | ${stats.eyeOk}/${stats.eyeN} [${stats.eyeDetail.join(' ')}] | ${stats.noFace} | ${pct(stats.orl, stats.orlN)} | ${pct(stats.fa, stats.faN)} | ${pct(stats.lfw, stats.lfwN)} | ${(groupCpu / groupN).toFixed(0)} | ${(smallCpu / smallN).toFixed(0)} |`,
  );
}

// Where the time goes in the default pipeline (CPU ms in this thread), on the group photos and LFW photos.
{
  const { FaceAnalyzer, CROP_SPEC } = await import('../models/pipeline.js');
  const { alignFace } = await import('../models/aligner.js');
  const analyzer = await FaceAnalyzer.create();
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  for (const set of ['compreface groups', 'lfw']) {
    const photos = groups.filter((g) => g.group === set);
    await analyzer.analyze(photos[0].image); // warm-up
    let detect = 0, describe = 0, crop = 0, faces = 0;
    for (const p of photos) {
      let t = cpu();
      const found = await analyzer.detect(p.image);
      detect += cpu() - t;
      t = cpu();
      await analyzer.describe(p.image, found);
      describe += cpu() - t;
      t = cpu();
      for (const f of found) alignFace(p.image, f.landmarks, CROP_SPEC);
      crop += cpu() - t;
      faces += found.length;
    }
    const n = photos.length;
    console.log(
      `\n${set} (${n} photos, ${faces} faces), default pipeline, CPU ms: detection+landmarks ${(detect / n).toFixed(0)}/photo; ` +
        `alignment+embedding ${(describe / Math.max(1, faces)).toFixed(0)}/face; crop ${(crop / Math.max(1, faces)).toFixed(1)}/face; ` +
        `total ${((detect + describe + crop) / n).toFixed(0)}/photo`,
    );
  }
}
