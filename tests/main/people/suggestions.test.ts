// A person's suggestions queue on real photos: five LFW people's fifty photos through the real engine. The queue
// reaches no farther than the same-person distance (the threshold Settings shows, so it follows the user's choice):
// past it, the suggestion distance alone offered faces that are nearly all someone else.
import { describe, expect, it } from 'vitest';
import { ignoreFaces, listPeople, nameFaces, rejectFaces, suggestionsFor } from '../../../main/people/index.js';
import { suggestionReach } from '../../../main/people/queries.js';
import { thresholdsFor } from '../../../main/people/thresholds.js';
import { importedLibrary } from '../../helpers/imported-library.js';

const PEOPLE = ['Colin_Powell', 'Donald_Rumsfeld', 'Jacques_Chirac', 'Jean_Chretien', 'Tony_Blair'];

const { library } = importedLibrary('suggestions', PEOPLE.map((p) => `lfw_subset/${p}`));
const folderOf = (faceId: string) => library().photo(library().face(faceId)!.photoId)!.paths[0].split('/').at(-2);

describe('a person\'s suggestions', () => {
  it('of a group nobody confirmed are faces outside it, never its own faces at distance zero', () => {
    const group = listPeople(library()).find((p) => p.name === null)!;
    const queue = suggestionsFor(library(), group.id, 500);
    expect(queue.filter((s) => s.currentPersonId === group.id)).toEqual([]);
    expect(queue.every((s) => s.distance > 0)).toBe(true);
  });

  it('reach no farther than the same-person distance, and the user\'s threshold moves them', async () => {
    // Tony Blair's first photo: the largest face in it is his.
    const photo = library().photos.find((p) => p.paths[0].endsWith('/Tony_Blair_0001.jpg'))!;
    const seed = library().facesOfPhoto(photo.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b));
    const { personIds } = await nameFaces(library(), [seed.id], 'Someone');
    const person = personIds[0];
    const thresholds = thresholdsFor(library().info, library().settings);
    expect(suggestionReach(thresholds)).toBe(Math.min(thresholds.suggestDistance, thresholds.sameDistance));
    const queue = suggestionsFor(library(), person, 500);
    expect(queue.length).toBeGreaterThan(3);
    expect(queue.every((s) => s.distance <= thresholds.sameDistance)).toBe(true);
    // Nearly every face offered is of the named face's person (their own folder), nearest first.
    const own = queue.filter((s) => folderOf(s.faceId) === folderOf(seed.id)).length;
    expect(own / queue.length).toBeGreaterThan(0.8);

    // A looser same-person threshold in Settings lets the queue reach farther, up to the suggestion distance.
    await library().transaction((tx) => {
      tx.settings.samePersonDistance = thresholds.suggestDistance;
    });
    const wider = suggestionsFor(library(), person, 500);
    expect(wider.length).toBeGreaterThan(queue.length);
    expect(Math.max(...wider.map((s) => s.distance))).toBeGreaterThan(Math.max(...queue.map((s) => s.distance)));
    expect(wider.every((s) => s.distance <= thresholds.suggestDistance)).toBe(true);
  });
});

describe('what a person\'s suggestions never offer', () => {
  const { library: album } = importedLibrary('suggestions-groups', ['compreface/_group_photos', 'lfw_subset/Colin_Powell']);
  let queue: () => ReturnType<typeof suggestionsFor> = () => [];

  it('two faces of one photo, nor a face the user asked not to be asked about', async () => {
    const photo = album().photos.find((p) => p.paths[0].endsWith('/Colin_Powell_0001.jpg'))!;
    const seed = album().facesOfPhoto(photo.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b));
    const { personIds } = await nameFaces(album(), [seed.id], 'Colin');
    // A queue reaching far (a loose threshold in Settings): the group photos' strangers come within it, several
    // faces of each photo.
    await album().transaction((tx) => {
      tx.settings.samePersonDistance = 0.5;
      tx.settings.peopleThresholds = { backbone: { suggestDistance: 0.5 } };
    });
    queue = () => suggestionsFor(album(), personIds[0], 500);
    const groupPhotos = queue().filter((s) => album().photo(s.photoId)!.paths[0].includes('_group_photos'));
    expect(groupPhotos.length).toBeGreaterThan(3);
    // One face per photo at most: the nearest one.
    expect(new Set(queue().map((s) => s.photoId)).size).toBe(queue().length);
    // "Don't ask about these faces": gone from the queue, as from "Who is this?".
    const ignored = groupPhotos.slice(0, 3).map((s) => s.faceId);
    await ignoreFaces(album(), ignored);
    expect(queue().filter((s) => ignored.includes(s.faceId))).toEqual([]);
  });

  it('the next stranger of a group photo once the user said No to the one offered there', async () => {
    const colin = album().people.people.find((p) => p.name === 'Colin')!;
    const offered = queue();
    const inGroup = offered.find((s) => album().photo(s.photoId)!.paths[0].includes('_group_photos') && album().facesOfPhoto(s.photoId).length > 2)!;
    expect(inGroup).toBeTruthy();
    await rejectFaces(album(), [inGroup.faceId], colin.id);
    const after = queue();
    // That photo's other faces lie far from him (they are strangers): none of them replaces it.
    expect(after.filter((s) => s.photoId === inGroup.photoId)).toEqual([]);
    expect(after.length).toBe(offered.length - 1);
  });
});
