// Path identity: whether two spellings name one file, and whether a path lies inside a folder. Every check that keeps
// a file inside the library or a photo inside an imported, watched or removed folder, and every map keyed by path,
// goes through here, so they all agree with the file system.
//
// Familiar stores and shows a path as the file system spells it: an import's folders take their spelling on disk
// (onDiskSpelling), the scan adds names as the folder lists them. Spellings are compared by key (PathRules.key):
//  - Windows (NTFS, exFAT, FAT) ignores case but not Unicode normalisation: "Zoë" typed (NFC) and "Zoë" copied from
//    a Mac (NFD) are two names there, both may exist, and the one does not open the other. Key: lower case.
//  - macOS (APFS, HFS+) ignores case and normalisation by default, and HFS+ and some APIs hand back NFD names while
//    users type NFC. Key: NFC, lower case. A case-sensitive APFS volume exists (a Disk Utility choice, rare, mostly
//    developers' drives); it gets the same key, as nothing short of probing each volume tells it apart, with two
//    guards where folding would lose photos: onDiskSpelling keeps a name listed as given (Photos and photos may both
//    be there), and an import whose files include two names differing only in case compares its paths exactly
//    (exactPathRules) rather than take two files for one. What remains folded there is which folder a watched or
//    removed folder is: Photos and photos in one folder of such a volume count as one.
//  - Linux and the rest compare bytes: two spellings are two paths, both may exist. Key: the path itself.
// Paths must already be absolute and resolved (path.resolve: no trailing separator but on a root such as / or D:\).
// The platform can be passed so that tests exercise Windows and macOS rules anywhere.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import nodePath from 'node:path';

/** How one platform's file systems tell paths apart. */
export interface PathRules {
  /** The path flavour (separator, resolve, dirname) of the platform. */
  readonly path: typeof nodePath.posix;
  /** What two spellings of one path have in common (a plain function: `paths.map(rules.key)` is fine). */
  readonly key: (path: string) => string;
  /** False when the key is the path itself (Linux): nothing to fold, nothing to look up. */
  readonly folds: boolean;
}

const lowerCase = (path: string) => path.toLowerCase();
const nfcLowerCase = (path: string) => path.normalize('NFC').toLowerCase();
const exact = (path: string) => path;

const flavourOf = (platform: NodeJS.Platform) => (platform === 'win32' ? nodePath.win32 : nodePath.posix);

const RULES = new Map<NodeJS.Platform, PathRules>();

/** The rules of `platform` (see the file comment). */
export function pathRules(platform: NodeJS.Platform = process.platform): PathRules {
  let rules = RULES.get(platform);
  if (!rules) {
    const key = platform === 'darwin' ? nfcLowerCase : platform === 'win32' ? lowerCase : exact;
    rules = { path: flavourOf(platform), key, folds: key !== exact };
    RULES.set(platform, rules);
  }
  return rules;
}

/** Comparing exactly, in the path flavour of `platform`: for a volume that tells case apart (see the file comment). */
export function exactPathRules(platform: NodeJS.Platform = process.platform): PathRules {
  return { path: flavourOf(platform), key: exact, folds: false };
}

/** The key two spellings of one path share on `platform`: for maps and sets of paths. */
export function pathKey(path: string, platform: NodeJS.Platform = process.platform): string {
  return pathRules(platform).key(path);
}

/** Whether `a` and `b` name the same file or folder. */
export function samePath(a: string, b: string, rules: PathRules = pathRules()): boolean {
  return a === b || rules.key(a) === rules.key(b);
}

/** True when `child` is `parent` itself or inside it; /a/b is not inside /a/bc. */
export function isInside(parent: string, child: string, rules: PathRules = pathRules()): boolean {
  const p = rules.key(parent);
  const c = rules.key(child);
  // A root (/, D:\, \\server\share\) already ends with the separator.
  const base = p.endsWith(rules.path.sep) ? p : p + rules.path.sep;
  return c === p || c.startsWith(base);
}

/** Whether a path is one of `roots` or lies under one: one lookup per ancestor, so many roots cost no more. */
export function insideAnyOf(roots: Iterable<string>, rules: PathRules = pathRules()): (target: string) => boolean {
  const keys = new Set([...roots].map(rules.key));
  return (target) => {
    // dirname walks up to the root in its own spelling (D:\a → D:\, /a → /), which is how resolve spells a root.
    for (let at = rules.key(target); ; ) {
      if (keys.has(at)) return true;
      const parent = rules.path.dirname(at);
      if (parent === at) return false;
      at = parent;
    }
  };
}

/** `paths` without the later spellings of a path already listed (the first spelling stays). */
export function uniquePaths(paths: Iterable<string>, rules: PathRules = pathRules()): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const path of paths) {
    const key = rules.key(path);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(path);
  }
  return out;
}

/**
 * Absolute `paths` as the file system spells them (C:\Photos for c:\photos, the NFD name a Mac folder was given for
 * the NFC one typed): each name looked up in its folder's listing. A name listed as given stays (on a volume that
 * tells case apart, Photos and photos may both be there); one listed once in another spelling takes it; one not
 * listed, or listed in several spellings, stays as given, and so does what follows it. Not realpath: that also follows symbolic links, junctions and
 * mapped drives (/tmp becomes /private/tmp, Z:\ a \\server\share), and the user would see a path they never chose,
 * which no earlier import stored. Linux: the paths resolved, nothing looked up.
 */
export async function onDiskSpellings(paths: readonly string[], rules: PathRules = pathRules()): Promise<string[]> {
  const listings = new Map<string, Promise<{ names: Set<string>; byKey: Map<string, string[]> }>>();
  const list = (dir: string) => {
    let listing = listings.get(dir);
    if (!listing) {
      listing = readdir(dir).then(
        (names) => {
          const byKey = new Map<string, string[]>();
          for (const name of names) {
            const same = byKey.get(rules.key(name));
            if (same) same.push(name);
            else byKey.set(rules.key(name), [name]);
          }
          return { names: new Set(names), byKey };
        },
        () => ({ names: new Set<string>(), byKey: new Map<string, string[]>() }),
      );
      listings.set(dir, listing);
    }
    return listing;
  };
  const spell = async (given: string): Promise<string> => {
    const absolute = rules.path.resolve(given);
    if (!rules.folds) return absolute;
    const { root } = rules.path.parse(absolute);
    // Windows names drives in capitals (C:\), whatever was typed.
    let at = /^[a-z]:/.test(root) ? root[0].toUpperCase() + root.slice(1) : root;
    for (const name of absolute.slice(root.length).split(rules.path.sep)) {
      if (name === '') continue;
      const { names, byKey } = await list(at);
      const matches = names.has(name) ? [name] : (byKey.get(rules.key(name)) ?? []);
      at = rules.path.join(at, matches.length === 1 ? matches[0] : name);
    }
    return at;
  };
  // 64 at a time, as the import's other looks at the disk: many files (looking again at a whole library) on a
  // network drive, one after another, take minutes.
  const out: string[] = [];
  for (let start = 0; start < paths.length; start += 64) out.push(...(await Promise.all(paths.slice(start, start + 64).map(spell))));
  return out;
}

/** One path as the file system spells it (onDiskSpellings). */
export async function onDiskSpelling(path: string, rules: PathRules = pathRules()): Promise<string> {
  return (await onDiskSpellings([path], rules))[0];
}

/**
 * A path with a leading ~ ("~", "~/Pictures"; "~\\Pictures" on Windows) in the user's home folder, as a shell would
 * have expanded it. Nothing expands it in the app's path field, nor in a quoted argument (`familiar import
 * "~/My Photos"`, `--to=~/names`): QA typed "~/Pictures" on the Import screen and was refused. "~ana/…", another
 * user's home, is left as typed (and refused as relative).
 */
export function expandHome(path: string, { home = homedir(), platform = process.platform }: { home?: string; platform?: NodeJS.Platform } = {}): string {
  if (path === '~') return home;
  const separator = platform === 'win32' ? /^~[\\/]/ : /^~\//;
  return separator.test(path) ? flavourOf(platform).join(home, path.slice(2)) : path;
}

/** A path the user gave (a CLI argument) made absolute: a leading ~ expanded, then resolved from the working folder. */
export function resolveUserPath(path: string): string {
  return nodePath.resolve(expandHome(path));
}

/**
 * The path to show a photo by: of its paths, the first whose file is there, else the first. A copy's original deleted
 * left the CLI printing the dead path until the next import (QA). One path: the disk is not asked.
 */
export function pathToShow(paths: readonly string[]): string | undefined {
  if (paths.length <= 1) return paths[0];
  return paths.find((path) => existsSync(path)) ?? paths[0];
}
