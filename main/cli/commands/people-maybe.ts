// `familiar people maybe`: unnamed groups that lie close to a named person without having been placed with them
// ("Is this <Name>?" on the app's Who is this? screen), nearest first; `familiar people maybe <group> yes|no`
// answers one. main/people/group-candidates.ts has the rule.
import { answerGroupCandidate, groupCandidateOf, groupCandidates, listPeople, PeopleError, resolvePerson } from '../../people/index.js';
import { printJson, printOperation, withLibrary } from '../../people/cli-support.js';
import { impossibleQuestion, photoDatesOf } from '../../people/before-birth.js';
import { facesByPerson } from '../../people/library.js';
import { UsageError, distanceOf, numberOption, shownDistance, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const peopleMaybeCommand: Command = {
  name: 'people maybe',
  summary: 'Unnamed groups that may be a named person ("Is this <Name>?"), nearest first; answer with <group> yes|no',
  usage: 'people maybe [<group> yes|no] [--limit N] [--library DIR] [--json]',
  options: { limit: { type: 'string', default: '20' } },
  async run(ctx) {
    const limit = numberOption(ctx.values.limit, '--limit', { integer: true, min: 1, max: 1000 }) ?? 20;
    if (ctx.positionals.length === 0) {
      return withLibrary(ctx, 'read', async (library) => {
        // Not about someone in a photo from before their birth (main/people/before-birth.ts), as the app does not ask.
        const dates = photoDatesOf(library);
        const byGroup = facesByPerson(library.faces);
        const all = groupCandidates(library).filter((c) => !impossibleQuestion(library, c.personId, byGroup.get(c.groupId) ?? [], dates));
        const sizes = new Map(listPeople(library).map((p) => [p.id, p.faceCount]));
        const shown = all.slice(0, limit).map((c) => ({ ...c, distance: distanceOf(c.distance), faceCount: sizes.get(c.groupId) ?? 0 }));
        if (ctx.json) printJson(ctx, { total: all.length, groups: shown });
        else if (all.length === 0) ctx.stdout.write('No unnamed group looks like someone you named.\n');
        else {
          ctx.stdout.write(
            `${plural(all.length, 'unnamed group')} ${all.length === 1 ? 'looks' : 'look'} like someone you named${all.length > shown.length ? ` (the ${shown.length} nearest)` : ''}. ` +
              'Answer with: familiar people maybe <group> yes|no\n',
          );
          for (const c of shown) ctx.stdout.write(`${c.groupId}  Group of ${plural(c.faceCount, 'face')}: maybe ${c.name}?  (distance ${shownDistance(c.distance)})\n`);
        }
        return 0;
      });
    }
    if (ctx.positionals.length !== 2 || !['yes', 'no'].includes(ctx.positionals[1])) {
      throw new UsageError('give a group and yes or no (familiar people maybe lists the groups).');
    }
    const [groupRef, answer] = ctx.positionals;
    return withLibrary(ctx, 'write', async (library) => {
      const group = resolvePerson(library.people.people, groupRef);
      const found = groupCandidateOf(library, group.id);
      const candidate = found && !impossibleQuestion(library, found.personId, library.faces.filter((f) => f.personId === group.id)) ? found : null;
      if (!candidate) throw new PeopleError(`Familiar has no name to ask about for ${group.name === null ? 'that group' : `"${group.name}"`} (familiar people maybe lists the groups it has).`);
      return printOperation(ctx, await answerGroupCandidate(library, group.id, candidate.personId, answer === 'yes'));
    });
  },
};
