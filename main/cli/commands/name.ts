// `familiar name <person|face> <name>`: names or renames a person, or names a face (enrolling a new person, or
// joining the person who already has that name).
import { nameFaces, photosTogether, resolvePerson, PeopleError } from '../../people/index.js';
import { nameAsShown, printJson, printOperation, twoPartsInWords, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const nameCommand: Command = {
  name: 'name',
  summary: 'Name or rename a person, or name a face (enrols a new person)',
  usage: 'name <person|face> <name> [--library DIR] [--json]',
  help: [
    'A group given the name of someone else joins them. A named person is not renamed to someone else\'s name, nor a',
    'group named after someone it appears with in a photo: that would merge two people, so "familiar merge" does it.',
  ],
  async run(ctx) {
    if (ctx.positionals.length < 2) throw new UsageError('give a person (id or name) or a face id, then the name.');
    const [ref, ...words] = ctx.positionals;
    const name = words.join(' ');
    return withLibrary(ctx, 'write', async (library) => {
      if (library.face(ref)) return printOperation(ctx, await nameFaces(library, [ref], name));
      refuseUnaskedMerge(library, ref, name);
      // A group that looks like two people: the name goes to the part like its cover, and the parts are said.
      const { result, parts } = await nameAsShown(library, ref, name);
      if (ctx.json) {
        printJson(ctx, parts ? { ...result, twoPeople: parts } : result);
        return 0;
      }
      const code = printOperation(ctx, result);
      if (parts) ctx.stdout.write(`${twoPartsInWords(result.personIds[0], parts)}\n`);
      return code;
    });
  },
};

/**
 * A name someone else has merges the person into them. The app asks first when that takes a name away (a named person
 * renamed, where a slip such as "Ge" + Enter took "George W Bush" for his brother) or when the two appear together in a
 * photo (one person is in a photo once: likely siblings); a group merges at once otherwise. The CLI cannot ask, so it
 * refuses those two and names the command that merges on purpose (QA: renaming "Laura" to "Jen A" merged them unasked).
 */
function refuseUnaskedMerge(library: Parameters<typeof photosTogether>[0], ref: string, rawName: string): void {
  const person = resolvePerson(library.people.people, ref);
  const folded = rawName.normalize('NFC').trim().toLocaleLowerCase();
  const namesake = library.people.people.find((p) => p.id !== person.id && p.name !== null && p.name.normalize('NFC').toLocaleLowerCase() === folded);
  if (!namesake) return;
  const together = photosTogether(library, [namesake.id, person.id]);
  if (person.name === null && together === 0) return;
  const them = JSON.stringify(namesake.name);
  const merge = `familiar merge ${them} ${JSON.stringify(person.name ?? person.id)}`;
  const inPhotos = together === 1 ? 'a photo' : `${together} photos`;
  if (person.name !== null) {
    throw new PeopleError(
      `${them} is someone else's name: "${person.name}" would merge into them, and the name "${person.name}" would go. ` +
        (together > 0 ? `They appear together in ${inPhotos}: one person is in a photo only once. ` : '') +
        `Nothing was changed. To merge them on purpose: ${merge} ("familiar separate" takes them apart again). Or choose another name.`,
    );
  }
  throw new PeopleError(
    `This group appears with ${them} in ${inPhotos}: one person is in a photo only once, so they are probably two people. ` +
      `Nothing was changed. To merge them anyway: ${merge}. Or choose another name.`,
  );
}
