// A resized copy's face is its original's sighting again (main/people/copy-faces.ts, originalFaceOf): it is counted,
// shown, offered and grouped once, as the import says ("its faces go with the original's"). QA: a copy of an Abdullah
// Gul photo saved at 120 px was the 11th face of his group, "11 faces in 11 photos", a near-duplicate tile. On real
// photos: lfw_subset's Abdullah Gul (ten photos) and Abel Aguilar (one), each with a resized copy made here with sharp.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { Engine } from '../../../main/engine.js';
import { listPeople, nameFaces, recluster, searchPhotos, suggestionsFor } from '../../../main/people/index.js';
import { NewestFirst } from '../../../main/api/views.js';
import type { CallResult } from '../../../preload/contract.js';
import { CountingAnalyzer, makeAlbum, peopleAlbum, saveResizedCopy, subjectAt } from './helpers.js';

const setup = peopleAlbum('familiar-copy-faces-once-', ['Abdullah_Gul']);

describe("a resized copy's faces", () => {
  it('are not counted, shown, offered or grouped a second time', async () => {
    const album = setup.album;
    await makeAlbum(album, { 'misc/Abel_Aguilar_0001.jpg': 'lfw_subset/Abel_Aguilar/Abel_Aguilar_0001.jpg' });
    const gulPhoto = join(album, 'Abdullah_Gul', 'Abdullah_Gul_0004.jpg');
    const [gulCopy, abelCopy] = [join(album, 'misc', 'dup_small.jpg'), join(album, 'misc', 'abel_small.jpg')];
    await saveResizedCopy(gulPhoto, gulCopy, 120);
    await saveResizedCopy(join(album, 'misc', 'Abel_Aguilar_0001.jpg'), abelCopy, 125);
    const engine = await Engine.open(join(setup.work, 'library'), { analyzer: new CountingAnalyzer(setup.pool) });
    try {
      const lib = engine.library;
      expect(await engine.import([album])).toMatchObject({ newPhotos: 13, resizedCopies: 2 });
      const [gul, gulCopied] = [subjectAt(lib, gulPhoto), subjectAt(lib, gulCopy)];
      expect(lib.photo(gulCopied.photoId)!.copyOf?.faces[gulCopied.id]).toBe(gul.id);
      const [abel, abelCopied] = [subjectAt(lib, join(album, 'misc', 'Abel_Aguilar_0001.jpg')), subjectAt(lib, abelCopy)];
      expect(lib.photo(abelCopied.photoId)!.copyOf?.faces[abelCopied.id]).toBe(abel.id);

      await recluster(lib);
      // His ten photos, one face each; the copy's face goes where its original goes, and is listed with no one.
      const group = listPeople(lib).find((p) => p.faceIds.includes(gul.id))!;
      expect(group).toMatchObject({ faceCount: 10, photoCount: 10 });
      expect(lib.face(gulCopied.id)!.personId).toBe(group.id);
      expect(listPeople(lib).some((p) => p.faceIds.includes(gulCopied.id))).toBe(false);
      // Search and the Photos filter list his ten photos, as his card counts them: the copy is the same picture again.
      const found = searchPhotos(lib, [group.id]);
      expect(found).toHaveLength(10);
      expect(found).toContain(gul.photoId);
      expect(found).not.toContain(gulCopied.photoId);
      const order = new NewestFirst(lib);
      expect(order.placesWith([group.id], false)!.map((place) => order.photos[place].id).sort()).toEqual([...found].sort());
      // A stranger seen once is no group, however many copies of the photo there are, and "Who is this?" asks once.
      expect([lib.face(abel.id)!.personId, lib.face(abelCopied.id)!.personId]).toEqual([null, null]);
      const api = await openEngineHandlers({ libraryDir: lib.dir, mode: 'browser', version: 'test', events: new EventHub(), jobs: new JobRegistry(new EventHub()), generated: new GeneratedImages(), engine });
      try {
        const queue = (await api.handlers['unknown.queue']!({ offset: 0, limit: 500 })) as CallResult<'unknown.queue'>;
        const asked = queue.faces.faces.map((f) => f.id);
        expect(asked).toContain(abel.id);
        expect(asked).not.toContain(abelCopied.id);
        expect(queue.faces.total).toBe(asked.length);
      } finally {
        await api.close();
      }

      // Named from three faces: his suggestions offer the original's face, not the copy's again.
      const others = listPeople(lib).find((p) => p.id === group.id)!.faceIds.filter((id) => id !== gul.id);
      await nameFaces(lib, others.slice(0, 3), 'Abdullah Gul');
      const offered = suggestionsFor(lib, 'Abdullah Gul', 50).map((s) => s.faceId);
      expect(offered).toContain(gul.id);
      expect(offered).not.toContain(gulCopied.id);
    } finally {
      await engine.close();
    }
  });
});
