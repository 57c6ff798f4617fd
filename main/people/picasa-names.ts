// Names Picasa's users gave, read from the `.picasa.ini` files it left beside the photos (main/library/picasa-ini.ts), for
// the names import (xmp-names.ts): a family that tagged its album in Picasa for years arrives named, where Picasa's
// successors (Google Photos, digiKam, Immich) read none of it.
//
// Which picture Picasa's rectangles are fractions of is not written anywhere: the photo as shown (EXIF orientation
// applied), the stored pixels, or the photo as the user turned it in Picasa only (`rotate=`). They differ only for a
// photo stored turned or turned in Picasa, and there the faces decide: the reading under which more of Picasa's faces,
// named or not, lie on faces Familiar found is taken, the photo as shown when none does better.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parsePicasaContactsXml, parsePicasaIni, PICASA_INI_NAMES, PICASA_UNNAMED, type PicasaIni, type PicasaPhotoEntry } from '../library/picasa-ini.js';
import { storedToDisplayRect, type NormalizedRect } from '../library/xmp-regions.js';
import type { PhotoRecord } from '../store/types.js';
import type { FolderListing } from './takeout-names.js';

/** Folders whose files are read at once. */
const FOLDERS_AT_ONCE = 8;

/** An ini larger than this is not Picasa's (a family folder's is a few KB; one line a photo). */
const MAX_INI_BYTES = 16 * 1024 * 1024;

/** Where in a folder given to `names import --from` Picasa's contacts.xml may be: the folder, or Picasa's own tree in it. */
const CONTACTS_XML_PLACES = ['contacts.xml', 'contacts/contacts.xml', 'Picasa2/contacts/contacts.xml', 'Google/Picasa2/contacts/contacts.xml'];

/**
 * The EXIF orientation that brings a rectangle of the photo turned `quarterTurns` clockwise (Picasa's `rotate=`) back
 * onto the photo as shown: the turn the other way.
 */
const UNTURN_ORIENTATION = [1, 8, 3, 6] as const;

export interface PicasaRegion {
  name: string;
  /** Fractions of the photo as shown (display orientation). */
  rect: NormalizedRect;
}

/** A folder's Picasa file, read. */
interface FolderTags {
  path: string;
  ini: PicasaIni;
  /** The photos' sections by their names folded (foldFileName), each with every section of that name. */
  folded: Map<string, PicasaPhotoEntry[]>;
}

/** Picasa's face tags for the photos of some folders, with every contact name their files (and a contacts.xml) hold. */
export class PicasaTags {
  /** Faces tagged with a contact whose name no file here holds, by ini path (counted as regionsFor meets them). */
  readonly unknownContacts = new Map<string, number>();

  private constructor(
    private readonly folders: Map<string, FolderTags[]>,
    private readonly contacts: Map<string, string>,
    /** Ini files that could not be read, with why (an unreadable file is a skipped file, as a sidecar is). */
    readonly unreadable: ReadonlyArray<{ path: string; reason: string }>,
    /** Names read from Picasa's contacts.xml (`contactsFrom`); 0 when there was none. */
    readonly contactsXmlNames: number,
  ) {}

  /**
   * Reads the Picasa files of `folders` (those their listing shows), and Picasa's contacts.xml where `contactsFrom` holds
   * one (CONTACTS_XML_PLACES).
   */
  static async load(folders: Iterable<string>, listing: FolderListing, contactsFrom?: string): Promise<PicasaTags> {
    const byFolder = new Map<string, FolderTags[]>();
    const contacts = new Map<string, string>();
    const unreadable: Array<{ path: string; reason: string }> = [];
    // Folders read a few at once: mostly waiting on the disk, and a library spans thousands of folders.
    const queue = [...new Set(folders)];
    let next = 0;
    const readFolder = async (folder: string) => {
      const names = await listing.entries(folder);
      for (const iniName of PICASA_INI_NAMES) {
        if (!names.has(iniName)) continue;
        const path = join(folder, iniName);
        try {
          const info = await stat(path);
          if (!info.isFile()) throw new Error('it is not a regular file');
          if (info.size > MAX_INI_BYTES) throw new Error(`it is ${(info.size / 1024 / 1024).toFixed(0)} MB, too big to be Picasa's`);
          const ini = parsePicasaIni(decodeText(await readFile(path)));
          const folded = new Map<string, PicasaPhotoEntry[]>();
          for (const [section, entry] of ini.photos) folded.set(foldFileName(section), [...(folded.get(foldFileName(section)) ?? []), entry]);
          byFolder.set(folder, [...(byFolder.get(folder) ?? []), { path, ini, folded }]);
          if (ini.unreadableFaces > 0) unreadable.push({ path, reason: `${ini.unreadableFaces} of its face entries could not be read (a damaged rect64), the rest were` });
        } catch (err) {
          unreadable.push({ path, reason: `Picasa's face tags could not be read: ${(err as Error).message}` });
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(FOLDERS_AT_ONCE, queue.length) }, async () => {
        while (next < queue.length) await readFolder(queue[next++]);
      }),
    );
    // Picasa 3.9 wrote the contacts of each folder's photos into its file: a contact named in several, as the first
    // in path order names it.
    for (const files of [...byFolder.keys()].sort().map((folder) => byFolder.get(folder)!)) {
      for (const { ini } of files) for (const [id, name] of ini.contacts) if (!contacts.has(id)) contacts.set(id, name);
    }
    unreadable.sort((a, b) => a.path.localeCompare(b.path));
    let contactsXmlNames = 0;
    if (contactsFrom !== undefined) {
      for (const place of CONTACTS_XML_PLACES) {
        const path = join(contactsFrom, place);
        let text: string;
        try {
          const info = await stat(path);
          if (!info.isFile() || info.size > MAX_INI_BYTES) continue;
          text = decodeText(await readFile(path));
        } catch {
          continue;
        }
        // The folder's own files name a contact as Picasa last wrote it; contacts.xml fills in the rest.
        const named = parsePicasaContactsXml(text);
        contactsXmlNames += named.size;
        for (const [id, name] of named) if (!contacts.has(id)) contacts.set(id, name);
      }
    }
    return new PicasaTags(byFolder, contacts, unreadable, contactsXmlNames);
  }

  /** True when some folder has a Picasa file. */
  get found(): boolean {
    return this.folders.size > 0;
  }

  /**
   * The faces Picasa kept for the photo at `path`, in display fractions, read the way under which `matches` (how many
   * of the given rectangles lie on faces Familiar found) is largest (file comment): those named, and the places of
   * those it found and nobody named (or named with a contact no file here holds), where Familiar may look closer.
   */
  regionsFor(path: string, photo: Pick<PhotoRecord, 'orientation'>, matches: (rects: NormalizedRect[]) => number): { named: PicasaRegion[]; unnamed: NormalizedRect[] } {
    const found = this.entryFor(path);
    if (!found || found.entry.faces.length === 0) return { named: [], unnamed: [] };
    const { entry, iniPath } = found;
    const readings = [1, photo.orientation, UNTURN_ORIENTATION[entry.quarterTurns]].filter((o, i, all) => Number.isInteger(o) && o >= 1 && o <= 8 && all.indexOf(o) === i);
    let best = readings[0];
    let bestMatches = -1;
    for (const orientation of readings) {
      const count = matches(entry.faces.map((f) => storedToDisplayRect(f.rect, orientation)));
      if (count > bestMatches) [best, bestMatches] = [orientation, count];
    }
    const named: PicasaRegion[] = [];
    const unnamed: NormalizedRect[] = [];
    for (const face of entry.faces) {
      const rect = storedToDisplayRect(face.rect, best);
      const name = face.contactId === PICASA_UNNAMED ? undefined : this.contacts.get(face.contactId);
      if (name !== undefined) {
        named.push({ name, rect });
        continue;
      }
      if (face.contactId !== PICASA_UNNAMED) this.unknownContacts.set(iniPath, (this.unknownContacts.get(iniPath) ?? 0) + 1);
      unnamed.push(rect);
    }
    return { named, unnamed };
  }

  /**
   * The section of the photo's folder file for its name: as written, else in any case (Windows, where Picasa ran,
   * ignores it) and in either Unicode form (an album copied from Windows to a Mac: "Café" written composed there, its
   * file name decomposed here).
   */
  private entryFor(path: string): { entry: PicasaPhotoEntry; iniPath: string } | null {
    const files = this.folders.get(dirname(path));
    if (!files) return null;
    const name = basename(path);
    for (const { path: iniPath, ini, folded } of files) {
      const same = folded.get(foldFileName(name));
      const exact = ini.photos.get(name) ?? (same?.length === 1 ? same[0] : undefined);
      if (exact) return { entry: exact, iniPath };
    }
    return null;
  }
}

/** A file name as Windows and macOS compare them: in any case, in either Unicode form. */
const foldFileName = (name: string) => name.normalize('NFC').toLowerCase();

/** Picasa 3 wrote UTF-8; older files are in the Windows code page, read here as Latin-1 where they are not UTF-8. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}
