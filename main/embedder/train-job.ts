// The "train embedder" job: collect the user's confirmed faces and rejections, train a head in a worker thread
// (progress per epoch: loss, validation metrics, ETA; cancellable), compare it with the embedding in use on the
// same held-out faces, and adopt it only if it is better — then store it as a new version, re-embed every face,
// carry the same-person threshold over and refresh people. Otherwise nothing in the library changes. On the very data
// and options the model in use was trained on, or the last training kept it on, or a version not in use (rolled back, or replaced)
// was trained on, it does not train at all ("Nothing new").
import { applyHead, deserializeHead, serializeHead } from '../../models/embedder/head.js';
import type { EmbeddingQuality } from '../../models/embedder/metrics.js';
import { DEFAULT_TRAIN_OPTIONS, type EpochReport, type TrainOptions } from '../../models/embedder/train.js';
import { plural, type NothingNew } from '../../preload/contract.js';
import { ProgressTracker } from '../jobs/progress.js';
import type { Library } from '../store/library.js';
import { thresholdsFor } from '../people/thresholds.js';
import { carryCautiously, heldOutPairs, transferPeopleThresholds } from './thresholds.js';
import { adoptionDecision } from './adoption.js';
import { checkUnseenGroups, groupRuleOf, recognisableFaces, unnamedGroups, type UnseenGroupsCheck } from './unseen-groups.js';
import { smallestGroup } from '../../models/cluster/methods.js';
import { collectUserLabels, trainingDigest, type UserLabels } from './training-data.js';
import { trainingAccount, type TrainingAccount } from './training-account.js';
import { questionedLabels, questionedWords, type QuestionedLabels } from './questioned-labels.js';
import { newCancelFlag, runEmbedderWorker } from './worker-client.js';
import { switchEmbedding, loadTarget, type SwitchHooks } from './switch.js';
import {
  KEPT_FORMAT,
  listVersions,
  loadKeptTraining,
  modelIdOf,
  nextVersionName,
  saveKeptTraining,
  saveVersion,
  versionOfSource,
  VERSION_FORMAT,
  type EmbedderVersion,
  type VersionMetrics,
} from './versions.js';

// The rule lives in its own module (pure, for the renderer's tests); scripts and tests reach it here too.
export { adoptionDecision, ADOPTION_Z, type AdoptionDecision } from './adoption.js';

export interface TrainEmbedderOptions extends Partial<TrainOptions> {
  /** Share of each person's confirmed faces held out for validation (default 0.2). */
  validationShare?: number;
  /** Train even when nothing changed since the model in use (or one not in use) was trained, or the last training kept it. */
  anyway?: boolean;
}

export interface TrainEmbedderHooks extends SwitchHooks {
  onEpoch?: (report: EpochReport) => void;
}

/** Matches the contract's TrainingResult, plus the details the CLI prints. */
export interface TrainEmbedderResult {
  adopted: boolean;
  /** Why, in a few words (adoptionDecision's `why`): the verdict's first line on the Training screen and in the CLI. */
  why: string;
  reason: string;
  /** The new version when adopted, else null. */
  version: string | null;
  /** The embedding in use before (version name) and its validation metrics. */
  previousVersion: string;
  before: VersionMetrics;
  after: VersionMetrics;
  history: EpochReport[];
  bestEpoch: number;
  stoppedEarly: boolean;
  /**
   * `trainFaces`: every face trained on, the `notThemFaces` among them (faces only said not to be someone: rejections,
   * others in their photos) included; `rejections`: the (face, person) links used as negatives, `photoNegatives` of them.
   * The rest (training-account.ts): the confirmed faces and answers as the other commands count them, and what of them
   * training left out.
   */
  data: { confirmedFaces: number; trainFaces: number; notThemFaces: number; validationFaces: number; people: number; rejections: number; photoNegatives: number } & TrainingAccount;
  samePersonDistance: number | null;
  /**
   * The confirmed faces not learnt from because the app still asks about them (questioned-labels.ts): named people who
   * may be two, and faces unlike the others their person has; `words`, a sentence saying so ('' when none).
   */
  questioned: Pick<QuestionedLabels, 'twoPeople' | 'unlikeFaces'> & { words: string };
  /** How the new head keeps the unnamed groups the embedding in use keeps whole (unseen-groups.ts); null when it did not train. */
  unseenGroups: UnseenGroupsCheck | null;
  seconds: number;
  /**
   * Set when it did not train: the faces, answers and options are those the model in use was trained on, or the last
   * training kept it on, or a version not in use was trained on, so the same model would come out (`anyway` trains all
   * the same). Null when it trained.
   */
  nothingNew: NothingNew | null;
}

export function metricsOf(quality: EmbeddingQuality): VersionMetrics {
  return {
    identificationAccuracy: quality.identificationAccuracy,
    tar: quality.verification.tar,
    far: quality.verification.resolvedFar,
    meanMargin: quality.meanMargin,
    probes: quality.probes,
    genuinePairs: quality.verification.genuinePairs,
  };
}

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * What a run trains on, as its first progress says it: the people's own faces apart from the faces only said not to be
 * them (rejections, others in their photos), which "41 faces of 2 people" counted as theirs (QA: 30 and 11).
 */
function trainingStartMessage(labels: Pick<UserLabels, 'train' | 'validation' | 'personIds' | 'rejectionOnlyFaces'>): string {
  const own = labels.train.labels.length - labels.rejectionOnlyFaces;
  const others = labels.rejectionOnlyFaces > 0 ? `, and ${plural(labels.rejectionOnlyFaces, 'face')} that are not them` : '';
  return `training on ${plural(own, 'face')} of ${plural(labels.personIds.length, 'person', 'people')}${others}, validating on ${labels.validation.labels.length}`;
}

/** Why nothing was trained, in the result's two forms: a few words (`why`) and a sentence with the counts (`reason`). */
function nothingNewWords(nothing: NothingNew): { why: string; reason: string } {
  const since = nothing.kept ? `the last training, which kept ${nothing.since === 'raw' ? 'recognition as shipped' : nothing.since}` : `${nothing.since} was trained`;
  // A version rolled back: training again would give it back, which the user undid on purpose (QA: a v2 just like v1).
  const rolledBack = nothing.inUse === false;
  const gives = rolledBack
    ? `${nothing.since} again, which is not in use. To use it again: familiar models use ${nothing.since}. Or confirm or correct some faces first.`
    : 'the same model. Confirm or correct some faces first.';
  return {
    why: `nothing new to learn from since ${since}${rolledBack ? ', which is not in use' : ''}`,
    reason:
      `Nothing new to learn from since ${since}: the same ${plural(nothing.confirmedFaces, 'confirmed face')} of ${plural(nothing.people, 'person', 'people')}, ` +
      `the same answers about faces that are not them and the same settings, so training again would give ${gives}`,
  };
}

/**
 * The model in use was trained on `digest`, or the last training kept it on `digest`, or a version not in use was
 * trained on `digest`: training again would give the same model (training does not start from the model in use). With
 * the figures then measured: the model then in use (`before`) and what training gave (`after`). Records written before
 * digests were kept never match, so such a library just trains.
 */
async function sameAsLastTraining(
  libraryDir: string,
  inUse: EmbedderVersion | null,
  inUseName: string,
  digest: string,
): Promise<{ nothingNew: NothingNew; before: VersionMetrics; after: VersionMetrics } | null> {
  if (inUse?.trainedOn.digest === digest) {
    const { faces, validationFaces, people } = inUse.trainedOn;
    return {
      nothingNew: { since: inUseName, kept: false, trainedAt: inUse.createdAt, confirmedFaces: faces + validationFaces, people },
      before: inUse.after,
      after: inUse.after,
    };
  }
  const kept = await loadKeptTraining(libraryDir);
  if (kept?.kept === inUseName && kept.digest === digest) {
    return {
      nothingNew: { since: inUseName, kept: true, trainedAt: kept.trainedAt, confirmedFaces: kept.confirmedFaces, people: kept.people },
      before: kept.before,
      after: kept.after,
    };
  }
  // A version the user rolled back: it would come out again and be adopted, undoing the rollback unasked (QA: v2 and
  // v3 just like v1, after a rollback from v1). The latest, should several have been trained on the same.
  const stopped = (await listVersions(libraryDir)).findLast((v) => v.version !== inUseName && v.trainedOn.digest === digest);
  if (!stopped) return null;
  const { faces, validationFaces, people } = stopped.trainedOn;
  return {
    nothingNew: { since: stopped.version, kept: false, inUse: false, trainedAt: stopped.createdAt, confirmedFaces: faces + validationFaces, people },
    before: stopped.before,
    after: stopped.after,
  };
}

export async function trainEmbedder(library: Library, options: TrainEmbedderOptions = {}, hooks: TrainEmbedderHooks = {}): Promise<TrainEmbedderResult> {
  const started = performance.now();
  const dim = library.info.backboneDim;
  const { validationShare = 0.2, anyway = false, ...given } = options;
  // An option left out arrives as undefined from the API's optional fields: it must not override the default (an API
  // call with epochs and no margin failed with "The triplet margin must be positive, got undefined").
  const trainOptions = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as typeof given;
  // A face too small or cut off to recognise teaches nothing about its person but the blur it shares with every other
  // such face (models/face-quality.ts): the user may name it, but the head does not learn from it. Nor from a box kept
  // as the user drew it where the detector found no face (FaceRecord.undetected): its pixels may hold no face the nets
  // can read (the back of a head, a face lost in shadow), and learning them as the person would pull such boxes to them.
  const recognisable = recognisableFaces(library);
  const learnable = new Set(recognisable.map((f) => f.id));
  const named = new Set(library.people.people.filter((p) => p.name !== null).map((p) => p.id));
  // Nor from what the app still asks the user about: a person who may be two, a confirmed face unlike the others.
  const asked = questionedLabels(library, named, learnable);
  const questioned = { twoPeople: asked.twoPeople, unlikeFaces: asked.unlikeFaces, words: questionedWords(asked) };
  const labels = collectUserLabels(recognisable, (f) => library.backboneOf(f), dim, validationShare, (id) => named.has(id), asked.faceIds);
  const previousVersion = versionOfSource(library.info.embedding);
  const current = await loadTarget(library.dir, previousVersion);
  const digest = trainingDigest(labels, { ...DEFAULT_TRAIN_OPTIONS, ...trainOptions, validationShare });
  const data = {
    confirmedFaces: labels.confirmedFaces,
    trainFaces: labels.train.labels.length,
    notThemFaces: labels.rejectionOnlyFaces,
    validationFaces: labels.validation.labels.length,
    people: labels.personIds.length,
    rejections: labels.rejections,
    photoNegatives: labels.photoNegatives,
    ...trainingAccount(library, named, learnable, asked.faceIds, labels),
  };

  const tracker = new ProgressTracker('train-embedder', hooks.onProgress);
  const same = anyway ? null : await sameAsLastTraining(library.dir, current.meta, previousVersion, digest);
  if (same) {
    // Said at once, before minutes of training that would end in the same model (QA: a v4 just like v3).
    const { why, reason } = nothingNewWords(same.nothingNew);
    tracker.report('done', 1, 1, { message: reason });
    return {
      adopted: false,
      why,
      reason,
      version: null,
      previousVersion,
      before: same.before,
      after: same.after,
      history: [],
      bestEpoch: 0,
      stoppedEarly: false,
      data,
      samePersonDistance: null,
      questioned,
      unseenGroups: null,
      seconds: (performance.now() - started) / 1000,
      nothingNew: same.nothingNew,
    };
  }
  const epochs = trainOptions.epochs ?? DEFAULT_TRAIN_OPTIONS.epochs;
  tracker.report('epoch', 0, epochs, { message: trainingStartMessage(labels) });
  const trained = await runEmbedderWorker(
    {
      kind: 'train',
      dim,
      trainVectors: labels.train.vectors,
      trainLabels: labels.train.labels,
      trainRejected: labels.train.rejected.map((r) => [...r]),
      validation: labels.validation,
      currentHead: current.serialized,
      options: trainOptions,
      cancelFlag: newCancelFlag(),
    },
    {
      signal: hooks.signal,
      job: 'train-embedder',
      onMessage: (message) => {
        if (message.type !== 'epoch') return;
        const r = message.report;
        hooks.onEpoch?.(r);
        tracker.report('epoch', r.epoch, r.epochs, {
          message: `epoch ${r.epoch}/${r.epochs}: loss ${r.loss.toFixed(4)}` + (r.validation ? `, validation identification ${percent(r.validation.identificationAccuracy)}` : ''),
          detail: {
            epoch: r.epoch,
            loss: r.loss,
            activeTriplets: r.activeTriplets,
            validationAccuracy: r.validation?.identificationAccuracy ?? null,
            validationTar: r.validation?.verification.tar ?? null,
            best: r.best,
            secondsPerEpoch: r.seconds,
          },
        });
      },
    },
  );
  if (trained.type !== 'trained') throw new Error('The embedder worker answered with the wrong result.');

  const before = metricsOf(trained.current);
  const after = metricsOf(trained.candidate);
  const head = deserializeHead(trained.head.manifest, trained.head.data);
  // Thresholds keep their operating point on the user's own confirmed faces, measured where the head has not
  // learnt the answer: pairs with a face held out of training (main/embedder/thresholds.ts).
  const embedCurrent = (rows: Float32Array) => applyHead(current.head, rows, dim);
  const embedNew = (rows: Float32Array) => applyHead(head, rows, dim);
  const pairsBefore = heldOutPairs(labels.train, labels.validation, embedCurrent);
  const pairsAfter = heldOutPairs(labels.train, labels.validation, embedNew);
  const samePersonDistance = carryCautiously(library.settings.samePersonDistance, pairsBefore, pairsAfter);
  const thresholdsInUse = thresholdsFor(library.info, library.settings);
  const peopleThresholds = transferPeopleThresholds(thresholdsInUse, pairsBefore, pairsAfter);
  // The people nobody named, as the embedding in use groups them, each embedding at its own same-person distance.
  const unseenGroups = checkUnseenGroups(unnamedGroups(library, recognisable), dim, {
    embed: embedCurrent,
    rule: groupRuleOf(thresholdsInUse),
  }, {
    embed: embedNew,
    rule: { sameDistance: samePersonDistance, minSize: smallestGroup(peopleThresholds.cluster) },
  });
  const decision = adoptionDecision(before, after, unseenGroups);
  const result: TrainEmbedderResult = {
    adopted: false,
    why: decision.why,
    reason: decision.reason,
    version: null,
    previousVersion,
    before,
    after,
    history: trained.history,
    bestEpoch: trained.bestEpoch,
    stoppedEarly: trained.stoppedEarly,
    data,
    samePersonDistance: null,
    questioned,
    unseenGroups,
    seconds: 0,
    nothingNew: null,
  };
  if (decision.adopt) {
    const version = await nextVersionName(library.dir);
    const serialized = serializeHead(head);
    const meta: EmbedderVersion = {
      format: VERSION_FORMAT,
      version,
      modelId: modelIdOf(version),
      createdAt: new Date().toISOString(),
      // The people's own faces only: the faces said not to be them are no one's (the record had counted them as faces of people).
      trainedOn: {
        faces: data.trainFaces - data.notThemFaces,
        validationFaces: data.validationFaces,
        people: data.people,
        rejections: data.rejections,
        notThemFaces: data.notThemFaces,
        digest,
      },
      options: trained.options,
      bestEpoch: trained.bestEpoch,
      epochsRun: trained.history.length,
      before,
      beforeVersion: previousVersion,
      after,
      samePersonDistance,
      peopleThresholds,
      head: serialized.manifest,
    };
    await saveVersion(library.dir, meta, serialized.data);
    result.samePersonDistance = await switchEmbedding(library, { version, head, serialized, meta }, hooks);
    result.adopted = true;
    result.version = version;
  } else {
    await saveKeptTraining(library.dir, {
      format: KEPT_FORMAT,
      trainedAt: new Date().toISOString(),
      kept: previousVersion,
      digest,
      confirmedFaces: data.confirmedFaces,
      people: data.people,
      before,
      after,
      why: decision.why,
    });
  }
  result.seconds = (performance.now() - started) / 1000;
  tracker.report('done', 1, 1, { message: result.reason });
  return result;
}
