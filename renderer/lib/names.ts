// People's names as the user types them: one form to compare and search by.

/** Lower case without accents, so "zoe" finds Zoë and "jose" José; runs of spaces are one. */
export const foldName = (text: string): string =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase().trim().replace(/\s+/g, ' ');
