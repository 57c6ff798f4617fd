// The XMP packet a photo file carries, read without reading the photo whole: a library of large photos is read a few
// bytes a segment or chunk. JPEG: its APP1 segments, the extended XMP too (a packet over 64 KB is split across
// segments, exiftool and Photoshop do it: QA lost 2,500 keywords to it). PNG and WebP: their chunks, wherever the
// writer put the XMP (exiftool appends it after the image data: QA lost a rating in a 445 KB WebP). Anything else:
// the first bytes are scanned for the packet (XMP's packet-scanning rule; HEIF and TIFF keep metadata near the start).
import { open, type FileHandle } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';

const XMP_APP1_HEADER = 'http://ns.adobe.com/xap/1.0/\0';
const EXTENDED_XMP_HEADER = 'http://ns.adobe.com/xmp/extension/\0';
/** GUID (32 hex characters), full length and offset of this part: the extended segment's header after its name. */
const EXTENDED_PART_HEADER_BYTES = 32 + 4 + 4;
/** Bytes scanned for a packet in formats that are not walked. */
const SCAN_BYTES = 256 * 1024;
/** A metadata packet larger than this is not one (a damaged length field): it is not read. */
const MAX_PACKET_BYTES = 16 * 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_XMP_KEYWORD = 'XML:com.adobe.xmp';

type ReadAt = (position: number, length: number) => Promise<Buffer>;

/** The photo's XMP packet as text, or null when it has none (or the file is gone). */
export async function readEmbeddedXmp(photoPath: string): Promise<string | null> {
  let handle: FileHandle;
  try {
    handle = await open(photoPath, 'r');
  } catch (err) {
    // A path where the photo was once seen and is gone now: nothing to read, nothing wrong.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const readAt: ReadAt = async (position, length) => {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  };
  try {
    const head = await readAt(0, 12);
    if (head.length >= 2 && head[0] === 0xff && head[1] === 0xd8) return await jpegXmp(readAt);
    if (head.length >= 8 && head.subarray(0, 8).equals(PNG_SIGNATURE)) return await pngXmp(readAt);
    if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return await webpXmp(readAt);
    return packetIn((await readAt(0, SCAN_BYTES)).toString('latin1'));
  } finally {
    await handle.close();
  }
}

/** The first <x:xmpmeta> … </x:xmpmeta> of latin1 text, decoded as UTF-8 (latin1 keeps byte offsets and characters in line). */
function packetIn(text: string): string | null {
  const start = text.indexOf('<x:xmpmeta');
  if (start < 0) return null;
  const endTag = '</x:xmpmeta>';
  const end = text.indexOf(endTag, start);
  if (end < 0) return null;
  return Buffer.from(text.slice(start, end + endTag.length), 'latin1').toString('utf8');
}

async function jpegXmp(readAt: ReadAt): Promise<string | null> {
  let main: string | null = null;
  const extended = new Map<string, { length: number; parts: Map<number, Buffer> }>();
  let position = 2;
  for (;;) {
    const marker = await readAt(position, 4);
    if (marker.length < 4 || marker[0] !== 0xff) break;
    const type = marker[1];
    // Start of scan or end of image: no metadata segment follows.
    if (type === 0xda || type === 0xd9) break;
    const length = marker.readUInt16BE(2);
    if (length < 2) break;
    if (type === 0xe1 && length > XMP_APP1_HEADER.length + 2) {
      const body = await readAt(position + 4, length - 2);
      const name = body.toString('latin1', 0, Math.min(body.length, EXTENDED_XMP_HEADER.length));
      if (main === null && name.startsWith(XMP_APP1_HEADER)) {
        main = body.subarray(XMP_APP1_HEADER.length).toString('utf8');
      } else if (name === EXTENDED_XMP_HEADER && body.length > EXTENDED_XMP_HEADER.length + EXTENDED_PART_HEADER_BYTES) {
        const at = EXTENDED_XMP_HEADER.length;
        const guid = body.toString('latin1', at, at + 32);
        const fullLength = body.readUInt32BE(at + 32);
        const offset = body.readUInt32BE(at + 36);
        if (fullLength <= MAX_PACKET_BYTES) {
          const entry = extended.get(guid) ?? { length: fullLength, parts: new Map() };
          entry.parts.set(offset, body.subarray(at + EXTENDED_PART_HEADER_BYTES));
          extended.set(guid, entry);
        }
      }
    }
    position += 2 + length;
  }
  if (main === null) return null;
  // The main packet names its extension (xmpNote:HasExtendedXMP="<GUID>"); parts of another GUID are stale.
  const guid = main.match(/HasExtendedXMP\s*=\s*["']([0-9A-Fa-f]{32})["']/)?.[1] ?? main.match(/HasExtendedXMP>\s*([0-9A-Fa-f]{32})\s*</)?.[1];
  const entry = guid ? extended.get(guid) : undefined;
  const whole = entry ? assemble(entry) : null;
  return whole ? withExtension(main, whole.toString('utf8')) : main;
}

/** An extended packet from its parts, or null while any byte of it is missing. */
function assemble(entry: { length: number; parts: Map<number, Buffer> }): Buffer | null {
  const whole = Buffer.alloc(entry.length);
  let covered = 0;
  for (const [offset, part] of [...entry.parts].sort((a, b) => a[0] - b[0])) {
    if (offset !== covered || offset + part.length > entry.length) return null;
    part.copy(whole, offset);
    covered += part.length;
  }
  return covered === entry.length ? whole : null;
}

/**
 * The main packet with the extension's descriptions added to its rdf:RDF: one packet with every property, as
 * readers that understand extended XMP see it. The main packet alone when either is not shaped as expected.
 */
function withExtension(main: string, extension: string): string {
  const close = main.lastIndexOf('</rdf:RDF>');
  const open = extension.match(/<rdf:RDF\b[^>]*>/);
  const end = extension.lastIndexOf('</rdf:RDF>');
  if (close < 0 || !open || open.index === undefined || end < 0) return main;
  const body = extension.slice(open.index + open[0].length, end);
  return main.slice(0, close) + body + main.slice(close);
}

async function pngXmp(readAt: ReadAt): Promise<string | null> {
  let position = PNG_SIGNATURE.length;
  for (;;) {
    const header = await readAt(position, 8);
    if (header.length < 8) return null;
    const length = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (type === 'IEND') return null;
    if (type === 'iTXt' && length <= MAX_PACKET_BYTES) {
      const data = await readAt(position + 8, length);
      const text = pngInternationalText(data);
      if (text !== null) return text;
    }
    position += 12 + length; // length, type, data, CRC
  }
}

/** The text of an iTXt chunk holding XMP (keyword XML:com.adobe.xmp), inflated if compressed; null for any other. */
function pngInternationalText(data: Buffer): string | null {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 0 || data.toString('latin1', 0, keywordEnd) !== PNG_XMP_KEYWORD) return null;
  const compressed = data[keywordEnd + 1] === 1;
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return null;
  const text = data.subarray(translatedEnd + 1);
  try {
    return (compressed ? inflateSync(text, { maxOutputLength: MAX_PACKET_BYTES }) : text).toString('utf8');
  } catch {
    return null; // a damaged compressed chunk: no XMP to be had from it
  }
}

async function webpXmp(readAt: ReadAt): Promise<string | null> {
  let position = 12;
  for (;;) {
    const header = await readAt(position, 8);
    if (header.length < 8) return null;
    const type = header.toString('latin1', 0, 4);
    const length = header.readUInt32LE(4);
    if (type === 'XMP ' && length <= MAX_PACKET_BYTES) return (await readAt(position + 8, length)).toString('utf8');
    position += 8 + length + (length % 2); // chunks are padded to an even length
  }
}
