// Choices the user makes once and expects to stay: kept for the session, and in localStorage where the page may use
// it (the desktop window, a browser tab of `familiar serve`), so the next person page opens the way the last was left.
import type { PersonFaceOrder } from './types.js';

const PERSON_FACE_ORDER_KEY = 'familiar.personFaceOrder';

function storedPersonFaceOrder(): PersonFaceOrder {
  try {
    return globalThis.localStorage?.getItem(PERSON_FACE_ORDER_KEY) === 'least-alike' ? 'least-alike' : 'confirmed-first';
  } catch {
    return 'confirmed-first'; // storage refused (a locked-down profile): the default
  }
}

export const preferences = $state({ personFaceOrder: storedPersonFaceOrder() });

export function setPersonFaceOrder(order: PersonFaceOrder): void {
  preferences.personFaceOrder = order;
  try {
    globalThis.localStorage?.setItem(PERSON_FACE_ORDER_KEY, order);
  } catch {
    // Storage refused: the choice lasts for this session.
  }
}
