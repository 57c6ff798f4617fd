// Stratified hold-out of the user's confirmed faces: per person, a fixed share goes to validation (at least
// one face once a person has two, and never all of them), people with a single face train only. Which faces are held out depends
// only on a stable hash of the face id, so successive trainings keep validating on the same faces — a face a
// previous head never trained on stays unseen, and comparing the new head with the current one stays fair.
import { stableHash } from './random.js';

export interface SplitInput {
  id: string;
  label: number;
}

export interface Split {
  train: number[];
  validation: number[];
}

export function stratifiedSplit(faces: readonly SplitInput[], validationShare: number): Split {
  if (!(validationShare >= 0 && validationShare < 1)) throw new Error(`The validation share must be in [0, 1), got ${validationShare}.`);
  const byPerson = new Map<number, number[]>();
  faces.forEach((face, index) => {
    const rows = byPerson.get(face.label) ?? [];
    rows.push(index);
    byPerson.set(face.label, rows);
  });
  const train: number[] = [];
  const validation: number[] = [];
  for (const rows of byPerson.values()) {
    const ranked = [...rows].sort((a, b) => stableHash(faces[a].id) - stableHash(faces[b].id) || faces[a].id.localeCompare(faces[b].id));
    // At least one face stays to train on (and to be the person's named face in validation): a share of 0.9 held out
    // every face of a person with two.
    const held = rows.length < 2 || validationShare === 0 ? 0 : Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * validationShare)));
    validation.push(...ranked.slice(0, held));
    train.push(...ranked.slice(held));
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}
