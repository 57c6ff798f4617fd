// The "may be two people" marker on People cards: twoPeopleQuestion's verdict (two-people.ts) for every person, kept
// per person and worked out in the background. One group's verdict costs 19-230 ms (a dendrogram of its faces), far
// too much for every card of every list request, so the list only reads what is kept here and never waits for it.
//
// Each verdict is kept under a digest of everything it depends on: the person's faces in order (ids, vector rows,
// detector scores, who placed them), the cover they chose, "one person" answered, the embedding in use and the
// same-person distance. A decision (merge, move, confirm, reject, split, name) changes the digests of the people it
// touched only, so only they are judged again; a new embedding head or distance changes every digest. A person whose
// digest changed shows no marker until judged again: a stale "two people" after a split would be wrong, a marker a
// second late is not. Measured in docs/clustering.md ("The marker on People cards").
import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../jobs/worker-host.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { facesByPerson, type PeopleLibrary } from './library.js';
import { thresholdsFor } from './thresholds.js';
import type { TwoPartsAnswer, TwoPartsRequest } from './two-parts-worker.js';
import { TWO_PEOPLE_MIN_FACES, twoPartsToJudge, twoPeopleFromParts, twoPeopleQuestionOf, type TwoPeopleQuestion } from './two-people.js';

/**
 * Groups of this many faces or more are judged in a worker thread (two-parts-worker.ts): their dendrogram takes from
 * a millisecond to a fifth of a second, a pause every request would wait out. Smaller ones take less here than posting
 * them to the thread.
 */
export const JUDGED_IN_WORKER = 20;

export type VerdictLibrary = PeopleLibrary & { readonly revision: number };

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
}

interface Kept {
  key: string;
  question: TwoPeopleQuestion | null;
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
  /** The library revision the digests were last checked at; -1: never. */
  private checkedAt = -1;
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
  }

  /**
   * The people marked "may be two people": those whose kept verdict is a question. Never judges anyone: a change
   * since the last check starts a fill in the background, and until it has run these are the marks from before it.
   */
  marked(): ReadonlySet<string> {
    if (this.checkedAt !== this.library.revision) this.refresh();
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
   * Checks every person's digest against the kept one now (one walk over the faces, synchronous: called on the
   * change event, before a list request can read stale marks), and starts a fill in the background for those changed.
   */
  refresh(): void {
    if (this.stopped) return;
    if (this.checkedAt !== this.library.revision) this.check();
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
    for (const [personId, kept] of this.kept) if (kept.question) marks.add(personId);
    return (this.marks = marks);
  }

  private keep(personId: string, verdict: Kept | null): void {
    const before = this.kept.get(personId);
    if (verdict) this.kept.set(personId, verdict);
    else this.kept.delete(personId);
    if ((before?.question ?? null) !== (verdict?.question ?? null)) this.marks = null;
  }

  /** Compares every shown person's digest with the kept one: the changed are dropped and queued, largest first. */
  private check(): void {
    const revision = this.library.revision;
    const global = this.globalKey();
    const byPerson = facesByPerson(this.library.faces);
    const shown = new Set<string>();
    const pending: Pending[] = [];
    for (const person of this.library.people.people) {
      const own = byPerson.get(person.id);
      // Hidden people show no card, so no marker: judged when shown again (showing them is a change too).
      if (!own || person.hidden) continue;
      shown.add(person.id);
      // Too few faces for two parts of three: no question, whatever the faces, and nothing to hash.
      if (own.length < TWO_PEOPLE_MIN_FACES || person.onePerson) {
        this.keep(person.id, { key: '', question: null });
        continue;
      }
      const key = this.keyOf(person, own, global);
      if (this.kept.get(person.id)?.key === key) continue;
      this.keep(person.id, null);
      pending.push({ person, own, key });
    }
    for (const personId of [...this.kept.keys()]) if (!shown.has(personId)) this.keep(personId, null);
    this.pending = pending.sort((a, b) => b.own.length - a.own.length);
    this.checkedAt = revision;
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
      if (this.checkedAt !== this.library.revision) this.check();
      const next = this.pending.shift();
      if (!next) break;
      if (next.own.length >= (this.options.judgedInWorkerFrom ?? JUDGED_IN_WORKER) && !this.workerFailed) {
        const revision = this.library.revision;
        const question = await this.judgeInWorker(next);
        // Kept only if nothing changed while the thread worked: else the check below queues the person again.
        if (question !== undefined && revision === this.library.revision && !this.stopped) this.keep(next.person.id, { key: next.key, question });
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
    const asked = twoPartsToJudge(this.library, pending.person, pending.own);
    if (!asked) return null;
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
    return twoPeopleFromParts(this.library, pending.person, pending.own, answer.parts);
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

  /** What every verdict depends on besides the person: the embedding in use and the distance the question cuts at. */
  private globalKey(): string {
    return `${JSON.stringify(this.library.info.embedding)}|${thresholdsFor(this.library.info, this.library.settings).sameDistance}`;
  }

  /** A digest of what the person's verdict depends on; a face's vector row changes when it is described again. */
  private keyOf(person: PersonRecord, own: readonly FaceRecord[], global: string): string {
    const parts = [global, person.onePerson ? '1' : '0', person.coverFaceId ?? ''];
    for (const f of own) parts.push(`${f.id}:${f.vectorRow}:${f.score}:${f.assignedBy === 'user' ? 'u' : 'c'}`);
    return createHash('sha1').update(parts.join('|')).digest('base64');
  }
}
