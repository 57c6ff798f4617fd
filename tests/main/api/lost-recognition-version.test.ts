// A library whose recognition version in use lost its files (restored from an old backup, pruned by a sync tool).
// The app and `familiar serve` refused to open it at all, saying to run "familiar models use raw", a command an app
// user may never have heard of. Now the library opens: everything stored works, new faces are refused before any photo
// is read (they cannot be embedded beside the others), the Training screen and doctor say why, and a switch there mends it.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { loadTarget, switchEmbedding } from '../../../main/embedder/switch.js';
import { calls, type CallName } from '../../../preload/contract.js';
import { createInitialHead } from '../../../models/embedder/head.js';
import { seededRandom } from '../../../models/embedder/random.js';
import { fewPhotosLibrary, storeVersion } from '../embedder/fixture.js';

const lfw = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'faces', 'lfw_subset');

let api: Api;
let few: Awaited<ReturnType<typeof fewPhotosLibrary>>;
let photosBefore: number;

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
}

beforeAll(async () => {
  few = await fewPhotosLibrary(3);
  const library = few.library;
  await storeVersion(library, 'v1', createInitialHead(128, 64, seededRandom(3)));
  await switchEmbedding(library, await loadTarget(library.dir, 'v1'), { refreshPeople: async () => {} });
  photosBefore = library.photos.length;
  await library.close();
  rmSync(join(library.dir, 'models', 'embedder', 'v1.bin'));
  api = await createApi({ libraryDir: library.dir, mode: 'browser', log: () => {} });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await few?.close();
});

describe('a library whose recognition version in use is lost', () => {
  it('opens, and the Training screen\'s list and doctor say what is wrong', async () => {
    const models = await ok('models.list');
    expect(models.embedderInUse).toBe('v1');
    expect(models.embedderProblem).toBe('The embedder head v1 in use cannot be loaded (its files are missing from the models folder of the library)');
    const doctor = await ok('library.doctor');
    expect(doctor.problems).toContain(`${models.embedderProblem}: new faces cannot be added until another version is in use on the Training screen.`);
    expect((await ok('library.info')).counts.photos).toBe(photosBefore);
  });

  it('refuses an import before reading a photo, saying how to mend it', async () => {
    const { jobId } = await ok('import.start', { paths: [join(lfw, 'Abel_Aguilar')] });
    const job = await api.jobs.settled(jobId);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/^The embedder head v1 in use cannot be loaded \(.*\): no new face can be added until another version is in use \(Roll back, or Use on a version, on the Training screen; /);
    expect((await ok('library.info')).counts.photos).toBe(photosBefore);
  });

  it('is mended by a switch: the problem is gone and an import stores faces again', async () => {
    await ok('models.use', { kind: 'embedder', version: 'raw' });
    expect((await ok('models.list')).embedderProblem).toBeUndefined();
    const { jobId } = await ok('import.start', { paths: [join(lfw, 'Abel_Aguilar')] });
    expect((await api.jobs.settled(jobId)).state).toBe('done');
    expect((await ok('library.info')).counts.photos).toBe(photosBefore + 1);
  }, 120_000);
});
