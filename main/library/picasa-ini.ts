// Picasa's face tags, read from the files it left: Picasa (discontinued in 2016) kept the faces it found and the names
// its users gave them out of the photos, in a hidden `.picasa.ini` in each folder (`Picasa.ini` before version 3), and
// wrote them into the photos only when asked ("Store name tags in photo", read as XMP regions). Pure: text in, faces
// out (no fs, no Electron); main/people/picasa-names.ts finds the files and matches the faces.
//
//   [Contacts2]                                  names of the contact ids (Picasa 3.9; older versions kept them only
//   8e62398ebda8c1a5=Rose Smith;;                in their own contacts.xml, parsePicasaContactsXml)
//   [IMG_0001.JPG]                               one section a photo, by its file name
//   faces=rect64(3f845bcb59418507),8e62398ebda8c1a5;rect64(9eb15e89b6b584c1),ffffffffffffffff
//   rotate=rotate(1)                             turned in Picasa only, a quarter clockwise a step
//
// rect64 is a 64-bit number in hex (leading zeros left out) of four 16-bit fractions of the picture: left, top, right,
// bottom, each out of 65535. `ffffffffffffffff` is a face nobody named.
import { DOMParser } from '@xmldom/xmldom';
import type { NormalizedRect } from './xmp-regions.js';

/** The names of Picasa's ini files, newest first: Picasa 3 hid its file, Picasa 2 did not. */
export const PICASA_INI_NAMES = ['.picasa.ini', 'Picasa.ini'] as const;

/** The contact id Picasa gives a face it found and nobody named. */
export const PICASA_UNNAMED = 'ffffffffffffffff';

/** A face Picasa kept for a photo: where, as fractions of the picture Picasa showed, and whose contact id. */
export interface PicasaFace {
  rect: NormalizedRect;
  /** Lower case hex. */
  contactId: string;
}

export interface PicasaPhotoEntry {
  faces: PicasaFace[];
  /** Quarter turns clockwise the user gave the photo in Picasa only (its `rotate=rotate(n)`), 0-3. */
  quarterTurns: number;
}

export interface PicasaIni {
  /** Contact id (lower case hex) -> name, from [Contacts2]. */
  contacts: Map<string, string>;
  /** File name as the section names it -> what Picasa kept for it; only photos with faces or a turn. */
  photos: Map<string, PicasaPhotoEntry>;
  /** Face entries that could not be read (a damaged rect64), passed over. */
  unreadableFaces: number;
}

/** Picasa wrote what ASCII cannot hold as numeric character references (`Zo&#235;`). */
const decodeReferences = (text: string) =>
  text.replace(/&#(\d{1,7});/g, (whole, code: string) => {
    const point = Number(code);
    return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : whole;
  });

/** A rect64 value (the hex inside `rect64(...)`) as a rectangle, or null when it is not one (empty, inverted, outside). */
export function parseRect64(hex: string): NormalizedRect | null {
  if (!/^[0-9a-f]{1,16}$/i.test(hex)) return null;
  const digits = hex.padStart(16, '0');
  const [left, top, right, bottom] = [0, 4, 8, 12].map((at) => parseInt(digits.slice(at, at + 4), 16) / 65535);
  if (!(right > left && bottom > top)) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** `faces=` of one photo: `rect64(hex),contactid;...`. */
function parseFaces(value: string): { faces: PicasaFace[]; unreadable: number } {
  const faces: PicasaFace[] = [];
  let unreadable = 0;
  for (const entry of value.split(';')) {
    if (entry.trim() === '') continue;
    const match = /^\s*rect64\(([^)]*)\)\s*,\s*([0-9a-f]{1,16})\s*$/i.exec(entry);
    const rect = match ? parseRect64(match[1].trim()) : null;
    if (!match || !rect) {
      unreadable++;
      continue;
    }
    faces.push({ rect, contactId: match[2].toLowerCase() });
  }
  return { faces, unreadable };
}

/** `rotate=rotate(n)`: n quarter turns clockwise. */
const parseQuarterTurns = (value: string) => {
  const match = /^\s*rotate\((\d+)\)\s*$/i.exec(value);
  return match ? Number(match[1]) % 4 : 0;
};

/** Reads a .picasa.ini's text (lines in any ending). Never throws: what cannot be read is passed over, as Picasa does. */
export function parsePicasaIni(text: string): PicasaIni {
  const contacts = new Map<string, string>();
  const photos = new Map<string, PicasaPhotoEntry>();
  let unreadableFaces = 0;
  let section: string | null = null;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    const equals = line.indexOf('=');
    if (section === null || equals <= 0) continue;
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1);
    if (section.toLowerCase() === 'contacts2') {
      // id=Name;email;... : the name is the first field.
      // Split where no character reference ends (`Zo&#235;`), then decode.
      const name = decodeReferences(value.split(/(?<!&#\d{1,7});/)[0]).trim();
      if (/^[0-9a-f]{1,16}$/i.test(key) && name !== '') contacts.set(key.toLowerCase(), name);
      continue;
    }
    if (section.startsWith('.') || ['picasa', 'contacts', 'encoding'].includes(section.toLowerCase())) continue;
    const keyLower = key.toLowerCase();
    if (keyLower !== 'faces' && keyLower !== 'rotate') continue;
    const name = decodeReferences(section);
    const entry = photos.get(name) ?? { faces: [], quarterTurns: 0 };
    if (keyLower === 'faces') {
      const parsed = parseFaces(value);
      entry.faces.push(...parsed.faces);
      unreadableFaces += parsed.unreadable;
    } else {
      entry.quarterTurns = parseQuarterTurns(value);
    }
    photos.set(name, entry);
  }
  return { contacts, photos, unreadableFaces };
}

/**
 * Picasa's own list of contacts (`contacts.xml`, in its application data: `Google/Picasa2/contacts/`), where it kept the
 * names before version 3.9 wrote them into each folder's ini: `<contact id="8e62398ebda8c1a5" name="Rose Smith" .../>`.
 * Contact id -> name; an unreadable file gives none.
 */
export function parsePicasaContactsXml(text: string): Map<string, string> {
  const contacts = new Map<string, string>();
  let contactElements: ArrayLike<{ getAttribute(name: string): string | null }>;
  try {
    const document = new DOMParser({ onError: () => undefined }).parseFromString(text.replace(/^\uFEFF/, ''), 'text/xml');
    contactElements = document.getElementsByTagName('contact');
  } catch {
    return contacts;
  }
  for (let i = 0; i < contactElements.length; i++) {
    const element = contactElements[i];
    const id = (element.getAttribute('id') ?? '').trim();
    const name = (element.getAttribute('name') || element.getAttribute('display') || '').trim();
    if (/^[0-9a-f]{1,16}$/i.test(id) && name !== '') contacts.set(id.toLowerCase(), name);
  }
  return contacts;
}
