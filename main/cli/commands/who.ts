// `familiar who <photo>`: who is in a photo of the library (id or path) or any photo file (analysed now).
import { whoForEmbeddings, whoInPhoto } from '../../people/index.js';
import { withoutCopyFaces } from '../../people/copy-faces.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { facesOfInput, resolvePhotoInput, type PhotoInput } from '../../people/photo-input.js';
import { unbornOn } from '../../people/before-birth.js';
import { clockTaken } from '../../api/months.js';
import type { Library } from '../../store/library.js';
import { thresholdsFor } from '../../people/thresholds.js';
import type { PeopleLibrary } from '../../people/library.js';
import { UsageError, distanceOf, shownDistance, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

/** The unnamed group (shown, not hidden) a face of the library sits in, with its size; null for any other face. */
function unnamedGroupOf(library: PeopleLibrary, faceId: string | null): { id: string; faces: number } | null {
  const personId = faceId === null ? null : (library.face(faceId)?.personId ?? null);
  const group = personId === null ? undefined : library.people.people.find((p) => p.id === personId);
  if (!group || group.name !== null || group.hidden) return null;
  // Counted as People counts it: a resized copy's face is its original's (withoutCopyFaces).
  return { id: group.id, faces: withoutCopyFaces(library, library.faces).filter((f) => f.personId === group.id).length };
}

/**
 * Who is in a photo file outside the library. Not anyone born after its camera says it was taken: such a face is
 * someone else's, as in the library's own photos (main/people/before-birth.ts).
 */
async function whoInFile(library: Library, input: PhotoInput) {
  let day: string | null = null;
  const faces = await facesOfInput(library, input, ({ takenAt, takenOffset }) => {
    const clock = takenAt === null ? null : clockTaken(takenAt, takenOffset);
    day = clock === null ? null : new Date(clock).toISOString().slice(0, 10);
  });
  return whoForEmbeddings(library, faces, unbornOn(library, day));
}

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
            : await whoInFile(library, input);
      // Rounding gives a face against itself -2e-7: distances are shown from 0 up. A face of the library with no name
      // may still sit in an unnamed group: said, with the group (QA: "unknown" for a face in a group of 7).
      // A file outside the library: its boxes to the hundredth of a pixel, as the library stores them (QA: 73.98881331105778).
      const faces = found.map((w) => ({
        ...w,
        box: w.box.map((v) => Math.round(v * 100) / 100),
        best: w.best && { ...w.best, distance: distanceOf(w.best.distance) },
        candidates: w.candidates.map((c) => ({ ...c, distance: distanceOf(c.distance) })),
        unnamedGroup: w.best ? null : unnamedGroupOf(library, w.faceId),
      }));
      const { whoDistance } = thresholdsFor(library.info, library.settings);
      if (ctx.json) printJson(ctx, { photo: ctx.positionals[0], faces });
      else if (faces.length === 0) ctx.stdout.write('No face found.\n');
      else {
        for (const w of faces) {
          const where = `[${w.box.map((v) => Math.round(v)).join(', ')}]`;
          // Naming asks for a nearer face than "same" does (whoDistance < sameDistance): say so, or 0.069 reads as a match.
          const nearest = w.candidates[0] ? ` (nearest: ${w.candidates[0].name}, ${shownDistance(w.candidates[0].distance)}; a name needs ${shownDistance(whoDistance)} or less)` : '';
          const group = w.unnamedGroup
            ? `in an unnamed group of ${plural(w.unnamedGroup.faces, 'face')}, ${w.unnamedGroup.id} (Who is this? in the app, or "familiar name ${w.unnamedGroup.id} <name>", names it)`
            : null;
          const who = w.best ? `${w.best.name} (distance ${shownDistance(w.best.distance)})` : `${group ?? 'unknown'}${nearest}`;
          ctx.stdout.write(`${w.faceId ?? 'face'} ${where}: ${who}\n`);
        }
      }
      return 0;
    });
  },
};
