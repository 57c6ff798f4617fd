// Choices the user makes once and expects to stay: kept for the session, and in localStorage where the page may use
// it (the desktop window, a browser tab of `familiar serve`), so the next page opens the way the last was left.
import type { PersonFaceOrder } from './types.js';

/** How the People list is sorted: most faces first (who matters most in the album), or by name. */
export type PeopleOrder = 'most-faces' | 'name';

interface Choice<T extends string> {
  key: string;
  values: readonly T[];
  fallback: T;
}

const PERSON_FACE_ORDER: Choice<PersonFaceOrder> = { key: 'familiar.personFaceOrder', values: ['confirmed-first', 'least-alike', 'unconfirmed-first'], fallback: 'confirmed-first' };
const PEOPLE_ORDER: Choice<PeopleOrder> = { key: 'familiar.peopleOrder', values: ['most-faces', 'name'], fallback: 'most-faces' };

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

export const preferences = $state({ personFaceOrder: stored(PERSON_FACE_ORDER), peopleOrder: stored(PEOPLE_ORDER) });

export function setPersonFaceOrder(order: PersonFaceOrder): void {
  preferences.personFaceOrder = order;
  store(PERSON_FACE_ORDER.key, order);
}

export function setPeopleOrder(order: PeopleOrder): void {
  preferences.peopleOrder = order;
  store(PEOPLE_ORDER.key, order);
}
