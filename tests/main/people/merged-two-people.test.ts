// Two named people merged into one, every face confirmed, on real faces (lfw_subset backbone descriptors from the
// shared cache). QA named Amy and Penny, merged them (0.117 apart, beyond the 0.087 same-person distance) and confirmed
// a Leonard face into Amy: `split --dry-run` said "do not look like two people" (the merge had answered the question,
// and every face being the user's kept it away too), and `unlike` said "0 of 14 faces look unlike" over Leonard at the
// top, as confirmed faces were never counted. A library an older build merged them in, which stored "one person" for
// every merge of two named people, is asked again once (main/store/upgrade-far-apart-merges.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confirmFaces, keepAsOnePerson, leastAlikeFirst, mergePeople, namePerson, separatePerson, twoPeopleQuestion, undoLast, type Decision } from '../../../main/people/index.js';
import { mergeThatIsThePart } from '../../../main/people/merged-into.js';
import { Library } from '../../../main/store/library.js';
import { ALL_UPGRADES, FORGOT_FAR_APART_MERGES_ONE_PERSON } from '../../../main/store/upgrades.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { makeEmbedderFixture, type EmbedderFixture } from '../embedder/fixture.js';
import { runCli } from './fixture.js';

/** Two people apart (Laura Bush, Jennifer Aniston), two sisters within the distance, and one person photographed many ways. */
const PEOPLE = ['Laura_Bush', 'Jennifer_Aniston', 'Serena_Williams', 'Venus_Williams', 'Fidel_Castro', 'Andy_Roddick', 'Anna_Kournikova', 'Keanu_Reeves', 'Colin_Powell'];
const VARIED = ['Fidel Castro', 'Andy Roddick', 'Anna Kournikova', 'Keanu Reeves'];

let fx: EmbedderFixture;

beforeEach(async () => {
  const everyone = await loadLfwPeople();
  // Every face confirmed, as naming a group confirms it.
  fx = await makeEmbedderFixture(PEOPLE.map((name) => everyone.find((p) => p.identity === name)!), { confirmed: 10, seed: 1 });
}, 60_000);

afterEach(async () => {
  await fx?.close();
});

const library = () => fx.library;
const personNamed = (name: string) => library().people.people.find((p) => p.name === name)!;
const facesOf = (personId: string) => library().faces.filter((f) => f.personId === personId);
const person = (id: string) => library().people.people.find((p) => p.id === id)!;

describe('two named people merged, every face confirmed', () => {
  it('asks whether they are two when they lie beyond the same-person distance, and the CLI says so', async () => {
    const [jen, laura] = [personNamed('Jennifer Aniston'), personNamed('Laura Bush')];
    const lauraFaces = facesOf(laura.id).map((f) => f.id);
    await mergePeople(library(), jen.id, [laura.id]);
    expect(library().people.people.find((p) => p.id === jen.id)!.onePerson).toBeUndefined();
    expect(twoPeopleQuestion(library(), jen.id)?.leaves.sort()).toEqual([...lauraFaces].sort());
    // The part is who the merge brought: the page offers "Separate Laura Bush again", not a split into a nameless group.
    expect(mergeThatIsThePart(library(), jen.id, twoPeopleQuestion(library(), jen.id)!.leaves)).toBe(laura.id);
    expect(mergeThatIsThePart(library(), jen.id, facesOf(jen.id).map((f) => f.id).filter((id) => !lauraFaces.includes(id)))).toBeNull();

    await library().close();
    const dryRun = await runCli(fx.dir, 'split', 'Jennifer Aniston', '--dry-run');
    expect(dryRun.out).toMatch(/^Jennifer Aniston may be two people: 10 faces stay, 10 faces would split off:\n\(10 faces came with Laura Bush when you merged them on \d{4}-\d\d-\d\d; to give them back with the name: familiar separate "Jennifer Aniston" "Laura Bush"\)\n/);
    const separated = await runCli(fx.dir, 'separate', 'Jennifer Aniston', 'Laura Bush');
    expect(separated.out).toMatch(/^Separated "Laura Bush" from "Jennifer Aniston": 10 faces went back/);
    fx.library = await Library.open(fx.dir);
  });

  it('takes the merge as the answer for sisters within the distance, and the CLI says it was the user who said so', async () => {
    const [serena, venus] = [personNamed('Serena Williams'), personNamed('Venus Williams')];
    await mergePeople(library(), serena.id, [venus.id]);
    expect(library().people.people.find((p) => p.id === serena.id)!.onePerson).toBe(true);
    expect(twoPeopleQuestion(library(), serena.id)).toBeNull();

    await library().close();
    const dryRun = await runCli(fx.dir, 'split', 'Serena Williams', '--dry-run');
    expect(dryRun.out).toBe(
      'You said the faces of Serena Williams are one person, so this is not asked. To be asked again: familiar split "Serena Williams" --ask-again; someone merged in by mistake: familiar separate "Serena Williams".\n',
    );
    // Asked again: the merge confirmed every face of both, and nothing "Don't ask again" confirmed is taken back: said so.
    const again = await runCli(fx.dir, 'split', 'Serena Williams', '--ask-again');
    expect(again.out).toBe('Took back "one person" for "Serena Williams". Familiar does not ask now: their faces do not look like two people, or you confirmed the faces of both parts yourself.\n');
    expect((await runCli(fx.dir, 'undo')).out).toBe('"Serena Williams" is kept as one person again.\n');
    fx.library = await Library.open(fx.dir);
  });

  it('a group joined by a name after "Is this the same person?" was answered yes is not asked about again; unanswered, it is', async () => {
    const [jen, laura] = [personNamed('Jennifer Aniston'), personNamed('Laura Bush')];
    const lauraFaces = facesOf(laura.id).map((f) => f.id);
    // Laura Bush's faces as a group Familiar made and nobody named.
    const asUnnamedGroup = () =>
      library().transaction((tx) => {
        tx.people.people.find((p) => p.id === laura.id)!.name = null;
        tx.put('faces', facesOf(laura.id).map((f) => ({ ...f, assignedBy: 'cluster' as const })));
      });
    await asUnnamedGroup();
    // The name given with no answer (a rename the app did not ask about): the question stays open.
    await namePerson(library(), laura.id, 'Jennifer Aniston');
    expect(person(jen.id).onePerson).toBeUndefined();
    expect(twoPeopleQuestion(library(), jen.id)?.leaves.sort()).toEqual([...lauraFaces].sort());
    await undoLast(library());

    // The app asked, showing both faces, and the user said yes: asking at once whether they are two is the same question.
    await namePerson(library(), laura.id, 'Jennifer Aniston', { sameAsNamesake: true });
    expect(person(jen.id).onePerson).toBe(true);
    expect(twoPeopleQuestion(library(), jen.id)).toBeNull();
    // Undo takes the answer back with the name; so does the CLI's --join, its own way of saying yes.
    await undoLast(library());
    expect(person(jen.id).onePerson).toBeUndefined();
    await library().close();
    const refused = await runCli(fx.dir, 'name', laura.id, 'Jennifer Aniston');
    expect(refused.err).toContain('run again with --join');
    const joined = await runCli(fx.dir, 'name', laura.id, 'Jennifer Aniston', '--join');
    expect(joined.code).toBe(0);
    fx.library = await Library.open(fx.dir);
    expect(person(jen.id).onePerson).toBe(true);
    expect(facesOf(jen.id)).toHaveLength(20);
    // "Separate again" says they were two people after all: the answer goes with the group.
    await separatePerson(library(), jen.id, laura.id);
    expect(person(jen.id).onePerson).toBeUndefined();
    expect(facesOf(jen.id)).toHaveLength(10);
  });

  it('does not ask about one person photographed many ways, every face confirmed', () => {
    for (const name of VARIED) expect(twoPeopleQuestion(library(), personNamed(name).id), name).toBeNull();
  });
});

describe('a face the user confirmed that looks unlike the others', () => {
  it('is counted and put first, by the page and the CLI alike, and no other face is', async () => {
    const [castro, powell] = [personNamed('Fidel Castro'), personNamed('Colin Powell')];
    expect(leastAlikeFirst(library(), castro.id).unlikeConfirmed).toBe(0);
    const stranger = facesOf(powell.id)[0].id;
    await confirmFaces(library(), [stranger], castro.id);

    const view = leastAlikeFirst(library(), castro.id);
    expect([view.unlike, view.unlikeConfirmed]).toEqual([0, 1]);
    expect(view.faces[0]).toMatchObject({ face: { id: stranger }, unlikeConfirmed: true });

    await library().close();
    const cli = await runCli(fx.dir, 'unlike', 'Fidel Castro', '--limit', '2');
    const [headline, first] = cli.out.split('\n');
    expect(headline).toBe(`0 of 11 faces look unlike the faces you confirmed as Fidel Castro; 1 face you confirmed looks unlike the others (not them: familiar reject <face> ${castro.id})`);
    expect(first).toMatch(new RegExp(`^${stranger}  distance 0\\.\\d{3}  unlike the others  confirmed  \\S+$`));
    fx.library = await Library.open(fx.dir);
  });
});

/** A day before the rule: a merge made then stored "one person" whatever the distance. */
const OLD_BUILD_DAY = '2026-12-01T12:00:00.000Z';

/** Merges `from` into `into` as a build before the rule did: "one person" stored, the decision saved that day. */
async function mergeAsBefore(into: string, from: string): Promise<void> {
  const [intoId, fromId] = [personNamed(into).id, personNamed(from).id];
  await mergePeople(library(), intoId, [fromId]);
  await library().transaction((tx) => {
    const merge = tx.people.decisions.at(-1) as Decision;
    merge.at = OLD_BUILD_DAY;
    tx.people.people.find((p) => p.id === intoId)!.onePerson = true;
  });
}

/** Closes the library as a build without the upgrade left it, and opens it in this one. */
async function openInThisBuild(): Promise<void> {
  await library().transaction((tx) => {
    tx.people.upgrades = ALL_UPGRADES.filter((upgrade) => upgrade !== FORGOT_FAR_APART_MERGES_ONE_PERSON);
  });
  await library().close();
  fx.library = await Library.open(fx.dir);
}

describe('two named people merged by an older build', () => {
  it('are asked about again when their faces lie beyond the same-person distance, by the page and the CLI', async () => {
    const [jen, laura] = [personNamed('Jennifer Aniston'), personNamed('Laura Bush')];
    const lauraFaces = facesOf(laura.id).map((f) => f.id);
    await mergeAsBefore('Jennifer Aniston', 'Laura Bush');
    // A rename since: its undo record holds the "one person" the merge stored.
    await namePerson(library(), jen.id, 'Jen A');
    expect(twoPeopleQuestion(library(), jen.id)).toBeNull();

    await openInThisBuild();
    // Recorded in the order run: this one after any added since.
    expect([...library().people.upgrades!].sort()).toEqual([...ALL_UPGRADES].sort());
    expect(person(jen.id).onePerson).toBeUndefined();
    expect(twoPeopleQuestion(library(), jen.id)?.leaves.sort()).toEqual(lauraFaces.sort());
    await library().close();
    const dryRun = await runCli(fx.dir, 'split', 'Jen A', '--dry-run');
    expect(dryRun.out).toMatch(/^Jen A may be two people: 10 faces stay, 10 faces would split off:\n/);
    fx.library = await Library.open(fx.dir);

    // Undoing the rename gives the name back, not the answer nobody gave.
    await undoLast(library());
    expect([person(jen.id).name, person(jen.id).onePerson]).toEqual(['Jennifer Aniston', undefined]);
    // One "don't ask again" settles it, and the upgrade, run once, does not take that back.
    await keepAsOnePerson(library(), jen.id);
    await library().close();
    fx.library = await Library.open(fx.dir);
    expect(person(jen.id).onePerson).toBe(true);
  });

  it('stay one person where the merge was the answer: sisters within the distance', async () => {
    const serena = personNamed('Serena Williams');
    await mergeAsBefore('Serena Williams', 'Venus Williams');

    await openInThisBuild();
    expect(person(serena.id).onePerson).toBe(true);
    expect(twoPeopleQuestion(library(), serena.id)).toBeNull();
  });

  it('stay one person where the user said so themselves, before the merge or after it', async () => {
    const [colin, jen] = [personNamed('Colin Powell'), personNamed('Jennifer Aniston')];
    // "All Colin Powell: don't ask again", then Andy Roddick merged in; Laura merged into Jennifer, then the answer.
    await keepAsOnePerson(library(), colin.id);
    await mergeAsBefore('Colin Powell', 'Andy Roddick');
    await mergeAsBefore('Jennifer Aniston', 'Laura Bush');
    await keepAsOnePerson(library(), jen.id);

    await openInThisBuild();
    expect([person(colin.id).onePerson, person(jen.id).onePerson]).toEqual([true, true]);
  });

  it('are asked about again when the answer the user gave came before a "Separate again", which took it away', async () => {
    const colin = personNamed('Colin Powell');
    await keepAsOnePerson(library(), colin.id);
    await mergeAsBefore('Colin Powell', 'Andy Roddick');
    await separatePerson(library(), colin.id, 'Andy Roddick');
    expect(person(colin.id).onePerson).toBeUndefined();
    await mergeAsBefore('Colin Powell', 'Andy Roddick');

    await openInThisBuild();
    expect(person(colin.id).onePerson).toBeUndefined();
    expect(twoPeopleQuestion(library(), colin.id)?.leaves).toHaveLength(10);
  });
});
