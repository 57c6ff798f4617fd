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
import { Library } from '../../../main/store/library.js';
import type { CommandContext } from '../../../main/cli/command.js';
import { modelsCommand } from '../../../main/cli/commands/models.js';

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

  it('lists each version with the one it was compared with when trained, measured on the same set-aside faces', async () => {
    // QA: v2 listed "pairs matched 98.0 %" under v1's 99.0 %, each on its own faces, though v2 had matched 245 of 250
    // pairs where v1 matched 225 of the same.
    const dir = mkdtempSync(join(tmpdir(), 'familiar-versions-'));
    dirs.push(dir);
    let seed = 7;
    const head = serializeHead(createInitialHead(128, 64, () => ((seed = (seed * 16807) % 2147483647) / 2147483647)));
    const record = (version: string, beforeVersion: string, before: Record<string, number>, after: Record<string, number>) => ({
      format: VERSION_FORMAT,
      version,
      modelId: `embedder-${version}`,
      createdAt: '2026-12-02T03:05:00.000Z',
      trainedOn: { faces: 128, validationFaces: 32, people: 18, rejections: 0, notThemFaces: 0 },
      options: DEFAULT_TRAIN_OPTIONS,
      bestEpoch: 3,
      epochsRun: 5,
      before: { far: 0.001, meanMargin: 0.1, ...before },
      beforeVersion,
      after: { far: 0.001, meanMargin: 0.1, ...after },
      samePersonDistance: 0.4,
      peopleThresholds: BACKBONE_THRESHOLDS,
      head: head.manifest,
    });
    await mkdir(join(dir, EMBEDDER_DIR), { recursive: true });
    for (const meta of [
      record('v1', 'raw', { identificationAccuracy: 0.96, tar: 0.9, genuinePairs: 100 }, { identificationAccuracy: 1, tar: 0.99, genuinePairs: 100 }),
      record('v2', 'v1', { identificationAccuracy: 1, tar: 0.9, genuinePairs: 250 }, { identificationAccuracy: 1, tar: 0.98, genuinePairs: 250 }),
    ]) {
      await writeFile(join(dir, EMBEDDER_DIR, `${meta.version}.bin`), head.data);
      await writeFile(join(dir, EMBEDDER_DIR, `${meta.version}.json`), JSON.stringify(meta));
    }
    const library = { dir, info: { embedding: { kind: 'head', modelId: 'embedder-v2' }, createdAt: '2026-12-01T00:00:00.000Z' } } as unknown as Library;
    const { models } = await listEmbedderModels(library);
    expect(models.find((m) => m.version === 'raw')!.comparedWith).toBeUndefined();
    expect(models.find((m) => m.version === 'v2')).toMatchObject({
      metrics: { tar: 0.98, genuinePairs: 250 },
      comparedWith: { version: 'v1', metrics: { tar: 0.9, genuinePairs: 250 } },
    });
    expect(models.find((m) => m.version === 'v1')!.comparedWith).toMatchObject({ version: 'raw', metrics: { tar: 0.9, genuinePairs: 100 } });

    // `familiar models` says the same, with how to read it.
    await (await Library.open(dir)).close();
    const stdout = { isTTY: false, text: '', write: (chunk: string) => ((stdout.text += chunk), true) };
    const ctx = { values: {}, positionals: [], libraryDir: dir, json: false, stdout, stderr: { ...stdout, text: '' }, signal: new AbortController().signal } as unknown as CommandContext;
    expect(await modelsCommand.run(ctx)).toBe(0);
    const rows = stdout.text.split('\n');
    expect(rows.find((row) => row.startsWith('  v2 '))).toMatch(/100\.0% +98\.0% +0\.400 +v1 100\.0% \/ 90\.0%$/);
    expect(rows.find((row) => row.startsWith('  v1 '))).toMatch(/100\.0% +99\.0% +0\.400 +raw 96\.0% \/ 90\.0%$/);
    expect(stdout.text).toContain('Each version is measured on the faces set aside when it was trained: compare it with the version beside it, not with the other rows.\n');
  });
});
