// What an undo says: what came back, not the decision's own sentence. "Undone: Deleted "Rose Leslie"; 3 faces no
// longer have a name." read as the opposite of what had happened (QA): the sentence said what the delete did. The app's
// toast and `familiar undo` say this sentence as it is.
import { plural } from '../../preload/contract.js';
import { birthdayInWords } from '../../preload/birthdays.js';
import type { Library } from '../store/library.js';
import type { PersonRecord } from '../store/types.js';
import { countedOnce } from './copy-faces.js';
import { peopleInWords } from './library.js';
import type { Decision } from './types.js';

/** "is" or "are", for `count` people or faces. */
const be = (count: number) => (count === 1 ? 'is' : 'are');

/**
 * The sentence for taking back `decision`, read before undo restores anything: `people` as the decision left them
 * (a name given is there, the name before it in the decision's `before`). Faces are counted as People counts them,
 * from `library`: a resized copy's face and its original's are one (countedOnce).
 */
export function undoneInWords(decision: Decision, people: readonly PersonRecord[], library: Pick<Library, 'photo' | 'face' | 'hasCopies'>): string {
  const before = (id: string) => decision.before?.people.find((p) => p.id === id)?.record ?? null;
  const now = (id: string) => people.find((p) => p.id === id) ?? null;
  /** A person as the decision found them, else as it left them. */
  const record = (id: string) => before(id) ?? now(id);
  const named = (id: string | undefined) => {
    const name = id === undefined ? null : (record(id)?.name ?? null);
    return name !== null ? `"${name}"` : null;
  };
  const who = (id: string | undefined) => named(id) ?? 'an unnamed group';
  const Who = (id: string | undefined) => named(id) ?? 'An unnamed group';
  const faces = countedOnce(library, decision.faceIds);
  const [first, ...others] = decision.personIds;

  switch (decision.kind) {
    case 'delete': {
      const gone = new Set(decision.personIds);
      const theirs = decision.before ? countedOnce(library, decision.before.faces.flatMap((f) => (f.personId !== null && gone.has(f.personId) ? [f.id] : []))) : faces;
      const back = gone.size === 1 ? Who(first) : peopleAsSubject(decision.personIds.map(record).filter((p) => p !== null));
      return `${back} ${be(gone.size)} back, with ${plural(theirs, 'face')}.`;
    }
    case 'hide':
    case 'show': {
      const shown = decision.personIds.map(record).filter((p) => p !== null);
      return `${peopleAsSubject(shown)} ${be(shown.length)} ${decision.kind === 'hide' ? 'shown' : 'hidden'} again.`;
    }
    case 'name': {
      const previous = before(first)?.name ?? null;
      const given = now(first)?.name ?? null;
      const theName = given !== null ? `"${given}"` : 'given';
      // A name for the part like the cover made the other part a group of its own (the decision's second person, new
      // in it): the undo puts both parts back into the one group (QA: it said only "its faces").
      const apart = decision.personIds[1] !== undefined && before(decision.personIds[1]) === null;
      if (previous === null && apart) {
        const wasInGroup = decision.before?.faces.flatMap((f) => (f.personId === first ? [f.id] : [])) ?? [];
        const group = countedOnce(library, [...decision.faceIds, ...wasInGroup]);
        return `Took back the name ${theName}: its ${plural(faces, 'face')} and the ${group - faces} set apart are one unnamed group of ${group} again.`;
      }
      if (previous === null) return `Took back the name ${theName}: its faces are an unnamed group again.`;
      if (given === previous) return `Took back keeping "${previous}" as one person.`;
      return `${given !== null ? `"${given}"` : 'The person'} is called "${previous}" again.`;
    }
    case 'enrol':
      return `Took back the new person ${who(first)}: ${faces === 1 ? 'the face is' : `the ${faces} faces are`} where ${faces === 1 ? 'it was' : 'they were'}.`;
    case 'confirm':
      return `Took back confirming ${plural(faces, 'face')} as ${who(first)}.`;
    case 'move':
      return `Took back moving ${plural(faces, 'face')} to ${who(first)}: ${faces === 1 ? 'it is' : 'they are'} where ${faces === 1 ? 'it was' : 'they were'}.`;
    case 'reject': {
      // Inside quotes already: the names bare ("not Rose Leslie").
      const bare = (id: string) => record(id)?.name ?? 'that group';
      const whom = decision.personIds.length === 1 ? `not ${bare(first)}` : `neither ${decision.personIds.map(bare).join(' nor ')}`;
      return `Took back "${whom}" for ${plural(faces, 'face')}.`;
    }
    case 'ignore':
      return `Familiar may ask about ${faces === 1 ? 'that face' : `those ${faces} faces`} again.`;
    case 'not-a-face':
      return faces === 1 ? 'The box is back on its photo.' : `The ${faces} boxes are back on their photos.`;
    case 'face-again':
      return 'The box is off its photo again: you had said it holds no face.';
    case 'merge': {
      const merged = others.map(record).filter((p) => p !== null && before(p.id) !== null && p.id !== first) as PersonRecord[];
      const into = record(first);
      if (merged.length === 0) return `Took back the merge into ${who(first)}.`;
      // Unnamed groups counted, not listed: "An unnamed group and an unnamed group are apart again" (QA).
      return into ? `${peopleAsSubject([...merged, into])} are apart again.` : `${capitalised(peopleInWords(merged))} and ${who(first)} are apart again.`;
    }
    case 'separate':
      return `Took back separating ${who(others[0])} from ${who(first)}: the faces are with ${who(first)} again.`;
    case 'split':
      return `The ${plural(faces, 'face')} split off are back with ${who(first)}.`;
    case 'not-same':
      return 'Took back "not the same person": these two groups may be asked about together again.';
    case 'one-person':
      return `Took back "one person" for ${who(first)}${faces > 0 ? `: ${plural(faces, 'face')} ${be(faces)} unconfirmed again` : ''}.`;
    case 'ask-again':
      return `${Who(first)} is kept as one person again${faces > 0 ? `: ${plural(faces, 'face')} ${be(faces)} confirmed again` : ''}.`;
    case 'cover':
      return `${Who(first)} has the cover from before again.`;
    case 'birthday': {
      const was = before(first)?.birthday;
      return was === undefined ? `${Who(first)} has no birthday again.` : `${Who(first)} has the birthday from before again (${birthdayInWords(was, 'en')}).`;
    }
    case 'import-names': {
      const read = decision.namesRead;
      if (!read) return `Took back the names read from photo metadata (${plural(faces, 'face')}).`;
      const answers = plural(read.answers, '"not this person" answer');
      const added = decision.facesAdded?.length ?? 0;
      const namedBack = (read.renamed ?? []).map((r) => `"${r.to}" is called "${r.from}" again.`).join(' ');
      if (namedBack && read.facesNamed === 0 && read.answers === 0 && added === 0) return namedBack;
      if (namedBack) return `${namedBack} ${undoneInWords({ ...decision, namesRead: { ...read, renamed: undefined } }, people, library)}`;
      if (read.facesNamed === 0 && read.answers === 0) return `Took out the ${plural(added, 'face')} found where other apps marked faces.`;
      const takenOut = added > 0 ? `; took out the ${plural(added, 'face')} added where the tags marked ${added === 1 ? 'one' : 'them'}` : '';
      if (read.facesNamed === 0) return `Took back ${answers} read from ${read.source}${takenOut}.`;
      return `Took back the names read from ${read.source} (${plural(read.facesNamed, 'face')})${read.answers > 0 ? `, and ${answers}` : ''}${takenOut}.`;
    }
    case 'add-face':
      return 'Took out the face you marked.';
    case 'copies': {
      const copies = decision.copies?.links.length ?? 0;
      return `${copies === 1 ? 'The photo found to be a copy is a photo' : `The ${copies} photos found to be copies are photos`} of ${copies === 1 ? 'its' : 'their'} own again${faces > 0 ? `, ${plural(faces, 'face')} as ${faces === 1 ? 'it was' : 'they were'}` : ''}.`;
    }
    case 'not-copy':
      return 'The photo is taken for a copy of the other again: its faces go with theirs.';
    default:
      return `Undid: ${decision.description}`;
  }
}

/** People as the subject of a sentence: "The two unnamed groups" when none has a name, else as peopleInWords. */
function peopleAsSubject(people: readonly PersonRecord[]): string {
  if (people.length > 1 && people.every((p) => p.name === null)) return `The ${people.length === 2 ? 'two' : people.length} unnamed groups`;
  return capitalised(peopleInWords(people));
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
