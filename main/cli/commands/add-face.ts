// `familiar add-face <photo> --box x,y,w,h [--name NAME]`: marks a face the import missed, by the box around it (the
// photo viewer's "Mark a missed face"). Familiar looks inside the box; where it finds no face, it keeps the box as given.
import { existsSync } from 'node:fs';
import { resolveUserPath } from '../../paths.js';
import { Engine } from '../../engine.js';
import { nameFaces } from '../../people/index.js';
import { nameAsShown, printJson, refuseUnaskedMerge, twoPartsInWords } from '../../people/cli-support.js';
import { resolvePhotoInput } from '../../people/photo-input.js';
import { UsageError, type Command } from '../command.js';

/** "x,y,w,h" in the photo's pixels (after EXIF rotation, as `familiar faces` prints boxes). */
export function parseBox(text: string | undefined): [number, number, number, number] {
  if (text === undefined) throw new UsageError('give the face\'s box: --box left,top,width,height in the photo\'s pixels.');
  const parts = text.split(',').map((v) => v.trim());
  const values = parts.map(Number);
  if (parts.length !== 4 || parts.some((v) => v === '') || !values.every(Number.isFinite)) {
    throw new UsageError(`--box must be four numbers, left,top,width,height in pixels (got "${text}").`);
  }
  if (values[0] < 0 || values[1] < 0) throw new UsageError(`--box starts left of or above the photo: its left and top must be 0 or more (got "${text}").`);
  if (values[2] <= 0 || values[3] <= 0) throw new UsageError(`--box must have a width and height above 0 (got "${text}").`);
  return values as [number, number, number, number];
}

export const addFaceCommand: Command = {
  name: 'add-face',
  summary: 'Mark a face the import missed, by the box around it (x,y,w,h pixels); --name names it',
  usage: 'add-face <photo> --box X,Y,W,H [--name NAME] [--library DIR] [--json]',
  options: { box: { type: 'string' }, name: { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('give exactly one photo of the library (its id or path).');
    const box = parseBox(ctx.values.box as string | undefined);
    const name = typeof ctx.values.name === 'string' ? ctx.values.name : undefined;
    if (name !== undefined && name.trim() === '') throw new UsageError('--name needs a name.');
    const engine = await Engine.open(ctx.libraryDir);
    try {
      const input = resolvePhotoInput(engine.library, ctx.positionals[0]);
      if (input.kind !== 'photo') {
        throw new UsageError(input.kind === 'face' ? 'give a photo, not a face: the box is drawn on the photo.' : `"${ctx.positionals[0]}" is not a photo of this library: import it first.`);
      }
      // Given as a file: that file holds the photo (a copy, or moved since the import), whatever paths the library knows.
      const given = resolveUserPath(ctx.positionals[0]);
      const { faceId, added, undetected } = await engine.addDrawnFace(input.photo.id, box, existsSync(given) ? { alsoAt: given } : {});
      // As the app's viewer names a face: one placed in an unnamed group names the group (its faces are this person's
      // too, and a one-face person beside a nameless group of the same face is what QA found); else the face alone.
      const placedIn = engine.library.face(faceId)?.personId;
      const group = placedIn ? engine.library.people.people.find((p) => p.id === placedIn && p.name === null) : undefined;
      // A group named after someone it appears with in a photo is not merged into them unasked, as `familiar name` refuses.
      if (name !== undefined && group) {
        refuseUnaskedMerge(engine.library, group.id, name, added ? `The face was added (${faceId}), in that group, and not named.` : 'Nothing was changed.');
      }
      const { result: named, parts } =
        name === undefined ? { result: null, parts: null } : group ? await nameAsShown(engine.library, group.id, name) : { result: await nameFaces(engine.library, [faceId], name), parts: null };
      const face = engine.library.face(faceId)!;
      const person = face.personId ? engine.library.people.people.find((p) => p.id === face.personId) : undefined;
      const who = person ? (person.name ?? 'an unnamed group') : null;
      if (ctx.json) {
        printJson(ctx, { faceId, added, undetected, box: face.box, personId: face.personId, personName: person?.name ?? null, named: named?.description ?? null });
        return 0;
      }
      const where = `[${face.box.map((v) => Math.round(v)).join(', ')}]`;
      ctx.stdout.write(added ? `Added face ${faceId} ${where}` : `That face was marked already: ${faceId} ${where}`);
      ctx.stdout.write(named ? `. ${named.description}  ("familiar undo" takes the name back)\n` : who ? `, with ${who}.\n` : ', in no group.\n');
      if (named && parts) ctx.stdout.write(`${twoPartsInWords(engine.library, named.personIds[0], parts)}\n`);
      if (undetected) ctx.stdout.write('Familiar could not make out a face in that box itself, so it kept the box as you gave it.\n');
      return 0;
    } finally {
      await engine.close();
    }
  },
};
