// people.list's "may be two people" marks through the real handlers, on lfw_subset's cached faces of Serena and Venus
// Williams grouped as one (as a first import of their photos groups them) and Colin Powell: the list answers at once
// without them, the marks arrive once the background fill ran (with a library.changed so the screens ask again), and a
// split takes the mark away on the very next list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { calls, type EventName } from '../../../preload/contract.js';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers, type EngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { Engine } from '../../../main/engine.js';
import { TwoPeopleVerdicts } from '../../../main/people/two-people-verdicts.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addPersonWithFaces } from '../embedder/fixture.js';

let dir: string;
let engine: Engine;
let api: EngineHandlers;
const events: Array<{ name: EventName; payload: unknown }> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-two-people-marker-'));
  const library = await Library.open(dir);
  const lfw = await loadLfwPeople();
  const of = (identity: string) => lfw.find((p) => p.identity === identity)!.descriptors;
  await addPersonWithFaces(library, 'sisters', null, [...of('Serena_Williams'), ...of('Venus_Williams')], 0);
  await addPersonWithFaces(library, 'powell', 'Colin Powell', of('Colin_Powell'), 0);
  await library.close();
  engine = await Engine.open(dir);
  const hub = new EventHub();
  hub.subscribe((name, payload) => events.push({ name, payload }));
  api = await openEngineHandlers({ libraryDir: dir, mode: 'browser', version: 'test', events: hub, jobs: new JobRegistry(hub), generated: new GeneratedImages(), engine });
});

afterAll(async () => {
  await api?.close();
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const list = async () => calls['people.list'].result.parse(await api.handlers['people.list']!({ includeHidden: false, namedOnly: false }));
const marked = async () => (await list()).filter((p) => p.mayBeTwoPeople).map((p) => p.id);

describe('people.list\'s "may be two people" marks', () => {
  it('answers without waiting, marks the sisters once judged, and clears on the next list after a split', async () => {
    // Answered before the fill (started with the handlers) had a turn: no verdict yet, no mark, no wait.
    expect(await marked()).toEqual([]);
    await api.twoPeopleJudged();
    expect(await marked()).toEqual(['sisters']);
    // The People list hears that the marks changed, and asks again: only it ('people' would have every screen ask).
    expect(events.filter((e) => e.name === 'library.changed').map((e) => e.payload)).toEqual([{ what: ['marks'] }]);
    // The person page's panel shows the same question the mark stands for.
    expect(await api.handlers['people.twoPeople']!({ personId: 'sisters' })).not.toBeNull();

    // The split says whom it touched: only they are hashed again, not every person after a walk over every face.
    type Checks = { checkAll: () => void; checkSome: (ids: ReadonlySet<string>, global: string) => void };
    const checks = TwoPeopleVerdicts.prototype as unknown as Checks;
    const checkAll = vi.spyOn(checks, 'checkAll');
    const checkSomeOf = checks.checkSome;
    const rehashed: string[][] = [];
    const checkSome = vi.spyOn(checks, 'checkSome').mockImplementation(function (this: Checks, ids, global) {
      rehashed.push([...ids]);
      checkSomeOf.call(this, ids, global);
    });
    await api.handlers['people.split']!({ personId: 'sisters' });
    expect(await marked()).toEqual([]);
    expect(checkAll).not.toHaveBeenCalled();
    expect(rehashed).toHaveLength(1);
    expect(rehashed[0]).toContain('sisters');
    expect(rehashed[0]).not.toContain('powell');
    checkAll.mockRestore();
    checkSome.mockRestore();
    await api.twoPeopleJudged();
    expect(await marked()).toEqual([]);
    expect((await list()).map((p) => p.faceCount)).toEqual([10, 10, 10]);
  });
});
