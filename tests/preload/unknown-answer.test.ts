// "Is this <Name>?" about a group (unknown.answer): the answer's arguments are checked before any handler sees them,
// and the queue's group summaries carry the candidate only in the shape the screen reads.
import { describe, expect, it } from 'vitest';
import { calls, UnknownGroup } from '../../preload/contract.js';

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

  it("lets a group summary go without a candidate, and wants the candidate's name, distance and face when it has one", () => {
    const group = { id: 'person-1', name: null, faceCount: 4, photoCount: 4, coverFaceId: 'a-1', cover: 'thumb/a-1', hidden: false, toCheck: 0, confirmedCount: 0 };
    expect(UnknownGroup.safeParse(group).success).toBe(true);
    expect(UnknownGroup.safeParse({ ...group, maybe: { personId: 'person-2', name: 'Ana', distance: 0.04, face: 'thumb/b-1' } }).success).toBe(true);
    expect(UnknownGroup.safeParse({ ...group, maybe: { personId: 'person-2', name: 'Ana', distance: 0.04 } }).success).toBe(false);
    expect(UnknownGroup.safeParse({ ...group, maybe: { personId: 'person-2', name: 'Ana', distance: '0.04', face: 'thumb/b-1' } }).success).toBe(false);
  });
});
