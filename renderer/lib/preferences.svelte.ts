// Choices the user makes once and expects to stay: kept for the session, and in localStorage where the page may use
// it (the desktop window, a browser tab of `familiar serve`), so the next page opens the way the last was left.
import type { PersonFaceOrder } from './types.js';
import { TRAINING_DEFAULTS } from '../../preload/contract.js';

/** How the People list is sorted: most faces first (who matters most in the album), or by name. */
export type PeopleOrder = 'most-faces' | 'name';

/** How the Photos screen shows the photos: a timeline, or the folders the user keeps them in. */
export type PhotosView = 'date' | 'folder';

interface Choice<T extends string> {
  key: string;
  values: readonly T[];
  fallback: T;
}

const PERSON_FACE_ORDER: Choice<PersonFaceOrder> = { key: 'familiar.personFaceOrder', values: ['confirmed-first', 'least-alike', 'unconfirmed-first'], fallback: 'confirmed-first' };
const PEOPLE_ORDER: Choice<PeopleOrder> = { key: 'familiar.peopleOrder', values: ['most-faces', 'name'], fallback: 'most-faces' };
const PHOTOS_VIEW: Choice<PhotosView> = { key: 'familiar.photosView', values: ['date', 'folder'], fallback: 'date' };
/** Whether a folder shows its subfolders' photos too (the folder view). */
const SUBFOLDERS: Choice<'with' | 'without'> = { key: 'familiar.photosSubfolders', values: ['with', 'without'], fallback: 'with' };

/** The stored value when it is one of the choice's values (anything else there is ignored), else the default. */
function stored<T extends string>(choice: Choice<T>): T {
  try {
    const value = globalThis.localStorage?.getItem(choice.key);
    return choice.values.find((v) => v === value) ?? choice.fallback;
  } catch {
    return choice.fallback; // storage refused (a locked-down profile): the default
  }
}

function store(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Storage refused: the choice lasts for this session.
  }
}

export const preferences = $state({
  personFaceOrder: stored(PERSON_FACE_ORDER),
  peopleOrder: stored(PEOPLE_ORDER),
  photosView: stored(PHOTOS_VIEW),
  withSubfolders: stored(SUBFOLDERS) === 'with',
});

export function setPersonFaceOrder(order: PersonFaceOrder): void {
  preferences.personFaceOrder = order;
  store(PERSON_FACE_ORDER.key, order);
}

export function setPeopleOrder(order: PeopleOrder): void {
  preferences.peopleOrder = order;
  store(PEOPLE_ORDER.key, order);
}

export function setPhotosView(view: PhotosView): void {
  preferences.photosView = view;
  store(PHOTOS_VIEW.key, view);
}

export function setWithSubfolders(withSubfolders: boolean): void {
  preferences.withSubfolders = withSubfolders;
  store(SUBFOLDERS.key, withSubfolders ? 'with' : 'without');
}

/**
 * The Training screen's form (passes, margin, variational): kept while the app is open, so a look at a person between
 * setting them and pressing Train does not put the defaults back unseen (QA: back on Training, a margin of 0.1 read
 * 0.05 again, and the next run used it).
 */
export const trainingForm = $state({
  epochs: { embedder: TRAINING_DEFAULTS.embedder.epochs as number, autoencoder: TRAINING_DEFAULTS.autoencoder.epochs as number },
  margin: TRAINING_DEFAULTS.embedder.margin as number,
  variational: false,
  /** The face studio's passes the form last offered as the Studio advises (TrainingScreen): a later advice replaces it. */
  offeredPasses: null as number | null,
});
