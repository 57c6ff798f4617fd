// `familiar delete <person>`: a person (or unnamed group) goes. Their faces stay in the photos as unknown faces, without
// the name or what the user confirmed of them, and are grouped again at once as new faces are; an unnamed group's are
// set aside instead, never grouped or asked about again; `familiar undo` puts everything back. main/people/decisions.ts
// (deletePerson) has the rule. Nothing is deleted on a name that is not exactly one person's: resolvePerson answers a
// typo with the name meant, two namesakes with their ids.
import { deletePerson } from '../../people/index.js';
import { isPinnedUnknown, resolvePerson } from '../../people/library.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import type { Library } from '../../store/library.js';
import { UsageError, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Delete a person or group: their faces stay in your photos, as unknown faces ("familiar undo" takes it back)',
  usage: 'delete <person> [--library DIR] [--json]',
  help: [
    'The person is a name (in quotes when it has spaces) or an id from "familiar people". Familiar forgets the name and',
    'which faces you confirmed as them; what you said a face is not stays. The faces are grouped again as new faces',
    'are: with someone they look like, else among themselves, as an unnamed group to name or hide. An unnamed group\'s',
    'faces are set aside instead, as "familiar ignore" sets faces aside: no regrouping or import makes the group again,',
    'and you can still name or move any of them.',
  ],
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new UsageError('give the person to delete (a name or an id).');
    if (ctx.positionals.length > 1) {
      throw new UsageError(`give one person; a name with spaces goes in quotes: familiar delete ${JSON.stringify(ctx.positionals.join(' '))}.`);
    }
    const [ref] = ctx.positionals;
    return withLibrary(ctx, 'write', async (library) => {
      const person = resolvePerson(library.people.people, ref);
      const before = new Set(library.people.people.map((p) => p.id));
      const result = await deletePerson(library, person.id);
      const regrouped = whereTheFacesWent(library, result.faceIds, before);
      if (ctx.json) {
        printJson(ctx, { ...result, regrouped });
        return 0;
      }
      ctx.stdout.write(`${result.description}\n`);
      if (regrouped.length > 0) ctx.stdout.write(`Grouped again: ${regrouped.map(inWords).join('; ')}.\n`);
      // Deleting a named person to be rid of them brought them straight back as a group to name (QA): hiding is that.
      if (regrouped.some((r) => r.isNew)) ctx.stdout.write(`Not to see them again, hide them instead: familiar undo, then familiar hide ${JSON.stringify(ref)}.\n`);
      // An unnamed group has no name to give back (QA: the line said "their name" after deleting one).
      const what = person.name === null ? 'the group' : 'the person, their name';
      ctx.stdout.write(`"familiar undo" takes it back: ${what} and every face as it was.\n`);
      return 0;
    });
  },
};

interface Regrouped {
  /** null: the faces wait unknown, in "Who is this?". */
  personId: string | null;
  name: string | null;
  /** The group was made of these faces now (it was not there before the delete). */
  isNew: boolean;
  faces: number;
}

/** Where the grouping right after the delete put the faces it released, most faces first (not those it set aside). */
function whereTheFacesWent(library: Library, faceIds: readonly string[], before: ReadonlySet<string>): Regrouped[] {
  const byPerson = new Map<string | null, number>();
  for (const id of faceIds) {
    const face = library.face(id);
    if (face && isPinnedUnknown(face)) continue;
    const personId = face?.personId ?? null;
    byPerson.set(personId, (byPerson.get(personId) ?? 0) + 1);
  }
  const nameOf = (id: string) => library.people.people.find((p) => p.id === id)?.name ?? null;
  return [...byPerson]
    .map(([personId, faces]) => ({ personId, name: personId === null ? null : nameOf(personId), isNew: personId !== null && !before.has(personId), faces }))
    .sort((a, b) => b.faces - a.faces);
}

function inWords(r: Regrouped): string {
  const faces = plural(r.faces, 'face');
  if (r.personId === null) return `${faces} wait${r.faces === 1 ? 's' : ''} unknown in "Who is this?"`;
  if (r.name !== null) return `${faces} with "${r.name}"`;
  return `${faces} in ${r.isNew ? 'a new' : 'the'} unnamed group ${r.personId}`;
}
