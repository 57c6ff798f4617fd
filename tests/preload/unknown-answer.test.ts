// "Is this <Name>?" about a group (unknown.answer): the answer's arguments are checked before any handler sees them,
// and unknown.maybe answers with the candidate only in the shape the screen reads.
import { describe, expect, it } from 'vitest';
import { calls } from '../../preload/contract.js';

const args = calls['unknown.answer'].args;

describe('unknown.answer', () => {
  it('takes a group, a person and a yes or no', () => {
    expect(args.parse({ groupId: 'person-1', personId: 'person-2', same: true })).toEqual({ groupId: 'person-1', personId: 'person-2', same: true });
  });

  it('rejects a missing answer, an answer that is not a boolean, bad ids and extra fields', () => {
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2' }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: 'yes' }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: 1 }).success).toBe(false);
    expect(args.safeParse({ groupId: '../people', personId: 'person-2', same: true }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: '', same: true }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: ['person-2'], same: true }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: false, faceIds: ['a-1'] }).success).toBe(false);
    expect(args.safeParse(undefined).success).toBe(false);
  });

  it("unknown.maybe takes one group, and answers null or the candidate's name, distance and face", () => {
    const maybe = calls['unknown.maybe'];
    expect(maybe.args.parse({ groupId: 'person-1' })).toEqual({ groupId: 'person-1' });
    expect(maybe.args.safeParse({ groupId: '../people' }).success).toBe(false);
    expect(maybe.args.safeParse({ groupIds: ['person-1'] }).success).toBe(false);
    expect(maybe.result.safeParse(null).success).toBe(true);
    expect(maybe.result.safeParse({ personId: 'person-2', name: 'Ana', distance: 0.04, face: 'thumb/b-1' }).success).toBe(true);
    expect(maybe.result.safeParse({ personId: 'person-2', name: 'Ana', distance: 0.04 }).success).toBe(false);
    expect(maybe.result.safeParse({ personId: 'person-2', name: 'Ana', distance: '0.04', face: 'thumb/b-1' }).success).toBe(false);
  });
});
