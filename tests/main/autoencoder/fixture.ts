// A real library folder whose faces are lfw_subset photos: thumbnails are centre crops of the photos (where LFW
// puts the face), two named people own some of them. What the autoencoder job and its uses work on.
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Library } from '../../../main/store/library.js';
import type { FaceRecord, PersonRecord, PhotoRecord } from '../../../main/store/types.js';
import { seededRandom, gaussian } from '../../../models/embedder/random.js';
import { listDataset } from '../../helpers/shared-faces.js';

export interface AutoencoderFixture {
  dir: string;
  library: Library;
  faceIds: string[];
  /** Face ids of person "Ada" and person "Bob". */
  ada: string[];
  bob: string[];
  close(): Promise<void>;
}

const hex64 = (n: number) => n.toString(16).padStart(16, '0').repeat(4);

export async function makeAutoencoderFixture(count: number): Promise<AutoencoderFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'familiar-autoencoder-'));
  mkdirSync(join(dir, 'thumbs'), { recursive: true });
  const images = (await listDataset('lfw_subset')).filter((i) => i.identity !== null);
  const step = Math.floor(images.length / count);
  const chosen = images.filter((_, i) => i % step === 0).slice(0, count);
  const library = await Library.open(dir);
  const random = seededRandom(3);
  const rows = await library.appendVectors(chosen.map(() => Float32Array.from({ length: library.info.backboneDim }, () => gaussian(random))));
  const photos: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  for (let i = 0; i < chosen.length; i++) {
    const photoId = hex64(i + 1);
    const id = `${photoId.slice(0, 16)}-0`;
    await sharp(chosen[i].file).extract({ left: 69, top: 69, width: 112, height: 112 }).resize(160, 160).webp({ quality: 85 }).toFile(join(dir, 'thumbs', `${id}.webp`));
    photos.push({
      id: photoId, paths: [chosen[i].file], missing: false, width: 250, height: 250, orientation: 1, takenAt: null, bytes: 1000,
      format: 'jpeg', analysis: { pipelineVersion: 'lfw-fixture', analysedAt: new Date().toISOString() }, faceIds: [id],
    });
    faces.push({
      id, photoId, box: [69, 69, 112, 112], score: 0.99, landmarks: [], vectorRow: rows[i],
      personId: i < 4 ? 'person-ada' : i < 8 ? 'person-bob' : null,
      assignedBy: i < 8 ? 'user' : null, rejectedPersonIds: [], faceness: null, thumb: `thumbs/${id}.webp`,
    });
  }
  const people: PersonRecord[] = [
    { id: 'person-ada', name: 'Ada', hidden: false, coverFaceId: null, createdAt: new Date().toISOString() },
    { id: 'person-bob', name: 'Bob', hidden: false, coverFaceId: null, createdAt: new Date().toISOString() },
  ];
  await library.transaction((tx) => {
    tx.photos.push(...photos);
    tx.faces.push(...faces);
    tx.people.people.push(...people);
  });
  return {
    dir,
    library,
    faceIds: faces.map((f) => f.id),
    ada: faces.slice(0, 4).map((f) => f.id),
    bob: faces.slice(4, 8).map((f) => f.id),
    async close() {
      await library.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
