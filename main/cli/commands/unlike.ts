// `familiar unlike <person>`: the person's faces least like the faces the user confirmed as them, the ones that look
// unlike first: where a sibling or a stranger placed with the person shows up (reject them: familiar reject).
import { leastAlikeFirst, resolvePerson } from '../../people/index.js';
import { photoPathOf, printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, distanceOf, numberOption, shownDistance, oneLine, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const unlikeCommand: Command = {
  name: 'unlike',
  summary: "A person's faces least like the ones you confirmed, those that look unlike them first",
  usage: 'unlike <person> [--limit N] [--library DIR] [--json]',
  options: { limit: { type: 'string', default: '20' } },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('give exactly one person (id or name).');
    const limit = numberOption(ctx.values.limit, '--limit', { integer: true, min: 1, max: 100_000 }) ?? 20;
    return withLibrary(ctx, 'read', async (library) => {
      const person = resolvePerson(library.people.people, ctx.positionals[0]);
      const view = leastAlikeFirst(library, person.id);
      const faces = view.faces.slice(0, limit).map((s) => ({
        faceId: s.face.id,
        photoId: s.face.photoId,
        photoPath: photoPathOf(library, s.face.photoId),
        distance: distanceOf(s.distance),
        unlike: s.unlike,
        unlikeConfirmed: s.unlikeConfirmed,
        assignedBy: s.face.assignedBy,
      }));
      if (ctx.json) {
        printJson(ctx, { personId: person.id, name: person.name, reference: view.reference, unlike: view.unlike, unlikeConfirmed: view.unlikeConfirmed, faces });
        return 0;
      }
      const label = person.name ?? person.id;
      // A face the user confirmed can be wrong too (a stranger confirmed by hand, people merged): said, not left out.
      const confirmedToo =
        view.unlikeConfirmed > 0
          ? `; ${plural(view.unlikeConfirmed, 'face')} you confirmed ${view.unlikeConfirmed === 1 ? 'looks' : 'look'} unlike the others`
          : '';
      ctx.stdout.write(
        view.reference === 'confirmed'
          ? `${view.unlike} of ${plural(view.faces.length, 'face')} ${view.unlike === 1 ? 'looks' : 'look'} unlike the faces you confirmed as ${label}${confirmedToo}` +
              `${view.unlike + view.unlikeConfirmed > 0 ? ` (not them: familiar reject <face> ${person.id})` : ''}\n`
          : `Nobody confirmed a face of ${label} yet: ${plural(view.faces.length, 'face')}, ordered by distance to the group's average face\n`,
      );
      for (const f of faces) {
        const mark = f.unlike ? '  unlike' : f.unlikeConfirmed ? '  unlike the others' : '';
        ctx.stdout.write(`${f.faceId}  distance ${shownDistance(f.distance)}${mark}${f.assignedBy === 'user' ? '  confirmed' : ''}  ${oneLine(f.photoPath)}\n`);
      }
      return 0;
    });
  },
};
