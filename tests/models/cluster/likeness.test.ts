import { describe, expect, it } from 'vitest';
import { averageDirection, distancesToPerson, distanceToDirection, meanDistanceToNearest, personLikeness } from '../../../models/cluster/likeness.js';
import { vectorSetFromRows } from '../../../models/cluster/vectors.js';

const unit = (degrees: number) => [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
const distance = (degrees: number) => 1 - Math.cos((degrees * Math.PI) / 180);

describe('likeness to a person', () => {
  it('is the mean distance to the k nearest references, leaving the face itself out', () => {
    const references = [0, 10, 20, 90, 180].map(unit);
    expect(meanDistanceToNearest(unit(5), references, 3)).toBeCloseTo((distance(5) + distance(5) + distance(15)) / 3, 12);
    expect(meanDistanceToNearest(unit(5), references, 1)).toBeCloseTo(distance(5), 12);
    // The reference at index 0 is the face itself: its own zero distance does not count.
    expect(meanDistanceToNearest(unit(0), references, 2, 0)).toBeCloseTo((distance(10) + distance(20)) / 2, 12);
    // Fewer references than k: the mean of those there are; none left: 0.
    expect(meanDistanceToNearest(unit(0), [unit(60)], 3)).toBeCloseTo(distance(60), 12);
    expect(meanDistanceToNearest(unit(0), [unit(0)], 3, 0)).toBe(0);
  });

  it('measures a group without confirmations against its average direction', () => {
    const direction = averageDirection([unit(-30), unit(30)]);
    expect(Array.from(direction)).toEqual([expect.closeTo(1, 12), expect.closeTo(0, 12)]);
    expect(distanceToDirection(unit(30), direction)).toBeCloseTo(distance(30), 12);
  });

  it('raises a block of another person\'s faces, confirmed with the rest, by their distance to the larger part', () => {
    // Eight faces of one person within 3 degrees of 0, four of another within 3 degrees of 40: all confirmed.
    const person = [0, 1, 2, 3, -1, -2, -3, 0.5].map(unit);
    const block = [40, 41, 42, 43].map(unit);
    const all = vectorSetFromRows([...person, ...block]);
    const likeness = personLikeness(all, Array.from({ length: 12 }, (_, r) => r), distance(10));
    // Each block face's 3 nearest confirmed faces are the other block faces: near.
    for (let r = 8; r < 12; r++) expect(likeness.toPerson[r]).toBeLessThan(distance(4));
    // Against the larger part they are ~40 degrees away, above every face of the person.
    const lowestBlock = Math.min(...Array.from(likeness.order.subarray(8)));
    expect(lowestBlock).toBeGreaterThan(distance(35));
    expect(Math.max(...Array.from(likeness.order.subarray(0, 8)))).toBeLessThan(distance(5));
    // One person whose faces never part by more than the cut: the order is the distance to the confirmed faces.
    const one = personLikeness(vectorSetFromRows(person), [0, 1], distance(10));
    expect(Array.from(one.order)).toEqual(Array.from(one.toPerson));
  });

  it('gives each face\'s distance to the person without the split, the same as the order\'s toPerson', () => {
    const faces = vectorSetFromRows([0, 2, 4, 40, 42, -3].map(unit));
    const toPerson = distancesToPerson(faces, [0, 1, 2]);
    // Vectors are float32: close to 6 places. Face 3 (40 degrees): the mean distance to 0, 2 and 4 degrees; face 0 leaves itself out.
    expect(toPerson[3]).toBeCloseTo((distance(40) + distance(38) + distance(36)) / 3, 6);
    expect(toPerson[0]).toBeCloseTo((distance(2) + distance(4)) / 2, 6);
    expect(Array.from(toPerson)).toEqual(Array.from(personLikeness(faces, [0, 1, 2], distance(10)).toPerson));
    // With nobody confirmed: the distance to the group's average direction.
    const mean = averageDirection([0, 2, 4, 40, 42, -3].map(unit));
    expect(distancesToPerson(faces, [])[5]).toBeCloseTo(distanceToDirection(unit(-3), mean), 6);
  });
});
