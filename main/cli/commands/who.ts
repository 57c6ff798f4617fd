// `familiar who <photo>`: who is in a photo of the library (id or path) or any photo file (analysed now).
import { whoForEmbeddings, whoInPhoto } from '../../people/index.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { facesOfInput, resolvePhotoInput } from '../../people/photo-input.js';
import { thresholdsFor } from '../../people/thresholds.js';
import { UsageError, distanceOf, shownDistance, type Command } from '../command.js';

export const whoCommand: Command = {
  name: 'who',
  summary: 'Who is in a photo (library photo id or path, or any photo file)',
  usage: 'who <photo> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('give exactly one photo (id or file).');
    return withLibrary(ctx, 'read', async (library) => {
      const input = resolvePhotoInput(library, ctx.positionals[0]);
      const found =
        input.kind === 'photo'
          ? whoInPhoto(library, input.photo.id)
          : input.kind === 'face'
            ? whoInPhoto(library, input.face.photoId).filter((w) => w.faceId === input.face.id)
            : whoForEmbeddings(library, await facesOfInput(library, input));
      // Rounding gives a face against itself -2e-7: distances are shown from 0 up.
      const faces = found.map((w) => ({
        ...w,
        best: w.best && { ...w.best, distance: distanceOf(w.best.distance) },
        candidates: w.candidates.map((c) => ({ ...c, distance: distanceOf(c.distance) })),
      }));
      const { whoDistance } = thresholdsFor(library.info, library.settings);
      if (ctx.json) printJson(ctx, { photo: ctx.positionals[0], faces });
      else if (faces.length === 0) ctx.stdout.write('No face found.\n');
      else {
        for (const w of faces) {
          const where = `[${w.box.map((v) => Math.round(v)).join(', ')}]`;
          // Naming asks for a nearer face than "same" does (whoDistance < sameDistance): say so, or 0.069 reads as a match.
          const nearest = w.candidates[0] ? ` (nearest: ${w.candidates[0].name}, ${shownDistance(w.candidates[0].distance)}; a name needs ${shownDistance(whoDistance)} or less)` : '';
          const who = w.best ? `${w.best.name} (distance ${shownDistance(w.best.distance)})` : `unknown${nearest}`;
          ctx.stdout.write(`${w.faceId ?? 'face'} ${where}: ${who}\n`);
        }
      }
      return 0;
    });
  },
};
