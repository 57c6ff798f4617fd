// A group that looks like two people (siblings grouped as one), named where it shows as its two parts: "Who is this?"
// and its People card. Both give the name the same way, so the same name does the same thing on either screen (QA:
// the card named all twenty faces of two sisters, where "Who is this?" named the part like the cover).
import type { TwoPeople } from './types.js';

/** How a name typed for a group shown as two people is meant: for the faces like the cover, or for all of them. */
export type TwoPeopleAnswer = 'cover-part' | 'one-person';

/**
 * people.rename's two-people arguments: the answer, and the parts as people.twoPeople showed them. The engine refuses
 * the name if the group's parts are others by the time it is given (an import regrouped it meanwhile).
 */
export function nameAsShown(shown: TwoPeople, answer: TwoPeopleAnswer) {
  const shownPart = (part: TwoPeople['stays']) => ({ faceIds: part.faces.map((f) => f.id), count: part.count });
  return { twoPeople: answer, shownParts: { stays: shownPart(shown.stays), leaves: shownPart(shown.leaves) } };
}
