// The stored description of an embedder version: one written before the faces said not to be someone were counted
// apart (trainedOn.notThemFaces) still lists and loads.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createInitialHead, serializeHead } from '../../../models/embedder/head.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../models/embedder/train.js';
import { listEmbedderModels } from '../../../main/embedder/index.js';
import { EMBEDDER_DIR, listVersions, loadVersion, VERSION_FORMAT } from '../../../main/embedder/versions.js';
import { BACKBONE_THRESHOLDS } from '../../../main/people/thresholds.js';
import type { Library } from '../../../main/store/library.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('embedder version records', () => {
  it('reads a record from before the faces said not to be them were counted apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'familiar-versions-'));
    dirs.push(dir);
    let seed = 1;
    const head = serializeHead(createInitialHead(128, 64, () => ((seed = (seed * 16807) % 2147483647) / 2147483647)));
    const metrics = { identificationAccuracy: 0.9, tar: 0.8, far: 0.001, meanMargin: 0.1 };
    // As v1.json was written then: no notThemFaces, and `faces` counted them in.
    const old = {
      format: VERSION_FORMAT,
      version: 'v1',
      modelId: 'embedder-v1',
      createdAt: '2025-01-02T03:04:05.000Z',
      trainedOn: { faces: 41, validationFaces: 8, people: 2, rejections: 12 },
      options: DEFAULT_TRAIN_OPTIONS,
      bestEpoch: 3,
      epochsRun: 5,
      before: metrics,
      beforeVersion: 'raw',
      after: metrics,
      samePersonDistance: 0.4,
      peopleThresholds: BACKBONE_THRESHOLDS,
      head: head.manifest,
    };
    await mkdir(join(dir, EMBEDDER_DIR), { recursive: true });
    await writeFile(join(dir, EMBEDDER_DIR, 'v1.bin'), head.data);
    await writeFile(join(dir, EMBEDDER_DIR, 'v1.json'), JSON.stringify(old));

    expect((await listVersions(dir)).map((v) => v.trainedOn)).toEqual([{ faces: 41, validationFaces: 8, people: 2, rejections: 12 }]);
    expect((await loadVersion(dir, 'v1')).meta.trainedOn.notThemFaces).toBeUndefined();
    const library = { dir, info: { embedding: { kind: 'head', modelId: 'embedder-v1' }, createdAt: '2025-01-01T00:00:00.000Z' } } as unknown as Library;
    const listed = await listEmbedderModels(library);
    expect(listed.models.find((m) => m.version === 'v1')).toMatchObject({ faces: 49, people: 2, inUse: true });
  });
});
