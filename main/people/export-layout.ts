// Where `familiar names export --to DIR` puts each photo's sidecar: under the folder imported that holds the photo, by
// that folder's name, as the photo lies in it. /home/ana/Pictures/album/Family/x.jpg, with album imported, gets
// DIR/album/Family/x.jpg.xmp. An export mirrored each photo's whole path before (DIR/home/ana/Pictures/album/...), which
// buried the sidecars under the user's own folders (QA); `names import --from DIR` reads either layout.
//
// The folder a photo belongs to is the outermost folder imported (watched or not) that holds it, as the Photos screen's
// folder tree tops it (main/api/folders.ts); a photo under no such folder (its folder forgotten, a file imported by
// name) belongs to the outermost folder of such photos holding it. Two such folders of the same name (two "album"s)
// are told apart by the folders above them, as few as it takes: DIR/ana/album and DIR/bob/album. So each sidecar's
// path ends as its photo's does, from the folder imported down, which is what other apps match a sidecar to a photo
// by (the photo's name beside it once the tree is copied over the photos; digiKam, Lightroom and Familiar's own
// --from by the same folder names above it).
import { unwatchedFolders, watchedFolders } from '../library/remove-folder.js';
import { pathRules, type PathRules } from '../paths.js';
import type { Library } from '../store/library.js';

interface TopFolder {
  /** The folder's path split at its separators, its root's drive ("C:") or server and share included. */
  segments: string[];
  /** What it may be named by under DIR, from the root down: a UNC path's parts follow "UNC", a drive is "C". */
  labelParts: string[];
  /** How many of labelParts, from the end, it is named by. */
  named: number;
}

/** Where an export under a folder puts each photo's sidecar (see the file comment). */
export class ExportLayout {
  private readonly tops = new Map<string, TopFolder>();

  /**
   * `folders`: the folders imported (watched and not); `photoPaths`: every path the library knows a photo at, so a
   * photo outside those folders has its folder too. The names depend on both, not on which photos are exported.
   */
  constructor(
    folders: Iterable<string>,
    photoPaths: Iterable<string>,
    private readonly rules: PathRules = pathRules(),
  ) {
    const candidates = new Map<string, string>();
    for (const folder of folders) {
      const resolved = rules.path.resolve(folder);
      if (!candidates.has(rules.key(resolved))) candidates.set(rules.key(resolved), resolved);
    }
    const known = new Set(candidates.keys());
    for (const path of photoPaths) {
      const dir = rules.path.dirname(rules.path.resolve(path));
      const dirKey = rules.key(dir);
      if (!known.has(dirKey) && !this.ancestors(dirKey).some((at) => known.has(at)) && !candidates.has(dirKey)) candidates.set(dirKey, dir);
    }
    for (const [key, path] of candidates) {
      if (this.ancestors(key).some((at) => candidates.has(at))) continue;
      const segments = this.segmentsOf(path);
      const unc = /^[\\/]{2}[^\\/]/.test(rules.path.parse(path).root);
      const labelParts = [...(unc ? ['UNC'] : []), ...segments.map((s) => s.replace(/:$/, ''))];
      this.tops.set(key, { segments, labelParts, named: Math.min(1, labelParts.length) });
    }
    this.tellApart();
  }

  /** The layout of `library`'s folders and photos. */
  static of(library: Pick<Library, 'settings' | 'photos'>, rules: PathRules = pathRules()): ExportLayout {
    return new ExportLayout(
      [...watchedFolders(library.settings, rules), ...unwatchedFolders(library.settings, rules)],
      library.photos.flatMap((p) => p.paths),
      rules,
    );
  }

  /** The sidecar of the photo at `photoPath` under `to`: <to>/<its folder's name>/<the path below it>.xmp. */
  sidecarPath(photoPath: string, to: string): string {
    const { path } = this.rules;
    const resolved = path.resolve(photoPath);
    const top = this.topOf(resolved) ?? { segments: this.segmentsOf(path.dirname(resolved)), labelParts: [path.basename(path.dirname(resolved))], named: 1 };
    const below = this.segmentsOf(resolved).slice(top.segments.length);
    return path.join(path.resolve(to), ...top.labelParts.slice(top.labelParts.length - top.named), ...below) + '.xmp';
  }

  private topOf(resolvedPath: string): TopFolder | undefined {
    for (const at of this.ancestors(this.rules.key(resolvedPath))) {
      const top = this.tops.get(at);
      if (top) return top;
    }
    return undefined;
  }

  /**
   * Names each folder by more of the folders above it while its name is another's, or begins another's (DIR/a and
   * DIR/a/album would mix the first's subfolder album with the second). The longer one grows first: a folder keeps
   * its plain name unless its own name is shared. Whole paths never clash (no folder is inside another here).
   */
  private tellApart(): void {
    const tops = [...this.tops.values()];
    const nameOf = (t: TopFolder, parts = t.named) => t.labelParts.slice(t.labelParts.length - t.named, t.labelParts.length - t.named + parts).map(this.rules.key).join('\0');
    const grow = (t: TopFolder) => (t.named < t.labelParts.length ? (t.named++, true) : false);
    for (let changed = true; changed; ) {
      changed = false;
      const byName = new Map<string, TopFolder[]>();
      for (const t of tops) {
        const name = nameOf(t);
        const list = byName.get(name);
        if (list) list.push(t);
        else byName.set(name, [t]);
      }
      for (const list of byName.values()) if (list.length > 1) for (const t of list) changed = grow(t) || changed;
      if (changed) continue;
      for (const t of tops) {
        for (let parts = 1; parts < t.named; parts++) {
          const other = byName.get(nameOf(t, parts));
          if (!other) continue;
          changed = grow(t) || grow(other[0]) || changed;
          break;
        }
      }
    }
  }

  /** A path's parts between its separators: C:\a\b is C:, a, b; /a/b is a, b; \\nas\share\a is nas, share, a. */
  private segmentsOf(path: string): string[] {
    return path.split(this.rules.path.sep === '\\' ? /[\\/]+/ : /\/+/).filter((part) => part !== '');
  }

  /** The folders above `key`, nearest first, up to its root. */
  private ancestors(key: string): string[] {
    const above: string[] = [];
    for (let at = key, parent = this.rules.path.dirname(at); parent !== at; at = parent, parent = this.rules.path.dirname(at)) above.push(parent);
    return above;
  }
}
