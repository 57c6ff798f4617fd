// `familiar train autoencoder --exact`: exactly the passes asked for. Without it a library too small to draw faces
// apart gets the 40 passes that come closest (QA: 12 passes over 103 faces drew grey faces), so a quick model for a
// script or a test needs the flag, and the command it prints to train again keeps it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAutoencoderVersions } from '../../../main/autoencoder/versions.js';
import { makeAutoencoderFixture, type AutoencoderFixture } from '../autoencoder/fixture.js';
import { runCli as run } from './cli-process.js';

let fixture: AutoencoderFixture;
let dir: string;

beforeAll(async () => {
  fixture = await makeAutoencoderFixture(24);
  dir = fixture.dir;
  // The CLI opens the library itself.
  await fixture.library.close();
});

afterAll(async () => {
  await fixture?.close();
});

describe('familiar train autoencoder --exact', () => {
  it('makes exactly the passes asked for on a library too small to draw faces, and says how to train the same again', async () => {
    const first = await run('train', 'autoencoder', '--epochs', '1', '--exact', '--library', dir);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^epoch {3}1\/1 /m);
    expect(first.out).not.toMatch(/epoch +2\//);
    expect((await listAutoencoderVersions(dir)).map((v) => [v.version, v.history.length])).toEqual([['v1', 1]]);

    const again = await run('train', 'autoencoder', '--epochs', '1', '--exact', '--library', dir);
    expect(again.code).toBe(0);
    expect(again.out).toContain('To train all the same: familiar train autoencoder --epochs 1 --exact --anyway.');
  }, 300_000);

  it('lists --exact in its usage and says what each option does', async () => {
    const help = await run('train', 'autoencoder', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('[--epochs N [--exact]]');
    expect(help.out).toMatch(/^ {2}--exact +Exactly --epochs passes, none added/m);
    for (const option of ['--epochs N', '--variational', '--seed N', '--restart', '--anyway']) expect(help.out).toMatch(new RegExp(`^ {2}${option} +\\S`, 'm'));
  });
});
