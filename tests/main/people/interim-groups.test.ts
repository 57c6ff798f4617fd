// People during an import (main/people/interim-groups.ts): QA saw the Photos header stay at "216 photos" while 363
// were in, and People empty for a whole first import ("People appear here once Familiar has grouped the faces"). The
// screens now hear of the photos as they are stored, and the faces stored so far are grouped at checkpoints, so
// groups appear while the import reads on; the end is what an import without checkpoints leaves, and what the user did
// to a group meanwhile (a name, a face rejected) holds through the later groupings and the end.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls, type CallName, type CallResult, type JobProgress } from '../../../preload/contract.js';
import { createDispatcher } from '../../../main/api/dispatch.js';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { JobCancelledError, ShuttingDown } from '../../../main/jobs/progress.js';
import type { FaceAnalysisService } from '../../../main/library/import.js';
import { listPeople, namePerson, twoPeopleQuestion } from '../../../main/people/index.js';
import { hasUngroupedFaces } from '../../../main/people/interim-groups.js';
import { BACKBONE_THRESHOLDS } from '../../../main/people/thresholds.js';
import type { Library } from '../../../main/store/library.js';
import type { DetectedFace, RgbImage } from '../../../models/types.js';
import { peopleAlbum, sharedFaces } from '../library/helpers.js';

/** Four people of ten photos each: ~40 photos, ~45 faces (some photos show a bystander). */
const PEOPLE = ['Tony_Blair', 'Venus_Williams', 'Vladimir_Putin', 'Winona_Ryder'];
const setup = peopleAlbum('familiar-interim-groups-', PEOPLE);

/**
 * The analysis pool, holding the photos after the first `free` until `open()`: the user's turn mid-import. With
 * `trickle`, one photo held is let through every so many ms meanwhile: the import goes on at that pace, so the photos
 * read are stored and checkpoints fall due however fast the machine analyses. By default the pool's answers are the
 * run's (setup.pool, a CachedAnalysis), found at once for photos analysed before.
 */
class GatedAnalyzer implements FaceAnalysisService {
  private calls = 0;
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  private nextTurn = 0;
  constructor(
    private readonly free: number,
    private readonly trickle?: number,
    private readonly pool: Required<FaceAnalysisService> = setup.pool,
  ) {}
  get size(): number {
    return this.pool.size;
  }
  async analyze(image: RgbImage, options?: Parameters<FaceAnalysisService['analyze']>[1]): Promise<DetectedFace[]> {
    if (++this.calls > this.free) {
      if (this.trickle === undefined) await this.gate;
      else {
        this.nextTurn = Math.max(Date.now(), this.nextTurn) + this.trickle;
        const turn = new Promise<void>((resolve) => setTimeout(resolve, this.nextTurn - Date.now()).unref());
        await Promise.race([this.gate, turn]);
      }
    }
    return this.pool.analyze(image, options);
  }
  open(): void {
    this.release();
  }
}

/** The library's faces as groups: each person's face ids (sorted), and the faces in no group. */
function partition(library: Library): string[] {
  const groups = new Map<string, string[]>();
  for (const f of library.faces) {
    const key = f.personId ?? `none:${f.id}`;
    groups.set(key, [...(groups.get(key) ?? []), f.id]);
  }
  return [...groups.values()].map((ids) => ids.sort().join(' ')).sort();
}

describe('an import that screens follow', () => {
  it('tells them of its photos as they are stored and groups faces before it ends; groups named or corrected meanwhile keep their names and faces', async () => {
    // Analysed for real, not found in the run's cache: the import writes the photos read as the next ones are done, so
    // the first thirty must take their time for a batch to be written, and groups drawn, before the user's turn.
    const pool = await AnalysisPool.create({ size: 2 });
    const analyzer = new GatedAnalyzer(30, undefined, pool);
    const engine = await Engine.open(join(setup.work, 'followed'), { analyzer, firstGroupingAfterPhotos: 8 });
    const events = new EventHub();
    const jobs = new JobRegistry(events);
    const api = await openEngineHandlers({ libraryDir: engine.dir, mode: 'browser', version: 'test', events, jobs, generated: new GeneratedImages(), engine });
    const dispatcher = createDispatcher(api.handlers);
    /** Through the dispatcher, the answer checked against the contract. */
    const call = async <K extends CallName>(name: K, args: unknown): Promise<CallResult<K>> => {
      const answer = await dispatcher.call(name, args);
      if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
      return calls[name].result.parse(answer.result) as CallResult<K>;
    };
    try {
      let stage = '';
      const changes: Array<{ what: string[]; stage: string; people: number }> = [];
      type Kept = { personId: string; faceIds: string[]; rejected: string };
      let acted: { named: Kept; unnamed: Kept } | null = null;
      let decided: Promise<void> | null = null;
      /**
       * Says one face of the group is not them; the faces it keeps then: of a named group, those the name vouched for
       * (the others are placed again, as any new face of a named person is).
       */
      const rejectOne = async (personId: string, named = false): Promise<Kept> => {
        const faces = engine.library.faces.filter((f) => f.personId === personId);
        const rejected = faces.at(-1)!.id;
        const kept = faces.filter((f) => f.id !== rejected && (!named || f.assignedBy === 'user')).map((f) => f.id);
        await call('faces.reject', { faceIds: [rejected], personId });
        return { personId, faceIds: kept, rejected };
      };
      events.subscribe((name, payload) => {
        if (name === 'job.progress') stage = (payload as { progress: JobProgress }).progress.stage;
        if (name !== 'library.changed') return;
        const what = (payload as { what: string[] }).what;
        const people = listPeople(engine.library);
        changes.push({ what, stage, people: people.length });
        if (decided || !what.includes('people') || people.length < 2) return;
        // The user names the largest group the import has drawn so far and says a face of it is not them, and says a
        // face of the next group is not that group's (naming vouches for faces; a rejection alone does not).
        decided = (async () => {
          await call('people.rename', { personId: people[0].id, name: 'Named Midway' });
          acted = { named: await rejectOne(people[0].id, true), unnamed: await rejectOne(people[1].id) };
        })().finally(() => analyzer.open());
      });
      // Not held for good should no group ever form: the assertions below say so instead.
      const fallback = setTimeout(() => analyzer.open(), 90_000);
      const { jobId } = await call('import.start', { paths: [setup.album] });
      const job = await jobs.settled(jobId);
      clearTimeout(fallback);
      expect(job.state).toBe('done');

      // While photos were read: the photos as they were stored, then the first groups.
      const during = changes.filter((c) => c.stage === 'analyse');
      expect(during.some((c) => c.what.includes('photos'))).toBe(true);
      expect(during.some((c) => c.what.includes('people') && c.people > 0)).toBe(true);
      // Throttled: far fewer than one per photo.
      expect(during.length).toBeLessThan(engine.library.photos.length / 2);

      // The groups acted on midway kept their names and faces (of the named one, those the name vouched for) through
      // the later groupings and the end; the faces said not to be them are not theirs.
      expect(acted).not.toBeNull();
      const { named, unnamed } = acted!;
      expect(engine.library.people.people.find((p) => p.id === named.personId)?.name).toBe('Named Midway');
      for (const { personId, faceIds, rejected } of [named, unnamed]) {
        const theirs = new Set(engine.library.faces.filter((f) => f.personId === personId).map((f) => f.id));
        expect(faceIds.length).toBeGreaterThan(1);
        expect(faceIds.filter((id) => !theirs.has(id))).toEqual([]);
        expect(theirs.has(rejected)).toBe(false);
      }
      // Every face placed or left unknown for good: nothing waits for a grouping.
      expect(engine.library.faces.filter((f) => f.unplaced)).toEqual([]);
      expect(listPeople(engine.library).length).toBeGreaterThanOrEqual(PEOPLE.length);

      // Settings and People count named people alike: a named person whose faces were all rejected is on neither.
      const solo = listPeople(engine.library).find((p) => p.name === null)!;
      await call('people.rename', { personId: solo.id, name: 'Nobody Now' });
      await call('faces.reject', { faceIds: engine.library.faces.filter((f) => f.personId === solo.id).map((f) => f.id), personId: solo.id });
      const shownNamed = (await call('people.list', {})).filter((p) => p.name !== null).length;
      expect((await call('library.info', {})).counts.namedPeople).toBe(shownNamed);
      expect(engine.library.people.people.some((p) => p.name === 'Nobody Now')).toBe(true);
    } finally {
      await jobs.shutdown();
      await api.close();
      await pool.close();
    }
  }, 300_000);

  it('ends with the groups an import nobody follows draws at its end', async () => {
    const followed = await Engine.open(join(setup.work, 'checkpoints'), { analyzer: new GatedAnalyzer(0, 250), firstGroupingAfterPhotos: 6 });
    const plain = await Engine.open(join(setup.work, 'plain'), { analyzer: setup.pool });
    try {
      let groupings = 0;
      await followed.import([setup.album], { onLibraryChanged: (what) => (groupings += what.includes('people') ? 1 : 0) });
      await plain.import([setup.album]);
      // Several checkpoints ran, and the end is the same partition of the same faces.
      expect(groupings).toBeGreaterThanOrEqual(2);
      expect(followed.library.faces.map((f) => f.id).sort()).toEqual(plain.library.faces.map((f) => f.id).sort());
      expect(partition(followed.library)).toEqual(partition(plain.library));
      expect(followed.library.people.people.length).toBe(plain.library.people.people.length);
    } finally {
      await followed.close();
      await plain.close();
    }
  }, 300_000);

  it('stopped after checkpoints, ends as a stopped import does: a cancel groups every face kept, a close leaves them to the next open', async () => {
    /** Imports, stopping once `groupings` checkpoints have written their groups. */
    const stopAfterGroupings = async (engine: Engine, groupings: number, stop: (controller: AbortController) => void) => {
      const controller = new AbortController();
      let seen = 0;
      const stopped = await engine
        .import([setup.album], {
          signal: controller.signal,
          onLibraryChanged: (what) => {
            if (what.includes('people') && ++seen === groupings) stop(controller);
          },
        })
        .then(() => null, (err: unknown) => err);
      expect(seen).toBeGreaterThanOrEqual(groupings);
      return stopped;
    };
    /**
     * Every face grouped (for now: the import that resumes a stopped one draws them again, import-resumed.test.ts), and
     * no group left empty by the groupings drawn again.
     */
    const expectSettled = (library: Library) => {
      expect(hasUngroupedFaces(library)).toBe(false);
      const used = new Set(library.faces.map((f) => f.personId));
      expect(library.people.people.filter((p) => !used.has(p.id))).toEqual([]);
      expect(listPeople(library).length).toBeGreaterThanOrEqual(2);
    };

    // At four photos a second: checkpoints fall due before the import ends, however fast the machine analyses.
    const cancelled = await Engine.open(join(setup.work, 'cancelled'), { analyzer: new GatedAnalyzer(0, 250), firstGroupingAfterPhotos: 6 });
    try {
      const stopped = await stopAfterGroupings(cancelled, 2, (c) => c.abort());
      expect(stopped).toBeInstanceOf(JobCancelledError);
      expect(cancelled.library.photos.length).toBeLessThan(PEOPLE.length * 10);
      expectSettled(cancelled.library);
    } finally {
      await cancelled.close();
    }

    const closed = await Engine.open(join(setup.work, 'closed'), { analyzer: new GatedAnalyzer(0, 250), firstGroupingAfterPhotos: 6 });
    try {
      const stopped = await stopAfterGroupings(closed, 2, (c) => c.abort(new ShuttingDown()));
      expect(stopped).toBeInstanceOf(JobCancelledError);
      // The interim groups show until the next open, their faces still waiting for the grouping that settles them.
      expect(listPeople(closed.library).length).toBeGreaterThan(0);
      expect(closed.library.faces.every((f) => f.unplaced)).toBe(true);
      expect(closed.hasUngroupedFaces()).toBe(true);
      await closed.finishStoppedImport();
      expectSettled(closed.library);
    } finally {
      await closed.close();
    }
  }, 300_000);

  it('a group that mixes two lookalikes, named midway, keeps the faces the name vouched for, and the other person leaves it', async () => {
    // QA: a checkpoint showed Andy Roddick and Amelie Mauresmo as one group, as the end of an import of the same faces
    // does too (docs/architecture.md "Screens during an import"); the user named it, and it ended with both people.
    // With Andre Agassi's photos around them the clustering joins the two; the name vouches for one of them.
    const LOOSE_CLUSTER_DISTANCE = 0.15;
    const LOOKALIKES = ['Amelie_Mauresmo', 'Andre_Agassi', 'Andy_Roddick', 'Arnold_Schwarzenegger'];
    const album = join(setup.work, 'lookalikes');
    for (const person of LOOKALIKES) cpSync(join(sharedFaces, 'lfw_subset', person), join(album, person), { recursive: true });
    // The first checkpoint groups the 32 photos read before the user's turn (and at most a photo or two let through
    // after them): not whatever a batch held when it passed a lower count, which depended on the machine's speed (at
    // 26 photos the two people are not yet one group, and the next checkpoint may not come before the end). One
    // photo every 8 s meanwhile keeps batches being written however slowly a loaded machine writes them.
    const analyzer = new GatedAnalyzer(32, 8000);
    const engine = await Engine.open(join(setup.work, 'lookalikes-library'), { analyzer, firstGroupingAfterPhotos: 32 });
    // A much looser grouping distance than the backbone's 0.08 (a head's carried cut reached 0.135 in QA's library,
    // docs/embedder.md): at 0.08, and up to 0.1, the clustering keeps these people apart since a chain of faces stopped
    // outscoring its parts (few-photos-people.test.ts), so the mixed group this test is about no longer arises there.
    await engine.library.transaction((tx) => {
      tx.settings.peopleThresholds = { backbone: { cluster: { ...BACKBONE_THRESHOLDS.cluster, maxDistance: LOOSE_CLUSTER_DISTANCE } } };
    });
    /** Whose photos a face is in: the lfw folder of its photo. */
    const whose = (faceId: string) => LOOKALIKES.find((person) => engine.library.photo(engine.library.face(faceId)!.photoId)!.paths[0].includes(`/${person}/`))!;
    const facesOf = (personId: string) => engine.library.faces.filter((f) => f.personId === personId).map((f) => f.id);
    try {
      let named: { personId: string; people: Set<string>; vouched: string[]; leaving: Set<string> } | null = null;
      let decided: Promise<void> | null = null;
      await engine.import([album], {
        onLibraryChanged: (what) => {
          if (decided || !what.includes('people')) return;
          // The user names the group that holds two people's faces (the person's page asks "may be two people?").
          const mixed = listPeople(engine.library).find((p) => new Set(facesOf(p.id).map(whose)).size > 1 && twoPeopleQuestion(engine.library, p.id));
          if (!mixed) return;
          const question = twoPeopleQuestion(engine.library, mixed.id)!;
          decided = namePerson(engine.library, mixed.id, 'Mid Person')
            .then(() => {
              const vouched = engine.library.faces.filter((f) => f.personId === mixed.id && f.assignedBy === 'user').map((f) => f.id);
              named = { personId: mixed.id, people: new Set(facesOf(mixed.id).map(whose)), vouched, leaving: new Set(question.leaves.map(whose)) };
            })
            .finally(() => analyzer.open());
        },
      });
      await decided;

      // A checkpoint drew the two people as one group, and the user named it.
      expect(named, 'no checkpoint group held two people: the scenario did not arise').not.toBeNull();
      const { personId, people, vouched, leaving } = named!;
      expect(people.size).toBeGreaterThan(1);
      expect(vouched.length).toBeGreaterThanOrEqual(3);
      // The faces the name vouched for kept it; the group ended as one person, theirs; the other part's person is not in it.
      const theirs = facesOf(personId);
      expect(engine.library.people.people.find((p) => p.id === personId)?.name).toBe('Mid Person');
      expect(vouched.filter((id) => !theirs.includes(id))).toEqual([]);
      const owner = whose(vouched[0]);
      expect(theirs.map(whose).filter((person) => person !== owner)).toEqual([]);
      for (const person of leaving) if (person !== owner) expect(engine.library.faces.some((f) => whose(f.id) === person && f.personId !== null && f.personId !== personId)).toBe(true);
      expect(engine.library.faces.filter((f) => f.unplaced)).toEqual([]);
    } finally {
      await engine.close();
    }
  }, 300_000);
});
