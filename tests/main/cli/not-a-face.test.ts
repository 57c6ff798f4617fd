// `familiar not-a-face`: the CLI's way to take a box around no face off its photo, as the app's "Not a face" does,
// and `familiar undo` puts it back. Real group photos.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';
import { runCli } from './cli-process.js';
import { preparedLibrary } from './prepared-library.js';

let box = '';
const library = preparedLibrary('not-a-face-cli', async (engine) => {
  await engine.import([join(sharedFacesDir(), 'face_recognition/_group_photos')]);
  box = engine.library.faces.reduce((a, b) => (a.box[2] * a.box[3] <= b.box[2] * b.box[3] ? a : b)).id;
});

/** The box's state as the library on disk holds it. */
async function boxNow() {
  const engine = await Engine.open(library.dir);
  try {
    return { notAFace: engine.library.face(box)?.notAFace, faces: engine.library.faces.filter((f) => !f.notAFace).length };
  } finally {
    await engine.close();
  }
}

describe('familiar not-a-face', () => {
  it('removes the box, and undo puts it back', async () => {
    const before = await boxNow();
    expect(before.notAFace).toBeUndefined();
    const run = await runCli('not-a-face', box, '--library', library.dir);
    expect(run.code).toBe(0);
    expect(run.out).toBe('Removed a box that was not a face.  ("familiar undo" reverts it)\n');
    expect(await boxNow()).toEqual({ notAFace: true, faces: before.faces - 1 });
    const undo = await runCli('undo', '--library', library.dir);
    expect(undo.code).toBe(0);
    expect(undo.out).toContain('The box is back on its photo.');
    expect(await boxNow()).toEqual(before);
  });

  it('asks for a face when given none', async () => {
    const run = await runCli('not-a-face', '--library', library.dir);
    expect(run.code).toBe(2);
    expect(run.err).toContain('give at least one face id.');
  });
});
