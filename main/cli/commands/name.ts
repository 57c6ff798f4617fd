// `familiar name <person|face...> <name>`: names or renames a person, or names faces (enrolling a new person, or
// joining the person who already has that name).
import { nameFaces, PeopleError } from '../../people/index.js';
import { nameAsShown, printJson, printOperation, refuseUnaskedMerge, twoPartsInWords, withLibrary } from '../../people/cli-support.js';
import { nameJoinOf } from '../../people/name-join.js';
import type { PeopleLibrary } from '../../people/library.js';
import { plural } from '../../../preload/contract.js';
import { nameOfTheirOwn } from '../../../preload/names.js';
import { UsageError, type Command } from '../command.js';

export const nameCommand: Command = {
  name: 'name',
  summary: 'Name or rename a person, or name a face (enrols a new person)',
  usage: 'name <person|face...> <name> [--join] [--library DIR] [--json]',
  help: [
    'Faces given one after another are named together (familiar name <face> <face> "Ann"); the words after them are',
    'the name, quoted or not.',
    'A group given the name of someone else joins them. A named person is not renamed to someone else\'s name, nor a',
    'group named after someone it appears with in a photo: that would merge two people, so "familiar merge" does it.',
    'A group whose faces do not look like the person who has the name is not joined to them unless --join says so',
    '(the app asks "Is this the same person?"); someone else of that name needs a name of their own, such as "Ann (2)".',
  ],
  options: { join: { type: 'boolean' } },
  async run(ctx) {
    if (ctx.positionals.length < 2) throw new UsageError('give a person (id or name) or a face id, then the name.');
    return withLibrary(ctx, 'write', async (library) => {
      // Faces first, then the name: QA's `name <face> <face> Serena` named one face "<face id> Serena".
      const faceIds: string[] = [];
      while (faceIds.length < ctx.positionals.length - 1 && library.face(ctx.positionals[faceIds.length])) faceIds.push(ctx.positionals[faceIds.length]);
      const [ref, ...words] = faceIds.length > 0 ? [faceIds[0], ...ctx.positionals.slice(faceIds.length)] : ctx.positionals;
      const name = words.join(' ');
      const id = words.find((word) => library.face(word) || library.people.people.some((p) => p.id === word));
      if (id !== undefined) {
        throw new UsageError(`"${id}" is ${library.face(id) ? 'a face' : 'a person'}, not part of a name: give the faces first, then the name (familiar name <face> <face> "Ann").`);
      }
      if (faceIds.length > 0) return printOperation(ctx, await nameFaces(library, faceIds, name));
      refuseUnaskedMerge(library, ref, name);
      const unlike = unlikeJoin(library, ref, name);
      if (unlike && ctx.values.join !== true) throw unlike;
      // A group that looks like two people: the name goes to the part like its cover, and the parts are said. --join
      // over faces unlike the person is the app's "Yes, same person": asked and answered, not asked again.
      const { result, parts } = await nameAsShown(library, ref, name, { sameAsNamesake: unlike !== null });
      if (ctx.json) {
        printJson(ctx, parts ? { ...result, twoPeople: parts } : result);
        return 0;
      }
      const code = printOperation(ctx, result);
      if (parts) ctx.stdout.write(`${twoPartsInWords(library, result.personIds[0], parts)}\n`);
      return code;
    });
  },
};

/**
 * A name someone has joins the group to them; when its faces do not look like them (name-join.ts), a slip or a name two
 * people share, nothing is named unless --join says the user means it, as the app asks first. The refusal, or null
 * when there is nothing to ask.
 */
function unlikeJoin(library: PeopleLibrary, ref: string, name: string): PeopleError | null {
  const join = nameJoinOf(library, ref, name);
  // Nothing to compare (the faces said not to be them, which the name is refused for anyway): nothing to ask.
  if (!join || join.looksAlike || join.distance === null) return null;
  const own = nameOfTheirOwn(join.name, library.people.people.flatMap((p) => (p.name === null ? [] : [p.name])));
  return new PeopleError(
    `These faces do not look like "${join.name}" (${plural(join.faceCount, 'face')}): naming them so would join them to that person. Nothing was changed. ` +
      `If they are the same person, run again with --join; if someone else has that name, give them a name of their own, such as "${own}".`,
  );
}
