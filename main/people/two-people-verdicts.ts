// The "may be two people" marker on People cards: twoPeopleQuestion's verdict (two-people.ts) for every person, kept
// per person and worked out in the background. One group's verdict costs 19-230 ms (a dendrogram of its faces), far
// too much for every card of every list request, so the list only reads what is kept here and never waits for it.
//
// Each verdict is kept under a digest of everything it depends on: the person's faces in order (ids, vector rows,
// detector scores, who placed them; a linked copy's face left out, as the question leaves it: copy-faces.ts), the cover
// they chose, "one person" answered, the embedding in use and the same-person distances (the backbone's too while a
// head is in use: judging-spaces.ts). A decision (merge, move, confirm, reject, split, name) changes the digests of the
// people it touched only, so only they are judged again; a new embedding head or distance changes every digest. A
// person whose digest changed shows no marker until judged again: a stale "two people" after a split would be wrong, a
// marker a second late is not. Measured in docs/clustering.md ("The marker on People cards").
//
// Checking digests costs in proportion to the change: a decision says whom it touched (touched()), and only they are
// hashed again, after one walk over the faces for theirs (2 ms at 100,000 faces against 35-120 ms for every person). A
// change nobody named (a job's batch, a setting) is found by one walk comparing every face with what its person's last
// check saw (the record itself, its row, score and who placed it: no hashing), and only the people whose faces or
// fields differ are hashed again. A copy's link made or parted ("Not a copy", its Undo, an import's link, the original
// removed) changes which faces the question reads and no face: the faces counted as a copy's are compared with the last
// check's, and their people hashed again (costing the links after a commit that put or took out photos; nothing after a
// decision that only changed faces, or without copies). While a job commits batch after batch that check waits for its
// end: until then a mark only the job's batches made stale stays (an import's new faces seldom change a verdict), while
// a decision's people lose theirs at once.
import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../jobs/worker-host.js';
import type { Library } from '../store/library.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { facesCountedAsOriginals, withoutCopyFaces } from './copy-faces.js';
import type { JudgedLibrary } from './library.js';
import { judgingKey, judgingSpaces } from './judging-spaces.js';
import type { TwoPartsAnswer, TwoPartsRequest } from './two-parts-worker.js';
import { TWO_PEOPLE_MIN_FACES, twoPartsToJudge, twoPeopleFromParts, twoPeopleQuestionOf, type TwoPeopleQuestion } from './two-people.js';

/**
 * Groups of this many faces or more are judged in a worker thread (two-parts-worker.ts): their dendrogram takes from
 * a millisecond to a fifth of a second, a pause every request would wait out. Smaller ones take less here than posting
 * them to the thread.
 */
export const JUDGED_IN_WORKER = 20;

export type VerdictLibrary = JudgedLibrary & Pick<Library, 'copies' | 'copyLinksRevision'> & { readonly revision: number };

/** What a decision says it touched (main/people/types.ts OperationResult): the people, and the faces it changed. */
export interface Touched {
  personIds?: readonly string[];
  faceIds?: readonly string[];
}

export interface TwoPeopleVerdictOptions {
  /**
   * Whether to hold off for now: a job that commits again and again (an import grouping as it goes) would make the
   * work stale before it is shown, and the thread is its. Asked between slices.
   */
  busy?: () => boolean;
  /** After a fill that changed who is marked since the list last read the marks: the screens may ask again. */
  onMarksChanged?: () => void;
  /** How long one slice of work may hold the thread before letting requests through. */
  sliceMs?: number;
  /** How long to wait before asking `busy` again. */
  busyWaitMs?: number;
  /** Groups of this many faces or more are judged in the worker thread: JUDGED_IN_WORKER; Infinity, never. */
  judgedInWorkerFrom?: number;
  /**
   * Verdicts worked out before, by person (a command's last run: kept-verdicts-file.ts). Each is taken only while its
   * digest is the person's now, so a stale one is judged again like any changed person.
   */
  kept?: ReadonlyMap<string, KeptVerdict>;
}

/** A person's verdict, and the digest of what it was judged on (keyOf): good while the digest is the same. */
export interface KeptVerdict {
  key: string;
  question: TwoPeopleQuestion | null;
}
type Kept = KeptVerdict;

/**
 * What a person's last check saw, to find without hashing whether anything their verdict depends on changed since:
 * their faces in order (the records: a face put anew is another record), each one's vector row, detector score and
 * whether the user placed it (a decision changes those in place), and the person's own fields.
 */
interface Seen {
  faces: FaceRecord[];
  rows: number[];
  scores: number[];
  byUser: boolean[];
  hidden: boolean;
  onePerson: boolean;
  coverFaceId: string | null;
  /** Faces found as seen so far in the walk under way; -1 once one differed. */
  matched: number;
}

/** A person to judge: their record and faces as of the check that found their digest changed. */
interface Pending {
  person: PersonRecord;
  own: FaceRecord[];
  key: string;
}

/** Keeps every shown person's verdict, judged again in the background when what it depends on changed. */
export class TwoPeopleVerdicts {
  private readonly kept = new Map<string, Kept>();
  /** The library revision up to which every change is checked or its people are in `dirty`; -1: never. */
  private checkedAt = -1;
  /** The embedding and distance (globalKey) of the last check: another changes every digest. */
  private checkedGlobal: string | null = null;
  /** People a decision touched since the last check (touched()): checked next, and shown unmarked until then. */
  private readonly dirty = new Set<string>();
  /** The person each face was in when its person was last hashed: where a face a decision names came from. */
  private readonly owner = new Map<string, string>();
  /** Every person with faces as their last check saw them: a change nobody named hashes only those it changed. */
  private readonly seen = new Map<string, Seen>();
  /** The faces left out of the question at the last check as a linked copy's (facesCountedAsOriginals). */
  private countedAsOriginals: ReadonlySet<string> = new Set();
  /** The library's copyLinksRevision they were read at: -1, never. */
  private copiesReadAt = -1;
  /** The revision a check was held off at while a job committed (refresh() at its end checks): -1, none. */
  private heldAt = -1;
  /** People whose digest changed at the last check, largest first. */
  private pending: Pending[] = [];
  private filling: Promise<void> | null = null;
  private stopped = false;
  /** The marks the list last read (null: never read), to say when a fill changed them. */
  private served: ReadonlySet<string> | null = null;
  /** currentMarks, until a verdict changes. */
  private marks: ReadonlySet<string> | null = null;
  private readonly sliceMs: number;
  private readonly busyWaitMs: number;
  /** The thread large groups are judged in, started with the first one and ended by stop(). */
  private worker: Worker | null = null;
  private workerFailed = false;
  private readonly answers = new Map<number, (answer: TwoPartsAnswer) => void>();
  private nextRequest = 0;

  constructor(
    private readonly library: VerdictLibrary,
    private readonly options: TwoPeopleVerdictOptions = {},
  ) {
    this.sliceMs = options.sliceMs ?? 25;
    this.busyWaitMs = options.busyWaitMs ?? 1000;
    for (const [personId, verdict] of options.kept ?? []) this.kept.set(personId, verdict);
  }

  /** The verdicts judged for the library as it was at the last check (settled() first), to keep for the next run. */
  keptVerdicts(): Map<string, KeptVerdict> {
    const out = new Map<string, KeptVerdict>();
    // '' is "too few faces": nothing judged, nothing worth keeping.
    for (const [personId, verdict] of this.kept) if (verdict.key !== '' && !this.dirty.has(personId)) out.set(personId, verdict);
    return out;
  }

  /**
   * The people marked "may be two people": those whose kept verdict is a question. Never judges anyone: a change
   * since the last check starts a fill in the background, and until it has run these are the marks from before it.
   */
  marked(): ReadonlySet<string> {
    // Every card of a list asks: held off while a job commits, this is not asked again until the next commit.
    if (this.outOfDate() && this.heldAt !== this.library.revision) this.refresh();
    const marks = this.currentMarks();
    this.served = marks;
    return marks;
  }

  /**
   * One person's question, exact for their faces now (the person page's panel and its split): the kept verdict when
   * nothing it depends on changed, else judged now and kept, so the marker and the panel always agree.
   */
  question(personId: string): TwoPeopleQuestion | null {
    const person = this.library.people.people.find((p) => p.id === personId);
    if (!person) return null;
    const own = this.library.faces.filter((f) => f.personId === personId);
    const key = this.keyOf(person, own, this.globalKey());
    const kept = this.kept.get(personId);
    if (kept?.key === key) return kept.question;
    const question = twoPeopleQuestionOf(this.library, person, own);
    this.keep(personId, { key, question });
    return question;
  }

  /**
   * A decision committed (handlers.ts, before its library.changed): `from` and `to` are the revisions before and after
   * it, `change` whom it says it touched. When it was the one transaction since the last check, its people, and those
   * its faces were and are in, are all the next check hashes; else (something else committed meanwhile, which nobody
   * named) the revision gap leaves it to a check of everyone. Either way its people show no marker until checked.
   */
  touched(from: number, to: number, change: Touched): void {
    if (this.stopped) return;
    const personIds = change.personIds ?? [];
    const faceIds = change.faceIds ?? [];
    for (const id of personIds) this.dirty.add(id);
    for (const id of faceIds) {
      const before = this.owner.get(id);
      const now = this.library.face(id)?.personId;
      if (before !== undefined) this.dirty.add(before);
      if (now) this.dirty.add(now);
    }
    this.marks = null;
    // A decision is one transaction (decide()): one more, and it was someone else's too.
    if (from === this.checkedAt && to === from + 1 && (personIds.length > 0 || faceIds.length > 0)) this.checkedAt = to;
  }

  /**
   * Checks the digests of the people changed since the last check against the kept ones now (synchronous: called on
   * the change event, before a list request can read stale marks), and starts a fill in the background for those
   * changed. While a job commits batch after batch this waits: the job's end calls it again.
   */
  refresh(): void {
    if (this.stopped) return;
    if (this.outOfDate()) {
      if (this.options.busy?.()) {
        this.heldAt = this.library.revision;
        return;
      }
      this.check();
    }
    if (this.pending.length === 0 || this.filling) return;
    this.filling = this.fill().finally(() => {
      this.filling = null;
      // Queued after the fill's last look at the queue: another fill takes them.
      if (this.pending.length > 0) this.refresh();
    });
  }

  /** Resolves once every shown person is judged for the library as it is then (tests and the benchmark wait on it). */
  async settled(): Promise<void> {
    for (;;) {
      this.refresh();
      if (!this.filling) return;
      await this.filling;
    }
  }

  /** Stops filling (the library is closing); a slice under way ends first, and nothing is judged after. */
  stop(): void {
    this.stopped = true;
    this.pending = [];
    void this.worker?.terminate();
    this.worker = null;
    for (const answer of this.answers.values()) answer({ id: -1, error: 'stopped' });
    this.answers.clear();
  }

  /** Made again only after a verdict changed: every card of a list asks. */
  private currentMarks(): ReadonlySet<string> {
    if (this.marks) return this.marks;
    const marks = new Set<string>();
    for (const [personId, kept] of this.kept) if (kept.question && !this.dirty.has(personId)) marks.add(personId);
    return (this.marks = marks);
  }

  /** Whether something committed or was decided since the last check. */
  private outOfDate(): boolean {
    return this.checkedAt !== this.library.revision || this.dirty.size > 0;
  }

  private keep(personId: string, verdict: Kept | null): void {
    const before = this.kept.get(personId);
    if (verdict) this.kept.set(personId, verdict);
    else this.kept.delete(personId);
    if ((before?.question ?? null) !== (verdict?.question ?? null)) this.marks = null;
  }

  /**
   * Compares digests with the kept ones: the changed are dropped and queued, largest first. Only the people decisions
   * named (and those a copy's link made or parted concerns) when nothing else changed since the last check; else every
   * shown person.
   */
  private check(): void {
    const revision = this.library.revision;
    const global = this.globalKey();
    if (revision === this.checkedAt && global === this.checkedGlobal) this.checkSome(new Set([...this.dirty, ...this.copiesChanged()]), global);
    else this.checkAll(global);
    this.dirty.clear();
    this.marks = null;
    this.checkedAt = revision;
    this.checkedGlobal = global;
    this.heldAt = -1;
  }

  /**
   * After a change nobody named: the people whose faces or fields differ from what their last check saw (one walk over
   * the faces, comparing, no hashing) or whose faces a copy's link now leaves in or out, or everyone when the embedding
   * or the distance changed (every digest did).
   */
  private checkAll(global: string): void {
    const copiesChanged = this.copiesChanged();
    this.checkSome(global === this.checkedGlobal ? new Set([...this.changedSinceSeen(), ...copiesChanged]) : this.everyone(), global);
  }

  /**
   * The people of the faces a link made or parted since the last check now leaves in or out of the question ("Not a
   * copy", its Undo, an import's link, an original removed): no face of theirs changed, so the walk does not find them.
   * Costs the library's copies after a commit that put or took out photos, and nothing after a decision that only
   * changed faces, or in a library without copies.
   */
  private copiesChanged(): Set<string> {
    const changed = new Set<string>();
    if (this.copiesReadAt === this.library.copyLinksRevision) return changed;
    this.copiesReadAt = this.library.copyLinksRevision;
    if (this.countedAsOriginals.size === 0 && !this.library.hasCopies) return changed;
    const now = facesCountedAsOriginals(this.library);
    const before = this.countedAsOriginals;
    // A face gone since is its person's change, found by the walk.
    const concerns = (faceId: string) => {
      const personId = this.library.face(faceId)?.personId;
      if (personId) changed.add(personId);
    };
    for (const id of now) if (!before.has(id)) concerns(id);
    for (const id of before) if (!now.has(id)) concerns(id);
    this.countedAsOriginals = now;
    return changed;
  }

  /** Every person listed, kept or seen: all a check of everyone hashes. */
  private everyone(): Set<string> {
    return new Set([...this.library.people.people.map((p) => p.id), ...this.kept.keys(), ...this.seen.keys()]);
  }

  /** The people whose faces (in order, with their rows, scores and who placed them) or fields changed since last seen. */
  private changedSinceSeen(): Set<string> {
    const changed = new Set<string>();
    for (const seen of this.seen.values()) seen.matched = 0;
    for (const f of this.library.faces) {
      if (f.personId === null) continue;
      const seen = this.seen.get(f.personId);
      if (!seen) {
        changed.add(f.personId);
        continue;
      }
      const i = seen.matched;
      if (i < 0) continue;
      seen.matched = seen.faces[i] === f && seen.rows[i] === f.vectorRow && seen.scores[i] === f.score && seen.byUser[i] === (f.assignedBy === 'user') ? i + 1 : -1;
    }
    for (const [personId, seen] of this.seen) if (seen.matched !== seen.faces.length) changed.add(personId);
    for (const person of this.library.people.people) {
      const seen = this.seen.get(person.id);
      if (seen && (seen.hidden !== person.hidden || seen.onePerson !== (person.onePerson === true) || seen.coverFaceId !== person.coverFaceId)) changed.add(person.id);
    }
    return changed;
  }

  /** These people only: one walk over the faces for theirs, and only they hashed (and seen as they are now). */
  private checkSome(personIds: ReadonlySet<string>, global: string): void {
    const own = new Map<string, FaceRecord[]>();
    if (personIds.size > 0) {
      for (const f of this.library.faces) {
        if (f.personId === null || !personIds.has(f.personId)) continue;
        const list = own.get(f.personId);
        if (list) list.push(f);
        else own.set(f.personId, [f]);
      }
    }
    const pending = this.pending.filter((p) => !personIds.has(p.person.id));
    const shown = new Set<string>();
    const listed = new Set<string>();
    for (const person of this.library.people.people) {
      if (!personIds.has(person.id)) continue;
      listed.add(person.id);
      const faces = own.get(person.id);
      this.see(person, faces ?? []);
      // Hidden people show no card, so no marker: judged when shown again (showing them is a change too).
      if (!faces || person.hidden) continue;
      shown.add(person.id);
      const changed = this.checkPerson(person, faces, global);
      if (changed) pending.push(changed);
    }
    // Gone, hidden or without faces now: no card, no marker.
    for (const personId of personIds) {
      if (!shown.has(personId)) this.keep(personId, null);
      // Faces naming no listed person are seen as a hidden one's: not found changed again at every check.
      if (!listed.has(personId)) this.see({ id: personId, name: null, hidden: true, coverFaceId: null, createdAt: '' }, own.get(personId) ?? []);
    }
    this.pending = pending.sort((a, b) => b.own.length - a.own.length);
  }

  /** Remembers what a person's check saw (changedSinceSeen compares with it), and forgets where their faces were. */
  private see(person: PersonRecord, own: FaceRecord[]): void {
    this.forget(person.id);
    if (own.length === 0) return;
    this.seen.set(person.id, {
      faces: own,
      rows: own.map((f) => f.vectorRow),
      scores: own.map((f) => f.score),
      byUser: own.map((f) => f.assignedBy === 'user'),
      hidden: person.hidden,
      onePerson: person.onePerson === true,
      coverFaceId: person.coverFaceId,
      matched: 0,
    });
  }

  /** Drops what was seen of a person, and the faces said to be theirs (checkPerson says so again for those still in). */
  private forget(personId: string): void {
    const seen = this.seen.get(personId);
    if (!seen) return;
    for (const f of seen.faces) if (this.owner.get(f.id) === personId) this.owner.delete(f.id);
    this.seen.delete(personId);
  }

  /** One shown person's digest against the kept one: what to judge when it changed, else null. */
  private checkPerson(person: PersonRecord, own: FaceRecord[], global: string): Pending | null {
    // Too few faces for two parts of three: no question, whatever the faces, and nothing to hash.
    if (own.length < TWO_PEOPLE_MIN_FACES || person.onePerson) {
      this.keep(person.id, { key: '', question: null });
      return null;
    }
    for (const f of own) this.owner.set(f.id, person.id);
    const key = this.keyOf(person, own, global);
    if (this.kept.get(person.id)?.key === key) return null;
    this.keep(person.id, null);
    return { person, own, key };
  }

  /** Judges the queued people in slices of about sliceMs, letting requests through between them. */
  private async fill(): Promise<void> {
    // Nothing on the caller's turn: the list request (or the change event) that started the fill answers first.
    await new Promise((resolve) => setImmediate(resolve));
    let sliceStart = performance.now();
    while (!this.stopped) {
      if (this.options.busy?.()) {
        await new Promise((resolve) => setTimeout(resolve, this.busyWaitMs));
        sliceStart = performance.now();
        continue;
      }
      // A commit while this yielded: what was queued may be stale, so the queue is made again from the library now.
      if (this.outOfDate()) this.check();
      const next = this.pending.shift();
      if (!next) break;
      if (next.own.length >= (this.options.judgedInWorkerFrom ?? JUDGED_IN_WORKER) && !this.workerFailed) {
        const revision = this.library.revision;
        const question = await this.judgeInWorker(next);
        // A commit while the thread worked leaves the verdict good if the person's digest is the one judged (another
        // person's decision, an import's batch): else it is dropped, and the check queues the person again.
        if (question !== undefined && !this.stopped && (revision === this.library.revision || this.keyNow(next.person.id) === next.key)) {
          this.keep(next.person.id, { key: next.key, question });
          // Queued again meanwhile by a check of everyone, with the digest just judged.
          this.pending = this.pending.filter((p) => p.person.id !== next.person.id || p.key !== next.key);
        }
        sliceStart = performance.now();
        continue;
      }
      this.keep(next.person.id, { key: next.key, question: this.judge(next) });
      if (performance.now() - sliceStart > this.sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    if (this.stopped || this.served === null) return;
    const marks = this.currentMarks();
    if (marks.size !== this.served.size || [...marks].some((id) => !this.served!.has(id))) {
      this.served = marks;
      this.options.onMarksChanged?.();
    }
  }

  /** A verdict that cannot be worked out is no marker: the person page asks again, and says why if it fails there. */
  private judge(pending: Pending): TwoPeopleQuestion | null {
    try {
      return twoPeopleQuestionOf(this.library, pending.person, pending.own);
    } catch {
      return null;
    }
  }

  /**
   * The verdict worked out in the worker thread; undefined when it could not be (the thread failed to start or died:
   * this and later groups are judged here instead), or the fill was stopped.
   */
  private async judgeInWorker(pending: Pending): Promise<TwoPeopleQuestion | null | undefined> {
    // In each space twoPeopleQuestionOf judges in, the same order: the first question found is the one asked.
    for (const space of judgingSpaces(this.library)) {
      const asked = twoPartsToJudge(this.library, pending.person, pending.own, space);
      if (!asked) continue;
      const worker = this.startedWorker();
      if (!worker) return this.judge(pending);
      const id = this.nextRequest++;
      // Held alive while it works for us (a script awaiting settled() must not end under it), idle it holds nothing up.
      worker.ref();
      const answer = await new Promise<TwoPartsAnswer>((resolve) => {
        this.answers.set(id, resolve);
        const request: TwoPartsRequest = { id, dim: asked.vectors.dim, count: asked.vectors.count, data: asked.vectors.data, options: asked.options };
        worker.postMessage(request, [asked.vectors.data.buffer as ArrayBuffer]);
      }).finally(() => this.worker?.unref());
      if ('error' in answer) return this.stopped ? undefined : this.judge(pending);
      // The faces are the ones asked about: a commit meanwhile is caught by the caller's revision check.
      const question = twoPeopleFromParts(this.library, pending.person, pending.own, answer.parts);
      if (question) return question;
    }
    return null;
  }

  private startedWorker(): Worker | null {
    if (this.worker || this.workerFailed) return this.worker;
    try {
      const worker = startWorker(siblingModule(import.meta.url, 'two-parts-worker'));
      worker.on('message', (answer: TwoPartsAnswer) => {
        this.answers.get(answer.id)?.(answer);
        this.answers.delete(answer.id);
      });
      const failed = (why: string) => {
        this.workerFailed = true;
        this.worker = null;
        for (const answer of this.answers.values()) answer({ id: -1, error: why });
        this.answers.clear();
      };
      worker.on('error', (err) => failed(err.message));
      worker.on('exit', () => {
        if (!this.stopped) failed('the thread ended');
      });
      this.worker = worker;
    } catch {
      this.workerFailed = true;
    }
    return this.worker;
  }

  /** A shown person's digest as the library is now; null when they have no card. */
  private keyNow(personId: string): string | null {
    const person = this.library.people.people.find((p) => p.id === personId);
    if (!person || person.hidden) return null;
    return this.keyOf(person, this.library.faces.filter((f) => f.personId === personId), this.globalKey());
  }

  /** What every verdict depends on besides the person: the embedding in use and the distances the question cuts at. */
  private globalKey(): string {
    return judgingKey(this.library);
  }

  /**
   * A digest of what the person's verdict depends on: of their faces, those the question reads (a linked copy's is
   * left out, copy-faces.ts). A face's vector row changes when it is described again.
   */
  private keyOf(person: PersonRecord, own: readonly FaceRecord[], global: string): string {
    const parts = [global, person.onePerson ? '1' : '0', person.coverFaceId ?? ''];
    for (const f of withoutCopyFaces(this.library, own)) parts.push(`${f.id}:${f.vectorRow}:${f.score}:${f.assignedBy === 'user' ? 'u' : 'c'}`);
    return createHash('sha1').update(parts.join('|')).digest('base64');
  }
}
