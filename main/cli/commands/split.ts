// `familiar split <person>`: a group whose faces look like two people (siblings the clustering could not part) is
// split in two, the part unlike the cover face becoming a new group; `--dry-run` lists both parts, `--one-person` says
// they are one person and stops the question, `--ask-again` takes that back. main/people/two-people.ts has the rule.
import { askAgainIfTwoPeople, keepAsOnePerson, resolvePerson, separableMerges, splitPerson, twoPeopleQuestion } from '../../people/index.js';
import { photoPathOf, printJson, withLibrary } from '../../people/cli-support.js';
import { mergedPeopleOf, mergeThatIsThePart } from '../../people/merged-into.js';
import { UsageError, oneLine, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const splitCommand: Command = {
  name: 'split',
  summary: 'Split a group whose faces look like two people (--dry-run: list both parts; --one-person: stop asking; --ask-again: ask again)',
  usage: 'split <person> [--dry-run | --one-person | --ask-again] [--library DIR] [--json]',
  options: { 'dry-run': { type: 'boolean' }, 'one-person': { type: 'boolean' }, 'ask-again': { type: 'boolean' } },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('give exactly one person (id or name).');
    const [dryRun, onePerson, askAgain] = [ctx.values['dry-run'] === true, ctx.values['one-person'] === true, ctx.values['ask-again'] === true];
    const given = [dryRun && '--dry-run', onePerson && '--one-person', askAgain && '--ask-again'].filter((o) => o !== false);
    if (given.length > 1) throw new UsageError(`${given.join(' and ')} do not go together.`);
    return withLibrary(ctx, dryRun ? 'read' : 'write', async (library) => {
      const person = resolvePerson(library.people.people, ctx.positionals[0]);
      const label = person.name ?? 'this group';
      if (onePerson || askAgain) {
        const done = await (onePerson ? keepAsOnePerson : askAgainIfTwoPeople)(library, person.id);
        if (ctx.json) printJson(ctx, done);
        else ctx.stdout.write(`${done.description}\n`);
        return 0;
      }
      const question = twoPeopleQuestion(library, person.id);
      if (!question) {
        if (ctx.json) printJson(ctx, { personId: person.id, twoPeople: false });
        // "Don't ask again", or a merge of two named people within the same-person distance: not the faces' verdict.
        // The way back is --ask-again; `separate` only when someone was merged in to separate (QA: it pointed there
        // for a group nobody had merged into, and separate refused).
        else if (person.onePerson) {
          const ref = JSON.stringify(person.name ?? person.id);
          const separate = separableMerges(library, person.id).length > 0 ? `; someone merged in by mistake: familiar separate ${ref}` : '';
          ctx.stdout.write(`You said the faces of ${label} are one person, so this is not asked. To be asked again: familiar split ${ref} --ask-again${separate}.\n`);
        }
        else ctx.stdout.write(`The faces of ${label} do not look like two people.\n`);
        return 0;
      }
      if (dryRun) {
        // Each face with its photo's file, to open and judge it by, as suggest and unlike list faces (QA: bare ids);
        // both parts, since a split is judged by comparing them (QA: only the leaving part was listed).
        const withPhoto = (faceId: string) => {
          const photoId = library.face(faceId)?.photoId ?? null;
          return { faceId, photoId, photoPath: photoId === null ? null : photoPathOf(library, photoId) };
        };
        const [leaving, staying] = [question.leaves.map(withPhoto), question.stays.map(withPhoto)];
        // The part a merge brought in is separated again with its name rather than split off nameless (as the app offers).
        const mergedId = mergeThatIsThePart(library, person.id, question.leaves);
        const merged = mergedId === null ? null : (mergedPeopleOf(library, person.id).find((m) => m.personId === mergedId) ?? null);
        if (ctx.json) printJson(ctx, { personId: person.id, twoPeople: true, stays: question.stays, leaves: question.leaves, leavingFaces: leaving, stayingFaces: staying, mergedPersonId: mergedId });
        else {
          ctx.stdout.write(`${label} may be two people: ${plural(question.stays.length, 'face')} stay, ${plural(question.leaves.length, 'face')} would split off:\n`);
          if (merged) {
            const who = merged.name !== null ? `came with ${merged.name} when you merged them` : 'were added';
            const again = `familiar separate ${JSON.stringify(person.name ?? person.id)} ${JSON.stringify(merged.name ?? merged.personId)}`;
            ctx.stdout.write(`(${plural(merged.faceCount, 'face')} ${who} on ${merged.at.slice(0, 10)}; to give them back${merged.name !== null ? ' with the name' : ''}: ${again})\n`);
          }
          // The file last: a path may hold spaces, and ends the line whole.
          const line = (f: (typeof leaving)[number]) => `${f.faceId}${f.photoPath === null ? '' : `  ${oneLine(f.photoPath)}`}\n`;
          for (const f of leaving) ctx.stdout.write(line(f));
          ctx.stdout.write(`\n${question.stays.length === 1 ? 'The face that stays' : `The ${question.stays.length} faces that stay`}:\n`);
          for (const f of staying) ctx.stdout.write(line(f));
        }
        return 0;
      }
      const done = await splitPerson(library, person.id, question.leaves);
      if (ctx.json) printJson(ctx, done);
      else ctx.stdout.write(`${done.description} Name it: familiar name ${done.personIds[1]} "<name>"\n`);
      return 0;
    });
  },
};
