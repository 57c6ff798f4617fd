// Whether a newly trained head replaces the embedding in use, and why, in words the Training screen and the CLI both
// show as they are. Pure (no Node modules), so the renderer's tests can use the engine's own decision.
import { falseMatchRate, plural } from '../../preload/contract.js';
import type { VersionMetrics } from './versions.js';

/** Standard deviations of sampling noise a gain must exceed before a new head counts as better. */
export const ADOPTION_Z = 2;

/** Binomial standard error of a rate measured on n samples, floored at one sample's worth. */
function standardError(rate: number, n: number): number {
  return n > 0 ? Math.max(Math.sqrt((rate * (1 - rate)) / n), 1 / n) : Infinity;
}

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/** How a new head keeps the unnamed groups the embedding in use keeps whole (checkUnseenGroups, unseen-groups.ts). */
export interface UnseenGroupsCheck {
  /** Unnamed groups checked. */
  groups: number;
  /** Of those, the groups the embedding in use keeps whole (a group too small to part in two always is). */
  keptWhole: number;
  /** Of those, the groups the new head would split in two. */
  torn: number;
  /** How many faces each of those groups holds, largest first. */
  tornSizes: number[];
}

export interface AdoptionDecision {
  adopt: boolean;
  /**
   * Why, in a few words, for the verdict's first line before its figures ("Kept the current version: the new one did
   * better, but by too little to be sure of it"): a gain shown first read as thrown away (QA).
   */
  why: string;
  /** The sentence that explains it, with the figures it decided on. */
  reason: string;
}

/**
 * Adopt only if the candidate is at least as good as the current embedding on both validation identification
 * and verification, and better on one of them by more than the sampling noise of the held-out set
 * (ADOPTION_Z binomial standard errors): on lfw_subset, heads whose validation TAR rose by about one standard
 * error were worse on the faces nobody had confirmed. And only if it splits none of the unnamed groups the current
 * embedding keeps whole (`unseen`, main/embedder/unseen-groups.ts): the people nobody named, whom validation never sees.
 */
export function adoptionDecision(current: VersionMetrics, candidate: VersionMetrics, unseen?: UnseenGroupsCheck): AdoptionDecision {
  const decision = confirmedFacesDecision(current, candidate);
  if (!decision.adopt || !unseen || unseen.torn === 0) return decision;
  const torn = `${unseen.torn} of the ${plural(unseen.keptWhole, 'unnamed group')}`;
  return {
    adopt: false,
    why: `it would split ${torn} the current recognition keeps whole`,
    reason:
      `It is better on ${CHECKED} (${figuresOf(current, candidate)}), but it would split ${torn} the current recognition keeps ` +
      'as one person: it would tell the people you named apart at the cost of people nobody named. Name some of those groups and train again.',
  };
}

const CHECKED = 'the confirmed faces set aside to check it';

/**
 * The sentence users read under "Kept the current version" / "Adopted version vN" (the screen and the CLI say which):
 * plain words for identification accuracy and TAR at the calibrated FAR.
 */
function figuresOf(current: VersionMetrics, candidate: VersionMetrics): string {
  return (
    `faces recognised ${percent(current.identificationAccuracy)} → ${percent(candidate.identificationAccuracy)}, ` +
    `same-person pairs matched ${percent(current.tar)} → ${percent(candidate.tar)} at ${falseMatchRate(candidate.far)}`
  );
}

/** The rule on the confirmed faces set aside alone (validation identification and verification). */
function confirmedFacesDecision(current: VersionMetrics, candidate: VersionMetrics): AdoptionDecision {
  const idDelta = candidate.identificationAccuracy - current.identificationAccuracy;
  const tarDelta = candidate.tar - current.tar;
  const eps = 1e-9;
  const figures = figuresOf(current, candidate);
  const checked = CHECKED;
  // Only a gain shown adopts: a figure that could not be measured (NaN) slipped past every check below.
  if (!Number.isFinite(idDelta) || !Number.isFinite(tarDelta)) {
    return { adopt: false, why: 'the two could not be compared', reason: `The models could not be compared on ${checked}.` };
  }
  if (idDelta < -eps) {
    return { adopt: false, why: 'the new one recognised fewer of the faces set aside to test it', reason: `The new model recognises fewer of ${checked} (${figures}).` };
  }
  if (tarDelta < -eps) {
    return { adopt: false, why: 'the new one matched fewer pairs of photos of one person', reason: `The new model matches fewer same-person pairs among ${checked} (${figures}).` };
  }
  if (idDelta <= eps && tarDelta <= eps) {
    // Already every face recognised and every pair matched: nothing a new model could do better (QA read "no better").
    const perfect = current.identificationAccuracy >= 1 - eps && current.tar >= 1 - eps;
    return perfect
      ? {
          adopt: false,
          why: 'it already recognises every face set aside to test it',
          reason: `The current model already recognises every one of ${checked} and matches every pair (${figures}): nothing left to improve until you confirm faces it gets wrong.`,
        }
      : { adopt: false, why: 'the new one did no better', reason: `The new model is no better on ${checked} (${figures}).` };
  }
  const idNoise = ADOPTION_Z * standardError(current.identificationAccuracy, current.probes ?? 0);
  const tarNoise = ADOPTION_Z * standardError(current.tar, current.genuinePairs ?? 0);
  if (idDelta <= idNoise && tarDelta <= tarNoise) {
    return {
      adopt: false,
      why: 'the new one did better, but by too little to be sure of it',
      reason: `The new model's gain is within what chance gives on ${plural(current.probes ?? 0, 'face')} set aside to check it (${figures}); confirm more faces and train again.`,
    };
  }
  return { adopt: true, why: 'the new one did better on the faces set aside to test it', reason: `It is better on ${checked} (${figures}).` };
}
