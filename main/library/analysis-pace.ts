// How long looking again at the photos an earlier version analysed would take, said before the user asks for it
// (Settings, `familiar import`'s hint, `familiar doctor`): from the pace this library's own imports measured on this
// machine, else a stated guess. Looking again at a large library takes hours, so the offer says so.
import type { Library } from '../store/library.js';
import type { Settings } from '../store/types.js';
import { LOOK_AGAIN_COST_FACTOR, type LookAgainCost } from '../../preload/contract.js';

/** Where the last measured pace of analysis is kept (settings.json); an object, so Settings lists no field for it. */
export const ANALYSIS_PACE_KEY = 'analysisPace';

/** An import that analysed fewer photos says little of the pace (the first photos, a worker warming up): not kept. */
export const PACE_MIN_PHOTOS = 10;

/** A first import's seconds per photo where this library has measured none: about 0.5 s (docs/architecture.md). */
export const TYPICAL_SECONDS_PER_PHOTO = 0.5;

/** A pace an import measured: the photos it analysed, and the seconds each took of its time (its workers together). */
export interface AnalysisPace {
  secondsPerPhoto: number;
  photos: number;
  /** Measured while looking again, rather than on a first analysis of the photos. */
  lookingAgain: boolean;
}

/** The pace stored in `settings`, or null when none was measured (or the value is not one: hand-edited). */
export function storedAnalysisPace(settings: Readonly<Settings>): AnalysisPace | null {
  const value = settings[ANALYSIS_PACE_KEY] as Partial<AnalysisPace> | undefined;
  if (typeof value !== 'object' || value === null) return null;
  const { secondsPerPhoto, photos, lookingAgain } = value;
  if (typeof secondsPerPhoto !== 'number' || !(secondsPerPhoto > 0) || !Number.isFinite(secondsPerPhoto)) return null;
  if (typeof photos !== 'number' || !(photos >= PACE_MIN_PHOTOS) || typeof lookingAgain !== 'boolean') return null;
  return { secondsPerPhoto, photos, lookingAgain };
}

/**
 * Keeps the pace an import measured (photos analysed a second, as its progress last said) for the next estimate; an
 * import of too few photos, or one that measured none, leaves the stored pace as it was.
 */
export async function rememberAnalysisPace(library: Library, measured: { photosPerSecond: number | null; photos: number; lookingAgain: boolean }): Promise<void> {
  const { photosPerSecond, photos, lookingAgain } = measured;
  if (photosPerSecond === null || !(photosPerSecond > 0) || !Number.isFinite(photosPerSecond) || photos < PACE_MIN_PHOTOS) return;
  const pace: AnalysisPace = { secondsPerPhoto: 1 / photosPerSecond, photos, lookingAgain };
  await library.transaction((tx) => {
    tx.settings[ANALYSIS_PACE_KEY] = pace;
  });
}

/**
 * About how long analysing `photos` as an import does would take (`familiar doctor`'s photos awaiting analysis): the
 * pace its imports measured, a look again's taken back to an import's (LOOK_AGAIN_COST_FACTOR), else a typical one.
 */
export function analysisCost(photos: number, settings: Readonly<Settings>): LookAgainCost {
  const pace = storedAnalysisPace(settings);
  if (pace === null) return { seconds: photos * TYPICAL_SECONDS_PER_PHOTO, basis: 'typical' };
  if (pace.lookingAgain) return { seconds: (photos * pace.secondsPerPhoto) / LOOK_AGAIN_COST_FACTOR, basis: 'looked-again' };
  return { seconds: photos * pace.secondsPerPhoto, basis: 'imports' };
}

/** About how long looking again at `photos` would take (LookAgainCost.basis says from what). */
export function lookAgainCost(photos: number, settings: Readonly<Settings>): LookAgainCost {
  const pace = storedAnalysisPace(settings);
  if (pace === null) return { seconds: photos * TYPICAL_SECONDS_PER_PHOTO * LOOK_AGAIN_COST_FACTOR, basis: 'typical' };
  if (pace.lookingAgain) return { seconds: photos * pace.secondsPerPhoto, basis: 'looked-again' };
  return { seconds: photos * pace.secondsPerPhoto * LOOK_AGAIN_COST_FACTOR, basis: 'imports' };
}
