// What the embedder trains on: confirmed faces, rejections, and the faces photographed with a confirmed person
// (one person appears once in a photo, so they are someone else: siblings, partners, cousins).
import { describe, expect, it } from 'vitest';
import { collectUserLabels, MAX_PHOTO_NEGATIVES_PER_PERSON } from '../../../main/embedder/training-data.js';
import type { FaceRecord } from '../../../main/store/types.js';

const DIM = 4;
let counter = 0;
function face(photoId: string, personId: string | null, confirmed: boolean, vector: number[], rejected: string[] = []): FaceRecord & { vector: Float32Array } {
  const id = `face-${counter++}`;
  return {
    id,
    photoId,
    box: [0, 0, 10, 10],
    score: 0.9,
    landmarks: [],
    vectorRow: counter,
    personId,
    assignedBy: confirmed ? 'user' : personId ? 'cluster' : null,
    rejectedPersonIds: rejected,
    faceness: null,
    thumb: '',
    vector: Float32Array.from(vector),
  };
}
const backboneOf = (f: FaceRecord) => (f as FaceRecord & { vector: Float32Array }).vector;

/** Two people with three confirmed faces each, in photos of their own. */
function twoPeople() {
  return [
    face('a1', 'A', true, [1, 0, 0, 0]),
    face('a2', 'A', true, [0.9, 0.1, 0, 0]),
    face('a3', 'A', true, [0.95, 0, 0.1, 0]),
    face('b1', 'B', true, [0, 1, 0, 0]),
    face('b2', 'B', true, [0.1, 0.9, 0, 0]),
    face('b3', 'B', true, [0, 0.95, 0.1, 0]),
  ];
}

describe('training data', () => {
  it('says what it needs and what it found in plain words, one face or several (QA: "1 confirmed face(s) of 1 people")', () => {
    const needs = (faces: FaceRecord[]) => () => collectUserLabels(faces, backboneOf, DIM, 0.2);
    expect(needs([face('s1', 'A', true, [1, 0, 0, 0])])).toThrow(
      'Training needs at least two confirmed faces each of at least two named people (found 1 confirmed face of 1 person, none with two or more); confirm more faces first.',
    );
    expect(needs(twoPeople().slice(0, 4))).toThrow('(found 4 confirmed faces of 2 people, 1 with two or more)');
  });

  it('a face photographed with a confirmed person is a negative for that person; a face alone is not used', () => {
    const faces = twoPeople();
    const sibling = face('a1', 'A', false, [0.8, 0.2, 0, 0]); // in A's photo, placed with A by the clustering
    const stranger = face('elsewhere', null, false, [0.7, 0.3, 0, 0]);
    const labels = collectUserLabels([...faces, sibling, stranger], backboneOf, DIM, 0.2);
    const a = labels.personIds.indexOf('A');
    const rows = [...labels.train.labels.keys()];
    const siblingRow = rows.find((r) => labels.train.labels[r] === -1 && Array.from(labels.train.vectors.subarray(r * DIM, r * DIM + DIM)).every((v, k) => Math.abs(v - [0.8, 0.2, 0, 0][k]) < 1e-6));
    expect(siblingRow).toBeDefined();
    expect(labels.train.rejected[siblingRow!]).toEqual([a]);
    expect(labels.rejectionOnlyFaces).toBe(1);
    expect(labels.photoNegatives).toBe(1);
  });

  it("two confirmed people in one photo are each other's explicit negatives", () => {
    const faces = twoPeople();
    // b1's photo also holds a confirmed face of A.
    faces.push(face('b1', 'A', true, [0.85, 0.15, 0, 0]));
    const labels = collectUserLabels(faces, backboneOf, DIM, 0);
    const a = labels.personIds.indexOf('A');
    const b = labels.personIds.indexOf('B');
    const negatives = [...labels.train.labels.keys()].map((r) => ({ label: labels.train.labels[r], rejected: labels.train.rejected[r] }));
    expect(negatives.some((n) => n.label === a && n.rejected.includes(b))).toBe(true);
    expect(negatives.some((n) => n.label === b && n.rejected.includes(a))).toBe(true);
    // Never their own person.
    for (const n of negatives) expect(n.rejected).not.toContain(n.label);
  });

  it('learns only named people: an unnamed group\'s pinned faces may be a named person\'s part split off unasked', () => {
    // QA: "105 faces of 11 people" with 10 named; a part of A split off on Who is this? would be learnt apart from A.
    const faces = [...twoPeople(), face('p1', 'A-part', true, [0.97, 0.05, 0, 0]), face('p2', 'A-part', true, [0.93, 0.08, 0, 0])];
    const everyone = collectUserLabels(faces, backboneOf, DIM, 0);
    expect(everyone.personIds).toEqual(['A', 'A-part', 'B']);
    const named = collectUserLabels(faces, backboneOf, DIM, 0, (id) => id !== 'A-part');
    expect(named.personIds).toEqual(['A', 'B']);
    expect(named.confirmedFaces).toBe(6);
    expect([...named.train.labels]).not.toContain(-1);
  });

  it(`keeps at most ${MAX_PHOTO_NEGATIVES_PER_PERSON} photo negatives a person, the nearest to them`, () => {
    const faces = twoPeople();
    // A big family photo with A: many faces, some near A, most far.
    for (let i = 0; i < MAX_PHOTO_NEGATIVES_PER_PERSON + 100; i++) faces.push(face('a1', null, false, i < 10 ? [0.9, 0.05, 0.05, 0] : [0, 0, 0, 1]));
    const labels = collectUserLabels(faces, backboneOf, DIM, 0.2);
    expect(labels.photoNegatives).toBe(MAX_PHOTO_NEGATIVES_PER_PERSON);
    const near = [...labels.train.labels.keys()].filter((r) => labels.train.labels[r] === -1 && labels.train.vectors[r * DIM] === Math.fround(0.9));
    expect(near).toHaveLength(10);
  });
});
