// `familiar people same`: pairs of unnamed groups that look like one person ("Are these the same person?" on the
// app's Who is this? screen), surest first; `familiar people same <group> <other> yes|no` answers one. Yes merges
// them, No is remembered (the pair is not asked again). main/people/same-person.ts has the rule.
import { answerSamePerson, samePersonPairs } from '../../people/same-person.js';
import { listPeople, resolvePerson } from '../../people/index.js';
import { printJson, printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, distanceOf, numberOption, shownDistance, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const peopleSameCommand: Command = {
  name: 'people same',
  summary: 'Pairs of unnamed groups that look like one person ("Are these the same person?"), surest first; answer with <group> <other> yes|no',
  usage: 'people same [<group> <other> yes|no] [--limit N] [--library DIR] [--json]',
  options: { limit: { type: 'string', default: '20' } },
  async run(ctx) {
    const limit = numberOption(ctx.values.limit, '--limit', { integer: true, min: 1, max: 1000 }) ?? 20;
    if (ctx.positionals.length === 0) {
      return withLibrary(ctx, 'read', async (library) => {
        const all = samePersonPairs(library);
        const sizes = new Map(listPeople(library).map((p) => [p.id, p.faceCount]));
        const shown = all.slice(0, limit).map((p) => ({
          groupId: p.groupId,
          otherId: p.otherId,
          distance: distanceOf(p.distance),
          groupFaceCount: sizes.get(p.groupId) ?? 0,
          otherFaceCount: sizes.get(p.otherId) ?? 0,
        }));
        if (ctx.json) printJson(ctx, { total: all.length, pairs: shown });
        else if (all.length === 0) ctx.stdout.write('No two unnamed groups look like one person.\n');
        else {
          ctx.stdout.write(
            `${plural(all.length, 'pair')} of unnamed groups ${all.length === 1 ? 'looks' : 'look'} like one person${all.length > shown.length ? ` (the ${shown.length} surest)` : ''}. ` +
              'Answer with: familiar people same <group> <other> yes|no\n',
          );
          for (const p of shown) {
            ctx.stdout.write(`${p.groupId} ${p.otherId}  Groups of ${plural(p.groupFaceCount, 'face')} and ${plural(p.otherFaceCount, 'face')}: the same person?  (distance ${shownDistance(p.distance)})\n`);
          }
        }
        return 0;
      });
    }
    // Yes, YES, no, No: the answer as typed.
    const answer = ctx.positionals[2]?.toLowerCase();
    if (ctx.positionals.length !== 3 || (answer !== 'yes' && answer !== 'no')) {
      throw new UsageError('give two groups and yes or no (familiar people same lists the pairs).');
    }
    const [groupRef, otherRef] = ctx.positionals;
    return withLibrary(ctx, 'write', async (library) => {
      const group = resolvePerson(library.people.people, groupRef);
      const other = resolvePerson(library.people.people, otherRef);
      return printOperation(ctx, await answerSamePerson(library, group.id, other.id, answer === 'yes'));
    });
  },
};
