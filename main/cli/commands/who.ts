// `familiar who <photo>`: who is in a photo of the library (id or path) or any photo file (analysed now).
import { whoForEmbeddings, whoInPhoto } from '../../people/index.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { facesOfInput, resolvePhotoInput } from '../../people/photo-input.js';
import { UsageError, type Command } from '../command.js';

export const whoCommand: Command = {
  name: 'who',
  summary: 'Who is in a photo (library photo id or path, or any photo file)',
  usage: 'who <photo> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('give exactly one photo (id or file).');
    return withLibrary(ctx, 'read', async (library) => {
      const input = resolvePhotoInput(library, ctx.positionals[0]);
      const faces =
        input.kind === 'photo'
          ? whoInPhoto(library, input.photo.id)
          : input.kind === 'face'
            ? whoInPhoto(library, input.face.photoId).filter((w) => w.faceId === input.face.id)
            : whoForEmbeddings(library, await facesOfInput(library, input));
      if (ctx.json) printJson(ctx, { photo: ctx.positionals[0], faces });
      else if (faces.length === 0) ctx.stdout.write('No face found.\n');
      else {
        for (const w of faces) {
          const where = `[${w.box.map((v) => Math.round(v)).join(', ')}]`;
          const who = w.best ? `${w.best.name} (distance ${w.best.distance.toFixed(3)})` : `unknown${w.candidates[0] ? ` (nearest: ${w.candidates[0].name}, ${w.candidates[0].distance.toFixed(3)})` : ''}`;
          ctx.stdout.write(`${w.faceId ?? 'face'} ${where}: ${who}\n`);
        }
      }
      return 0;
    });
  },
};
