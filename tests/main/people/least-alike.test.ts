// "Least alike first" on real photos: three LFW people's thirty photos through the real engine. Tony Blair's faces
// slipped into Colin Powell's person (as a chain of near faces or an old threshold would) must come first and be
// marked unlike; Powell's own photos must not be; the user's confirmed faces are never marked, but a stranger confirmed
// by naming a group with it inside still rises to the top.
import { describe, expect, it } from 'vitest';
import { LeastAlikeViews, leastAlikeFirst, nameFaces, namePerson, rejectFaces } from '../../../main/people/index.js';
import { newPersonId, nowIso } from '../../../main/people/library.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { importedLibrary } from '../../helpers/imported-library.js';

const { library } = importedLibrary('least-alike', ['lfw_subset/Colin_Powell', 'lfw_subset/Tony_Blair', 'lfw_subset/Gerhard_Schroeder']);

/** The largest face of each of a person's photos: the one LFW labels. */
function facesOf(folder: string): FaceRecord[] {
  return library()
    .photos.filter((p) => p.paths[0].split('/').at(-2) === folder)
    .sort((a, b) => a.paths[0].localeCompare(b.paths[0]))
    .map((p) => library().facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)));
}

/** Puts faces in a person as the clustering would (not the user's decision). */
async function placeAsClustering(faces: readonly FaceRecord[], personId: string): Promise<void> {
  const ids = new Set(faces.map((f) => f.id));
  await library().transaction((tx) => {
    for (const f of tx.faces) {
      if (ids.has(f.id)) {
        f.personId = personId;
        f.assignedBy = 'cluster';
      }
    }
  });
}

describe('a person\'s faces, least alike first', () => {
  it('puts another person\'s faces first and marks them unlike; the person\'s own and confirmed faces are not marked', async () => {
    const powell = facesOf('Colin_Powell');
    const blair = facesOf('Tony_Blair').slice(0, 3);
    expect(powell).toHaveLength(10);
    const { personIds } = await nameFaces(library(), powell.slice(0, 3).map((f) => f.id), 'Colin Powell');
    const colin = personIds[0];
    await placeAsClustering([...powell.slice(3), ...blair], colin);

    const view = leastAlikeFirst(library(), colin);
    expect(view.reference).toBe('confirmed');
    expect(view.faces.map((s) => s.face.personId).every((id) => id === colin)).toBe(true);
    const ids = view.faces.map((s) => s.face.id);
    expect(new Set(ids)).toEqual(new Set([...powell, ...blair].map((f) => f.id)));
    // Every Blair face is marked and among the first; at most one of Powell's own seven is.
    const blairIds = new Set(blair.map((f) => f.id));
    expect(view.faces.filter((s) => blairIds.has(s.face.id)).every((s) => s.unlike)).toBe(true);
    expect(Math.max(...blair.map((f) => ids.indexOf(f.id)))).toBeLessThanOrEqual(3);
    expect(view.faces.filter((s) => s.unlike && !blairIds.has(s.face.id)).length).toBeLessThanOrEqual(1);
    expect(view.unlike).toBe(view.faces.filter((s) => s.unlike).length);
    // The unlike faces lead, then every other face (the user's too) by distance; confirmed faces are never marked.
    expect(view.faces.slice(0, view.unlike).every((s) => s.unlike)).toBe(true);
    const rest = view.faces.slice(view.unlike);
    for (let i = 1; i < rest.length; i++) expect(rest[i].distance).toBeLessThanOrEqual(rest[i - 1].distance);
    expect(view.faces.filter((s) => s.face.assignedBy === 'user').some((s) => s.unlike)).toBe(false);
  });

  it('marks a face in a photo where the user confirmed the person on another face, however near it is', async () => {
    const lib = library();
    const colin = lib.people.people.find((p) => p.name === 'Colin Powell')!.id;
    // A photo with two faces: confirm the largest as Colin, put the other with him as the clustering would.
    const photo = lib.photos.find((p) => lib.facesOfPhoto(p.id).length >= 2)!;
    expect(photo).toBeDefined();
    const [main, other] = [...lib.facesOfPhoto(photo.id)].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
    await lib.transaction((tx) => {
      for (const f of tx.faces) {
        if (f.id === main.id) Object.assign(f, { personId: colin, assignedBy: 'user' });
        if (f.id === other.id) Object.assign(f, { personId: colin, assignedBy: 'cluster' });
      }
      // No face is too far by distance now: only the photo can tell.
      tx.settings.samePersonDistance = 2;
    });
    const view = leastAlikeFirst(lib, colin);
    expect(view.faces.filter((s) => s.unlike).map((s) => s.face.id)).toEqual([other.id]);
    expect(view.faces[0].face.id).toBe(other.id);
    await lib.transaction((tx) => {
      tx.settings.samePersonDistance = 0.087;
      for (const f of tx.faces) if (f.id === main.id || f.id === other.id) Object.assign(f, { personId: null, assignedBy: null });
    });
  });

  it('naming a group vouches for its own faces only: a stranger and a block of another person\'s are left to check', async () => {
    const powell = facesOf('Colin_Powell').slice(3);
    const [stranger] = facesOf('Gerhard_Schroeder').slice(5, 6);
    const block = facesOf('Tony_Blair').slice(5, 9);
    const groupId = newPersonId();
    await library().transaction((tx) => {
      tx.people.people.push({ id: groupId, name: null, hidden: false, coverFaceId: null, createdAt: nowIso() });
    });
    await placeAsClustering([...powell, stranger, ...block], groupId);
    // Naming the group confirms Powell's faces. Four of Blair's photos are each other's nearest faces, so only their
    // distance to Powell's part tells them apart; they and the stranger stay in the group unconfirmed.
    const named = await namePerson(library(), groupId, 'Colin (group)');
    // They look like someone else, the other part of a group that looks like two people: the page splits them off.
    expect(named.description).toBe(
      `Named "Colin (group)" (12 faces, ${powell.length} confirmed: the other 5 look like someone else — split them off on Colin (group)'s page).`,
    );
    const view = leastAlikeFirst(library(), groupId);
    const outsiders = new Set([stranger, ...block].map((f) => f.id));
    expect(view.faces).toHaveLength(powell.length + outsiders.size);
    for (const s of view.faces) expect(s.face.assignedBy).toBe(outsiders.has(s.face.id) ? 'cluster' : 'user');
    // Against Powell's confirmed faces they look unlike him: first on the page, and counted "to check".
    expect(view.unlike).toBe(outsiders.size);
    expect(new Set(view.faces.slice(0, outsiders.size).map((s) => s.face.id))).toEqual(outsiders);
  });

  it('orders a group nobody confirmed by its average face, and calls no face unlike', async () => {
    const powell = facesOf('Colin_Powell').slice(3);
    const schroeder = facesOf('Gerhard_Schroeder').slice(0, 2);
    const groupId = newPersonId();
    await library().transaction((tx) => {
      tx.people.people.push({ id: groupId, name: null, hidden: false, coverFaceId: null, createdAt: nowIso() });
    });
    await placeAsClustering([...powell, ...schroeder], groupId);
    const view = leastAlikeFirst(library(), groupId);
    expect(view.reference).toBe('group');
    expect(view.unlike).toBe(0);
    expect(new Set(view.faces.slice(0, 2).map((s) => s.face.id))).toEqual(new Set(schroeder.map((f) => f.id)));
  });

  it('keeps each person\'s "to check" count, and follows every change to that person, to the embedding\'s threshold and to the faces', async () => {
    const lib = library();
    const views = new LeastAlikeViews(lib);
    const colin = lib.people.people.find((p) => p.name === 'Colin Powell')!.id;
    const fresh = () => new Map(lib.people.people.map((p) => [p.id, leastAlikeFirst(lib, p.id).reference === 'confirmed' ? leastAlikeFirst(lib, p.id).unlike : 0]));
    const blairInColin = () => leastAlikeFirst(lib, colin).faces.filter((s) => s.unlike).map((s) => s.face);

    let counts = views.unlikeCounts();
    expect(counts).toEqual(fresh());
    expect(counts.get(colin)).toBeGreaterThanOrEqual(2);
    const before = counts.get(colin)!;

    // A decision about one of the faces: Colin's count drops by exactly one.
    await rejectFaces(lib, [blairInColin()[0].id], colin);
    counts = views.unlikeCounts();
    expect(counts.get(colin)).toBe(before - 1);
    expect(counts).toEqual(fresh());

    // A decision about someone else leaves Colin's count, and names Schroeder with nothing to check.
    const schroeder = facesOf('Gerhard_Schroeder').slice(2, 4);
    const { personIds } = await nameFaces(lib, schroeder.map((f) => f.id), 'Gerhard Schroeder');
    counts = views.unlikeCounts();
    expect(counts.get(colin)).toBe(before - 1);
    expect(counts.get(personIds[0])).toBe(0);

    // The same-person distance in Settings moves the line: with it far away only the same-photo rule is left.
    const threshold = lib.settings.samePersonDistance;
    await lib.transaction((tx) => {
      tx.settings.samePersonDistance = 2;
    });
    expect(views.unlikeCounts()).toEqual(fresh());
    expect(views.unlikeCounts().get(colin)).toBe(0);
    await lib.transaction((tx) => {
      tx.settings.samePersonDistance = threshold;
    });
    expect(views.unlikeCounts().get(colin)).toBe(before - 1);

    // The person page's view is the same as computed afresh, with the faces' current records.
    const view = views.of(colin);
    expect(view.faces.map((s) => s.face.id)).toEqual(leastAlikeFirst(lib, colin).faces.map((s) => s.face.id));
    expect(view.faces.every((s) => s.face === lib.face(s.face.id))).toBe(true);
  });
});
