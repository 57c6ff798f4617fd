// `familiar people` says which groups may be two people, as the app's People cards mark them, and `familiar split
// --dry-run` lists the faces that would split off with their photos' files (QA, session 38: an unnamed group of
// Venus and Serena Williams listed with no hint, and the faces to split off as bare ids). On lfw_subset's cached faces of
// the two sisters grouped as one, as a first import of their photos groups them, and Colin Powell.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoPeopleQuestion } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addPersonWithFaces } from '../embedder/fixture.js';
import { runCli } from './cli-process.js';

let dir: string;
let leaving: { faceId: string; photoPath: string }[];
let staying: { faceId: string; photoPath: string }[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-cli-two-people-'));
  const library = await Library.open(dir);
  try {
    const lfw = await loadLfwPeople();
    const of = (identity: string) => lfw.find((p) => p.identity === identity)!.descriptors;
    await addPersonWithFaces(library, 'sisters', null, [...of('Serena_Williams'), ...of('Venus_Williams')], 0);
    await addPersonWithFaces(library, 'powell', 'Colin Powell', of('Colin_Powell'), 0);
    const question = twoPeopleQuestion(library, 'sisters')!;
    const withPhoto = (faceId: string) => ({ faceId, photoPath: library.photo(library.face(faceId)!.photoId)!.paths[0] });
    [leaving, staying] = [question.leaves.map(withPhoto), question.stays.map(withPhoto)];
  } finally {
    await library.close();
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('familiar people', () => {
  it('marks the group that may be two people, and says how to look at its parts', async () => {
    const run = await runCli('people', '--library', dir);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    expect(lines.find((l) => l.startsWith('sisters '))).toMatch(/ {2}may be two people \(familiar split sisters --dry-run\)$/);
    expect(lines.find((l) => l.startsWith('powell '))).not.toContain('two people');
  });

  it('says it in --json too, on every person', async () => {
    const run = await runCli('people', '--library', dir, '--json');
    expect(run.code).toBe(0);
    const people = JSON.parse(run.out) as { id: string; mayBeTwoPeople: boolean }[];
    expect(Object.fromEntries(people.map((p) => [p.id, p.mayBeTwoPeople]))).toEqual({ sisters: true, powell: false });
  });
});

describe('familiar split --dry-run', () => {
  it('lists each face that would split off, then each that stays, with its photo file, as suggest and unlike do', async () => {
    expect(leaving.length).toBeGreaterThanOrEqual(3);
    const run = await runCli('split', 'sisters', '--dry-run', '--library', dir);
    expect(run.code).toBe(0);
    const [leavingPart, stayingPart] = run.out.trim().split('\n\n');
    const [head, ...faces] = leavingPart.split('\n');
    expect(head).toBe(`this group may be two people: ${staying.length} faces stay, ${leaving.length} faces would split off:`);
    expect(faces).toEqual(leaving.map((f) => `${f.faceId}  ${f.photoPath}`));
    expect(stayingPart.split('\n')).toEqual([`The ${staying.length} faces that stay:`, ...staying.map((f) => `${f.faceId}  ${f.photoPath}`)]);
  });

  it('gives each face of both parts its photo in --json, the ids as before', async () => {
    const run = await runCli('split', 'sisters', '--dry-run', '--library', dir, '--json');
    expect(run.code).toBe(0);
    type Listed = { faceId: string; photoId: string; photoPath: string };
    const answer = JSON.parse(run.out) as { leaves: string[]; leavingFaces: Listed[]; stayingFaces: Listed[] };
    expect(answer.leaves).toEqual(leaving.map((f) => f.faceId));
    expect(answer.leavingFaces.map((f) => ({ faceId: f.faceId, photoPath: f.photoPath }))).toEqual(leaving);
    expect(answer.leavingFaces.every((f) => f.faceId.startsWith(f.photoId.slice(0, 16)))).toBe(true);
    expect(answer.stayingFaces.map((f) => ({ faceId: f.faceId, photoPath: f.photoPath }))).toEqual(staying);
  });
});
