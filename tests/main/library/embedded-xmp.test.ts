// The XMP a photo carries, found wherever its writer put it: JPEG's extended XMP split over several segments, and
// PNG and WebP chunks after the image data of a large file (QA lost 2,500 keywords and a rating to both).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmbeddedXmp } from '../../../main/library/embedded-xmp.js';
import { parseXmpRegions } from '../../../main/library/xmp-regions.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-embedded-xmp-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const packet = (body: string) => `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="${RDF}">${body}</rdf:RDF></x:xmpmeta>`;
const rating = (value: number) => `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="${value}"/>`;
const keywords = (count: number) =>
  `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>${Array.from({ length: count }, (_, i) => `<rdf:li>Keyword number ${i}</rdf:li>`).join('')}</rdf:Bag></dc:subject></rdf:Description>`;

/** A photo big enough that metadata after its pixels lies past the first 256 KB: noise does not compress. */
function noise(width: number, height: number) {
  const pixels = Buffer.alloc(width * height * 3);
  let state = 7;
  for (let i = 0; i < pixels.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    pixels[i] = state >>> 24;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

describe('the XMP embedded in a photo', () => {
  it("joins a JPEG's extended XMP, split over segments, to its main packet", async () => {
    const guid = 'A'.repeat(32);
    const main = packet(`<rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="${guid}"/>${rating(5)}`);
    const extension = Buffer.from(packet(keywords(2500)), 'utf8');
    expect(extension.length).toBeGreaterThan(65_000);
    const parts: Buffer[] = [];
    const chunk = 60_000;
    for (let offset = 0; offset < extension.length; offset += chunk) {
      const header = Buffer.alloc(40);
      header.write(guid, 0, 'latin1');
      header.writeUInt32BE(extension.length, 32);
      header.writeUInt32BE(offset, 36);
      parts.push(segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1'), header, extension.subarray(offset, offset + chunk)])));
    }
    const jpeg = await noise(64, 64).jpeg().toBuffer();
    const mainSegment = segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(main, 'utf8')]));
    const path = join(work, 'extended.jpg');
    await writeFile(path, Buffer.concat([jpeg.subarray(0, 2), mainSegment, ...parts.reverse(), jpeg.subarray(2)]));

    const text = (await readEmbeddedXmp(path))!;
    expect(text).toContain('xmp:Rating="5"');
    expect(text).toContain('Keyword number 0<');
    expect(text).toContain('Keyword number 2499<');
    expect(parseXmpRegions(text, 1).hasOtherContent).toBe(true);

    // An extension with a part missing is left out: the main packet still reads.
    await writeFile(path, Buffer.concat([jpeg.subarray(0, 2), mainSegment, parts[0], jpeg.subarray(2)]));
    const partial = (await readEmbeddedXmp(path))!;
    expect(partial).toContain('xmp:Rating="5"');
    expect(partial).not.toContain('Keyword number');
  });

  it('finds the XMP chunk of a large PNG after its pixels, compressed or not', async () => {
    const png = await noise(400, 400).png().toBuffer();
    expect(png.length).toBeGreaterThan(300_000);
    const iend = png.length - 12;
    const xmp = Buffer.from(packet(rating(4)), 'utf8');
    for (const compressed of [false, true]) {
      const data = Buffer.concat([Buffer.from('XML:com.adobe.xmp\0', 'latin1'), Buffer.from([compressed ? 1 : 0, 0, 0, 0]), compressed ? deflateSync(xmp) : xmp]);
      const chunk = Buffer.alloc(12 + data.length);
      chunk.writeUInt32BE(data.length, 0);
      chunk.write('iTXt', 4, 'latin1');
      data.copy(chunk, 8);
      chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
      const path = join(work, `late-${compressed}.png`);
      await writeFile(path, Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]));
      expect(await sharp(path).metadata()).toMatchObject({ width: 400, height: 400 });
      expect(await readEmbeddedXmp(path)).toContain('xmp:Rating="4"');
    }
  });

  it('finds the XMP chunk of a large WebP after its pixels', async () => {
    const path = join(work, 'late.webp');
    await noise(700, 700).webp({ quality: 100 }).withXmp(packet(rating(3))).toFile(path);
    const bytes = await readFile(path);
    expect(bytes.indexOf('XMP ', 0, 'latin1')).toBeGreaterThan(256 * 1024);
    expect(await readEmbeddedXmp(path)).toContain('xmp:Rating="3"');
  });

  it('reads nothing from a file without XMP, or a file that is gone', async () => {
    const path = join(work, 'plain.jpg');
    await noise(32, 32).jpeg().toFile(path);
    expect(await readEmbeddedXmp(path)).toBeNull();
    expect(await readEmbeddedXmp(join(work, 'gone.jpg'))).toBeNull();
  });
});
