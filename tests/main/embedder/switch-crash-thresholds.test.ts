// A model switch writes two things: the embedding (with library.json naming the model) and the thresholds that go with
// it (settings.json). A code review found a crash between the two left the new head in use, judged at the old head's
// distances: faces grouped and placed at distances meant for another space. The thresholds now travel in the switch's
// own marker, and an open after such a crash writes them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTarget, switchEmbedding } from '../../../main/embedder/switch.js';
import { thresholdKey } from '../../../main/embedder/versions.js';
import { BACKBONE_THRESHOLDS } from '../../../main/people/thresholds.js';
import { Library } from '../../../main/store/library.js';
import { createInitialHead } from '../../../models/embedder/head.js';
import { seededRandom } from '../../../models/embedder/random.js';
import { fewPhotosLibrary, storeVersion } from './fixture.js';

const CALIBRATED = { samePersonDistance: 0.4321, peopleThresholds: { ...BACKBONE_THRESHOLDS, placeDistance: 0.3333 } };

/** The library the test has open last, closed after it; then its folder is removed. */
let library: Library | null = null;
let cleanUp: (() => Promise<void>) | null = null;
afterEach(async () => {
  await library?.close();
  await cleanUp?.();
  library = null;
  cleanUp = null;
});

/** A library of lfw_subset faces on the raw backbone, holding v1 calibrated at CALIBRATED; removed after the test. */
async function libraryWithVersionV1(): Promise<Library> {
  const few = await fewPhotosLibrary(3);
  await storeVersion(few.library, 'v1', createInitialHead(128, 64, seededRandom(3)), CALIBRATED);
  cleanUp = few.close;
  library = few.library;
  return few.library;
}

/** The process dies the moment it would write settings.json: nothing after that runs. */
function killWhenSettingsAreWritten(library: Library): void {
  const settings = (library as unknown as { docs: { settings: { write(): Promise<void> } } }).docs.settings;
  settings.write = () => Promise.reject(new Error('killed'));
}

describe('a model switch interrupted once the embedding is replaced', () => {
  it('has the new model\'s thresholds in settings when the library opens again', async () => {
    library = await libraryWithVersionV1();
    const dir = library.dir;
    const rawDistance = library.settings.samePersonDistance;

    killWhenSettingsAreWritten(library);
    await expect(switchEmbedding(library, await loadTarget(dir, 'v1'), { refreshPeople: async () => {} })).rejects.toThrow('killed');
    await library.close();

    library = await Library.open(dir);
    expect(library.info.embedding).toEqual({ kind: 'head', modelId: 'embedder-v1' });
    expect(library.settings.samePersonDistance).toBe(CALIBRATED.samePersonDistance);
    expect(library.settings[thresholdKey('v1')]).toBe(CALIBRATED.samePersonDistance);
    expect(library.settings[thresholdKey('raw')]).toBe(rawDistance);
    expect((library.settings.peopleThresholds as Record<string, unknown>)['head:embedder-v1']).toEqual(CALIBRATED.peopleThresholds);
    expect(library.repairs.map((r) => r.part)).toContain('settings.json');
    expect(library.repairs.find((r) => r.part === 'settings.json')?.problem).toMatch(/switch to embedder-v1 was interrupted before the thresholds/);

    // Mended once: the next open has nothing to repair.
    await library.close();
    library = await Library.open(dir);
    expect(library.repairs).toEqual([]);
    expect(library.settings.samePersonDistance).toBe(CALIBRATED.samePersonDistance);
  });

  it('writes the thresholds with the switch when nothing goes wrong, and leaves no marker', async () => {
    library = await libraryWithVersionV1();
    const dir = library.dir;
    await switchEmbedding(library, await loadTarget(dir, 'v1'), { refreshPeople: async () => {} });
    expect(library.settings.samePersonDistance).toBe(CALIBRATED.samePersonDistance);
    expect(existsSync(join(dir, 'vectors', 'embedding.switch.json'))).toBe(false);
    await library.close();
    library = await Library.open(dir);
    expect(library.repairs).toEqual([]);
    expect(library.settings.samePersonDistance).toBe(CALIBRATED.samePersonDistance);
  });
});
