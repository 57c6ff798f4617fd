// A library an earlier pipeline analysed, whose faces lying on their side were described from the landmark net's
// guesses (models/pipeline.ts sidewaysLandmarks): looking again analyses only the photos with a face whose stored
// landmarks fit a face poorly, or found unsurely in a box wider than tall, turns those faces upright, and they join
// their person; every name holds.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineDistanceOf } from '../../../models/cluster/vectors.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { lookAgainHint } from '../../../main/cli/commands/import.js';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { mayHoldSidewaysFace, photosToLookAgainAt, PIPELINE_BEFORE_SIDEWAYS } from '../../../main/library/pipeline-upgrade.js';
import { nameFaces } from '../../../main/people/decisions.js';
import type { PhotoRecord } from '../../../main/store/types.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';

/** lfw_subset photos, each imported upright and turned: the earlier pipeline's guessed landmarks fitted these poorly. */
const POORLY_FITTED = [
  ['Carlos_Moya', 90],
  ['Gray_Davis', 270],
  ['Harrison_Ford', 270],
  // Its guess fitted poorly both ways turned too: the fits alone could not tell which way up it is; the detector can.
  ['Paul_Bremer', 90],
] as const;
/**
 * Turned, but the net's guess fitted a face shape (0.036): its box tells it, wider than tall (1.8 times), the detector
 * unsure of it (0.80).
 */
const GUESS_FITTED = ['Pierce_Brosnan', 270] as const;

describe('looking again at faces lying on their side', () => {
  const lfw = (person: string) => join(sharedFacesDir(), 'lfw_subset', person, `${person}_0002.jpg`);
  let work: string;
  let album: string;
  let earlierPool: AnalysisPool;
  let pool: AnalysisPool;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'familiar-sideways-'));
    album = join(work, 'album');
    await mkdir(album);
    for (const [person, angle] of [...POORLY_FITTED, GUESS_FITTED]) {
      await copyFile(lfw(person), join(album, `${person}.jpg`));
      // PNG: the turned pixels exactly (the file carries no orientation tag).
      await sharp(lfw(person)).rotate(angle).png().toFile(join(album, `${person} turned.png`));
    }
    [earlierPool, pool] = await Promise.all([AnalysisPool.create({ size: 1, analyzer: { sideways: false } }), AnalysisPool.create({ size: 1 })]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([earlierPool?.close(), pool?.close()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('analyses again only the photos whose faces fit poorly or lie unsure in a wide box; those faces join their person, names hold', async () => {
    const dir = join(work, 'library');
    const photoOf = (engine: Engine, name: string) => engine.library.photos.find((p) => p.paths[0].endsWith(name))!;
    // The photo's largest face: the person LFW labels it with.
    const faceOf = (engine: Engine, name: string) => [...engine.library.facesOfPhoto(photoOf(engine, name).id)].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
    const distance = (engine: Engine, person: string) =>
      cosineDistanceOf(engine.library.backboneOf(faceOf(engine, `${person}.jpg`)), engine.library.backboneOf(faceOf(engine, `${person} turned.png`)));
    // 1. The earlier pipeline imports the album; the user names every upright face, and one turned face.
    const earlier = await Engine.open(dir, { analyzer: earlierPool });
    let analysedAt: Map<string, string>;
    let faceIds: string[];
    const userNamed = `${POORLY_FITTED[1][0]} turned.png`;
    try {
      await earlier.import([album]);
      await earlier.library.transaction((tx) => {
        for (const photo of tx.photos) photo.analysis = { pipelineVersion: PIPELINE_BEFORE_SIDEWAYS, analysedAt: photo.analysis!.analysedAt };
      });
      for (const [person] of [...POORLY_FITTED, GUESS_FITTED]) {
        expect(earlier.library.facesOfPhoto(photoOf(earlier, `${person} turned.png`).id)).toHaveLength(1);
        // Described from guessed landmarks: as far from the same face upright as another person's face.
        expect(distance(earlier, person), person).toBeGreaterThan(0.08);
        await nameFaces(earlier.library, [faceOf(earlier, `${person}.jpg`).id], person.replace(/_/g, ' '));
      }
      await nameFaces(earlier.library, [faceOf(earlier, userNamed).id], 'Gray Davis, lying down');
      analysedAt = new Map(earlier.library.photos.map((p) => [p.id, p.analysis!.analysedAt]));
      faceIds = earlier.library.faces.map((f) => f.id).sort();
    } finally {
      await earlier.close();
    }

    // 2. This version: importing the album analyses nothing; the doctor counts the photos looking again would fix.
    const engine = await Engine.open(dir, { analyzer: pool });
    try {
      expect((await engine.import([album])).analysed).toBe(0);
      const facesOf = (p: PhotoRecord) => engine.library.facesOfPhoto(p.id);
      // Paul_Bremer.jpg is upright, but a face cut by its left edge fits 0.11: looked at again, to no change.
      const expected = [...[...POORLY_FITTED, GUESS_FITTED].map(([person]) => `${person} turned.png`), 'Paul_Bremer.jpg'].sort();
      const uprightRows = engine.library.facesOfPhoto(photoOf(engine, 'Paul_Bremer.jpg').id).map((f) => f.vectorRow);
      const listed = photosToLookAgainAt(engine.library.photos, facesOf);
      expect(listed.map((p) => p.paths[0].split('/').pop()).sort()).toEqual(expected);
      expect(mayHoldSidewaysFace(facesOf(photoOf(engine, `${GUESS_FITTED[0]} turned.png`)))).toBe(true);
      expect(mayHoldSidewaysFace(facesOf(photoOf(engine, `${GUESS_FITTED[0]}.jpg`)))).toBe(false);
      const counts = (await engine.doctor()).library.counts!;
      expect([counts.lookAgain, counts.lookAgainSideways]).toEqual([expected.length, expected.length]);
      expect(lookAgainHint(counts.lookAgain, counts.lookAgainSideways)).toBe(
        '6 photos were analysed by an earlier version, which misses some faces and does not recognise faces lying on their side (all of them may hold one): "familiar import --look-again" looks for them',
      );

      // 3. Looking again analyses those photos only; their faces keep their ids, and lie by their upright selves.
      const summary = await engine.lookAgain();
      expect(summary.analysed).toBe(expected.length);
      const again = engine.library.photos.filter((p) => p.analysis!.analysedAt !== analysedAt.get(p.id)).map((p) => p.paths[0].split('/').pop()).sort();
      expect(again).toEqual(expected);
      expect(engine.library.photos.filter((p) => p.analysis!.pipelineVersion === PIPELINE_VERSION)).toHaveLength(expected.length);
      // Paul Bremer turned, whose faces were all unsure and fitted poorly, is analysed whole turned the right way up
      // (models/pipeline.ts turnedPhoto): it also gains the face cut by the edge that his upright photo has.
      const bremerTurned = photoOf(engine, 'Paul_Bremer turned.png').id;
      expect(engine.library.faces.filter((f) => f.photoId !== bremerTurned || faceIds.includes(f.id)).map((f) => f.id).sort()).toEqual(faceIds);
      expect(engine.library.facesOfPhoto(bremerTurned)).toHaveLength(uprightRows.length);
      expect(engine.library.facesOfPhoto(photoOf(engine, 'Paul_Bremer.jpg').id).map((f) => f.vectorRow)).toEqual(uprightRows);
      for (const [person] of [...POORLY_FITTED, GUESS_FITTED]) {
        expect(distance(engine, person), person).toBeLessThan(0.03);
        const face = faceOf(engine, `${person} turned.png`);
        const name = engine.library.people.people.find((p) => p.id === face.personId)?.name;
        // Placed again with its new descriptor: it joins the person named on the upright photo. The face the user
        // named keeps the user's name.
        expect(name, person).toBe(`${person} turned.png` === userNamed ? 'Gray Davis, lying down' : person.replace(/_/g, ' '));
        expect(face.assignedBy).toBe(`${person} turned.png` === userNamed ? 'user' : 'cluster');
      }
      // 4. Nothing is left to look at again: the faces turned upright fit well, in boxes as tall as wide.
      expect(photosToLookAgainAt(engine.library.photos, facesOf)).toHaveLength(0);
      expect((await engine.lookAgain()).analysed).toBe(0);
    } finally {
      await engine.close();
    }
  }, 180_000);
});
