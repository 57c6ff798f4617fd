// A photo whose name is as long as the disk allows (255 characters) can have no sidecar beside it: the import reads
// none without calling the photo skipped, and the names export says why it wrote none, in words (QA: a raw
// "ENAMETOOLONG: name too long, stat ..." on both). A real photo.
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameFaces } from '../../../main/people/index.js';
import { exportNamesToXmp, sidecarPathFor } from '../../../main/people/xmp-names.js';
import { scratchEngine } from '../../helpers/imported-library.js';
import { lfwPhoto, subjectAt } from '../library/helpers.js';

const PHOTO_NAME = `Summer holiday ${'y'.repeat(236)}.jpg`;
const scratch = scratchEngine('long-name', async (work) => {
  await mkdir(join(work, 'album'));
  await copyFile(lfwPhoto('Alvaro_Uribe', 1), join(work, 'album', PHOTO_NAME));
});

describe('a photo whose name leaves no room for ".xmp"', () => {
  it('is imported with nothing skipped, and its export says in words why no sidecar was written', async () => {
    const engine = scratch.engine();
    const photo = join(scratch.work(), 'album', PHOTO_NAME);
    const summary = await engine.import([join(scratch.work(), 'album')]);
    expect(summary.photos).toBe(1);
    expect(summary.skipped).toEqual([]);
    await nameFaces(engine.library, [subjectAt(engine.library, photo).id], 'Alvaro');
    const exported = await exportNamesToXmp(engine.library);
    expect(exported.written).toBe(0);
    expect(exported.skipped).toEqual([{ path: sidecarPathFor(photo), reason: expect.stringMatching(/name would be too long .*rename the photo/) }]);
    expect(exported.skipped[0].reason).not.toMatch(/ENAMETOOLONG/);
  });
});
