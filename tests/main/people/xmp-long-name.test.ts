// A photo whose name is as long as the disk allows (255 characters) can have no sidecar beside it: the import reads
// none without calling the photo skipped, and the names export says why it wrote none, in words (QA: a raw
// "ENAMETOOLONG: name too long, stat ..." on both). A real photo.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { nameFaces } from '../../../main/people/index.js';
import { exportNamesToXmp, sidecarPathFor } from '../../../main/people/xmp-names.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { lfwPhoto, subjectAt } from '../library/helpers.js';

describe('a photo whose name leaves no room for ".xmp"', () => {
  let work: string;
  let pool: CachedAnalysis;
  let engine: Engine;
  let photo: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'familiar-long-name-'));
    const album = join(work, 'album');
    await mkdir(album);
    photo = join(album, `Summer holiday ${'y'.repeat(236)}.jpg`);
    await copyFile(lfwPhoto('Alvaro_Uribe', 1), photo);
    pool = new CachedAnalysis(1);
    engine = await Engine.open(join(work, 'library'), { analyzer: pool });
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    await pool?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('is imported with nothing skipped, and its export says in words why no sidecar was written', async () => {
    const summary = await engine.import([join(work, 'album')]);
    expect(summary.photos).toBe(1);
    expect(summary.skipped).toEqual([]);
    await nameFaces(engine.library, [subjectAt(engine.library, photo).id], 'Alvaro');
    const exported = await exportNamesToXmp(engine.library);
    expect(exported.written).toBe(0);
    expect(exported.skipped).toEqual([{ path: sidecarPathFor(photo), reason: expect.stringMatching(/name would be too long .*rename the photo/) }]);
    expect(exported.skipped[0].reason).not.toMatch(/ENAMETOOLONG/);
  });
});
