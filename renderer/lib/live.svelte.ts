// Live state fed by engine events: running jobs with their latest progress and history, finished jobs, and
// change counters that screens watch to reload what they show.
import type { FamiliarClient } from './api.js';
import type { AppEvent, JobInfo, JobKind, JobProgress } from './types.js';
import { CallError, type ConnectionState } from '../../preload/contract.js';
import { ImportQueue } from './import-queue.svelte.js';

export interface TrackedJob {
  jobId: string;
  kind: JobKind;
  progress: JobProgress | null;
  /** Every progress report since the UI saw the job start, for the training charts. */
  history: JobProgress[];
  /** Set when the job finished (done, failed or cancelled). */
  info: JobInfo | null;
  /** It had finished before this window connected (a reload): its outcome is old news, not shown again. */
  finishedBefore?: boolean;
  seenAt: number;
}

let order = 0;

/** What a decision's answer holds back until it comes (decisionSent): a version switch changes models too. */
type HeldChange = 'people' | 'photos' | 'models';

export class LiveState {
  jobs = $state<Record<string, TrackedJob>>({});
  /** `marks`: the People cards' "may be two people" marks only, which the People list alone shows. */
  changes = $state({ people: 0, photos: 0, models: 0, settings: 0, marks: 0 });
  /** Decisions sent and not answered yet (decisionSent): the people and photos changes said meanwhile wait for them. */
  private decisionsPending = 0;
  private heldChanges = new Set<HeldChange>();
  /**
   * Whether the engine can be reached (`familiar serve` stopped or restarted under a browser page): while it cannot,
   * a running job's last progress is old news, and the screens say so instead of showing it as current.
   */
  connection = $state<ConnectionState>('connected');
  /**
   * Counts the imports whose paths were saved here (lib/jobs.ts startImport): what the Import screen reads of the
   * saved paths is worked out again on it, since the job's first progress can arrive before import.start's answer.
   */
  savedImports = $state(0);
  /** Folders added while an import ran, imported when it ends. */
  readonly importQueue = new ImportQueue();
  /** What the bridge last said of the connection: `connection` says "connected" only once the jobs are read again. */
  private reportedConnection: ConnectionState = 'connected';

  /** Registers a job so its panel shows before the first event arrives. */
  track(jobId: string, kind: JobKind): TrackedJob {
    if (!this.jobs[jobId]) this.jobs[jobId] = { jobId, kind, progress: null, history: [], info: null, seenAt: ++order };
    return this.jobs[jobId];
  }

  apply(event: AppEvent): void {
    if (event.type === 'job.progress') {
      const job = this.track(event.jobId, event.kind);
      job.progress = event.progress;
      job.history.push(event.progress);
    } else if (event.type === 'job.done') {
      this.finish(event.job);
    } else {
      for (const what of event.what.flatMap((w) => (w === 'faces' ? (['people', 'photos'] as const) : [w]))) {
        if (this.decisionsPending > 0 && (what === 'people' || what === 'photos' || what === 'models')) this.heldChanges.add(what);
        else this.changes[what]++;
      }
    }
  }

  /**
   * A decision is about to be sent: until its answer (decisionAnswered) the people and photos changes the engine says
   * wait. It says library.changed before it answers, and the screens reloaded on it and again after the answer: the
   * People list of 3,000 groups, the sidebar's counts and "Which one?" asked for twice after every delete, and the
   * reload on the event could end before the screen had said where the focus goes after it.
   */
  decisionSent(): void {
    this.decisionsPending++;
  }

  /** A decision answered, or failed: one reload of what it changed (`what`) and of whatever the engine said meanwhile. */
  decisionAnswered(...what: HeldChange[]): void {
    this.decisionsPending = Math.max(0, this.decisionsPending - 1);
    for (const changed of what) this.heldChanges.add(changed);
    if (this.decisionsPending > 0) return;
    const held = [...this.heldChanges];
    this.heldChanges.clear();
    for (const changed of held) this.changes[changed]++;
  }

  finish(info: JobInfo): void {
    const job = this.track(info.id, info.kind);
    if (job.info) return;
    job.info = info;
    if (info.progress) job.progress = info.progress;
    // A finished job changes what most screens show.
    this.changes.people++;
    this.changes.photos++;
    if (info.kind.startsWith('train')) this.changes.models++;
  }

  /** The most recent job of a kind (running or finished), or null; only among those `shown` keeps when given. */
  latest(kind: JobKind, shown?: (job: TrackedJob) => boolean): TrackedJob | null {
    let best: TrackedJob | null = null;
    for (const job of Object.values(this.jobs)) if (job.kind === kind && (!best || job.seenAt > best.seenAt) && (!shown || shown(job))) best = job;
    return best;
  }

  running(): TrackedJob[] {
    return Object.values(this.jobs).filter((j) => !j.info);
  }

  /** Subscribes to events, then catches up with jobs that started before this page loaded. */
  connect(client: FamiliarClient): () => void {
    const off = client.onEvent((event) => this.apply(event));
    const offConnection = client.bridge.connection?.((state) => {
      const back = state === 'connected' && this.reportedConnection !== 'connected';
      this.reportedConnection = state;
      // Back: still out of contact until the jobs are read again, or the job the stop ended would show its old
      // progress as current meanwhile (a loaded e2e run saw "Importing…" back in the sidebar).
      if (back) this.reconnected(client);
      else if (state !== 'connected') this.connection = state;
    });
    this.catchUp(client);
    const stopQueue = this.importQueue.follow(client, this);
    return () => {
      off();
      offConnection?.();
      stopQueue();
    };
  }

  /**
   * Back in contact after the server was down: what happened meanwhile was never told. A job the engine no longer
   * lists ended with the run that held it (a restart with the same token); the rest is caught up, and every screen
   * reloads.
   */
  private reconnected(client: FamiliarClient): void {
    // Lost again before the answer: the connection stays as the bridge last said.
    const inContact = () => {
      if (this.reportedConnection === 'connected') this.connection = 'connected';
    };
    client.call('jobs.list').then(
      (jobs) => {
        const listed = new Set(jobs.map((job) => job.id));
        for (const job of this.running()) if (!listed.has(job.jobId)) delete this.jobs[job.jobId];
        inContact();
        this.catchUp(client, jobs);
        for (const what of Object.keys(this.changes) as Array<keyof LiveState['changes']>) this.changes[what]++;
      },
      inContact,
    );
  }

  private catchUp(client: FamiliarClient, listed?: JobInfo[]): void {
    (listed ? Promise.resolve(listed) : client.call('jobs.list'))
      .then((jobs) => {
        for (const info of [...jobs].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
          const job = this.track(info.id, info.kind);
          // The epochs reported before this window connected (a reload mid-training): the chart starts from them.
          if (info.history && job.history.length === 0) job.history = [...info.history];
          if (info.state === 'running') job.progress = info.progress;
          else if (!job.info) {
            job.info = info;
            job.progress = info.progress;
            job.finishedBefore = true;
          }
        }
      })
      .catch(() => {});
  }
}

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
  action?: { label: string; run: () => void };
}

/** Toasts on screen at once. */
const MAX_TOASTS = 3;

/** How long a toast stays, and stays again once the pointer or the focus leaves it. */
const TOAST_MS = 6000;

class Toasts {
  items = $state<Toast[]>([]);
  /**
   * The latest message said, for the one live region that reads it out (components/Toasts.svelte): each toast a live
   * region of its own, in a live list, was read twice by some screen readers, with its buttons. `id`: its toast's, so
   * the same words in a new toast are read again; `tone`: an error is read at once (the assertive region), as it was. Gone
   * with its toast.
   */
  said = $state<{ id: number; text: string; tone: Toast['tone'] } | null>(null);
  private nextId = 1;
  private timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Toasts pointed at or holding the focus (hold): no time runs for them. */
  private held = new Set<number>();

  show(message: string, tone: Toast['tone'] = 'info', action?: Toast['action'], ms = TOAST_MS): number {
    const id = this.nextId++;
    // An Undo takes back the latest decision, whatever its toast says: once a newer decision has its own toast, an
    // older toast's Undo would take back the newer one. So the newest decision's toast takes the older ones' place
    // (Ctrl+Z walks back further): naming group after group had stacked three over the cards (QA).
    if (action?.label === 'Undo') this.dismissDecisions();
    this.items.push({ id, message: asSentence(message), tone, action });
    this.said = { id, text: asSentence(message), tone };
    // Naming one group after another stacked six toasts over the cards: the newest few stay (Ctrl+Z undoes the rest).
    if (this.items.length > MAX_TOASTS) this.items = this.items.slice(-MAX_TOASTS);
    this.startOnScreen(id, ms);
    return id;
  }

  /**
   * Gives a new toast its time from when it is on screen: a window busy for seconds after a decision (thousands of
   * cards drawn again on a loaded computer) used up the time before the toast was painted, and its Undo was never seen
   * (the People e2e test on CI). A frame, then a task: the paint is between them.
   */
  private startOnScreen(id: number, ms: number): void {
    const start = () => {
      if (this.held.has(id) || this.timers.has(id) || !this.items.some((t) => t.id === id)) return;
      this.timers.set(id, setTimeout(() => this.dismiss(id), ms));
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(start, 0));
    else start();
  }

  /**
   * Keeps a toast while the pointer is over it or the focus in it: its Undo went away under a keyboard user who had
   * just tabbed to it, or under the pointer, and the focus with it (WCAG 2.2.1). `release` gives it its time again.
   */
  hold(id: number): void {
    this.stopTimer(id);
    this.held.add(id);
  }

  release(id: number, ms = TOAST_MS): void {
    this.held.delete(id);
    if (!this.items.some((t) => t.id === id)) return;
    this.stopTimer(id);
    this.timers.set(id, setTimeout(() => this.dismiss(id), ms));
  }

  private stopTimer(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  /**
   * Says something new in a toast on screen, and gives it its time again (unless it is held): a run of answers is
   * counted in one toast instead of a toast per answer. Returns false when the toast is gone.
   */
  update(id: number, message: string, action?: Toast['action']): boolean {
    if (!this.items.some((t) => t.id === id)) return false;
    this.items = this.items.map((t) => (t.id === id ? { ...t, message: asSentence(message), action } : t));
    this.said = { id, text: asSentence(message), tone: this.items.find((t) => t.id === id)!.tone };
    if (this.timers.has(id)) this.release(id);
    return true;
  }

  /** Removes every toast's Undo (a newer decision's toast takes it over). */
  withdrawUndo(): void {
    this.items = this.items.map((t) => (t.action?.label === 'Undo' ? { ...t, action: undefined } : t));
  }

  /**
   * Removes the toasts of decisions (those with an Undo): after an undo, what they say may no longer hold. And those of
   * undos (with a Redo): a newer decision or undo leaves them nothing to redo.
   */
  dismissDecisions(): void {
    this.items = this.items.filter((t) => t.action?.label !== 'Undo' && t.action?.label !== 'Redo');
  }

  /** Error panels on screen, by what they say (a count: two screens' panels may say the same). */
  private panels = new Map<string, number>();

  /**
   * Said once: a server that cannot be reached fails every call at once, and its sentence showed in a screen's error
   * panel and a toast together (QA). A toast saying what a panel or another toast on screen says is not shown.
   */
  error(error: unknown): void {
    const message = asSentence(errorSentence(error));
    if (this.panels.has(message) || this.items.some((t) => t.tone === 'error' && t.message === message)) return;
    this.show(message, 'error');
  }

  /** An error panel shows `message`: a toast saying it goes, and none says it while the panel shows. Returns its end. */
  panelShows(said: string): () => void {
    const message = asSentence(said);
    this.panels.set(message, (this.panels.get(message) ?? 0) + 1);
    for (const toast of this.items) if (toast.tone === 'error' && toast.message === message) this.dismiss(toast.id);
    return () => {
      const left = (this.panels.get(message) ?? 1) - 1;
      if (left > 0) this.panels.set(message, left);
      else this.panels.delete(message);
    };
  }

  dismiss(id: number): void {
    this.stopTimer(id);
    this.held.delete(id);
    this.items = this.items.filter((t) => t.id !== id);
    if (this.said?.id === id) this.said = null;
  }
}

export const toasts = new Toasts();

/**
 * A toast's words as sentences, the last ending with a period like the rest: "1 face confirmed as Joe Biden" had none
 * where the engine's sentences beside it had (QA).
 */
export function asSentence(message: string): string {
  const text = message.trimEnd();
  return text === '' || /[.!?…]["'”’)]?$/.test(text) ? text : `${text}.`;
}

/**
 * An error as the user reads it. Refused arguments name the call they were refused by
 * ("training.embedder.start: epochs must be at least 1."): the call's name means nothing to the user, the rest does.
 */
export function errorSentence(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof CallError) || error.code !== 'invalid-argument' || !message.startsWith(`${error.call}: `)) return message;
  const rest = message.slice(error.call.length + 2);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
