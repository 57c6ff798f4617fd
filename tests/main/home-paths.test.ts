// A path given with a leading ~ is in the home folder, as a shell would have it, wherever a user types one: the app's
// path field (QA: "~/Pictures" on the Import screen was refused, "not expanded here") and the CLI's quoted arguments
// and --option=~/… values, which no shell expands. The home folder is a temporary one ($HOME, which os.homedir reads).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../main/api/index.js';
import { expandHome } from '../../main/paths.js';
import { calls } from '../../preload/contract.js';
import { runCli } from './cli/cli-process.js';
import { makeAlbum } from './library/helpers.js';

let home: string;
const homeBefore = process.env.HOME;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'familiar-home-'));
  process.env.HOME = home;
  await makeAlbum(join(home, 'Pictures'), { 'toledo.jpg': 'lfw_subset/Alejandro_Toledo/Alejandro_Toledo_0001.jpg' });
  await makeAlbum(join(home, 'My Photos'), { 'gul.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0001.jpg' });
});

afterAll(async () => {
  if (homeBefore === undefined) delete process.env.HOME;
  else process.env.HOME = homeBefore;
  if (home) await rm(home, { recursive: true, force: true });
});

describe('expandHome', () => {
  it('puts "~" and "~/…" in the home folder, and leaves another user\'s "~ana/…" and a "~" inside a name alone', () => {
    expect(expandHome('~', { home: '/home/ada', platform: 'linux' })).toBe('/home/ada');
    expect(expandHome('~/Pictures/2019', { home: '/home/ada', platform: 'linux' })).toBe('/home/ada/Pictures/2019');
    expect(expandHome('~/', { home: '/home/ada', platform: 'linux' })).toBe('/home/ada');
    expect(expandHome('~ana/Pictures', { home: '/home/ada', platform: 'linux' })).toBe('~ana/Pictures');
    expect(expandHome('/photos/~/x', { home: '/home/ada', platform: 'linux' })).toBe('/photos/~/x');
    // A backslash is a letter of a Linux file name, and a separator on Windows.
    expect(expandHome('~\\Pictures', { home: '/home/ada', platform: 'linux' })).toBe('~\\Pictures');
    expect(expandHome('~\\Pictures', { home: 'C:\\Users\\Ada', platform: 'win32' })).toBe('C:\\Users\\Ada\\Pictures');
    expect(expandHome('~/Pictures', { home: 'C:\\Users\\Ada', platform: 'win32' })).toBe('C:\\Users\\Ada\\Pictures');
  });
});

describe('the API, for the app\'s path field', () => {
  let api: Api;

  beforeAll(async () => {
    api = await createApi({ libraryDir: join(home, 'library'), mode: 'browser', log: () => {} });
  });

  afterAll(() => api?.close());

  it('imports and watches "~/Pictures" as the home folder\'s Pictures, and stops watching it by the same words', async () => {
    const started = await api.dispatcher.call('import.start', { paths: ['~/Pictures'] });
    const job = await api.jobs.settled((started.result as { jobId: string }).jobId);
    expect(job.state).toBe('done');
    expect((job.result as { photosAdded: number }).photosAdded).toBe(1);
    const info = calls['library.info'].result.parse((await api.dispatcher.call('library.info', {})).result);
    expect(info.folders).toEqual([join(home, 'Pictures')]);
    expect(await api.dispatcher.call('library.stopWatching', { path: '~/Pictures' })).toEqual({ result: { folders: [] } });
  }, 300_000);

  it('still refuses a path that is relative once ~ is expanded, in the same words as before', async () => {
    expect(await api.dispatcher.call('import.start', { paths: ['~ana/Pictures'] })).toMatchObject({ code: 'invalid-argument' });
    expect(await api.dispatcher.call('import.start', { paths: ['~/nowhere'] })).toMatchObject({
      code: 'not-found',
      error: `Cannot import ${join(home, 'nowhere')}: there is no folder or file there. The path is looked up on the computer running Familiar.`,
    });
  });
});

describe('the CLI, for what no shell expanded', () => {
  it('imports "~/My Photos" (quoted) into --library=~/lib', async () => {
    const run = await runCli('import', '~/My Photos', '--library=~/lib', '--no-watch', '--json');
    expect(run.code, run.err).toBe(0);
    const summary = JSON.parse(run.out.trim().split('\n').at(-1)!) as { type: string; newPhotos: number };
    expect(summary).toMatchObject({ type: 'summary', newPhotos: 1 });
    expect((await stat(join(home, 'lib', 'photos.json'))).isFile()).toBe(true);
  }, 300_000);
});
