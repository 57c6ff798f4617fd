// A folder imported with `familiar import --no-watch`, on real photos: the Import screen's list (library.info) names it
// beside the watched folders, so the app offers to remove it, and its removal plan counts the faces the user set
// aside (a hidden unnamed group, a face not to be asked about) apart from those named, confirmed or corrected, as
// `familiar remove --dry-run` says too. The folder used to be listed nowhere, and a hidden group's faces counted among
// the names the user gave.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import type { CommandContext } from '../../../main/cli/command.js';
import { importCommand } from '../../../main/cli/commands/import.js';
import { removeCommand } from '../../../main/cli/commands/remove.js';
import { hidePerson, ignoreFaces, nameFaces } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { calls, type CallName } from '../../../preload/contract.js';
import { lfwPhoto, sharedFaces, subjectAt } from '../library/helpers.js';

function fakeStream(): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY: false, columns: 100, text: '', write(chunk: string) { stream.text += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

function context(libraryDir: string, positionals: string[], values: CommandContext['values'] = {}) {
  const stdout = fakeStream();
  const ctx: CommandContext = { values, positionals, libraryDir, json: false, stdout, stderr: fakeStream(), signal: new AbortController().signal };
  return { ctx, stdout };
}

let work: string;
let trip: string;
let family: string;
let libraryDir: string;
let api: Api | undefined;
/** What the user did in the trip folder: the faces of the group they hid, and the faces they set aside in all. */
const decided = { hiddenGroupFaces: 0, setAside: 0, photos: 0, faces: 0 };

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api!.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-unwatched-'));
  trip = join(work, 'trip');
  family = join(work, 'family');
  libraryDir = join(work, 'library');
  await mkdir(trip);
  await mkdir(family);
  for (const file of ['obama.jpg', 'obama-240p.jpg', 'obama-480p.jpg', 'obama-720p.jpg']) await copyFile(join(sharedFaces, 'face_recognition', 'obama', file), join(trip, file));
  for (const n of [1, 2]) await copyFile(lfwPhoto('Colin_Powell', n), join(trip, `powell_${n}.jpg`));
  await copyFile(lfwPhoto('Tony_Blair', 1), join(trip, 'stranger.jpg'));
  await copyFile(lfwPhoto('Serena_Williams', 1), join(family, 'serena.jpg'));

  const imported = context(libraryDir, [trip], { 'no-watch': true });
  expect(await importCommand.run(imported.ctx)).toBe(0);

  // The user names Colin's two faces, hides the group of Obama's, and says not to ask about the stranger.
  const library = await Library.open(libraryDir);
  try {
    await nameFaces(library, [1, 2].map((n) => subjectAt(library, join(trip, `powell_${n}.jpg`)).id), 'Colin');
    const group = subjectAt(library, join(trip, 'obama.jpg')).personId;
    expect(group).not.toBeNull();
    expect(library.people.people.find((p) => p.id === group)?.name).toBeNull();
    await hidePerson(library, group!, true);
    await ignoreFaces(library, [subjectAt(library, join(trip, 'stranger.jpg')).id]);
    decided.hiddenGroupFaces = library.faces.filter((f) => f.personId === group).length;
    decided.setAside = decided.hiddenGroupFaces + 1;
    decided.photos = library.photos.length;
    decided.faces = library.faces.length;
  } finally {
    await library.close();
  }
  expect(decided.hiddenGroupFaces).toBeGreaterThanOrEqual(2);
}, 300_000);

afterAll(async () => {
  await api?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a folder imported without watching it', () => {
  it('familiar remove --dry-run says the faces set aside apart from those named, confirmed or corrected', async () => {
    const dryRun = context(libraryDir, [trip], { 'dry-run': true });
    expect(await removeCommand.run(dryRun.ctx)).toBe(0);
    expect(dryRun.stdout.text.split('\n')[0]).toBe(
      `Would remove ${trip} from the library: ${decided.photos} photos and their ${decided.faces} faces (2 you named, confirmed or corrected; ${decided.setAside} you set aside). The files stay on disk.`,
    );
    expect(dryRun.stdout.text).not.toContain('watched for new photos');
  });

  it('is listed beside the watched folders, its plan counts the faces set aside apart, and it can be removed', async () => {
    api = await createApi({ libraryDir, mode: 'browser', log: () => {} });
    expect(await ok('library.info')).toMatchObject({ folders: [], unwatchedFolders: [trip] });
    // Every report of its progress names what it reads: the Import screen says which folder the watcher's import is of
    // while it runs, not only at its end.
    const named: unknown[] = [];
    const unsubscribe = api.events.subscribe((name, payload) => {
      const progress = (payload as { progress?: { job?: string; detail?: { paths?: unknown } } }).progress;
      if (name === 'job.progress' && progress?.job === 'import') named.push(progress.detail?.paths);
    });
    const job = await api.jobs.settled((await ok('import.start', { paths: [family] })).jobId);
    unsubscribe();
    expect(job.state).toBe('done');
    expect(named.length).toBeGreaterThan(0);
    expect(new Set(named.map((paths) => JSON.stringify(paths)))).toEqual(new Set([JSON.stringify([family])]));
    expect(await ok('library.info')).toMatchObject({ folders: [family], unwatchedFolders: [trip] });

    const plan = await ok('library.folderRemovalPlan', { path: trip });
    expect(plan).toMatchObject({ folder: trip, photos: decided.photos, faces: decided.faces, decidedFaces: 2, setAsideFaces: decided.setAside, watched: false });
    expect(plan.namedPeople).toEqual([{ personId: expect.any(String), name: 'Colin', faces: 2, facesLeft: 0 }]);

    const removal = await api.jobs.settled((await ok('library.removeFolder', { path: trip })).jobId);
    expect(removal.state).toBe('done');
    const info = await ok('library.info');
    expect(info).toMatchObject({ folders: [family], unwatchedFolders: [] });
    expect(info.counts.photos).toBe(1);
  });
});
