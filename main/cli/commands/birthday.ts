// `familiar birthday <person> [<date> | --clear]`: when a person was born, as the person page's "Birthday" in the app
// (preload/birthdays.ts). Without a date it says the birthday, their age today, and their faces in photos dated before
// it: someone else's (an older sibling's baby photos) or a camera's clock set wrong.
import { withoutCopyFaces } from '../../people/copy-faces.js';
import { resolvePerson, setBirthday } from '../../people/index.js';
import { printJson, printOperation, withLibrary } from '../../people/cli-support.js';
import { photoDatesOf } from '../../people/before-birth.js';
import { facesBeforeBirth } from '../../api/photo-dates.js';
import { ageInWords, ageOn, birthdayInWords, localToday } from '../../../preload/birthdays.js';
import { plural } from '../../../preload/contract.js';
import { UsageError, type Command } from '../command.js';

const LISTED = 10;

export const birthdayCommand: Command = {
  name: 'birthday',
  summary: "Set, clear or show when a person was born: the app shows their age in each photo",
  usage: 'birthday <person> [<date> | --clear] [--library DIR] [--json]   (a date: 2019-05-03, "3 May 2019", 2019-05 or 2019)',
  help: [
    'The date may be a whole day, a month or a year alone, when that is all you know. A day and a month both written',
    'as numbers up to 12 ("03/05/2019") are refused: they could be read either way; "31/12/2019" can only be one.',
    'Without a date, says the birthday, the age today, and the faces in photos dated before it: someone else\'s',
    '(an older sibling\'s baby photos) or a camera\'s clock set wrong. "familiar move" or "familiar reject" fixes them.',
  ],
  options: { clear: { type: 'boolean', default: false } },
  async run(ctx) {
    const [personRef, ...date] = ctx.positionals;
    const clear = ctx.values.clear === true;
    if (personRef === undefined) throw new UsageError('give the person (a name in quotes, or an id), and the date to set.');
    if (clear && date.length > 0) throw new UsageError('give a date or --clear, not both.');
    if (clear || date.length > 0) {
      // A date may come unquoted: `familiar birthday Rose 3 May 2019`.
      return withLibrary(ctx, 'write', async (library) => {
        const result = await setBirthday(library, personRef, clear ? null : date.join(' '));
        if (result.decisionId === null && !ctx.json) ctx.stdout.write(`${result.description}\n`);
        else printOperation(ctx, result);
        return 0;
      });
    }
    return withLibrary(ctx, 'read', async (library) => {
      const person = resolvePerson(library.people.people, personRef);
      const who = person.name ?? `Unnamed group ${person.id}`;
      if (person.birthday === undefined) {
        if (ctx.json) printJson(ctx, { personId: person.id, name: person.name, birthday: null, age: null, beforeBirth: [] });
        else ctx.stdout.write(`${who} has no birthday. Set one: familiar birthday ${JSON.stringify(person.name ?? person.id)} 2019-05-03\n`);
        return 0;
      }
      const age = ageOn(person.birthday, localToday());
      // Counted as People and the person's page count faces: a resized copy's face is its original's (withoutCopyFaces).
      const faceIds = withoutCopyFaces(library, library.faces.filter((f) => f.personId === person.id)).map((f) => f.id);
      const before = facesBeforeBirth(library, person.birthday, faceIds, photoDatesOf(library));
      if (ctx.json) {
        const faces = before.map((id) => ({ faceId: id, photoId: library.face(id)!.photoId, path: library.photo(library.face(id)!.photoId)?.paths[0] ?? null }));
        printJson(ctx, { personId: person.id, name: person.name, birthday: person.birthday, age, beforeBirth: faces });
        return 0;
      }
      const today = age === null ? '' : ageInWords(age) === 'newborn' ? ' (a newborn)' : ` (${ageInWords(age)} old today)`;
      ctx.stdout.write(`${who} was born ${person.birthday.length === 10 ? 'on' : 'in'} ${birthdayInWords(person.birthday, 'en')}${today}.\n`);
      if (before.length > 0) {
        ctx.stdout.write(`${plural(before.length, 'face')} ${before.length === 1 ? 'is' : 'are'} in photos dated before: someone else's, or a camera's clock set wrong.\n`);
        for (const id of before.slice(0, LISTED)) {
          const photo = library.photo(library.face(id)!.photoId);
          ctx.stdout.write(`  ${id}  ${photo?.paths[0] ?? ''}\n`);
        }
        if (before.length > LISTED) ctx.stdout.write(`  ... and ${before.length - LISTED} more (--json lists them all)\n`);
        ctx.stdout.write(`To say they are not ${person.name ?? 'this group'}: familiar reject <face...> ${JSON.stringify(person.name ?? person.id)}\n`);
      }
      return 0;
    });
  },
};
