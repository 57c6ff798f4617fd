// The Photos screen's folder view: the folders the user's photos are in, as they made them ("2018", "Trip to Rome"),
// from the paths the library stores. Nothing here lists the disk: a folder is known because a photo was seen in it,
// and the renderer gets ids, names and paths relative to the folders imported (photos.folders), never a path to ask for.
import type { PhotoFolder } from '../../preload/contract.js';
import { pathRules, samePath, type PathRules } from '../paths.js';
import type { PhotoRecord } from '../store/types.js';

interface Node {
  key: string;
  /** The folder as the first photo seen in it spells it. */
  path: string;
  name: string;
  parent: number | null;
  children: number[];
}

/** Names as a file manager sorts them: "2" before "10", case aside. One collator: one per comparison is slow. */
const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The folders holding the library's photos, under the folders imported (`roots`, the watched folders): each folder
 * with its photos, and with its subfolders', each photo counted once however many copies it has there. A photo outside
 * every imported folder (one that is no longer watched) is under the topmost folder of such photos holding it, so no
 * photo is left out. Built once per library revision (the handlers keep it): one walk over every photo's paths,
 * with a lookup per folder, not per photo (at 100,000 photos in thousands of folders, tens of milliseconds).
 */
export class FolderTree {
  /** Every folder, each before its subfolders, subfolders by name: the order the tree is drawn in. */
  readonly folders: PhotoFolder[];
  private readonly placeById: Map<string, number>;
  /** Where each folder's subfolders end in `folders`: a folder's subtree is [place, subtreeEnd[place]). */
  private readonly subtreeEnd: number[];
  /**
   * The folder (its place in `folders`) each photo is directly in, by the photo's index in the photos the tree was
   * built from; -1 for a photo with copies in several, whose folders `copiesPlaces` holds. An array, not a map by id:
   * a map of 100,000 ids was most of the tree's cost.
   */
  private readonly photoPlace: Int32Array;
  private readonly copiesPlaces = new Map<number, number[]>();
  /** The place of the folder each folder is in, null for a top folder. */
  private readonly parentPlace: Array<number | null>;

  /**
   * `unwatched`: folders imported once (`familiar import --no-watch`) or no longer watched. Each is a top folder while a
   * photo is in it, so its photos keep the tree they had when watched instead of one top folder per subfolder.
   */
  constructor(
    photos: readonly Pick<PhotoRecord, 'id' | 'paths'>[],
    roots: readonly string[],
    private readonly rules: PathRules = pathRules(),
    unwatched: readonly string[] = [],
  ) {
    const dirOf = (path: string) => rules.path.dirname(path);
    // Each photo's folders (their keys), worked out once: the keys are looked up again below, their hashes kept.
    const spelledDirs = new Map<string, string>();
    // An import stores a folder's photos one after the other: a path in the folder of the one before is not looked up.
    const sep = rules.path.sep;
    const nameFrom = (path: string, start: number) => path.indexOf(sep, start) < 0 && (sep === '/' || path.indexOf('/', start) < 0);
    let last: { dir: string; key: string } | null = null;
    const dirKey = (path: string) => {
      if (last && path.length > last.dir.length + 1 && path.startsWith(last.dir) && path[last.dir.length] === sep && nameFrom(path, last.dir.length + 1)) return last.key;
      const dir = dirOf(path);
      last = { dir, key: rules.key(dir) };
      if (!spelledDirs.has(last.key)) spelledDirs.set(last.key, dir);
      return last.key;
    };
    const photoDirs = photos.map((photo) => (photo.paths.length === 1 ? dirKey(photo.paths[0]) : photo.paths.map(dirKey)));
    const tops = topFolders(roots, unwatched, spelledDirs, rules);

    // A node per folder from its top folder down to each folder a photo is in.
    const nodes: Node[] = [];
    const nodeByKey = new Map<string, number>();
    const topNodes: number[] = [];
    const nodeOf = (dir: string, key: string): number => {
      const known = nodeByKey.get(key);
      if (known !== undefined) return known;
      const top = tops.has(key);
      const parentDir = dirOf(dir);
      const parent = top || parentDir === dir ? null : nodeOf(parentDir, rules.key(parentDir));
      const node = nodes.push({ key, path: dir, name: rules.path.basename(dir) || dir, parent, children: [] }) - 1;
      nodeByKey.set(key, node);
      if (parent === null) topNodes.push(node);
      else nodes[parent].children.push(node);
      return node;
    };
    for (const [key, spelling] of tops) nodeOf(spelling, key);
    for (const [key, dir] of spelledDirs) nodeOf(dir, key);

    // Each folder before its subfolders, siblings by name; with its depth and its top folder's place.
    const sorted = (list: number[]) => [...list].sort((a, b) => byName.compare(nodes[a].name, nodes[b].name) || (nodes[a].name < nodes[b].name ? -1 : 1));
    const order: Array<{ node: number; depth: number; top: number }> = [];
    const placeOfNode = new Int32Array(nodes.length);
    const stack = sorted(topNodes).reverse().map((node) => ({ node, depth: 0, top: -1 }));
    while (stack.length > 0) {
      const entry = stack.pop()!;
      const place = order.push({ ...entry, top: entry.top < 0 ? order.length : entry.top }) - 1;
      placeOfNode[entry.node] = place;
      const children = sorted(nodes[entry.node].children).reverse();
      stack.push(...children.map((node) => ({ node, depth: entry.depth + 1, top: order[place].top })));
    }
    const parentPlace = (this.parentPlace = order.map(({ node }) => {
      const parent = nodes[node].parent;
      return parent === null ? null : placeOfNode[parent];
    }));
    // A subtree ends where the next folder no deeper than it starts.
    this.subtreeEnd = new Array<number>(order.length).fill(order.length);
    const open: number[] = [];
    order.forEach(({ depth }, place) => {
      while (open.length > 0 && order[open.at(-1)!].depth >= depth) this.subtreeEnd[open.pop()!] = place;
      open.push(place);
    });

    const placeOf = (key: string) => placeOfNode[nodeByKey.get(key)!];
    this.photoPlace = new Int32Array(photos.length).fill(-1);
    photoDirs.forEach((dirs, i) => {
      if (typeof dirs === 'string') {
        this.photoPlace[i] = placeOf(dirs);
        return;
      }
      const places = [...new Set(dirs.map(placeOf))];
      if (places.length === 1) this.photoPlace[i] = places[0];
      else if (places.length > 1) this.copiesPlaces.set(i, places);
    });
    const { direct, total } = this.count(photos.keys());

    const ids = order.map(({ node }) => folderId(nodes[node].key));
    this.placeById = new Map(ids.map((id, place) => [id, place]));
    this.folders = [];
    order.forEach(({ node, depth, top }, place) => {
      const { path, name, children } = nodes[node];
      const parent = parentPlace[place];
      const parentPath = parent === null || parent === top ? '' : `${this.folders[parent].path}${sep}`;
      this.folders.push({
        id: ids[place],
        name,
        path: top === place ? '' : parentPath + name,
        location: top === place ? path : null,
        parentId: parent === null ? null : ids[parent],
        depth,
        subfolders: children.length,
        photos: direct[place],
        total: total[place],
      });
    });
  }

  /**
   * The folders, counting only these photos (by their index in the photos the tree was built from): the photos the
   * people filter shows. Every folder stays, with 0 where none of them is, so the tree keeps its shape as the filter changes.
   */
  foldersCounting(photoIndexes: Iterable<number>): PhotoFolder[] {
    const { direct, total } = this.count(photoIndexes);
    return this.folders.map((folder, place) => ({ ...folder, photos: direct[place], total: total[place] }));
  }

  /** Each folder's photos among these, directly in it and with its subfolders', a photo once however many copies it has there. */
  private count(photoIndexes: Iterable<number>): { direct: number[]; total: number[] } {
    const direct = new Array<number>(this.parentPlace.length).fill(0);
    const total = new Array<number>(this.parentPlace.length).fill(0);
    for (const i of photoIndexes) {
      const place = this.photoPlace[i];
      if (place >= 0) {
        direct[place]++;
        for (let at: number | null = place; at !== null; at = this.parentPlace[at]) total[at]++;
        continue;
      }
      // Each folder holding a copy, and each folder above, counts the photo once.
      const counted = new Set<number>();
      for (const copyPlace of this.copiesPlaces.get(i) ?? []) {
        direct[copyPlace]++;
        for (let at: number | null = copyPlace; at !== null && !counted.has(at); at = this.parentPlace[at]) {
          counted.add(at);
          total[at]++;
        }
      }
    }
    return { direct, total };
  }

  /**
   * The folders at the top of the tree that are none of `watched`: those of photos imported once (`familiar import
   * --no-watch`), or from a folder no longer watched. Read off the tree as built: no walk over the photos.
   */
  topFoldersBesides(watched: readonly string[]): string[] {
    const resolved = watched.map((folder) => this.rules.path.resolve(folder));
    return this.folders.flatMap(({ location }) => (location !== null && !resolved.some((folder) => samePath(folder, location, this.rules)) ? [location] : []));
  }

  /** The folder with this id (PhotoFolder.id), or null when the library holds no photo there any more. */
  folder(id: string): PhotoFolder | null {
    const place = this.placeById.get(id);
    return place === undefined ? null : this.folders[place];
  }

  /**
   * Whether a photo is in the folder: directly, or with `subfolders` in one of them too. The photo is given by its
   * index in the photos the tree was built from (the library's, at the same revision).
   */
  holds(id: string, subfolders: boolean): (photoIndex: number) => boolean {
    const place = this.placeById.get(id);
    if (place === undefined) return () => false;
    const end = subfolders ? this.subtreeEnd[place] : place + 1;
    const inside = (at: number) => at >= place && at < end;
    return (photoIndex) => {
      const at = this.photoPlace[photoIndex];
      return at >= 0 ? inside(at) : (this.copiesPlaces.get(photoIndex)?.some(inside) ?? false);
    };
  }
}

/**
 * The folders the tree starts from: the watched folders, and for photos outside all of them, the unwatched imported
 * folder holding them or else the folders they are in; of these, those inside another are its subfolders. Keyed by
 * the path's key (PathRules.key), with its spelling.
 */
function topFolders(roots: readonly string[], unwatched: readonly string[], spelledDirs: ReadonlyMap<string, string>, rules: PathRules): Map<string, string> {
  const candidates = new Map<string, string>();
  for (const root of roots) {
    const resolved = rules.path.resolve(root);
    if (!candidates.has(rules.key(resolved))) candidates.set(rules.key(resolved), resolved);
  }
  const insideRoot = (key: string) => candidates.has(key) || ancestors(key, rules).some((at) => candidates.has(at));
  const loose = [...spelledDirs].filter(([key]) => !insideRoot(key));
  const unwatchedByKey = new Map(unwatched.map((folder) => rules.path.resolve(folder)).map((resolved) => [rules.key(resolved), resolved]));
  for (const [key, dir] of loose) {
    candidates.set(key, dir);
    if (unwatchedByKey.size === 0) continue;
    for (const at of ancestors(key, rules)) {
      const folder = unwatchedByKey.get(at);
      if (folder !== undefined) candidates.set(at, folder);
    }
  }
  const tops = new Map<string, string>();
  for (const [key, dir] of candidates) if (!ancestors(key, rules).some((at) => candidates.has(at))) tops.set(key, dir);
  return tops;
}

/** The folders above `path`, nearest first, up to the root of its drive. */
function ancestors(path: string, rules: PathRules): string[] {
  const above: string[] = [];
  for (let at = path, parent = rules.path.dirname(at); parent !== at; at = parent, parent = rules.path.dirname(at)) above.push(parent);
  return above;
}

/**
 * A folder's id: the same for the folder in every revision (a chosen folder stays chosen), and no path to read. 64 bits
 * of a fast string hash (cyrb53's mixing, both halves kept): two of thousands of folders sharing one is a chance in
 * billions, and sha256 of each folder was a fifth of the tree's cost.
 */
function folderId(key: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
