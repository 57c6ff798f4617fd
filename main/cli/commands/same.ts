// `familiar same <a> <b>`: are two faces (or the closest faces of two photos) the same person.
import { sameEmbeddings } from '../../people/index.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { facesOfInput, resolvePhotoInput } from '../../people/photo-input.js';
import { UsageError, distanceOf, shownDistance, type Command } from '../command.js';

export const sameCommand: Command = {
  name: 'same',
  summary: 'Are two faces or photos the same person (distance vs the calibrated threshold)',
  usage: 'same <face|photo> <face|photo> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length !== 2) throw new UsageError('give exactly two faces or photos (ids or files).');
    return withLibrary(ctx, 'read', async (library) => {
      // Both resolved before either is analysed: a second path that is no photo is said at once (QA: it waited for
      // the first photo's analysis).
      const inputs = ctx.positionals.map((ref) => resolvePhotoInput(library, ref));
      // Analysed side by side; when both fail, the first given is the one said, whichever failed first.
      const settled = await Promise.allSettled(inputs.map((input) => facesOfInput(library, input)));
      const [a, b] = settled.map((outcome) => {
        if (outcome.status === 'rejected') throw outcome.reason;
        return outcome.value;
      });
      const found = sameEmbeddings(library, a, b);
      const result = { ...found, distance: distanceOf(found.distance) };
      if (ctx.json) printJson(ctx, result);
      else {
        // A group photo: say that the answer is about its closest pair of faces, not the photo.
        const pairs = a.length > 1 || b.length > 1 ? ` (the closest pair of ${a.length} × ${b.length} faces${found.faceA || found.faceB ? `: ${found.faceA ?? 'a face'} and ${found.faceB ?? 'a face'}` : ''})` : '';
        const measured = `distance ${shownDistance(result.distance)} ${result.same ? '<=' : '>'} threshold ${shownDistance(result.threshold)}${pairs}`;
        const { decided } = result;
        if (decided) {
          // The user's decisions outrank the distance: say both, the user's first.
          const who = decided.same ? `you placed both with ${decided.names[0] ?? 'one unnamed group'}` : `you told them apart (${decided.names.map((n) => n ?? 'an unnamed group').join(' and ')})`;
          const model = decided.same === result.same ? 'the model agrees' : `the model alone would say ${result.same ? 'the same person' : 'different people'}`;
          ctx.stdout.write(`${decided.same ? 'Same person' : 'Different people'}: ${who}; ${model} (${measured})\n`);
        } else ctx.stdout.write(`${result.same ? 'Same person' : 'Different people'}: ${measured}\n`);
      }
      return 0;
    });
  },
};
