// A head is trained on the people the user named; most people in a family library are nobody's name, and the head
// never sees them. Their faces are in the library all the same, grouped by the embedding in use, so a new head can be
// checked against that structure before it is adopted: a group the current embedding keeps as one person that the new
// head would part is a person the head tore in two (QA: Andy Roddick's 10 unnamed faces, one group on the raw backbone,
// two groups of 5 after a head trained on 14 named people). Each embedding is judged by the rule the regrouping itself
// applies at its own calibrated same-person distance: a group whose last average-linkage merge joins two parts of at
// least the smallest group's size farther apart than that distance is split (models/cluster/two-people.ts). Vectors
// only: a few hundred distances a group.
//
// A switch of version (`familiar models use`, the Training screen's Use) is checked the same way before it re-embeds
// (main/embedder/switch.ts): the version asked for against the groups of the embedding in use.
import { smallestGroup } from '../../models/cluster/methods.js';
import { twoParts } from '../../models/cluster/two-people.js';
import type { VectorSet } from '../../models/cluster/vectors.js';
import { withoutCopyFaces } from '../people/copy-faces.js';
import { unrecognisable } from '../people/library.js';
import { STRAYS_SET_ASIDE } from '../people/two-people.js';
import type { PeopleThresholds } from '../people/types.js';
import type { Library } from '../store/library.js';
import type { FaceRecord } from '../store/types.js';
import type { UnseenGroupsCheck } from './adoption.js';

export type { UnseenGroupsCheck } from './adoption.js';

/** What the regrouping splits a group by, for one embedding. */
export interface GroupRule {
  /** The calibrated same-person distance of that embedding (settings.samePersonDistance, carried to a head). */
  sameDistance: number;
  /** The smallest group the clustering draws: each part of a split needs this many faces. */
  minSize: number;
}

/** The rule of an embedding whose people thresholds are `thresholds` (thresholdsFor, main/people/thresholds.ts). */
export function groupRuleOf(thresholds: PeopleThresholds): GroupRule {
  return { sameDistance: thresholds.sameDistance, minSize: smallestGroup(thresholds.cluster) };
}

/**
 * The faces recognition is judged on: not a face too small or cut off to recognise, nor a box kept as the user drew it
 * where the detector found no face (FaceRecord.undetected), whose pixels may hold no face the nets can read, nor a box
 * the user said holds no face (FaceRecord.notAFace: a "not this person" example of a shadow). A resized
 * copy's face is its original's sighting again (copy-faces.ts): learnt and grouped once, as the regrouping groups it,
 * and never one side of a pair whose other side (its original) was set aside to test the training.
 */
export function recognisableFaces(library: Library): FaceRecord[] {
  return withoutCopyFaces(library, library.faces).filter((f) => !f.undetected && !f.notAFace && unrecognisable(f, library.photo(f.photoId)) === null);
}

/** The backbone rows of each unnamed group's faces among `faces` (the hidden ones too: a regrouping splits them all the same). */
export function unnamedGroups(library: Library, faces: readonly FaceRecord[]): Float32Array[] {
  const unnamed = new Set(library.people.people.filter((p) => p.name === null).map((p) => p.id));
  const byGroup = new Map<string, FaceRecord[]>();
  for (const face of faces) {
    if (face.personId === null || !unnamed.has(face.personId)) continue;
    const members = byGroup.get(face.personId);
    if (members) members.push(face);
    else byGroup.set(face.personId, [face]);
  }
  const dim = library.info.backboneDim;
  return [...byGroup.values()].map((members) => {
    const rows = new Float32Array(members.length * dim);
    members.forEach((face, i) => rows.set(library.backboneOf(face), i * dim));
    return rows;
  });
}

/** Whether `embed`ded, the group's faces stay one group by the regrouping's two-people rule. */
function keptWhole(rows: Float32Array, dim: number, embed: (rows: Float32Array) => Float32Array, rule: GroupRule): boolean {
  const count = rows.length / dim;
  if (count < 2 * rule.minSize) return true;
  const vectors: VectorSet = { dim, count, data: embed(rows) };
  const all = Array.from({ length: count }, (_, i) => i);
  return twoParts(vectors, all, { cut: rule.sameDistance, minSize: rule.minSize, peelStrays: STRAYS_SET_ASIDE }) === null;
}

/**
 * How the new head (`after`) keeps together the groups the embedding in use (`before`) keeps whole. `groups` holds each
 * unnamed group's backbone rows; `embed` puts backbone rows into an embedding (unit vectors).
 */
export function checkUnseenGroups(
  groups: readonly Float32Array[],
  dim: number,
  before: { embed: (rows: Float32Array) => Float32Array; rule: GroupRule },
  after: { embed: (rows: Float32Array) => Float32Array; rule: GroupRule },
): UnseenGroupsCheck {
  const check: UnseenGroupsCheck = { groups: 0, keptWhole: 0, torn: 0, tornSizes: [] };
  for (const rows of groups) {
    check.groups++;
    if (!keptWhole(rows, dim, before.embed, before.rule)) continue;
    check.keptWhole++;
    if (keptWhole(rows, dim, after.embed, after.rule)) continue;
    check.torn++;
    check.tornSizes.push(rows.length / dim);
  }
  check.tornSizes.sort((a, b) => b - a);
  return check;
}
