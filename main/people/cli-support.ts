// Shared by the people commands of the CLI (main/cli/commands/*.ts): opening the library and printing results.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToShow } from '../paths.js';
import type { CommandContext } from '../cli/command.js';
import { Library } from '../store/library.js';
import { namePerson, PARTS_CHANGED } from './decisions.js';
import { PeopleError, resolvePerson, type PeopleLibrary } from './library.js';
import { coverOf, photosTogether } from './queries.js';
import { plural } from '../../preload/contract.js';
import { namesakesOf } from '../../preload/names.js';
import { twoPeopleQuestion, type TwoPeopleQuestion } from './two-people.js';
import type { OperationResult } from './types.js';

/** Refuses a folder with no library in it: only an import creates one (QA: a mistyped --library made an empty library). */
export function requireLibrary(ctx: CommandContext): void {
  if (!existsSync(join(ctx.libraryDir, 'library.json')) && !existsSync(join(ctx.libraryDir, 'faces.json'))) {
    throw new Error(`There is no Familiar library at ${ctx.libraryDir}; run "familiar import <folder>" first.`);
  }
}

/** Opens an existing library (never creates an empty one for a people command), runs `fn`, closes it. */
export async function withLibrary<T>(ctx: CommandContext, mode: 'read' | 'write', fn: (library: Library) => Promise<T>): Promise<T> {
  requireLibrary(ctx);
  const library = await Library.open(ctx.libraryDir, { readOnly: mode === 'read' });
  try {
    // Whatever open found damaged and repaired is the user's to know (read-only opens only report, see doctor).
    if (mode === 'write') for (const r of library.repairs) ctx.stderr.write(`familiar: repaired ${r.part}: ${r.problem}; ${r.action}.\n`);
    // A reader leaves the damage as it is, but says so: what it prints may be missing those parts (QA: "people" printed
    // an empty library over lost vectors, and nothing else).
    else if (library.repairs.some((r) => !r.part.startsWith('index/'))) {
      // The index is a cache a reader rebuilds in memory (and is missing while a first import runs): not damage.
      const damage = library.repairs.filter((r) => !r.part.startsWith('index/'));
      ctx.stderr.write(
        `familiar: the library needs repair (${damage.map((r) => `${r.part}: ${r.problem}`).join('; ')}); ` +
          'what follows may be incomplete. "familiar doctor" says more; any command that changes the library repairs it.\n',
      );
    }
    return await fn(library);
  } finally {
    await library.close();
  }
}

/**
 * Where a CLI user finds a photo to look at: its file (the first path the library knows it at that is there: pathToShow), as `search` lists
 * photos; its id only for a photo no longer in the library. A 12-hex id told the user nothing (QA).
 */
export function photoPathOf(library: Pick<PeopleLibrary, 'photo'>, photoId: string): string {
  const photo = library.photo(photoId);
  return (photo && pathToShow(photo.paths)) ?? photoId;
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value) + '\n');
}

/** After a merge of people who appear together in photos (one person is in a photo once: likely siblings). */
export function appearedTogether(photos: number): string {
  return `They appeared together in ${plural(photos, 'photo')}: one person is in a photo only once. "familiar undo" takes the merge back.`;
}

export function printOperation(ctx: CommandContext, result: OperationResult): number {
  if (ctx.json) printJson(ctx, result);
  else ctx.stdout.write(`${result.description}  ("familiar undo" reverts it)\n`);
  return 0;
}

/**
 * Names a person or group from the CLI. A group that looks like two people (two-people.ts) is named as the app's
 * "Who is this?" names it: its parts are worked out here, before the decision, and given to it as the parts the
 * command then reports; the name is for the part like the cover, and is refused if the group's faces changed in
 * between (an import's grouping), rather than given to parts nobody was told of.
 */
export async function nameAsShown(
  library: PeopleLibrary,
  personRef: string,
  name: string,
  options: { sameAsNamesake?: boolean } = {},
): Promise<{ result: OperationResult; parts: TwoPeopleQuestion | null }> {
  const person = resolvePerson(library.people.people, personRef);
  const parts = twoPeopleQuestion(library, person.id);
  const shownParts = parts ? { stays: { faceIds: parts.stays, count: parts.stays.length }, leaves: { faceIds: parts.leaves, count: parts.leaves.length } } : undefined;
  try {
    const result = await namePerson(library, person.id, name, { shownParts, sameAsNamesake: options.sameAsNamesake });
    // Parts to tell of only when the name went to them: not once the group joined a namesake, or kept its name.
    const named = result.faceIds.length > 0 && library.people.people.some((p) => p.id === person.id);
    return { result, parts: named ? parts : null };
  } catch (err) {
    if (!(err instanceof PeopleError) || err.message !== PARTS_CHANGED) throw err;
    throw new PeopleError(
      `The faces of ${person.name === null ? 'this group' : `"${person.name}"`} changed while it was being named (an import or a regrouping): nothing was named. Run the command again.`,
    );
  }
}

/**
 * A name someone else has merges the person into them. The app asks first when that takes a name away (a named person
 * renamed, where a slip such as "Ge" + Enter took "George W Bush" for his brother) or when the two appear together in a
 * photo (one person is in a photo once: likely siblings); a group merges at once otherwise. The CLI cannot ask, so it
 * refuses those two and names the command that merges on purpose (QA: renaming "Laura" to "Jen A" merged them unasked).
 * The namesake is found as the engine finds it (preload/names.ts: "zoe" is Zoë). `done`: what the command did anyway
 * (`familiar add-face` has added the face by then).
 */
export function refuseUnaskedMerge(library: PeopleLibrary, ref: string, rawName: string, done = 'Nothing was changed.'): void {
  const person = resolvePerson(library.people.people, ref);
  const namesake = namesakesOf(library.people.people.filter((p) => p.id !== person.id), rawName.normalize('NFC').trim())[0];
  if (!namesake) return;
  const together = photosTogether(library, [namesake.id, person.id]);
  if (person.name === null && together === 0) return;
  const them = JSON.stringify(namesake.name);
  const merge = `familiar merge ${them} ${JSON.stringify(person.name ?? person.id)}`;
  const inPhotos = together === 1 ? 'a photo' : `${together} photos`;
  if (person.name !== null) {
    throw new PeopleError(
      `${them} is someone else's name: "${person.name}" would merge into them, and the name "${person.name}" would go. ` +
        (together > 0 ? `They appear together in ${inPhotos}: one person is in a photo only once. ` : '') +
        `${done} To merge them on purpose: ${merge} ("familiar separate" takes them apart again). Or choose another name.`,
    );
  }
  throw new PeopleError(
    `This group appears with ${them} in ${inPhotos}: one person is in a photo only once, so they are probably two people. ` +
      `${done} To merge them anyway: ${merge}. Or choose another name.`,
  );
}

/** What `familiar name` says of a group it named that looks like two people: the name went to one part. */
export function twoPartsInWords(library: PeopleLibrary, personId: string, parts: TwoPeopleQuestion): string {
  // Which cover: a terminal shows none, and a name given blind to the sisters' group went to whichever sister it was
  // (QA). One face of the part named, with its photo, to open and check.
  const shown = coverOf(parts.stays.flatMap((id) => library.face(id) ?? []), library);
  const like = shown === null ? 'the cover' : `the cover, ${shown} (${photoPathOf(library, library.face(shown)!.photoId)})`;
  return (
    `These faces may be two people: the name is for the ${plural(parts.stays.length, 'face')} like ${like}; the other ${plural(parts.leaves.length, 'face waits', 'faces wait')} unconfirmed. ` +
    `"familiar split ${personId}" splits them off ("--dry-run" lists them), "--one-person" says they are one person.`
  );
}

