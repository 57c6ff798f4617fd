// "Is this <Name>?" about a group (unknown.answer): the answer's arguments (the faces it is about among them) are
// checked before any handler sees them, and unknown.maybe answers with the candidate only in the shape the screen reads.
import { describe, expect, it } from 'vitest';
import { calls } from '../../preload/contract.js';

const args = calls['unknown.answer'].args;

describe('unknown.answer', () => {
  const shown = { faceIds: ['a-1', 'a-2'], faceCount: 5 };

  it('takes a group, a person, a yes or no, the faces shown and how many the group had, and the faces left out', () => {
    expect(args.parse({ groupId: 'person-1', personId: 'person-2', same: true, ...shown })).toEqual({ groupId: 'person-1', personId: 'person-2', same: true, ...shown });
    expect(args.parse({ groupId: 'person-1', personId: 'person-2', same: true, ...shown, leftOutFaceIds: ['a-2'] }).leftOutFaceIds).toEqual(['a-2']);
  });

  it('rejects a missing answer, an answer that is not a boolean, bad ids, missing faces and extra fields', () => {
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', ...shown }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: 'yes', ...shown }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: 1, ...shown }).success).toBe(false);
    expect(args.safeParse({ groupId: '../people', personId: 'person-2', same: true, ...shown }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: '', same: true, ...shown }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: ['person-2'], same: true, ...shown }).success).toBe(false);
    // The answer is about the faces shown: without them, or with none, it is not taken.
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: true }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: true, faceIds: [], faceCount: 5 }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: true, faceIds: ['a-1'] }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: true, ...shown, faceCount: 0 }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: true, ...shown, faceCount: 1.5 }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: true, ...shown, faceIds: ['../x'] }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: true, ...shown, leftOutFaceIds: [] }).success).toBe(false);
    expect(args.safeParse({ groupId: 'person-1', personId: 'person-2', same: false, ...shown, faceId: 'a-1' }).success).toBe(false);
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
