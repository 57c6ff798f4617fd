// The text of faces.json and of faces.journal lines: what JSON.stringify gives, with each face's landmarks written
// digit by digit (docs/architecture.md, "Scale").
import type { FaceRecord, FacesDocument } from './types.js';

/** The digits of a number's whole part, last first. */
const digitBytes = new Uint8Array(10);

/**
 * Writes the JSON of a list of numbers that all have at most one decimal (what the store keeps: landmarks in pixels
 * rounded to a tenth) into `out` from `at`, and returns where it ends; -1 for any other list (what was written past
 * `at` is then garbage). The same characters JSON.stringify gives, in a quarter of its time: a face's 136 landmarks are
 * most of what serialising it costs. Each value v is written as n/10, n = round(10 v), only when n / 10 === v, so the
 * text reads back as exactly v; a number with one decimal below 2^31 / 10 has no shorter text (JSON.stringify's
 * choice), nor an exponent. `out` must have room for TENTHS_BYTES_PER_NUMBER a number, and 2.
 */
function writeTenths(list: readonly unknown[], out: Buffer, at: number): number {
  out[at++] = 0x5b; // [
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (typeof value !== 'number') return -1;
    let tenths = Math.round(value * 10);
    if (tenths / 10 !== value || !(Math.abs(tenths) < 2 ** 31)) return -1;
    if (i > 0) out[at++] = 0x2c; // ,
    if (tenths < 0) {
      out[at++] = 0x2d; // -
      tenths = -tenths;
    }
    const decimal = tenths % 10;
    let whole = (tenths - decimal) / 10;
    let digits = 0;
    do {
      digitBytes[digits++] = 0x30 + (whole % 10);
      whole = Math.floor(whole / 10);
    } while (whole > 0);
    while (digits > 0) out[at++] = digitBytes[--digits];
    if (decimal !== 0) {
      out[at++] = 0x2e; // .
      out[at++] = 0x30 + decimal;
    }
  }
  out[at++] = 0x5d; // ]
  return at;
}

/** "-214748364.7" and a comma. */
const TENTHS_BYTES_PER_NUMBER = 13;
const roomForTenths = (list: readonly unknown[]) => list.length * TENTHS_BYTES_PER_NUMBER + 2;

let scratch = Buffer.alloc(4096);

/** The JSON of a list of numbers with at most one decimal, as JSON.stringify gives it; null for any other list. */
export function tenthsJson(list: readonly unknown[]): string | null {
  if (roomForTenths(list) > scratch.length) scratch = Buffer.alloc(roomForTenths(list));
  const end = writeTenths(list, scratch, 0);
  return end < 0 ? null : scratch.toString('latin1', 0, end);
}

/**
 * JSON.stringify of landmarks that are not all tenths (none the store makes today), by array identity: landmarks
 * are never edited in place (analysis and re-analysis store new arrays, and the record's type makes them read-only,
 * so an edit in place does not compile). Tenths are not cached: writing them again costs less than keeping 100,000
 * strings alive. (The lists were frozen here once: that made each list's 136 numbers 136 heap objects, seconds and
 * some 200 MB at 100,000 faces.)
 */
const landmarksJson = new WeakMap<object, string>();

function landmarksText(landmarks: FaceRecord['landmarks']): string {
  let json = landmarksJson.get(landmarks) ?? tenthsJson(landmarks);
  if (json === null) {
    json = JSON.stringify(landmarks);
    landmarksJson.set(landmarks, json);
  }
  return json;
}

/** What precedes the landmarks' list in a face's JSON (landmarks last). */
function faceHead(face: FaceRecord): string {
  const { landmarks: _, ...rest } = face;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"landmarks":`;
}

/** One face's JSON, landmarks last. */
export function faceJson(face: FaceRecord): string {
  return `${faceHead(face)}${landmarksText(face.landmarks)}}`;
}

/**
 * faces.json's bytes: what JSON.stringify(data) gives (landmarks last in each face). Written face by face into one
 * buffer, landmarks straight into it: the document as one string first would be another copy of it (113 MB at
 * 100,000 faces), and each face's landmarks as a string 100,000 more. `sizeHint`: the size last written.
 */
export function facesJsonBytes(data: FacesDocument, sizeHint = 0): Buffer {
  const { faces, ...top } = data;
  const head = JSON.stringify(top);
  const out = new ByteWriter(sizeHint + (sizeHint >> 4) + 4096);
  out.write(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"faces":[`);
  for (let i = 0; i < faces.length; i++) {
    const face = faces[i];
    if (i > 0) out.write(',');
    out.write(faceHead(face));
    if (!out.writeTenths(face.landmarks)) out.write(landmarksText(face.landmarks));
    out.write('}');
  }
  out.write(']}');
  return out.bytes();
}

/** UTF-8 bytes appended to a buffer that grows by doubling. */
class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  write(text: string): void {
    // At most 3 bytes a UTF-16 unit; the exact size only when that might not fit.
    this.makeRoom(text.length * 3 > this.buffer.length - this.length ? Buffer.byteLength(text) : 0);
    this.length += this.buffer.write(text, this.length);
  }

  /** Writes the list as writeTenths does; false, having written nothing, when it is not all tenths. */
  writeTenths(list: readonly unknown[]): boolean {
    this.makeRoom(roomForTenths(list));
    const end = writeTenths(list, this.buffer, this.length);
    if (end < 0) return false;
    this.length = end;
    return true;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private makeRoom(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
