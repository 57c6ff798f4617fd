// The one rule the engine and the app compare people's names by (preload/names.ts): case, spacing and the accents of
// Latin, Greek and Cyrillic letters aside; a mark in another script is part of its letter.
import { describe, expect, it } from 'vitest';
import { cleanName, foldName, nameMatchesSearch, namesakesOf, sameName } from '../../preload/names.js';

describe('sameName', () => {
  it.each([
    ['Zoë', 'zoe'],
    ['José', 'JOSE'],
    ['Nguyễn Văn An', 'nguyen van an'],
    ['Ελένη', 'ελενη'],
    ['Алёна', 'алена'],
    ['  Ada   Lovelace ', 'ada lovelace'],
    // Decomposed as a Mac file name spells it, and composed.
    ['Zo\u0065\u0308', 'Zo\u00eb'],
    // Apostrophes and dashes as phones and word processors type them (QA: O’Brien from another app was a second person).
    ['O\u2019Brien', "O'Brien"],
    ['Anne\u2013Marie', 'Anne-Marie'],
    // Pasted with something that shows as nothing (QA: a second "Rose" search could not find).
    ['Rose\u200b', 'Rose'],
    ['Ro\u00adse', 'Rose'],
    ['Rose\u200f', 'Rose\u200e'],
  ])('takes %s and %s as one name', (a, b) => expect(sameName(a, b)).toBe(true));

  it('of "Rose" and "Rose" with a zero-width space an older build stored, finds the one spelled exactly as asked', () => {
    const people = [{ id: 'plain', name: 'Rose' }, { id: 'pasted', name: 'Rose\u200b' }];
    expect(namesakesOf(people, 'Rose').map((p) => p.id)).toEqual(['plain']);
    expect(namesakesOf(people, 'rose\u200b').map((p) => p.id)).toEqual(['pasted']);
    expect(namesakesOf(people, 'Rose\u2060').map((p) => p.id)).toEqual(['plain', 'pasted']);
  });

  it('gives a name without what shows as nothing in it, and keeps the joiners emoji and scripts need', () => {
    expect(cleanName(' \ufeffRose\u200b ')).toBe('Rose');
    expect(cleanName('Ro\u00adse\u2060')).toBe('Rose');
    expect(cleanName('👨\u200d👩\u200d👧 Smiths')).toBe('👨\u200d👩\u200d👧 Smiths');
    expect(cleanName('می\u200cخواهم')).toBe('می\u200cخواهم');
  });

  it.each([
    ['किरण', 'करण'], // Kiran and Karan: the vowel sign is a letter of Hindi
    ['ガク', 'カク'], // Gaku and Kaku: the voicing mark is part of the kana
    ['한글', '한그'],
    ['Ann', 'Anna'],
  ])('tells %s from %s', (a, b) => expect(sameName(a, b)).toBe(false));

  it('keeps the marks of other scripts in the folded form, composed again', () => {
    expect(foldName('किरण')).toBe('किरण');
    expect(foldName('ガク')).toBe('ガク');
    expect(foldName('Zoë')).toBe('zoe');
  });
});

describe('namesakesOf', () => {
  const people = [{ name: 'Jose' }, { name: 'José' }, { name: null }, { name: 'Zoë' }];
  it('finds the person by another spelling, and the one spelled as typed of two', () => {
    expect(namesakesOf(people, 'zoe')).toEqual([{ name: 'Zoë' }]);
    expect(namesakesOf(people, 'jose')).toEqual([{ name: 'Jose' }]);
    expect(namesakesOf(people, 'JOSÉ')).toEqual([{ name: 'José' }]);
    expect(namesakesOf(people, 'Josè')).toEqual([{ name: 'Jose' }, { name: 'José' }]);
    expect(namesakesOf(people, 'Zara')).toEqual([]);
  });
});

describe('nameMatchesSearch: "Find a person"', () => {
  it.each([
    ['Abdullah Gul', 'gul abdullah'],
    ['Gerhard Schroeder', 'schroder'],
    ['Gerhard Schroeder', 'schröder'],
    ['Gerhard Schröder', 'schroeder'],
    ['Johann Strauss', 'strauß'],
    ['Zoë', 'zoe'],
    ['Nancy Pelosi', 'pel nan'],
    ['Mary-Kate Olsen', 'kate'],
  ])('finds %s by "%s"', (name, typed) => expect(nameMatchesSearch(name, typed)).toBe(true));

  it.each([
    ['Pierce Brosnan', 'nan'],
    ['Zora', 'zoe'],
    ['John', 'joe'],
    ['Ann Lee', 'ann ann'],
  ])('does not find %s by "%s"', (name, typed) => expect(nameMatchesSearch(name, typed)).toBe(false));
});
