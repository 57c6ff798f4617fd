// import.check: what the Import screen asks of a folder added while an import runs, so a typo is said as it is typed
// rather than when its turn comes (renderer/lib/import-queue.svelte.ts). The same refusals as import.start, in the same
// words, and nothing imported or watched; answered while an import runs, which import.start refuses as busy.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { calls } from '../../../preload/contract.js';
import { makeAlbum } from '../library/helpers.js';

let dir: string;
let api: Api;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-import-check-'));
  await makeAlbum(join(dir, 'Family'), { 'toledo.jpg': 'lfw_subset/Alejandro_Toledo/Alejandro_Toledo_0001.jpg' });
  await makeAlbum(join(dir, 'Trips'), { 'gul.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0001.jpg' });
  await writeFile(join(dir, 'notes.txt'), 'not a photo');
  api = await createApi({ libraryDir: join(dir, 'library'), mode: 'browser', log: () => {} });
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('import.check', () => {
  it('takes a folder and a photo, and refuses what import.start refuses, in its words, importing nothing', async () => {
    const photo = join(dir, 'Family', 'toledo.jpg');
    expect(await api.dispatcher.call('import.check', { paths: [join(dir, 'Family'), photo] })).toEqual({ result: { folders: [join(dir, 'Family')] } });
    for (const paths of [[join(dir, 'nowhere')], [join(dir, 'Family'), join(dir, 'notes.txt')], ['/proc/self'], ['relative/dir']]) {
      const start = await api.dispatcher.call('import.start', { paths });
      expect(start.error, paths.join()).toBeDefined();
      // Word for word, the call's own name aside (a path refused by the contract's schema is named with it).
      expect(await api.dispatcher.call('import.check', { paths }), paths.join()).toEqual({ ...start, error: start.error!.replace('import.start', 'import.check') });
    }
    expect((await api.dispatcher.call('import.check', { paths: [join(dir, 'nowhere')] })).error).toBe(
      `Cannot import ${join(dir, 'nowhere')}: there is no folder or file there. The path is looked up on the computer running Familiar.`,
    );
    const info = calls['library.info'].result.parse((await api.dispatcher.call('library.info', {})).result);
    expect(info.counts.photos).toBe(0);
    expect(info.folders).toEqual([]);
    expect(api.jobs.list()).toEqual([]);
  });

  it('answers while an import runs, which a second import.start is refused for', async () => {
    const started = calls['import.start'].result.parse((await api.dispatcher.call('import.start', { paths: [join(dir, 'Family')] })).result);
    try {
      expect(await api.dispatcher.call('import.start', { paths: [join(dir, 'Trips')] })).toMatchObject({ code: 'busy' });
      expect(await api.dispatcher.call('import.check', { paths: [join(dir, 'Trips')] })).toEqual({ result: { folders: [join(dir, 'Trips')] } });
      expect(await api.dispatcher.call('import.check', { paths: [join(dir, 'Trip')] })).toMatchObject({ code: 'not-found' });
    } finally {
      api.jobs.cancel(started.jobId);
      await api.jobs.settled(started.jobId);
    }
  });

  it('spells a folder typed with a trailing slash, or a doubled one, as the library keeps it (QA)', async () => {
    const family = join(dir, 'Family');
    for (const typed of [`${family}/`, `${dir}//Family//`]) {
      expect(await api.dispatcher.call('import.check', { paths: [typed] }), typed).toEqual({ result: { folders: [family] } });
    }
    // Imported and watched as "Family", which the job says it read; stopped watching by the same spelling.
    const started = calls['import.start'].result.parse((await api.dispatcher.call('import.start', { paths: [`${family}/`] })).result);
    expect(await api.jobs.settled(started.jobId)).toMatchObject({ state: 'done', result: { paths: [family] } });
    expect(calls['library.info'].result.parse((await api.dispatcher.call('library.info', {})).result).folders).toEqual([family]);
    expect(await api.dispatcher.call('library.stopWatching', { path: `${family}/` })).toEqual({ result: { folders: [] } });
  });
});
