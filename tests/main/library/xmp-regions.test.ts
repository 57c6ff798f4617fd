// XMP face regions: the orientation maths (checked by hand and against sharp's autorotation), reading what other
// photo tools write (digiKam, exiftool, Windows Photo Gallery), and Familiar's own sidecars round-tripping.
import { DOMParser } from '@xmldom/xmldom';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  buildFamiliarSidecar,
  buildSidecarOver,
  mergeIntoSidecar,
  sidecarIsUntouched,
  displayToStoredRect,
  parseXmpRegions,
  regionsFitPhoto,
  storedDimensions,
  storedToDisplayRect,
  XmpError,
  type NormalizedRect,
} from '../../../main/library/xmp-regions.js';
import { namespacesOf, xmpMeaning } from '../../helpers/xmp-meaning.js';

const ORIENTATIONS = [1, 2, 3, 4, 5, 6, 7, 8];
const EXPORTED_AT = '2025-03-14T15:09:26.000Z';

function expectRectClose(actual: NormalizedRect, expected: NormalizedRect, tolerance = 1e-9): void {
  const digits = -Math.log10(tolerance) - 0.5; // toBeCloseTo passes when |a - b| < 10^-digits / 2
  expect(actual.x).toBeCloseTo(expected.x, digits);
  expect(actual.y).toBeCloseTo(expected.y, digits);
  expect(actual.width).toBeCloseTo(expected.width, digits);
  expect(actual.height).toBeCloseTo(expected.height, digits);
}

/** A rect given by its centre, as MWG writes it. */
function centred(centerX: number, centerY: number, width: number, height: number): NormalizedRect {
  return { x: centerX - width / 2, y: centerY - height / 2, width, height };
}

const RDF_OPEN = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`;
const RDF_CLOSE = `</rdf:RDF></x:xmpmeta>`;
const MWG_NAMESPACES = `xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"`;

/** A packet with MWG regions in digiKam's attribute form. */
function mwgPacket(regions: string[], extraProperties = ''): string {
  return `${RDF_OPEN}<rdf:Description rdf:about="" ${MWG_NAMESPACES}>
    <mwg-rs:Regions rdf:parseType="Resource">
      <mwg-rs:AppliedToDimensions stDim:w="1000" stDim:h="800" stDim:unit="pixel"/>
      <mwg-rs:RegionList><rdf:Bag>${regions.map((region) => `<rdf:li>${region}</rdf:li>`).join('')}</rdf:Bag></mwg-rs:RegionList>
    </mwg-rs:Regions>${extraProperties}
  </rdf:Description>${RDF_CLOSE}`;
}

function mwgRegion(attributes: string, area = 'stArea:x="0.5" stArea:y="0.5" stArea:w="0.2" stArea:h="0.1" stArea:unit="normalized"'): string {
  return `<rdf:Description ${attributes}><mwg-rs:Area ${area}/></rdf:Description>`;
}

// What digiKam (Exiv2) writes: attribute form, MWG and Microsoft regions for the same faces, keywords, a rating.
const DIGIKAM_SIDECAR = `<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    xmlns:digiKam="http://www.digikam.org/ns/1.0/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"
    xmlns:MP="http://ns.microsoft.com/photo/1.2/"
    xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#"
    xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#"
   xmp:Rating="3"
   tiff:Orientation="1">
   <digiKam:TagsList>
    <rdf:Seq>
     <rdf:li>People/Rose Leslie</rdf:li>
     <rdf:li>People/Kit Harington</rdf:li>
    </rdf:Seq>
   </digiKam:TagsList>
   <lr:hierarchicalSubject>
    <rdf:Bag>
     <rdf:li>People|Rose Leslie</rdf:li>
     <rdf:li>People|Kit Harington</rdf:li>
    </rdf:Bag>
   </lr:hierarchicalSubject>
   <dc:subject>
    <rdf:Bag>
     <rdf:li>Rose Leslie</rdf:li>
     <rdf:li>Kit Harington</rdf:li>
    </rdf:Bag>
   </dc:subject>
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions stDim:w="1200" stDim:h="800" stDim:unit="pixel"/>
    <mwg-rs:RegionList>
     <rdf:Bag>
      <rdf:li>
       <rdf:Description mwg-rs:Name="Rose Leslie" mwg-rs:Type="Face">
        <mwg-rs:Area stArea:x="0.3" stArea:y="0.4" stArea:w="0.1" stArea:h="0.15" stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
      <rdf:li>
       <rdf:Description mwg-rs:Name="Kit Harington" mwg-rs:Type="Face">
        <mwg-rs:Area stArea:x="0.7" stArea:y="0.35" stArea:w="0.12" stArea:h="0.18" stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
     </rdf:Bag>
    </mwg-rs:RegionList>
   </mwg-rs:Regions>
   <MP:RegionInfo rdf:parseType="Resource">
    <MPRI:Regions>
     <rdf:Bag>
      <rdf:li MPReg:Rectangle="0.25, 0.325, 0.1, 0.15" MPReg:PersonDisplayName="Rose Leslie"/>
      <rdf:li MPReg:Rectangle="0.64, 0.26, 0.12, 0.18" MPReg:PersonDisplayName="Kit Harington"/>
     </rdf:Bag>
    </MPRI:Regions>
   </MP:RegionInfo>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;

// What exiftool writes (element form, one rdf:Description per namespace); stored 840x700, EXIF orientation 6.
const EXIFTOOL_SIDECAR = `<?xpacket begin='\uFEFF' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/' x:xmptk='Image::ExifTool 13.10'>
<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
 <rdf:Description rdf:about='' xmlns:mwg-rs='http://www.metadataworkinggroup.com/schemas/regions/' xmlns:stArea='http://ns.adobe.com/xmp/sType/Area#' xmlns:stDim='http://ns.adobe.com/xap/1.0/sType/Dimensions#'>
  <mwg-rs:Regions rdf:parseType='Resource'>
   <mwg-rs:AppliedToDimensions rdf:parseType='Resource'><stDim:h>700</stDim:h><stDim:unit>pixel</stDim:unit><stDim:w>840</stDim:w></mwg-rs:AppliedToDimensions>
   <mwg-rs:RegionList><rdf:Bag>
     <rdf:li rdf:parseType='Resource'>
      <mwg-rs:Area rdf:parseType='Resource'><stArea:h>0.11</stArea:h><stArea:unit>normalized</stArea:unit><stArea:w>0.20</stArea:w><stArea:x>0.31</stArea:x><stArea:y>0.63</stArea:y></mwg-rs:Area>
      <mwg-rs:Name>Marie Curie</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type>
     </rdf:li>
   </rdf:Bag></mwg-rs:RegionList>
  </mwg-rs:Regions>
 </rdf:Description>
 <rdf:Description rdf:about='' xmlns:tiff='http://ns.adobe.com/tiff/1.0/'><tiff:Orientation>6</tiff:Orientation></rdf:Description>
</rdf:RDF></x:xmpmeta>
<?xpacket end='w'?>`;

// Windows Live Photo Gallery: Microsoft regions only (top-left rectangles), element form inside rdf:Description.
const WINDOWS_PHOTO_GALLERY_XMP = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="uuid:faf5bdd5-ba3d-11da-ad31-d33d75182f1b" xmlns:MP="http://ns.microsoft.com/photo/1.2/">
   <MP:RegionInfo>
    <rdf:Description xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#">
     <MPRI:Regions>
      <rdf:Bag xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
       <rdf:li>
        <rdf:Description xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#">
         <MPReg:PersonDisplayName>Ada Lovelace</MPReg:PersonDisplayName>
         <MPReg:Rectangle>0.351563, 0.3125, 0.113281, 0.151042</MPReg:Rectangle>
        </rdf:Description>
       </rdf:li>
       <rdf:li>
        <rdf:Description xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#">
         <MPReg:Rectangle>0.6, 0.5, 0.1, 0.1</MPReg:Rectangle>
        </rdf:Description>
       </rdf:li>
      </rdf:Bag>
     </MPRI:Regions>
    </rdf:Description>
   </MP:RegionInfo>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

/** The names in IPTC's Person Shown, and the packet without it (its names are bare, as in dc:subject). */
const PERSON_SHOWN = /<(\w+):PersonInImage>([\s\S]*?)<\/\1:PersonInImage>/;
const personShown = (xml: string) => [...(xml.match(PERSON_SHOWN)?.[2] ?? '').matchAll(/<\w+:li>([^<]*)<\/\w+:li>/g)].map((m) => m[1]);
const withoutPersonShown = (xml: string) => xml.replace(PERSON_SHOWN, '');

describe('orientation mapping', () => {
  it('gives the stored size from the display size', () => {
    expect(storedDimensions(700, 840, 6)).toEqual({ width: 840, height: 700 });
    expect(storedDimensions(700, 840, 8)).toEqual({ width: 840, height: 700 });
    expect(storedDimensions(700, 840, 5)).toEqual({ width: 840, height: 700 });
    expect(storedDimensions(700, 840, 7)).toEqual({ width: 840, height: 700 });
    for (const orientation of [1, 2, 3, 4]) expect(storedDimensions(700, 840, orientation)).toEqual({ width: 700, height: 840 });
  });

  it('maps orientation 6 (turn 90° clockwise to display): stored centre (u, v) shows at (1 - v, u)', () => {
    // Stored 840x700, displayed 700x840. The region centred at stored (0.1, 0.2), 0.2 wide and 0.1 high...
    const display = storedToDisplayRect(centred(0.1, 0.2, 0.2, 0.1), 6);
    // ...is centred at display (0.8, 0.1), and its width and height swap.
    expectRectClose(display, centred(0.8, 0.1, 0.1, 0.2));
    // In pixels: stored centre (84, 140) of 840x700 shows at (560, 84) of 700x840; 168x70 becomes 70x168.
    expect((display.x + display.width / 2) * 700).toBeCloseTo(560, 9);
    expect((display.y + display.height / 2) * 840).toBeCloseTo(84, 9);
    expect(display.width * 700).toBeCloseTo(70, 9);
    expect(display.height * 840).toBeCloseTo(168, 9);
  });

  it('maps orientation 8 (turn 90° counter-clockwise to display): stored (u, v) shows at (v, 1 - u)', () => {
    expectRectClose(storedToDisplayRect(centred(0.1, 0.2, 0.2, 0.1), 8), centred(0.2, 0.9, 0.1, 0.2));
  });

  it('maps orientation 3 (turn 180°): stored (u, v) shows at (1 - u, 1 - v)', () => {
    expectRectClose(storedToDisplayRect(centred(0.1, 0.2, 0.2, 0.1), 3), centred(0.9, 0.8, 0.2, 0.1));
  });

  it('maps the mirrors and transpositions', () => {
    const stored = centred(0.1, 0.2, 0.2, 0.1);
    expectRectClose(storedToDisplayRect(stored, 1), stored);
    expectRectClose(storedToDisplayRect(stored, 2), centred(0.9, 0.2, 0.2, 0.1));
    expectRectClose(storedToDisplayRect(stored, 4), centred(0.1, 0.8, 0.2, 0.1));
    expectRectClose(storedToDisplayRect(stored, 5), centred(0.2, 0.1, 0.1, 0.2));
    expectRectClose(storedToDisplayRect(stored, 7), centred(0.8, 0.9, 0.1, 0.2));
  });

  it('round-trips display → stored → display for every orientation', () => {
    const rects: NormalizedRect[] = [
      { x: 0, y: 0, width: 1, height: 1 },
      { x: 0.1, y: 0.2, width: 0.3, height: 0.15 },
      { x: 0.65, y: 0.05, width: 0.35, height: 0.5 },
      { x: 0.001, y: 0.9, width: 0.01, height: 0.1 },
    ];
    for (const orientation of ORIENTATIONS) {
      for (const rect of rects) {
        expectRectClose(storedToDisplayRect(displayToStoredRect(rect, orientation), orientation), rect);
        expectRectClose(displayToStoredRect(storedToDisplayRect(rect, orientation), orientation), rect);
      }
    }
  });

  it('treats a missing or invalid orientation as 1 (normal)', () => {
    const rect = { x: 0.1, y: 0.2, width: 0.3, height: 0.4 };
    for (const orientation of [0, 9, -1, 1.5, Number.NaN]) {
      expect(storedToDisplayRect(rect, orientation)).toEqual(rect);
      expect(displayToStoredRect(rect, orientation)).toEqual(rect);
      expect(storedDimensions(10, 20, orientation)).toEqual({ width: 10, height: 20 });
    }
  });

  it('agrees with how sharp (libvips) applies EXIF orientation, which is how photos are decoded', async () => {
    // A 4x3 stored image with one lit pixel at column 1, row 0: find where autorotation puts it.
    const storedWidth = 4;
    const storedHeight = 3;
    const pixels = Buffer.alloc(storedWidth * storedHeight);
    pixels[0 * storedWidth + 1] = 255;
    const litPixel: NormalizedRect = { x: 1 / storedWidth, y: 0, width: 1 / storedWidth, height: 1 / storedHeight };
    for (const orientation of ORIENTATIONS) {
      const png = await sharp(pixels, { raw: { width: storedWidth, height: storedHeight, channels: 1 } })
        .withMetadata({ orientation })
        .png()
        .toBuffer();
      const { data, info } = await sharp(png).rotate().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      const lit = data.indexOf(255);
      const column = lit % info.width;
      const row = Math.floor(lit / info.width);
      expect({ width: info.width, height: info.height }).toEqual(
        storedDimensions(storedWidth, storedHeight, orientation).width === storedWidth
          ? { width: storedWidth, height: storedHeight }
          : { width: storedHeight, height: storedWidth },
      );
      const display = storedToDisplayRect(litPixel, orientation);
      expect({ orientation, column: Math.round(display.x * info.width), row: Math.round(display.y * info.height) }).toEqual({ orientation, column, row });
      expect(display.width * info.width).toBeCloseTo(1, 9);
      expect(display.height * info.height).toBeCloseTo(1, 9);
    }
  });
});

describe('parseXmpRegions: what other tools write', () => {
  it("reads digiKam's attribute form and reports its Microsoft copies of the same faces once", () => {
    const parsed = parseXmpRegions(DIGIKAM_SIDECAR, 1);
    expect(parsed.regions.map((region) => region.name)).toEqual(['Rose Leslie', 'Kit Harington']);
    expectRectClose(parsed.regions[0].rect, centred(0.3, 0.4, 0.1, 0.15));
    expectRectClose(parsed.regions[1].rect, centred(0.7, 0.35, 0.12, 0.18));
    expect(parsed.unnamedFaces).toHaveLength(0);
    expect(parsed.writtenByFamiliar).toBe(false);
    expect(parsed.hasOtherContent).toBe(true); // xmp:Rating, tiff:Orientation
  });

  it("reads exiftool's element form and maps the stored-image region into display orientation (6)", () => {
    const parsed = parseXmpRegions(EXIFTOOL_SIDECAR, 6);
    expect(parsed.regions).toHaveLength(1);
    expect(parsed.regions[0].name).toBe('Marie Curie');
    // Stored centre (0.31, 0.63), 0.20 x 0.11 → display centre (1 - 0.63, 0.31), 0.11 x 0.20.
    expectRectClose(parsed.regions[0].rect, centred(0.37, 0.31, 0.11, 0.2));
    expectRectClose(parsed.regions[0].rect, { x: 0.315, y: 0.21, width: 0.11, height: 0.2 });
    expect(parsed.unnamedFaces).toHaveLength(0);
    expect(parsed.writtenByFamiliar).toBe(false);
    expect(parsed.hasOtherContent).toBe(true); // tiff:Orientation
  });

  it('reads the same exiftool packet unrotated when the photo has orientation 1', () => {
    expectRectClose(parseXmpRegions(EXIFTOOL_SIDECAR, 1).regions[0].rect, centred(0.31, 0.63, 0.2, 0.11));
  });

  it('reads Windows Photo Gallery regions (top-left rectangles), and where the unnamed one is', () => {
    const parsed = parseXmpRegions(WINDOWS_PHOTO_GALLERY_XMP, 1);
    expect(parsed.regions).toHaveLength(1);
    expect(parsed.regions[0].name).toBe('Ada Lovelace');
    expectRectClose(parsed.regions[0].rect, { x: 0.351563, y: 0.3125, width: 0.113281, height: 0.151042 });
    // Where it is, for the names import to look closer for a face there.
    expect(parsed.unnamedFaces).toHaveLength(1);
    expectRectClose(parsed.unnamedFaces[0], { x: 0.6, y: 0.5, width: 0.1, height: 0.1 });
    expect(parsed.writtenByFamiliar).toBe(false);
    expect(parsed.hasOtherContent).toBe(true); // a face without a name is not something Familiar writes
  });

  it('maps Microsoft rectangles through the orientation too', () => {
    const parsed = parseXmpRegions(WINDOWS_PHOTO_GALLERY_XMP, 8);
    expectRectClose(parsed.regions[0].rect, storedToDisplayRect({ x: 0.351563, y: 0.3125, width: 0.113281, height: 0.151042 }, 8));
  });

  it('resolves namespaces by URI, whatever the prefixes', () => {
    const xml = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<meta:xmpmeta xmlns:meta="adobe:ns:meta/"><r:RDF xmlns:r="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <r:Description r:about="" xmlns:regions="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:area="http://ns.adobe.com/xmp/sType/Area#">
    <regions:Regions r:parseType="Resource"><regions:RegionList><r:Seq>
      <r:li><r:Description regions:Name="Grace Hopper" regions:Type="Face"><regions:Area area:x="0.5" area:y="0.5" area:w="0.2" area:h="0.4" area:unit="normalized"/></r:Description></r:li>
    </r:Seq></regions:RegionList></regions:Regions>
  </r:Description></r:RDF></meta:xmpmeta>
<?xpacket end="w"?>`;
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions.map((region) => region.name)).toEqual(['Grace Hopper']);
    expectRectClose(parsed.regions[0].rect, { x: 0.4, y: 0.3, width: 0.2, height: 0.4 });
    expect(parsed.hasOtherContent).toBe(false);
  });

  it('does not take a property whose prefix looks right but whose namespace is another', () => {
    const xml = `${RDF_OPEN}<rdf:Description rdf:about="" xmlns:mwg-rs="http://example.com/not-mwg/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
      <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag><rdf:li>
        <rdf:Description mwg-rs:Name="Impostor" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="0.2" stArea:h="0.2"/></rdf:Description>
      </rdf:li></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description>${RDF_CLOSE}`;
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions).toEqual([]);
    expect(parsed.hasOtherContent).toBe(true);
  });

  it('reads several regions from a Seq, across several rdf:Description blocks', () => {
    const xml = `${RDF_OPEN}
      <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag><rdf:li>Alan</rdf:li><rdf:li>Barbara</rdf:li></rdf:Bag></dc:subject></rdf:Description>
      <rdf:Description rdf:about="" ${MWG_NAMESPACES}>
        <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Seq>
          <rdf:li>${mwgRegion('mwg-rs:Name="Alan" mwg-rs:Type="Face"', 'stArea:x="0.2" stArea:y="0.3" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"')}</rdf:li>
          <rdf:li>${mwgRegion('mwg-rs:Name="Barbara" mwg-rs:Type="Face"', 'stArea:x="0.6" stArea:y="0.3" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"')}</rdf:li>
          <rdf:li>${mwgRegion('mwg-rs:Name="Alan" mwg-rs:Type="Face"', 'stArea:x="0.8" stArea:y="0.8" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"')}</rdf:li>
        </rdf:Seq></mwg-rs:RegionList></mwg-rs:Regions>
      </rdf:Description>${RDF_CLOSE}`;
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions.map((region) => region.name)).toEqual(['Alan', 'Barbara', 'Alan']);
    expectRectClose(parsed.regions[1].rect, centred(0.6, 0.3, 0.1, 0.1));
    expect(parsed.hasOtherContent).toBe(false);
  });

  it('ignores regions that are not faces (Pet, Focus, BarCode) and counts unnamed faces', () => {
    const xml = mwgPacket([
      mwgRegion('mwg-rs:Name="Rex" mwg-rs:Type="Pet"'),
      mwgRegion('mwg-rs:Type="Focus"'),
      mwgRegion('mwg-rs:Name="ISBN 978-3-16" mwg-rs:Type="BarCode"'),
      mwgRegion('mwg-rs:Type="Face"'),
      mwgRegion('mwg-rs:Name="   " mwg-rs:Type="Face"'),
      mwgRegion('mwg-rs:Name="Picasa Person"'), // no type: a named region is a face
    ]);
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions.map((region) => region.name)).toEqual(['Picasa Person']);
    expect(parsed.unnamedFaces).toHaveLength(2);
    expect(parsed.hasOtherContent).toBe(true);
  });

  it('decodes entities and character references, and NFC-normalizes and trims names', () => {
    const decomposed = 'Zoe\u0308 &amp; Ame\u0301lie'; // e + combining diaeresis / acute accent
    const xml = mwgPacket([
      mwgRegion(`mwg-rs:Name="  ${decomposed} " mwg-rs:Type="Face"`),
      mwgRegion('mwg-rs:Name="&lt;Tom&gt; &quot;O&apos;Neil&quot; &#x5F20;&#20255;" mwg-rs:Type="Face"'),
    ]);
    const names = parseXmpRegions(xml, 1).regions.map((region) => region.name);
    expect(names).toEqual(['Zoë & Amélie'.normalize('NFC'), '<Tom> "O\'Neil" 张伟']);
    expect(names[0]).toBe(names[0].normalize('NFC'));
    expect(names[0]).toHaveLength('Zoë & Amélie'.normalize('NFC').length);
  });

  it('reads a packet as embedded in a JPEG: BOM, xpacket wrapper and padding', () => {
    const embedded = `\uFEFF${EXIFTOOL_SIDECAR}${' '.repeat(2048)}\n\0\0`;
    expect(parseXmpRegions(embedded, 6).regions.map((region) => region.name)).toEqual(['Marie Curie']);
  });

  it('skips regions with garbage numbers and keeps the good ones', () => {
    const area = (x: string, y: string, w: string, h: string) => `stArea:x="${x}" stArea:y="${y}" stArea:w="${w}" stArea:h="${h}" stArea:unit="normalized"`;
    const xml = mwgPacket([
      mwgRegion('mwg-rs:Name="Missing" mwg-rs:Type="Face"', 'stArea:x="0.5" stArea:y="0.5" stArea:w="0.2"'),
      mwgRegion('mwg-rs:Name="Empty" mwg-rs:Type="Face"', area('', '0.5', '0.2', '0.2')),
      mwgRegion('mwg-rs:Name="Word" mwg-rs:Type="Face"', area('abc', '0.5', '0.2', '0.2')),
      mwgRegion('mwg-rs:Name="NaN" mwg-rs:Type="Face"', area('NaN', '0.5', '0.2', '0.2')),
      mwgRegion('mwg-rs:Name="Infinity" mwg-rs:Type="Face"', area('0.5', 'Infinity', '0.2', '0.2')),
      mwgRegion('mwg-rs:Name="Hex" mwg-rs:Type="Face"', area('0x1', '0.5', '0.2', '0.2')),
      mwgRegion('mwg-rs:Name="Far out" mwg-rs:Type="Face"', area('3.5', '0.5', '0.2', '0.2')),
      mwgRegion('mwg-rs:Name="Negative" mwg-rs:Type="Face"', area('0.5', '0.5', '-0.2', '0.2')),
      mwgRegion('mwg-rs:Name="Zero" mwg-rs:Type="Face"', area('0.5', '0.5', '0', '0.2')),
      mwgRegion('mwg-rs:Name="Huge" mwg-rs:Type="Face"', area('0.5', '0.5', '7', '0.2')),
      mwgRegion('mwg-rs:Name="Inches" mwg-rs:Type="Face"', 'stArea:x="0.5" stArea:y="0.5" stArea:w="0.2" stArea:h="0.2" stArea:unit="inch"'),
      mwgRegion('mwg-rs:Name="No area" mwg-rs:Type="Face"', ''),
      mwgRegion('mwg-rs:Name="Good" mwg-rs:Type="Face"', area(' 0.5 ', '5e-1', '0.2', '.2')),
    ]);
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions.map((region) => region.name)).toEqual(['Good']);
    expectRectClose(parsed.regions[0].rect, { x: 0.4, y: 0.4, width: 0.2, height: 0.2 });
    expect(parsed.hasOtherContent).toBe(true);
  });

  it('clamps slightly out-of-range values and the parts of boxes sticking out of the image', () => {
    const xml = mwgPacket([
      mwgRegion('mwg-rs:Name="Edge" mwg-rs:Type="Face"', 'stArea:x="1.004" stArea:y="0.5" stArea:w="0.2" stArea:h="1.005" stArea:unit="normalized"'),
      mwgRegion('mwg-rs:Name="Corner" mwg-rs:Type="Face"', 'stArea:x="0.05" stArea:y="0.02" stArea:w="0.2" stArea:h="0.1" stArea:unit="normalized"'),
    ]);
    const [edge, corner] = parseXmpRegions(xml, 1).regions;
    expectRectClose(edge.rect, { x: 0.904, y: 0, width: 0.096, height: 1 });
    expectRectClose(corner.rect, { x: 0, y: 0, width: 0.15, height: 0.07 });
  });

  it('skips Microsoft rectangles that are not four numbers', () => {
    const mp = (rectangle: string, name = 'Someone') =>
      `<rdf:li><rdf:Description MPReg:PersonDisplayName="${name}" MPReg:Rectangle="${rectangle}"/></rdf:li>`;
    const xml = `${RDF_OPEN}<rdf:Description rdf:about="" xmlns:MP="http://ns.microsoft.com/photo/1.2/" xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#">
      <MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>
        ${mp('0.1, 0.2, 0.3')}${mp('0.1, 0.2, 0.3, 0.4, 0.5')}${mp('a, b, c, d')}${mp('0.1, 0.2, , 0.4')}${mp('')}
        <rdf:li><rdf:Description MPReg:PersonDisplayName="No rectangle"/></rdf:li>
        ${mp('0.1,0.2,0.3,0.4', 'Tight commas')}
      </rdf:Bag></MPRI:Regions></MP:RegionInfo></rdf:Description>${RDF_CLOSE}`;
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions).toHaveLength(1);
    expect(parsed.regions[0].name).toBe('Tight commas');
    expectRectClose(parsed.regions[0].rect, { x: 0.1, y: 0.2, width: 0.3, height: 0.4 });
  });

  it('converts pixel-unit areas with AppliedToDimensions', () => {
    const xml = mwgPacket([mwgRegion('mwg-rs:Name="Pixels" mwg-rs:Type="Face"', 'stArea:x="500" stArea:y="400" stArea:w="200" stArea:h="80" stArea:unit="pixel"')]);
    expectRectClose(parseXmpRegions(xml, 1).regions[0].rect, { x: 0.4, y: 0.45, width: 0.2, height: 0.1 });
  });

  it('keeps a Microsoft region that differs from the MWG one (other name, or another place)', () => {
    const xml = `${RDF_OPEN}<rdf:Description rdf:about="" ${MWG_NAMESPACES} xmlns:MP="http://ns.microsoft.com/photo/1.2/" xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#">
      <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>
        <rdf:li>${mwgRegion('mwg-rs:Name="Ann" mwg-rs:Type="Face"', 'stArea:x="0.5" stArea:y="0.5" stArea:w="0.2" stArea:h="0.2" stArea:unit="normalized"')}</rdf:li>
      </rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>
      <MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>
        <rdf:li MPReg:PersonDisplayName="Ann" MPReg:Rectangle="0.41, 0.41, 0.2, 0.2"/>
        <rdf:li MPReg:PersonDisplayName="Ben" MPReg:Rectangle="0.4, 0.4, 0.2, 0.2"/>
        <rdf:li MPReg:PersonDisplayName="Ann" MPReg:Rectangle="0.0, 0.0, 0.2, 0.2"/>
      </rdf:Bag></MPRI:Regions></MP:RegionInfo></rdf:Description>${RDF_CLOSE}`;
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions.map((region) => region.name)).toEqual(['Ann', 'Ben', 'Ann']);
    expectRectClose(parsed.regions[2].rect, { x: 0, y: 0, width: 0.2, height: 0.2 });
  });

  it('reads a packet without regions', () => {
    const xml = `${RDF_OPEN}<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5"/>${RDF_CLOSE}`;
    expect(parseXmpRegions(xml, 1)).toEqual({ regions: [], notNames: [], unnamedFaces: [], writtenByFamiliar: false, sharedWithOtherApp: false, photoId: null, hasOtherContent: true, appliedTo: null, peopleKeywords: [] });
  });
});

describe('parseXmpRegions: input that is not XMP', () => {
  it.each([
    ['an unclosed element', `${RDF_OPEN}<rdf:Description rdf:about="">`],
    ['an undefined entity', `${RDF_OPEN}<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&nbsp;</dc:title></rdf:Description>${RDF_CLOSE}`],
    ['an undeclared prefix', `<x:xmpmeta><rdf:RDF/></x:xmpmeta>`],
    ['plain text', 'This is not XML at all.'],
    ['an empty string', ''],
    ['JSON', '{"regions": []}'],
    ['binary garbage', '\u0000\u0001\u00ff\u00d8\u00ff\u00e1'],
  ])('refuses %s with an XmpError', (_label, text) => {
    expect(() => parseXmpRegions(text, 1)).toThrow(XmpError);
    expect(() => parseXmpRegions(text, 1)).toThrow(/not well-formed XML/);
  });

  it('refuses XML that is not XMP with an XmpError', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>';
    expect(() => parseXmpRegions(svg, 1)).toThrow(XmpError);
    expect(() => parseXmpRegions(svg, 1)).toThrow(/not XMP/);
    // The right local name in the wrong namespace is not RDF either.
    expect(() => parseXmpRegions('<x:xmpmeta xmlns:x="adobe:ns:meta/"><RDF/></x:xmpmeta>', 1)).toThrow(/not XMP/);
  });

  it('gives XmpError a name and a one-sentence message', () => {
    try {
      parseXmpRegions('<a><b></a>', 1);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(XmpError);
      expect((error as XmpError).name).toBe('XmpError');
      expect((error as XmpError).message).toMatch(/^The XMP text is not well-formed XML: [^\n]+\.$/);
    }
  });

  it('survives deeply nested RDF', () => {
    const depth = 5000;
    const nested = `${'<rdf:Description><dc:x>'.repeat(depth)}deep${'</dc:x></rdf:Description>'.repeat(depth)}`;
    const xml = `${RDF_OPEN}<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:x>${nested}</dc:x></rdf:Description>${RDF_CLOSE}`;
    expect(parseXmpRegions(xml, 1)).toMatchObject({ regions: [], hasOtherContent: true });
  });
});

describe('buildFamiliarSidecar', () => {
  const faces = [
    { name: 'Rose Leslie', box: { x: 120, y: 80, width: 60, height: 90 } },
    { name: 'Kit Harington', box: { x: 300, y: 140, width: 70, height: 100 } },
    { name: 'Rose Leslie', box: { x: 500, y: 400, width: 40, height: 50 } },
  ];
  const landscape = { displayWidth: 640, displayHeight: 480, orientation: 1, faces, exportedAt: EXPORTED_AT };

  function parseXml(xml: string) {
    return new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
  }

  it('writes a well-formed packet with MWG regions, keywords, Microsoft regions and the Familiar marker', () => {
    const xml = buildFamiliarSidecar(landscape);
    expect(xml.startsWith('<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n')).toBe(true);
    expect(xml.trimEnd().endsWith('<?xpacket end="w"?>')).toBe(true);
    const document = parseXml(xml);
    const rdf = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
    const meta = document.documentElement!;
    expect(meta.namespaceURI).toBe('adobe:ns:meta/');
    expect(meta.getAttributeNS('adobe:ns:meta/', 'xmptk')).toBe('Familiar');
    const [description] = [...document.getElementsByTagNameNS(rdf, 'Description')];
    expect(description.getAttributeNS('https://familiar.app/ns/1.0/', 'ExportedAt')).toBe(EXPORTED_AT);

    const mwg = 'http://www.metadataworkinggroup.com/schemas/regions/';
    const [dimensions] = [...document.getElementsByTagNameNS(mwg, 'AppliedToDimensions')];
    const stDim = 'http://ns.adobe.com/xap/1.0/sType/Dimensions#';
    expect([dimensions.getAttributeNS(stDim, 'w'), dimensions.getAttributeNS(stDim, 'h'), dimensions.getAttributeNS(stDim, 'unit')]).toEqual(['640', '480', 'pixel']);
    const areas = [...document.getElementsByTagNameNS(mwg, 'Area')];
    expect(areas).toHaveLength(3);
    const stArea = 'http://ns.adobe.com/xmp/sType/Area#';
    // Rose's first box: centre (150, 125) of 640x480, 60x90, in 6-decimal normalized form.
    expect(['x', 'y', 'w', 'h', 'unit'].map((field) => areas[0].getAttributeNS(stArea, field))).toEqual([
      '0.234375',
      '0.260417',
      '0.093750',
      '0.187500',
      'normalized',
    ]);

    const listItems = (namespace: string, localName: string) =>
      [...document.getElementsByTagNameNS(namespace, localName)].flatMap((element) => [...element.getElementsByTagNameNS(rdf, 'li')].map((li) => li.textContent));
    expect(listItems('http://purl.org/dc/elements/1.1/', 'subject')).toEqual(['Rose Leslie', 'Kit Harington']);
    expect(listItems('http://ns.adobe.com/lightroom/1.0/', 'hierarchicalSubject')).toEqual(['People|Rose Leslie', 'People|Kit Harington']);
    expect(listItems('http://www.digikam.org/ns/1.0/', 'TagsList')).toEqual(['People/Rose Leslie', 'People/Kit Harington']);
    // IPTC's Person Shown, as Lightroom's IPTC panel and Photo Mechanic read and write it: a bag of names.
    expect(listItems('http://iptc.org/std/Iptc4xmpExt/2008-02-29/', 'PersonInImage')).toEqual(['Rose Leslie', 'Kit Harington']);
    expect([...document.getElementsByTagNameNS('http://iptc.org/std/Iptc4xmpExt/2008-02-29/', 'PersonInImage')][0].getElementsByTagNameNS(rdf, 'Bag')).toHaveLength(1);
    expect([...document.getElementsByTagNameNS('http://www.digikam.org/ns/1.0/', 'TagsList')][0].getElementsByTagNameNS(rdf, 'Seq')).toHaveLength(1);

    const mpReg = 'http://ns.microsoft.com/photo/1.2/t/Region#';
    const mpRegions = [...document.getElementsByTagNameNS(rdf, 'Description')].filter((element) => element.hasAttributeNS(mpReg, 'Rectangle'));
    expect(mpRegions.map((element) => element.getAttributeNS(mpReg, 'PersonDisplayName'))).toEqual(['Rose Leslie', 'Kit Harington', 'Rose Leslie']);
    expect(mpRegions[0].getAttributeNS(mpReg, 'Rectangle')).toBe('0.187500, 0.166667, 0.093750, 0.187500');
  });

  it('writes regions on the stored image: AppliedToDimensions and areas follow the orientation', () => {
    const xml = buildFamiliarSidecar({
      displayWidth: 700,
      displayHeight: 840,
      orientation: 6,
      faces: [{ name: 'Marie Curie', box: { x: 490, y: 0, width: 140, height: 168 } }],
      exportedAt: EXPORTED_AT,
    });
    expect(xml).toContain('stDim:w="840" stDim:h="700" stDim:unit="pixel"');
    // Display centre (0.8, 0.1), 0.2 x 0.2 → stored centre (0.1, 0.2) (the hand example above), size swapped.
    expect(xml).toContain('stArea:x="0.100000" stArea:y="0.200000" stArea:w="0.200000" stArea:h="0.200000" stArea:unit="normalized"');
    expect(xml).toContain('MPReg:Rectangle="0.000000, 0.100000, 0.200000, 0.200000"');
  });

  it('round-trips names and boxes through parseXmpRegions for every orientation', () => {
    for (const orientation of ORIENTATIONS) {
      const [displayWidth, displayHeight] = orientation >= 5 ? [480, 640] : [640, 480];
      const input = {
        displayWidth,
        displayHeight,
        orientation,
        faces: [
          { name: 'Rose Leslie', box: { x: 10, y: 20, width: 100, height: 120 } },
          { name: 'Kit Harington', box: { x: 200, y: 150, width: 90, height: 80 } },
          { name: 'Rose Leslie', box: { x: 333, y: 333, width: 33, height: 44 } },
        ],
        exportedAt: EXPORTED_AT,
      };
      const parsed = parseXmpRegions(buildFamiliarSidecar(input), orientation);
      expect(parsed.regions.map((region) => region.name)).toEqual(input.faces.map((face) => face.name));
      parsed.regions.forEach((region, i) => {
        const { box } = input.faces[i];
        expectRectClose(region.rect, { x: box.x / displayWidth, y: box.y / displayHeight, width: box.width / displayWidth, height: box.height / displayHeight }, 1e-5);
      });
      expect(parsed).toMatchObject({ unnamedFaces: [], writtenByFamiliar: true, hasOtherContent: false });
    }
  });

  it('escapes names with markup characters and any Unicode, and reads them back', () => {
    const names = [`<Tom> & "Jerry" 'O'Neil'`, 'Zoë Ñúñez', '张伟', 'Владимир', 'محمد', '👩🏽‍🔬 Ada', ']]> <!-- --> &amp;'];
    const xml = buildFamiliarSidecar({
      displayWidth: 1000,
      displayHeight: 1000,
      orientation: 1,
      faces: names.map((name, i) => ({ name, box: { x: i * 120, y: 100, width: 100, height: 100 } })),
      exportedAt: EXPORTED_AT,
    });
    expect(() => parseXml(xml)).not.toThrow();
    expect(xml).not.toContain('<Tom>');
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions.map((region) => region.name)).toEqual(names);
    expect(parsed.hasOtherContent).toBe(false);
  });

  it("reads the Microsoft copy of a face Familiar wrote only beside its MWG region: renamed or removed elsewhere, the MWG list says", () => {
    const xml = buildFamiliarSidecar({
      displayWidth: 1000,
      displayHeight: 800,
      orientation: 1,
      faces: [
        { name: 'Rose', box: { x: 100, y: 100, width: 200, height: 200 } },
        { name: 'Kit', box: { x: 600, y: 100, width: 200, height: 200 } },
      ],
      exportedAt: EXPORTED_AT,
    });
    expect(parseXmpRegions(xml, 1).regions.map((region) => region.name)).toEqual(['Rose', 'Kit']);
    // exiftool -XMP-mwg-rs:RegionName=Ygritte renames the MWG region only; a tool that reads MWG regions takes Kit's out.
    const renamed = xml.replace('mwg-rs:Name="Rose"', 'mwg-rs:Name="Ygritte"');
    expect(renamed).toContain('MPReg:PersonDisplayName="Rose"');
    expect(parseXmpRegions(renamed, 1).regions.map((region) => region.name)).toEqual(['Ygritte', 'Kit']);
    const kitTakenOut = xml.replace(/<rdf:li>\s*<rdf:Description mwg-rs:Name="Kit"[\s\S]*?<\/rdf:li>/, '');
    expect(kitTakenOut).toContain('MPReg:PersonDisplayName="Kit"');
    expect(parseXmpRegions(kitTakenOut, 1).regions.map((region) => region.name)).toEqual(['Rose']);
    // Windows renaming its own copy changes Familiar's mark on it: then it is Windows' word, and read.
    const windows = xml.replace('MPReg:PersonDisplayName="Kit"', 'MPReg:PersonDisplayName="Kit Harington"');
    expect(parseXmpRegions(windows, 1).regions.map((region) => region.name)).toEqual(['Rose', 'Kit', 'Kit Harington']);
  });

  it('NFC-normalizes names, keeps them on one line and drops characters XML cannot hold', () => {
    const xml = buildFamiliarSidecar({
      displayWidth: 100,
      displayHeight: 100,
      orientation: 1,
      faces: [{ name: ' Zoe\u0308\u0007\n Smith\uD800 ', box: { x: 10, y: 10, width: 20, height: 20 } }],
      exportedAt: EXPORTED_AT,
    });
    expect(parseXmpRegions(xml, 1).regions.map((region) => region.name)).toEqual(['Zoë  Smith'.normalize('NFC')]);
  });

  it('leaves out faces without a name or outside the photo, and clips boxes at the border', () => {
    const xml = buildFamiliarSidecar({
      displayWidth: 100,
      displayHeight: 100,
      orientation: 1,
      faces: [
        { name: '  ', box: { x: 10, y: 10, width: 20, height: 20 } },
        { name: 'Outside', box: { x: 200, y: 10, width: 20, height: 20 } },
        { name: 'Broken', box: { x: Number.NaN, y: 10, width: 20, height: 20 } },
        { name: 'Border', box: { x: -10, y: 90, width: 30, height: 20 } },
      ],
      exportedAt: EXPORTED_AT,
    });
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions).toHaveLength(1);
    expect(parsed.regions[0].name).toBe('Border');
    expectRectClose(parsed.regions[0].rect, { x: 0, y: 0.9, width: 0.2, height: 0.1 }, 1e-6);
    expect(xml).not.toContain('Outside');
  });

  it('writes a marker-only sidecar when no face is named', () => {
    const xml = buildFamiliarSidecar({ displayWidth: 100, displayHeight: 100, orientation: 1, faces: [], exportedAt: EXPORTED_AT });
    expect(xml).not.toContain('mwg-rs:Regions');
    expect(parseXmpRegions(xml, 1)).toEqual({ regions: [], notNames: [], unnamedFaces: [], writtenByFamiliar: true, sharedWithOtherApp: false, photoId: null, hasOtherContent: false, appliedTo: null, peopleKeywords: [] });
  });

  it('is deterministic', () => {
    expect(buildFamiliarSidecar(landscape)).toBe(buildFamiliarSidecar({ ...landscape, faces: faces.map((face) => ({ ...face, box: { ...face.box } })) }));
    expect(buildFamiliarSidecar({ ...landscape, exportedAt: '2026-01-01T00:00:00.000Z' })).not.toBe(buildFamiliarSidecar(landscape));
  });

  it('refuses a photo without a size', () => {
    for (const [displayWidth, displayHeight] of [
      [0, 100],
      [100, -1],
      [Number.NaN, 100],
      [100, Number.POSITIVE_INFINITY],
    ]) {
      expect(() => buildFamiliarSidecar({ ...landscape, displayWidth, displayHeight })).toThrow(RangeError);
    }
  });
});

describe('whose sidecar it is', () => {
  const ours = buildFamiliarSidecar({
    displayWidth: 640,
    displayHeight: 480,
    orientation: 1,
    faces: [{ name: 'Rose Leslie', box: { x: 120, y: 80, width: 60, height: 90 } }],
    exportedAt: EXPORTED_AT,
  });

  it('tells Familiar sidecars from the others', () => {
    expect(parseXmpRegions(ours, 1).writtenByFamiliar).toBe(true);
    for (const sample of [DIGIKAM_SIDECAR, EXIFTOOL_SIDECAR, WINDOWS_PHOTO_GALLERY_XMP]) expect(parseXmpRegions(sample, 1).writtenByFamiliar).toBe(false);
  });

  it('finds the marker by namespace, also after another tool rewrote the packet with other prefixes', () => {
    const rewritten = ours.replaceAll('familiar:', 'fam:').replace('xmlns:familiar=', 'xmlns:fam=').replace('x:xmptk="Familiar"', 'x:xmptk="Image::ExifTool 13.10"');
    expect(rewritten).toContain('xmlns:fam="https://familiar.app/ns/1.0/"');
    expect(parseXmpRegions(rewritten, 1)).toMatchObject({ writtenByFamiliar: true, hasOtherContent: false });
  });

  it('notices content Familiar did not write in its own sidecar', () => {
    const withRating = ours.replace('    familiar:ExportedAt=', '    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="4"\n    familiar:ExportedAt=');
    expect(parseXmpRegions(withRating, 1)).toMatchObject({ writtenByFamiliar: true, hasOtherContent: true });

    const withKeyword = ours.replace('<rdf:li>Rose Leslie</rdf:li>', '<rdf:li>Rose Leslie</rdf:li><rdf:li>Holidays</rdf:li>');
    expect(parseXmpRegions(withKeyword, 1)).toMatchObject({ writtenByFamiliar: true, hasOtherContent: true });

    const withTag = ours.replace('<rdf:li>People/Rose Leslie</rdf:li>', '<rdf:li>People/Rose Leslie</rdf:li><rdf:li>Places/Paris</rdf:li>');
    expect(parseXmpRegions(withTag, 1).hasOtherContent).toBe(true);

    const withPetRegion = ours.replace('mwg-rs:Type="Face"', 'mwg-rs:Type="Pet"');
    expect(parseXmpRegions(withPetRegion, 1).hasOtherContent).toBe(true);
  });

  it('reports other content in a sidecar holding only a rating', () => {
    const ratingOnly = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:Rating>4</xmp:Rating>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
    expect(parseXmpRegions(ratingOnly, 1)).toEqual({ regions: [], notNames: [], unnamedFaces: [], writtenByFamiliar: false, sharedWithOtherApp: false, photoId: null, hasOtherContent: true, appliedTo: null, peopleKeywords: [] });
  });
});

describe('buildSidecarOver', () => {
  // A photo of 500x250 whose own XMP was drawn on a 1000x500 original: one region in pixels of that size.
  const own = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="uuid:faf5bdd5-ba3d-11da-ad31-d33d75182f1b" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#">
<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:AppliedToDimensions stDim:w="1000" stDim:h="500" stDim:unit="pixel"/><mwg-rs:RegionList><rdf:Bag>
<rdf:li><rdf:Description mwg-rs:Name="Sheldon" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="800" stArea:y="250" stArea:w="100" stArea:h="100" stArea:unit="pixel"/></rdf:Description></rdf:li>
</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>`;
  const input = {
    displayWidth: 500,
    displayHeight: 250,
    orientation: 1,
    faces: [{ name: 'Penny', box: { x: 50, y: 50, width: 60, height: 60 } }],
    exportedAt: EXPORTED_AT,
    photoId: 'a'.repeat(64),
  };

  it("keeps the photo's properties and regions, with the size its pixel regions were drawn on", () => {
    const xml = buildSidecarOver(own, input, () => false);
    expect(xml).toContain('xmp:Rating="3"');
    expect(xml).toContain('rdf:about="uuid:faf5bdd5-ba3d-11da-ad31-d33d75182f1b"');
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.photoId).toBe('a'.repeat(64));
    const sheldon = parsed.regions.find((r) => r.name === 'Sheldon')!;
    // Centre (800, 250) of 1000x500, 100x100: the same place on the 500x250 photo.
    expect(sheldon.rect.x).toBeCloseTo(0.75, 5);
    expect(sheldon.rect.y).toBeCloseTo(0.4, 5);
    const penny = parsed.regions.find((r) => r.name === 'Penny')!;
    expect(penny.rect.x).toBeCloseTo(0.1, 5);
  });

  it('drops a region of its own that frames a face Familiar names now, and says whether anyone edited it since', () => {
    const xml = buildSidecarOver(own, input, (rect) => rect.x > 0.7);
    expect(parseXmpRegions(xml, 1).regions.map((r) => r.name)).toEqual(['Penny']);
    expect(sidecarIsUntouched(xml)).toBe(true);
    expect(sidecarIsUntouched(xml.replace('xmp:Rating="3"', 'xmp:Rating="5"'))).toBe(false);
    expect(sidecarIsUntouched(buildFamiliarSidecar(input))).toBe(true);
    expect(sidecarIsUntouched(buildFamiliarSidecar(input).replace('Penny', 'Amy'))).toBe(false);
    expect(sidecarIsUntouched(own)).toBeNull();
  });

  it("keeps the photo's own Person Shown beside Familiar's names, and takes out a name whose face Familiar names otherwise", () => {
    // Photo Mechanic's Person Shown in the photo: Sheldon (his region), and Leonard (no region).
    const shown = own.replace('<mwg-rs:Regions', '<Iptc4xmpExt:PersonInImage xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><rdf:Bag><rdf:li>Sheldon</rdf:li><rdf:li>Leonard</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage><mwg-rs:Regions');
    const kept = buildSidecarOver(shown, input, () => false);
    expect(personShown(kept)).toEqual(['Sheldon', 'Leonard', 'Penny']);
    expect(kept.match(/PersonInImage>/g)).toHaveLength(2);
    // Sheldon's face is Penny's in Familiar: his region and his Person Shown go, Leonard's stays.
    const renamed = buildSidecarOver(shown, { ...input, faces: [{ name: 'Penny', box: { x: 375, y: 75, width: 50, height: 50 } }] }, (rect) => rect.x > 0.7);
    expect(personShown(renamed)).toEqual(['Leonard', 'Penny']);
    // Only Penny is Familiar's to take out again.
    expect(renamed).toMatch(/AddedKeywords>[\s\S]*Person Shown\|Penny[\s\S]*<\/familiar:AddedKeywords/);
    expect(renamed).not.toContain('Person Shown|Leonard');
  });
});

describe('regionsFitPhoto', () => {
  it('accepts the same shape at any size, either way round, and refuses another shape', () => {
    expect(regionsFitPhoto({ width: 4000, height: 3000 }, { width: 800, height: 600 })).toBe(true);
    expect(regionsFitPhoto({ width: 4000, height: 3000 }, { width: 600, height: 800 })).toBe(true); // size before orientation
    expect(regionsFitPhoto({ width: 4000, height: 3000 }, { width: 801, height: 600 })).toBe(true); // rounding
    expect(regionsFitPhoto({ width: 4000, height: 3000 }, { width: 800, height: 800 })).toBe(false); // cropped square
    expect(regionsFitPhoto({ width: 6000, height: 4000 }, { width: 4000, height: 3000 })).toBe(false); // 3:2 against 4:3
  });

  it('reads the size from AppliedToDimensions', () => {
    const xml = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#">
<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:AppliedToDimensions stDim:w="640" stDim:h="480" stDim:unit="pixel"/></mwg-rs:Regions>
</rdf:Description></rdf:RDF></x:xmpmeta>`;
    expect(parseXmpRegions(xml, 1).appliedTo).toEqual({ width: 640, height: 480 });
    expect(parseXmpRegions(xml.replace(/<mwg-rs:AppliedToDimensions[^>]*>/, ''), 1).appliedTo).toBeNull();
  });
});

describe('mergeIntoSidecar', () => {
  /** The import's test, simplified: boxes overlapping by a quarter of their union are one face. */
  const sameFace = (a: NormalizedRect, b: NormalizedRect) => {
    const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
    const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
    return (w * h) / (a.width * a.height + b.width * b.height - w * h) >= 0.25;
  };
  // DIGIKAM_SIDECAR's photo is 1200x800: Rose at centre (0.3, 0.4), Kit at (0.7, 0.35).
  const box = (centerX: number, centerY: number, width: number, height: number) => ({ x: (centerX - width / 2) * 1200, y: (centerY - height / 2) * 800, width: width * 1200, height: height * 800 });
  const input = (faces: Array<{ name: string; box: ReturnType<typeof box>; confirmed?: boolean }>) => ({
    displayWidth: 1200,
    displayHeight: 800,
    orientation: 1,
    faces,
    exportedAt: EXPORTED_AT,
    photoId: 'b'.repeat(64),
  });
  const keywordsOf = (...names: string[]) => names.flatMap((name) => [name, `People|${name}`, `People/${name}`]);
  const names = (xml: string) => parseXmpRegions(xml, 1).regions.map((r) => r.name);

  it("adds Familiar's faces to digiKam's sidecar, keeps everything else, and reports a face it names otherwise", () => {
    const faces = [
      { name: 'Rose Leslie', box: box(0.31, 0.4, 0.09, 0.14) }, // digiKam's Rose: the same person, not added twice
      { name: 'Christopher', box: box(0.7, 0.35, 0.12, 0.18) }, // digiKam says Kit Harington: a conflict
      { name: 'Ada', box: box(0.1, 0.8, 0.08, 0.12) }, // a face digiKam has no region on
    ];
    const merged = mergeIntoSidecar(DIGIKAM_SIDECAR, input(faces), sameFace);
    expect(merged.conflicts).toEqual([{ name: 'Christopher', otherName: 'Kit Harington' }]);
    const text = merged.text!;
    expect(names(text)).toEqual(['Rose Leslie', 'Kit Harington', 'Ada']);
    expect(text).not.toContain('Christopher');
    // digiKam wrote no Person Shown: Familiar adds it with both confirmed names, and the rest is as it was.
    expect(personShown(text)).toEqual(['Rose Leslie', 'Ada']);
    expect(xmpMeaning(withoutPersonShown(text), keywordsOf('Ada'))).toEqual(xmpMeaning(DIGIKAM_SIDECAR, keywordsOf('Ada')));
    for (const declaration of namespacesOf(DIGIKAM_SIDECAR)) expect(namespacesOf(text)).toContain(declaration);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<x:xmpmeta')).toBe(true);
    // Ada in the four keyword lists and Windows' regions too; the sidecar says it is shared.
    const parsed = parseXmpRegions(text, 1);
    expect(parsed).toMatchObject({ writtenByFamiliar: true, sharedWithOtherApp: true, photoId: 'b'.repeat(64) });
    expect(parsed.regions.find((r) => r.name === 'Ada')!.byFamiliar).toBe(true);
    expect(parsed.regions.find((r) => r.name === 'Rose Leslie')!.byFamiliar).toBeUndefined();
    for (const keyword of ['<rdf:li>Ada</rdf:li>', '<rdf:li>People|Ada</rdf:li>', '<rdf:li>People/Ada</rdf:li>', 'MPReg:PersonDisplayName="Ada"']) expect(text).toContain(keyword);
    expect(sidecarIsUntouched(text)).toBeNull();

    // Again with the same faces: nothing to change, nothing rewritten.
    expect(mergeIntoSidecar(text, input(faces), sameFace)).toEqual({ text: null, conflicts: merged.conflicts });
    // Ada renamed in Familiar: her region and keywords follow, digiKam's stay as they are.
    const renamed = mergeIntoSidecar(text, input([faces[0], faces[1], { ...faces[2], name: 'Ada Lovelace' }]), sameFace).text!;
    expect(names(renamed)).toEqual(['Rose Leslie', 'Kit Harington', 'Ada Lovelace']);
    expect(renamed).not.toMatch(/>(People[|/])?Ada</);
    expect(personShown(renamed)).toEqual(['Rose Leslie', 'Ada Lovelace']);
    expect(xmpMeaning(withoutPersonShown(renamed), keywordsOf('Ada Lovelace'))).toEqual(xmpMeaning(DIGIKAM_SIDECAR, keywordsOf('Ada Lovelace')));
    // No face named any more: Familiar's parts go, digiKam's file is as it was in meaning, but for the Person Shown
    // Familiar added for Rose, whom digiKam's region still names (the keywords it adds stay while a region names them).
    const emptied = mergeIntoSidecar(renamed, input([]), sameFace).text!;
    expect(names(emptied)).toEqual(['Rose Leslie', 'Kit Harington']);
    expect(personShown(emptied)).toEqual(['Rose Leslie']);
    expect(xmpMeaning(withoutPersonShown(emptied))).toEqual(xmpMeaning(DIGIKAM_SIDECAR));
  });

  it('writes into element-form sidecars split over several descriptions (exiftool), on the stored image', () => {
    // EXIFTOOL_SIDECAR: stored 840x700, orientation 6, displayed 700x840; Marie Curie's region stays.
    const merged = mergeIntoSidecar(EXIFTOOL_SIDECAR, { displayWidth: 700, displayHeight: 840, orientation: 6, faces: [{ name: 'Pierre', box: { x: 50, y: 50, width: 100, height: 100 } }], exportedAt: EXPORTED_AT }, sameFace);
    expect(merged.conflicts).toEqual([]);
    const parsed = parseXmpRegions(merged.text!, 6);
    expect(parsed.regions.map((r) => r.name)).toEqual(['Marie Curie', 'Pierre']);
    expectRectClose(parsed.regions[1].rect, { x: 50 / 700, y: 50 / 840, width: 100 / 700, height: 100 / 840 }, 1e-5);
    expect(parsed.appliedTo).toEqual({ width: 840, height: 700 });
    expect(xmpMeaning(merged.text!, keywordsOf('Pierre'))).toEqual(xmpMeaning(EXIFTOOL_SIDECAR, keywordsOf('Pierre')));
    expect(merged.text!.startsWith("<?xpacket begin='\uFEFF'")).toBe(true);
  });

  it("renames in Familiar's own sidecar after another app added a rating, and leaves a region that app renamed", () => {
    const ours = buildFamiliarSidecar(input([{ name: 'Colin Powell', box: box(0.5, 0.5, 0.2, 0.3) }, { name: 'George', box: box(0.2, 0.5, 0.1, 0.2) }]));
    const rated = ours.replace('familiar:ExportedAt=', 'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5" familiar:ExportedAt=');
    expect(sidecarIsUntouched(rated)).toBe(false);
    // Another app renamed George in the MWG region (its mark no longer holds): that region is the app's now.
    const edited = rated.replace('mwg-rs:Name="George"', 'mwg-rs:Name="George W."');
    const faces = [
      { name: 'Uncle Colin', box: box(0.5, 0.5, 0.2, 0.3) },
      { name: 'Dubya', box: box(0.2, 0.5, 0.1, 0.2) },
    ];
    const merged = mergeIntoSidecar(edited, input(faces), sameFace);
    expect(merged.conflicts).toEqual([{ name: 'Dubya', otherName: 'George W.' }]);
    const text = merged.text!;
    expect(names(text).sort()).toEqual(['George W.', 'Uncle Colin']);
    expect(text).toContain('xmp:Rating="5"');
    expect(text).not.toMatch(/Colin Powell|"George"|>George<|Dubya/);
    expect(text).toContain('<rdf:li>People/Uncle Colin</rdf:li>');
    expect(parseXmpRegions(text, 1).sharedWithOtherApp).toBe(true);
  });

  /** A sidecar an older Familiar wrote, before it marked its regions, that another app has since rated. */
  const unmarked = (faces: Parameters<typeof input>[0]) =>
    buildFamiliarSidecar(input(faces))
      .replace(/ familiar:(RegionDigest|Writes|SidecarDigest)="[0-9a-z]*"/g, '')
      .replace(/\s*<familiar:AddedKeywords>[^]*?<\/familiar:AddedKeywords>/, '')
      .replace('familiar:ExportedAt=', 'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="2" familiar:ExportedAt=');

  it('in a sidecar an older Familiar wrote without marks, its face regions naming the face as Familiar does are its own', () => {
    const old = unmarked([{ name: 'Colin Powell', box: box(0.5, 0.5, 0.2, 0.3) }])
      // and a face another app added elsewhere
      .replace('<rdf:Bag>', '<rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="Aunt Mae" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.9" stArea:y="0.1" stArea:w="0.05" stArea:h="0.05" stArea:unit="normalized"/></rdf:Description></rdf:li>');
    // The face a little larger now: Familiar's region follows it, and carries its mark from now on.
    const merged = mergeIntoSidecar(old, input([{ name: 'Colin Powell', box: box(0.5, 0.5, 0.22, 0.32) }]), sameFace);
    expect(merged.conflicts).toEqual([]);
    const parsed = parseXmpRegions(merged.text!, 1);
    expect(parsed.regions.map((r) => [r.name, r.byFamiliar ?? false])).toEqual([['Aunt Mae', false], ['Colin Powell', true]]);
    expectRectClose(parsed.regions[1].rect, centred(0.5, 0.5, 0.22, 0.32), 1e-5);
    expect(merged.text).toContain('xmp:Rating="2"');
    expect(merged.text).toContain('<rdf:li>Colin Powell</rdf:li>');
  });

  it('in a sidecar an older Familiar wrote, a region another app renamed is that app\'s, and the names conflict', () => {
    // exiftool renamed Rose's MWG region Rosie (Windows' copy still says Rose); Familiar still calls her Rose.
    const rose = { name: 'Rose', box: box(0.3, 0.4, 0.1, 0.15) };
    const edited = unmarked([rose]).replace('mwg-rs:Name="Rose"', 'mwg-rs:Name="Rosie"');
    const merged = mergeIntoSidecar(edited, input([rose]), sameFace);
    expect(merged.conflicts).toEqual([{ name: 'Rose', otherName: 'Rosie' }]);
    expect(names(merged.text!)).toEqual(['Rosie']);
    expect(merged.text).toContain('mwg-rs:Name="Rosie"');
    // Familiar renamed her too (Rosalind): no unmarked region names her so, so both are the other app's to keep.
    const both = mergeIntoSidecar(edited, input([{ ...rose, name: 'Rosalind' }]), sameFace);
    expect(both.conflicts).toEqual([{ name: 'Rosalind', otherName: 'Rosie' }, { name: 'Rosalind', otherName: 'Rose' }]);
    expect(both.text).toBeNull();
  });

  it("never removes a keyword that was there before Familiar, only the ones it added (Lightroom's own Rose stays)", () => {
    const lightroom = `<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3">
   <dc:subject><rdf:Bag><rdf:li>Rose</rdf:li><rdf:li>garden</rdf:li></rdf:Bag></dc:subject>
   <lr:hierarchicalSubject><rdf:Bag><rdf:li>People|Rose</rdf:li></rdf:Bag></lr:hierarchicalSubject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>`;
    const rose = { name: 'Rose', box: box(0.3, 0.4, 0.1, 0.15) };
    const keywords = (xml: string) => [...xml.matchAll(/<rdf:li>([^<]*)<\/rdf:li>/g)].map((m) => m[1]);
    const list = (xml: string, property: string) => keywords(xml.match(new RegExp(`<${property}>.*?</${property}>`, 's'))?.[0] ?? '');
    // Familiar's Rose joins Lightroom's keywords: only People/Rose and Person Shown are new.
    const first = mergeIntoSidecar(lightroom, input([rose]), sameFace).text!;
    expect([list(first, 'dc:subject'), list(first, 'lr:hierarchicalSubject'), list(first, 'digiKam:TagsList'), personShown(first)]).toEqual([['Rose', 'garden'], ['People|Rose'], ['People/Rose'], ['Rose']]);
    expect(xmpMeaning(withoutPersonShown(first), ['People/Rose'])).toEqual(xmpMeaning(lightroom));
    expect(mergeIntoSidecar(first, input([rose]), sameFace).text).toBeNull();
    // Renamed in Familiar: Lightroom's Rose and People|Rose stay; what Familiar added follows the new name.
    const renamed = mergeIntoSidecar(first, input([{ ...rose, name: 'Rosie' }]), sameFace).text!;
    expect(names(renamed)).toEqual(['Rosie']);
    expect(keywords(renamed)).toContain('Rose');
    expect(keywords(renamed)).toContain('People|Rose');
    expect(keywords(renamed)).not.toContain('People/Rose');
    // Person Shown's Rose was Familiar's, dc:subject's the same word Lightroom's: one goes, the other stays.
    expect([list(renamed, 'dc:subject'), personShown(renamed)]).toEqual([['Rose', 'garden', 'Rosie'], ['Rosie']]);
    expect(xmpMeaning(renamed, keywordsOf('Rosie'))).toEqual(xmpMeaning(lightroom));
    // Un-named in Familiar, after either: Lightroom's file as it was, in meaning.
    for (const before of [first, renamed]) {
      const emptied = mergeIntoSidecar(before, input([]), sameFace).text!;
      expect(names(emptied)).toEqual([]);
      expect(xmpMeaning(emptied)).toEqual(xmpMeaning(lightroom));
    }
    // A keyword Familiar added that the user removed in another app is forgotten as Familiar's: typed in again there,
    // it is the user's, and stays.
    const removedByUser = mergeIntoSidecar(first.replace('<rdf:li>People/Rose</rdf:li>', ''), input([]), sameFace).text!;
    expect(removedByUser).not.toContain('People/Rose');
    const retyped = removedByUser.replace('<rdf:Seq/>', '<rdf:Seq><rdf:li>People/Rose</rdf:li></rdf:Seq>');
    expect(keywords(retyped)).toContain('People/Rose');
    expect(mergeIntoSidecar(retyped, input([]), sameFace).text).toBeNull();
  });

  it("keeps a photo's own keyword in the sidecar Familiar built over its XMP, after another app edited it", () => {
    const photoXmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag><rdf:li>Rose</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>`;
    const rose = { name: 'Rose', box: box(0.3, 0.4, 0.1, 0.15) };
    const rated = buildSidecarOver(photoXmp, input([rose]), () => false).replace('familiar:ExportedAt=', 'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5" familiar:ExportedAt=');
    const renamed = mergeIntoSidecar(rated, input([{ ...rose, name: 'Rosie' }]), sameFace).text!;
    expect(names(renamed)).toEqual(['Rosie']);
    expect(renamed).toContain('<rdf:li>Rose</rdf:li>'); // the photo's
    expect(renamed).not.toMatch(/People[|/]Rose</); // Familiar's
    expect(renamed).toContain('<rdf:li>People/Rosie</rdf:li>');
  });

  it('adds the regions and keyword lists a sidecar lacks, and refuses what is not XMP', () => {
    const ratingOnly = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:Rating>4</xmp:Rating></rdf:Description></rdf:RDF></x:xmpmeta>`;
    const merged = mergeIntoSidecar(ratingOnly, input([{ name: 'Ada', box: box(0.5, 0.5, 0.2, 0.3) }]), sameFace).text!;
    expect(names(merged)).toEqual(['Ada']);
    expect(parseXmpRegions(merged, 1).appliedTo).toEqual({ width: 1200, height: 800 });
    expect(merged).toContain('<xmp:Rating>4</xmp:Rating>');
    expect(merged).toContain('People/Ada');
    // A guess goes into the MWG regions only, marked.
    const guess = mergeIntoSidecar(ratingOnly, input([{ name: 'Ada', box: box(0.5, 0.5, 0.2, 0.3), confirmed: false }]), sameFace).text!;
    expect(parseXmpRegions(guess, 1).regions).toMatchObject([{ name: 'Ada', confirmed: false }]);
    expect(guess).not.toContain('People/Ada');
    expect(guess).not.toContain('PersonDisplayName');
    expect(() => mergeIntoSidecar('\u0000 not xml <<<', input([]), sameFace)).toThrow(XmpError);
    expect(() => mergeIntoSidecar('<html><body/></html>', input([]), sameFace)).toThrow(XmpError);
  });
});

describe('who a face is not (familiar:NotNames)', () => {
  // A 1200x800 photo: Rose's face at centre (0.3, 0.4) (DIGIKAM_SIDECAR's), and a stranger at (0.1, 0.8).
  const box = (centerX: number, centerY: number, width: number, height: number) => ({ x: (centerX - width / 2) * 1200, y: (centerY - height / 2) * 800, width: width * 1200, height: height * 800 });
  const rose = { name: 'Rose Leslie', box: box(0.3, 0.4, 0.1, 0.15) };
  const stranger = box(0.1, 0.8, 0.08, 0.12);
  const notNames = [
    { box: rose.box, names: ['Kit Harington'] },
    { box: stranger, names: ['Rose Leslie', 'Kit Harington', 'Rose Leslie'] },
  ];
  const input = (orientation = 1) => {
    const [displayWidth, displayHeight] = orientation >= 5 ? [800, 1200] : [1200, 800];
    const turn = (b: typeof stranger) => (orientation >= 5 ? { x: b.y, y: b.x, width: b.height, height: b.width } : b);
    return {
      displayWidth,
      displayHeight,
      orientation,
      faces: [{ ...rose, box: turn(rose.box) }],
      notNames: notNames.map((entry) => ({ ...entry, box: turn(entry.box) })),
      exportedAt: EXPORTED_AT,
    };
  };
  const sameFace = (a: NormalizedRect, b: NormalizedRect) => Math.abs(a.x - b.x) < 0.05 && Math.abs(a.y - b.y) < 0.05;
  const strict = (xml: string) =>
    new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml.replace(/^\uFEFF/, '').trim(), 'text/xml');

  it('are written beside the MWG regions, which stay exactly as without them, and read back for every orientation', () => {
    const withAnswers = buildFamiliarSidecar(input());
    const { notNames: _none, ...withoutAnswers } = input();
    strict(withAnswers);
    // The MWG regions, keywords and Windows' regions are the same text: only Familiar's own list and the digest differ.
    const regionsPart = (xml: string) => xml.slice(xml.indexOf('<mwg-rs:Regions'), xml.indexOf('</MP:RegionInfo>'));
    expect(regionsPart(withAnswers)).toBe(regionsPart(buildFamiliarSidecar(withoutAnswers)));
    expect(withAnswers).toContain('<familiar:NotNames>');
    for (const orientation of ORIENTATIONS) {
      const parsed = parseXmpRegions(buildFamiliarSidecar(input(orientation)), orientation);
      expect(parsed.regions.map((r) => r.name)).toEqual(['Rose Leslie']);
      expect(parsed.notNames.map((entry) => entry.names)).toEqual([['Kit Harington'], ['Kit Harington', 'Rose Leslie']]);
      const expected = input(orientation).notNames[1].box;
      const [width, height] = orientation >= 5 ? [800, 1200] : [1200, 800];
      expectRectClose(parsed.notNames[1].rect, { x: expected.x / width, y: expected.y / height, width: expected.width / width, height: expected.height / height }, 1e-5);
    }
  });

  it('are in the sidecar digest: an edit of them elsewhere is noticed like any other', () => {
    const xml = buildFamiliarSidecar(input());
    expect(sidecarIsUntouched(xml)).toBe(true);
    expect(sidecarIsUntouched(xml.replace('<rdf:li>Kit Harington</rdf:li>', '<rdf:li>Kit</rdf:li>'))).toBe(false);
  });

  it('make a sidecar of their own for a photo with no name: no region, no keyword other apps would show', () => {
    const xml = buildFamiliarSidecar({ ...input(), faces: [] });
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed).toMatchObject({ regions: [], unnamedFaces: [], hasOtherContent: false, writtenByFamiliar: true });
    expect(parsed.notNames).toHaveLength(2);
    for (const other of ['mwg-rs:Regions', 'dc:subject', 'MP:RegionInfo']) expect(xml).not.toContain(other);
  });

  it('outlive another app rewriting the region list, since they are keyed by the box and not by a region', () => {
    const xml = buildFamiliarSidecar(input());
    // digiKam writes the regions anew from its database: Familiar's are gone, one of its own is there.
    const rewritten = xml
      .replace(
        /<mwg-rs:RegionList>[\s\S]*<\/mwg-rs:RegionList>/,
        '<mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="Rosie" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.3" stArea:y="0.4" stArea:w="0.12" stArea:h="0.16" stArea:unit="normalized"/></rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList>',
      )
      .replace(/<MP:RegionInfo[\s\S]*<\/MP:RegionInfo>/, '');
    const parsed = parseXmpRegions(rewritten, 1);
    expect(parsed.regions.map((r) => r.name)).toEqual(['Rosie']);
    expect(parsed.notNames.map((entry) => entry.names)).toEqual([['Kit Harington'], ['Kit Harington', 'Rose Leslie']]);
  });

  it('garbled ones are passed over, and the rest of the packet is read as ever', () => {
    const entry = (area: string, names: string) => `<rdf:li rdf:parseType="Resource">${area}<familiar:Names><rdf:Bag>${names}</rdf:Bag></familiar:Names></rdf:li>`;
    const area = (x: string, unit = 'normalized') => `<familiar:Area stArea:x="${x}" stArea:y="0.5" stArea:w="0.1" stArea:h="0.1" stArea:unit="${unit}"/>`;
    const garbled = [
      '<familiar:NotNames>just text</familiar:NotNames>',
      `<familiar:NotNames><rdf:Bag>
        ${entry('', '<rdf:li>No Box</rdf:li>')}
        ${entry(area('banana'), '<rdf:li>Bad Number</rdf:li>')}
        ${entry(area('7'), '<rdf:li>Outside</rdf:li>')}
        ${entry(area('0.5', 'pixel'), '<rdf:li>In Pixels Without A Size</rdf:li>')}
        ${entry(area('0.5'), '<rdf:li>  </rdf:li><rdf:li><rdf:Description/></rdf:li>')}
        <rdf:li>a plain item</rdf:li>
        ${entry(area('0.25'), '<rdf:li>Good One</rdf:li>')}
      </rdf:Bag></familiar:NotNames>`,
    ].join('');
    const xml = mwgPacket([mwgRegion('mwg-rs:Name="Ana" mwg-rs:Type="Face"')], garbled).replace('<rdf:Description rdf:about=""', '<rdf:Description rdf:about="" xmlns:familiar="https://familiar.app/ns/1.0/"');
    const parsed = parseXmpRegions(xml, 1);
    expect(parsed.regions.map((r) => r.name)).toEqual(['Ana']);
    expect(parsed.notNames.map((entry) => entry.names)).toEqual([['Good One']]);
    expectRectClose(parsed.notNames[0].rect, { x: 0.2, y: 0.45, width: 0.1, height: 0.1 });
  });

  it("go into another app's sidecar, which stays valid and as it was in everything else, and are replaced or removed whole", () => {
    const merged = mergeIntoSidecar(DIGIKAM_SIDECAR, input(), sameFace).text!;
    strict(merged);
    // Beside the answers, Rose (the one face Familiar names), whom digiKam did not put in IPTC's Person Shown.
    expect(personShown(merged)).toEqual(['Rose Leslie']);
    expect(xmpMeaning(withoutPersonShown(merged))).toEqual(xmpMeaning(DIGIKAM_SIDECAR));
    for (const declaration of namespacesOf(DIGIKAM_SIDECAR)) expect(namespacesOf(merged)).toContain(declaration);
    const parsed = parseXmpRegions(merged, 1);
    expect(parsed.regions.map((r) => r.name)).toEqual(['Rose Leslie', 'Kit Harington']);
    expect(parsed.notNames.map((entry) => entry.names)).toEqual([['Kit Harington'], ['Kit Harington', 'Rose Leslie']]);
    // The same answers again: nothing to rewrite.
    expect(mergeIntoSidecar(merged, input(), sameFace).text).toBeNull();
    // One answer taken back in Familiar: the list follows.
    const fewer = mergeIntoSidecar(merged, { ...input(), notNames: [notNames[1]] }, sameFace).text!;
    expect(parseXmpRegions(fewer, 1).notNames.map((entry) => entry.names)).toEqual([['Kit Harington', 'Rose Leslie']]);
    expect(fewer.match(/<familiar:NotNames>/g)).toHaveLength(1);
    // None left: the list goes, and digiKam's file means what it did.
    const none = mergeIntoSidecar(fewer, { ...input(), notNames: [] }, sameFace).text!;
    expect(none).not.toContain('NotNames');
    expect(xmpMeaning(withoutPersonShown(none))).toEqual(xmpMeaning(DIGIKAM_SIDECAR));
    // A garbled list (a tool mangled it) is Familiar's to write again.
    const mangled = merged.replace(/<familiar:NotNames>[\s\S]*<\/familiar:NotNames>/, '<familiar:NotNames>mangled</familiar:NotNames>');
    expect(parseXmpRegions(mangled, 1).notNames).toEqual([]);
    const repaired = mergeIntoSidecar(mangled, input(), sameFace).text!;
    expect(parseXmpRegions(repaired, 1).notNames.map((entry) => entry.names)).toEqual([['Kit Harington'], ['Kit Harington', 'Rose Leslie']]);
    expect(xmpMeaning(withoutPersonShown(repaired))).toEqual(xmpMeaning(DIGIKAM_SIDECAR));
  });
});

describe('people keywords (who a photo shows, not which face)', () => {
  const packet = (body: string) =>
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:digiKam="http://www.digikam.org/ns/1.0/">${body}</rdf:Description></rdf:RDF></x:xmpmeta>`;

  it("reads Lightroom's People|… and digiKam's People/… keywords (Personen/… in German), the last level of each, once a name", () => {
    const parsed = parseXmpRegions(
      packet(
        '<dc:subject><rdf:Bag><rdf:li>Anna</rdf:li><rdf:li>beach</rdf:li></rdf:Bag></dc:subject>' +
          '<lr:hierarchicalSubject><rdf:Bag><rdf:li>People|Family|Anna Lee</rdf:li><rdf:li>Places|Paris</rdf:li><rdf:li>people|Tom</rdf:li><rdf:li>People</rdf:li></rdf:Bag></lr:hierarchicalSubject>' +
          '<digiKam:TagsList><rdf:Seq><rdf:li>People/Anna Lee</rdf:li><rdf:li>People/Unknown</rdf:li><rdf:li>People/Unconfirmed</rdf:li><rdf:li>People/Mum\u2215Mom</rdf:li><rdf:li>Events/Party</rdf:li><rdf:li>Personen/Oma Grete</rdf:li></rdf:Seq></digiKam:TagsList>',
      ),
      1,
    );
    // Plain keywords (dc:subject) say nothing of who: "beach" is a keyword too. digiKam's tags for unnamed faces are no one.
    expect(parsed.peopleKeywords).toEqual(['Anna Lee', 'Tom', 'Mum/Mom', 'Oma Grete']);
    expect(parsed.regions).toEqual([]);
  });

  it('reads the keywords Familiar writes beside its regions back as the same names', () => {
    const written = buildFamiliarSidecar({ displayWidth: 400, displayHeight: 300, orientation: 1, faces: [{ name: 'Ann|Bo/Cy', box: { x: 40, y: 30, width: 80, height: 90 } }], exportedAt: '2026-12-04T00:00:00Z', photoId: 'p1' });
    expect(parseXmpRegions(written, 1).peopleKeywords).toEqual(['Ann|Bo/Cy']);
  });

  it("reads IPTC's Person Shown (Iptc4xmpExt:PersonInImage), as Lightroom, Photo Mechanic and osxphotos write it", () => {
    const parsed = parseXmpRegions(
      packet('<Iptc4xmpExt:PersonInImage xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><rdf:Bag><rdf:li>Anna Lee</rdf:li><rdf:li> Tom </rdf:li><rdf:li></rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>'),
      1,
    );
    expect(parsed.peopleKeywords).toEqual(['Anna Lee', 'Tom']);
  });
});
