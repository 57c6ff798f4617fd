// The People cards' "may be two people" verdicts (two-people-verdicts.ts) for large groups, off the engine's thread: a
// group of 1,000 faces takes a dendrogram of 0.1-0.2 s, which would hold up every request behind it. Plain numbers in
// (the faces' vectors, the cut and the separation), the two parts' rows out; the engine's thread turns them into the
// question.
import { parentPort } from 'node:worker_threads';
import { twoPeopleParts, type TwoPeopleQuestionOptions } from './two-people-apart.js';

export interface TwoPartsRequest {
  id: number;
  dim: number;
  count: number;
  data: Float32Array;
  options: TwoPeopleQuestionOptions;
}

export type TwoPartsAnswer = { id: number; parts: [number[], number[]] | null } | { id: number; error: string };

const port = parentPort!;
port.on('message', (request: TwoPartsRequest) => {
  try {
    const rows = Array.from({ length: request.count }, (_, r) => r);
    port.postMessage({ id: request.id, parts: twoPeopleParts({ dim: request.dim, count: request.count, data: request.data }, rows, request.options) } satisfies TwoPartsAnswer);
  } catch (err) {
    port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies TwoPartsAnswer);
  }
});
