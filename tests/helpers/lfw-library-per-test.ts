// A new, empty library for each test of a file, and lfw_subset's people (backbone descriptors from the shared cache)
// to fill it with: for decisions on real faces, each test starting from the people its file's own beforeEach adds
// (tests/main/embedder/fixture.ts addPersonWithFaces). The library is closed and removed after each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { Library } from '../../main/store/library.js';
import { loadLfwPeople } from '../models/embedder/lfw-fixture.js';

export interface LfwLibraryPerTest {
  library(): Library;
  /** The descriptors of an lfw_subset identity's photos ("Colin_Powell"), in their order. */
  descriptorsOf(identity: string): Float32Array[];
}

export function lfwLibraryPerTest(name: string): LfwLibraryPerTest {
  let people = new Map<string, Float32Array[]>();
  let dir: string | undefined;
  let library: Library | undefined;
  beforeAll(async () => {
    people = new Map((await loadLfwPeople()).map((p) => [p.identity, p.descriptors]));
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), `familiar-${name}-`));
    library = await Library.open(dir);
  });
  afterEach(async () => {
    await library?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    library: () => library!,
    descriptorsOf: (identity) => {
      const descriptors = people.get(identity);
      if (!descriptors) throw new Error(`No lfw_subset person "${identity}" with descriptors`);
      return descriptors;
    },
  };
}
