// A face stored while a model switch waits its turn (an import adding faces as the user picks another recognition
// version): a code review found appendVectors embedded the new rows by the model in use when it was called, then
// wrote them after the switch had re-embedded every row there, so they kept the old model's embedding in the new
// model's space. The rows are embedded when they are written now.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../../main/store/library.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { seededRandom } from '../../../models/embedder/random.js';

const DIM = 128;
let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function descriptor(random: () => number): Float32Array {
  return Float32Array.from({ length: DIM }, () => random() - 0.5);
}

/** A stand-in head: every value doubled. */
const doubled = (backbone: Float32Array, rows: number) => backbone.slice(0, rows * DIM).map((v) => v * 2);

describe('rows appended while a model switch is queued', () => {
  it('are embedded by the model the switch puts in use', async () => {
    dir = mkdtempSync(join(tmpdir(), 'familiar-switch-append-'));
    const library = await Library.open(dir);
    try {
      const random = seededRandom(7);
      await library.appendVectors([descriptor(random), descriptor(random)]);
      const added = descriptor(random);
      const switching = library.replaceEmbeddings({ kind: 'head', modelId: 'embedder-v1' }, DIM, doubled);
      const [row] = await library.appendVectors([added]);
      await switching;
      const rowOf = (vectorRow: number) => Array.from(library.embeddingOf({ vectorRow } as FaceRecord));
      expect(rowOf(row)).toEqual(Array.from(doubled(added, 1)));
      expect(rowOf(0)).toEqual(Array.from(library.backboneOf({ vectorRow: 0 } as FaceRecord)).map((v) => v * 2));
    } finally {
      await library.close();
    }
  });
});
