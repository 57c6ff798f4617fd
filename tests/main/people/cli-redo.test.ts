// `familiar redo`: after one `familiar undo` too many, the names come back without typing them again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recluster } from '../../../main/people/index.js';
import type { PersonView } from '../../../main/people/types.js';
import { makePeopleFixture, runCli, type PeopleFixture } from './fixture.js';

let fx: PeopleFixture;

beforeAll(async () => {
  fx = await makePeopleFixture({ faces: 120, reserve: 0 });
  await recluster(fx.library);
  await fx.library.close(); // the CLI opens it itself (single-writer lock)
});

afterAll(async () => {
  await fx.close();
});

const cli = (...args: string[]) => runCli(fx.dir, ...args);
const json = <T>(r: { out: string }) => JSON.parse(r.out.trim().split('\n').pop()!) as T;
const names = async () => json<PersonView[]>(await cli('people', '--json')).flatMap((p) => (p.name !== null ? [p.name] : [])).sort();

describe('familiar redo', () => {
  it('makes undone decisions again, newest undo first, and refuses once something was decided since', async () => {
    const [a, b, c] = json<PersonView[]>(await cli('people', '--json'));
    await cli('name', a.id, 'Ada');
    await cli('name', b.id, 'Bea');
    await cli('undo');
    await cli('undo');
    expect(await names()).toEqual([]);

    expect(await cli('redo')).toMatchObject({ code: 0, out: expect.stringMatching(/^Redone: Named "Ada" \(\d+ faces.*\)\.\n$/) });
    expect(json<{ redone: string; regrouped: boolean }>(await cli('redo', '--json'))).toEqual({ redone: expect.stringMatching(/^Named "Bea"/), regrouped: false });
    expect(await names()).toEqual(['Ada', 'Bea']);
    expect(await cli('redo')).toMatchObject({ code: 0, out: 'Nothing to redo.\n' });

    await cli('undo');
    await cli('name', c.id, 'Cy');
    const refused = await cli('redo');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Nothing to redo: something changed since the undo.');
    expect(await names()).toEqual(['Ada', 'Cy']);
  });

  it('says how it is used', async () => {
    expect((await cli('redo', '--help')).out).toBe('Usage: familiar redo [--library DIR] [--json]\nRedo the people decision undo last took back\n');
    expect(await cli('redo', 'Ada')).toMatchObject({ code: 2 });
  });
});
