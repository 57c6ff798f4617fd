// "Is this path inside that folder", for every check that keeps a file inside the library or a photo inside an
// imported or removed folder. Paths must already be absolute and resolved (path.resolve: no trailing separator but on
// a file system root such as / or D:\): these compare strings, nothing more. The path flavour can be passed so that
// tests exercise Windows paths anywhere.
import nodePath from 'node:path';

type PathFlavour = Pick<typeof nodePath, 'sep' | 'dirname'>;

/** True when `child` is `parent` itself or inside it; /a/b is not inside /a/bc. */
export function isInside(parent: string, child: string, path: PathFlavour = nodePath): boolean {
  // A root (/, D:\, \\server\share\) already ends with the separator.
  const base = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return child === parent || child.startsWith(base);
}

/** Whether `target` is one of `roots` or lies under one: one lookup per ancestor, so many roots cost no more. */
export function isInsideAny(roots: ReadonlySet<string>, target: string, path: PathFlavour = nodePath): boolean {
  // dirname walks up to the root in its own spelling (D:\a → D:\, /a → /), which is how resolve spells a root.
  for (let at = target; ; ) {
    if (roots.has(at)) return true;
    const parent = path.dirname(at);
    if (parent === at) return false;
    at = parent;
  }
}
