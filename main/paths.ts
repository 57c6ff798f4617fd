// "Is this path inside that folder", for every check that keeps a file inside the library or a photo inside an
// imported or removed folder. Paths must already be absolute and resolved: these compare strings, nothing more.
import { sep } from 'node:path';

/** True when `child` is `parent` itself or inside it; /a/b is not inside /a/bc. */
export function isInside(parent: string, child: string): boolean {
  const base = parent.endsWith(sep) ? parent : parent + sep;
  return child === parent || child.startsWith(base);
}

/** Whether `path` is one of `roots` or lies under one: one lookup per ancestor, so many roots cost no more. */
export function isInsideAny(roots: ReadonlySet<string>, path: string): boolean {
  for (let at = path; ; ) {
    if (roots.has(at)) return true;
    const cut = at.lastIndexOf(sep);
    if (cut < 0) return false;
    const parent = cut === 0 ? sep : at.slice(0, cut);
    if (parent === at) return false;
    at = parent;
  }
}
