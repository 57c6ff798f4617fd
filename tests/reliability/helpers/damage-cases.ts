// Damaged library files (issue 7, point 2): each case damages one part of a copy of a base library the way a
// failing disk, a bad sync tool or an old backup would, and says what opening it must do — repair it (reported,
// every decision and face kept) or refuse it (a clear message, nothing changed on disk).
import { createHash } from 'node:crypto';
import { appendFile, cp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { join, relative } from 'node:path';
import { Library } from '../../../main/store/library.js';
import { invariantProblems, lostDecisions, snapshotDecisions, writeSyntheticLibrary, type DecisionSnapshot } from './library-state.js';

const DIM = 128;
const ROW_BYTES = DIM * 4;

export interface DamageCase {
  name: string;
  damage: (dir: string, base: DamageBase) => Promise<void>;
  /** 'repaired': opens, reports a repair whose part matches; 'refused': open throws a message matching. */
  expect: { repaired: RegExp } | { refused: RegExp };
}

export interface DamageBase {
  dir: string;
  decisions: DecisionSnapshot;
  faces: number;
  /** A copy of index/ from before the last face was added: a stale index. */
  staleIndexDir: string;
}

/**
 * A library with history: the synthetic faces and decisions, saved once more (so backups/ holds the same state,
 * as after any later job), then one more face added after keeping a copy of the index (for the stale case).
 */
export async function makeDamageBase(workDir: string): Promise<DamageBase> {
  const dir = join(workDir, 'damage-base');
  await writeSyntheticLibrary(dir, { people: 8, facesPerPerson: 6, named: 4, confirmedPerPerson: 3, rejectionsPerPerson: 2, noise: 0.5, spread: 0.8, seed: 3 });
  const staleIndexDir = join(workDir, 'damage-stale-index');
  await cp(join(dir, 'index'), staleIndexDir, { recursive: true });
  const library = await Library.open(dir);
  try {
    const template = library.faces[0];
    const [row] = await library.appendVectors([Float32Array.from(library.backboneOf(template), (v, i) => (i === 0 ? v + 0.01 : v))]);
    const photoId = 'f'.repeat(64);
    await library.transaction((tx) => {
      tx.photos.push({ ...library.photo(template.photoId)!, id: photoId, paths: ['/synthetic/extra.jpg'], faceIds: [`${photoId.slice(0, 16)}-0`] });
      tx.faces.push({ ...template, id: `${photoId.slice(0, 16)}-0`, photoId, vectorRow: row, personId: null, assignedBy: null, rejectedPersonIds: [] });
    });
    // Later work rewrites every document: the backups are then the state above, as in a library in daily use
    // (faces: closing merges the journal into faces.json and keeps the journal beside the backup).
    await library.transaction((tx) => {
      void tx.photos;
      void tx.faces;
      void tx.people;
      void tx.settings;
      void tx.info;
    });
    return { dir, decisions: snapshotDecisions(library), faces: library.faces.length, staleIndexDir };
  } finally {
    await library.close();
  }
}

async function overwriteMiddle(file: string, bytes: Buffer): Promise<void> {
  const content = await readFile(file);
  const at = Math.floor(content.length / 2);
  bytes.copy(content, at);
  await writeFile(file, content);
}

async function editJson(file: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  await writeFile(file, JSON.stringify(value));
}

const size = async (file: string) => (await stat(file)).size;

export const DAMAGE_CASES: DamageCase[] = [
  {
    name: 'faces.json truncated half-way',
    damage: async (dir) => truncate(join(dir, 'faces.json'), Math.floor((await size(join(dir, 'faces.json'))) / 2)),
    expect: { repaired: /^faces\.json$/ },
  },
  {
    name: 'faces.json with a run of zero bytes in the middle',
    damage: (dir) => overwriteMiddle(join(dir, 'faces.json'), Buffer.alloc(64)),
    expect: { repaired: /^faces\.json$/ },
  },
  {
    name: 'people.json parses but has the wrong shape',
    damage: (dir) => editJson(join(dir, 'people.json'), (v) => (v.people = 'nobody')),
    expect: { repaired: /^people\.json$/ },
  },
  {
    name: 'photos.json empty (0 bytes)',
    damage: (dir) => truncate(join(dir, 'photos.json'), 0),
    expect: { repaired: /^photos\.json$/ },
  },
  {
    name: 'library.json missing',
    damage: (dir) => rm(join(dir, 'library.json')),
    expect: { repaired: /^library\.json$/ },
  },
  {
    name: 'settings.json garbage and no backup of it',
    damage: async (dir) => {
      await writeFile(join(dir, 'settings.json'), '{"schemaVersion":1,"samePersonDistance":"near"');
      await rm(join(dir, 'backups', 'settings.json'));
    },
    expect: { repaired: /^settings\.json$/ },
  },
  {
    name: 'faces.json holds one face twice',
    damage: (dir) =>
      editJson(join(dir, 'faces.json'), (v) => {
        const faces = v.faces as unknown[];
        faces.push(structuredClone(faces[0]));
      }),
    expect: { repaired: /^faces\.json$/ },
  },
  {
    name: 'photos.json lists a face faces.json does not hold',
    damage: (dir) =>
      editJson(join(dir, 'photos.json'), (v) => {
        (v.photos as Array<{ faceIds: string[] }>)[0].faceIds.push('0000000000000000-9');
      }),
    expect: { repaired: /^photos\.json$/ },
  },
  {
    name: 'backbone.f32 ends in the middle of a row',
    damage: (dir) => appendFile(join(dir, 'vectors', 'backbone.f32'), Buffer.alloc(ROW_BYTES / 2 + 4, 7)),
    expect: { repaired: /^vectors$/ },
  },
  {
    name: 'embedding.f32 seven rows short',
    damage: async (dir) => truncate(join(dir, 'vectors', 'embedding.f32'), (await size(join(dir, 'vectors', 'embedding.f32'))) - 7 * ROW_BYTES),
    expect: { repaired: /^vectors\/embedding\.f32$/ },
  },
  {
    name: 'backbone.f32 seven rows short',
    damage: async (dir) => truncate(join(dir, 'vectors', 'backbone.f32'), (await size(join(dir, 'vectors', 'backbone.f32'))) - 7 * ROW_BYTES),
    expect: { repaired: /^vectors\/backbone\.f32$/ },
  },
  {
    name: 'embedding.f32 from another model (same length, other values)',
    damage: async (dir) => {
      const file = join(dir, 'vectors', 'embedding.f32');
      const bytes = await readFile(file);
      const rows = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4).map((v, i) => (i % 2 ? -v : v));
      await writeFile(file, new Uint8Array(rows.buffer));
    },
    expect: { repaired: /^vectors\/embedding\.f32$/ },
  },
  {
    name: 'vector files with rows nobody references (an import killed before its commit)',
    damage: async (dir) => {
      await appendFile(join(dir, 'vectors', 'backbone.f32'), Buffer.alloc(3 * ROW_BYTES, 1));
      await appendFile(join(dir, 'vectors', 'embedding.f32'), Buffer.alloc(3 * ROW_BYTES, 1));
    },
    expect: { repaired: /^vectors$/ },
  },
  {
    name: 'index missing',
    damage: (dir) => rm(join(dir, 'index'), { recursive: true }),
    expect: { repaired: /^index\/embedding\.hnsw$/ },
  },
  {
    name: 'index stale (a copy from before the last face was added)',
    damage: async (dir, base) => {
      await rm(join(dir, 'index'), { recursive: true });
      await cp(base.staleIndexDir, join(dir, 'index'), { recursive: true });
    },
    expect: { repaired: /^index\/embedding\.hnsw$/ },
  },
  {
    name: 'index file corrupt (bytes overwritten)',
    damage: (dir) => overwriteMiddle(join(dir, 'index', 'embedding.hnsw'), Buffer.alloc(256, 0xff)),
    expect: { repaired: /^index\/embedding\.hnsw$/ },
  },
  {
    name: 'index meta not JSON',
    damage: (dir) => writeFile(join(dir, 'index', 'embedding.meta.json'), '{"dim":12'),
    expect: { repaired: /^index\/embedding\.hnsw$/ },
  },
  {
    name: 'model switch killed after replacing embedding.f32, before library.json named the new model',
    damage: async (dir) => {
      // What Library.replaceEmbeddings leaves at that instant: marker, the old file kept, the new file in place.
      const vectors = join(dir, 'vectors');
      await writeFile(join(vectors, 'embedding.switch.json'), JSON.stringify({ from: { kind: 'backbone' }, to: { kind: 'head', modelId: 'embedder-v9' } }));
      await cp(join(vectors, 'embedding.f32'), join(vectors, 'embedding.previous.f32'));
      const bytes = await readFile(join(vectors, 'embedding.f32'));
      const other = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4).map((v) => v * 0.5);
      await writeFile(join(vectors, 'embedding.f32'), new Uint8Array(other.buffer));
      await writeFile(join(vectors, `.embedding.f32.${2 ** 22 + 5}.1.tmp`), Buffer.alloc(4096));
    },
    expect: { repaired: /^vectors\/embedding\.f32$/ },
  },
  {
    name: 'lock left by a process that died',
    damage: (dir) => writeFile(join(dir, '.lock'), JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), startedAt: new Date(0).toISOString() })),
    expect: { repaired: /^\.lock$/ },
  },
  {
    name: 'lock left before a reboot, its pid now reused by a running process',
    damage: (dir) => writeFile(join(dir, '.lock'), JSON.stringify({ pid: 1, host: hostname(), startedAt: new Date(Date.now() - uptime() * 1000 - 3_600_000).toISOString() })),
    expect: { repaired: /^\.lock$/ },
  },
  {
    name: 'faces.journal left by a crash, its last line cut short',
    damage: async (dir) => {
      const { faces, generation } = JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8')) as { faces: Array<Record<string, unknown>>; generation: string };
      const complete = JSON.stringify({ put: [{ ...faces[1], faceness: 0.25 }], remove: [] });
      // Its first line names the faces.json it goes over.
      await writeFile(join(dir, 'faces.journal'), `${JSON.stringify({ extends: generation })}\n${complete}\n${complete.slice(0, 40)}`);
    },
    expect: { repaired: /^faces\.journal$/ },
  },
  {
    name: 'faces.journal with a line of garbage before a good one',
    damage: async (dir) => {
      const { faces, generation } = JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8')) as { faces: Array<Record<string, unknown>>; generation: string };
      await writeFile(join(dir, 'faces.journal'), `${JSON.stringify({ extends: generation })}\n{"put":[{"id":7}],"remove":[]}\n${JSON.stringify({ put: [faces[2]], remove: [] })}\n`);
    },
    expect: { repaired: /^faces\.journal$/ },
  },
  {
    // faces.json was rewritten whole over the version in backups/, and the process died before deleting the journal
    // of that version: replayed over the newer faces.json, its lines would bring back what that write changed.
    name: 'faces.journal of the version before faces.json, left by a crash before it was deleted',
    damage: (dir) => cp(join(dir, 'backups', 'faces.journal'), join(dir, 'faces.journal')),
    expect: { repaired: /^faces\.journal$/ },
  },
  {
    name: 'faces.json written by a newer Familiar (schema 99)',
    damage: (dir) => editJson(join(dir, 'faces.json'), (v) => (v.schemaVersion = 99)),
    expect: { refused: /newer version of Familiar \(schema 99; this version reads up to \d+\).*nothing was changed/ },
  },
  {
    name: 'faces.json and its backup both damaged',
    damage: async (dir) => {
      await truncate(join(dir, 'faces.json'), 100);
      await writeFile(join(dir, 'backups', 'faces.json'), '');
    },
    expect: { refused: /faces\.json .* is damaged .*its backup is damaged too.*will not start an empty one/ },
  },
];

/** sha256 of every file under `dir` (relative path -> hash): "nothing changed on disk". */
export async function treeDigest(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.set(relative(dir, path), createHash('sha256').update(await readFile(path)).digest('hex'));
    }
  };
  await walk(dir);
  return out;
}

export interface DamageOutcome {
  name: string;
  ok: boolean;
  problems: string[];
  /** Decisions lost (must be 0). */
  lost: number;
  /** What the open reported (repairs) or the refusal message. */
  report: string[];
}

/**
 * Applies one case to a fresh copy of the base, then: a read-only open (what `familiar doctor` does) reports the
 * same problem and changes nothing on disk; a writing open repairs it (or refuses, changing nothing); a second
 * open finds nothing left to repair.
 */
export async function runDamageCase(base: DamageBase, c: DamageCase, workDir: string): Promise<DamageOutcome> {
  const dir = join(workDir, `damage-${c.name.replace(/\W+/g, '-').slice(0, 60)}`);
  await rm(dir, { recursive: true, force: true });
  await cp(base.dir, dir, { recursive: true });
  await c.damage(dir, base);
  const problems: string[] = [];
  const report: string[] = [];
  let lost = 0;
  const before = await treeDigest(dir);
  const unchanged = async (when: string) => {
    const after = await treeDigest(dir);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
    if (changed.length) problems.push(`${when} changed ${changed.join(', ')} on disk`);
  };
  try {
    if ('refused' in c.expect) {
      for (const readOnly of [true, false]) {
        const error = await Library.open(dir, { readOnly }).then(
          async (lib) => {
            await lib.close();
            return null;
          },
          (err: Error) => err,
        );
        if (!error) problems.push(`a ${readOnly ? 'read-only' : 'writing'} open accepted the library`);
        else {
          report.push(error.message);
          if (!c.expect.refused.test(error.message)) problems.push(`unexpected message: ${error.message}`);
        }
        await unchanged(`the refused ${readOnly ? 'read-only' : 'writing'} open`);
      }
      return { name: c.name, ok: problems.length === 0, problems, lost, report };
    }
    const expected = c.expect.repaired;
    // A read-only open takes no lock, so it has no stale lock to take over; every other repair it reports.
    if (!expected.test('.lock')) {
      const viewer = await Library.open(dir, { readOnly: true });
      try {
        if (!viewer.repairs.some((r) => expected.test(r.part))) problems.push(`a read-only open did not report ${expected}: ${JSON.stringify(viewer.repairs)}`);
        lost += lostDecisions(base.decisions, viewer).length;
      } finally {
        await viewer.close();
      }
      await unchanged('a read-only open');
    }
    const library = await Library.open(dir);
    try {
      report.push(...library.repairs.map((r) => `${r.part}: ${r.problem} -> ${r.action}`));
      if (!library.repairs.some((r) => expected.test(r.part))) problems.push(`no repair of ${expected} reported: ${JSON.stringify(library.repairs)}`);
      problems.push(...invariantProblems(library));
      const lostNow = lostDecisions(base.decisions, library);
      lost += lostNow.length;
      problems.push(...lostNow);
      const temps = [...(await treeDigest(dir)).keys()].filter((path) => path.endsWith('.tmp'));
      if (temps.length) problems.push(`temp files left after the repair: ${temps.join(', ')}`);
      if (library.faces.length !== base.faces) problems.push(`${library.faces.length} faces after the repair, ${base.faces} before`);
    } finally {
      await library.close();
    }
    const again = await Library.open(dir);
    try {
      if (again.repairs.length) problems.push(`the repair did not hold: the next open repaired ${JSON.stringify(again.repairs)}`);
    } finally {
      await again.close();
    }
  } catch (err) {
    problems.push(`threw: ${(err as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { name: c.name, ok: problems.length === 0, problems, lost, report };
}
