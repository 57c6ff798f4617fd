// Picasa's .picasa.ini read as Picasa wrote it: its rect64 fractions (leading zeros left out), the contact names of
// version 3.9, names in character references, Windows line ends, and damaged entries passed over, not thrown on.
import { describe, expect, it } from 'vitest';
import { parsePicasaContactsXml, parsePicasaIni, parseRect64, PICASA_UNNAMED } from '../../../main/library/picasa-ini.js';

describe('parseRect64', () => {
  it('reads left, top, right, bottom as fractions of 65535, with the leading zeros Picasa leaves out', () => {
    const rect = parseRect64('3f845bcb59418507')!;
    expect(rect.x).toBeCloseTo(0x3f84 / 65535, 6);
    expect(rect.y).toBeCloseTo(0x5bcb / 65535, 6);
    expect(rect.x + rect.width).toBeCloseTo(0x5941 / 65535, 6);
    expect(rect.y + rect.height).toBeCloseTo(0x8507 / 65535, 6);
    // 15 digits: the left edge is under 0x1000.
    const short = parseRect64('1680000a5c26c82')!;
    expect(short.x).toBeCloseTo(0x0168 / 65535, 6);
    expect(short.y).toBe(0);
    expect(short.x + short.width).toBeCloseTo(0xa5c2 / 65535, 6);
    expect(short.y + short.height).toBeCloseTo(0x6c82 / 65535, 6);
  });

  it('refuses what is not a rectangle: empty, inverted, not hex, too long', () => {
    expect(parseRect64('')).toBeNull();
    expect(parseRect64('8000800040004000')).toBeNull();
    expect(parseRect64('4000400040008000')).toBeNull();
    expect(parseRect64('zz')).toBeNull();
    expect(parseRect64('10000000000000000')).toBeNull();
  });
});

describe('parsePicasaIni', () => {
  const INI = [
    '\uFEFF[Picasa]',
    'name=Summer 2009',
    '[Contacts2]',
    '8e62398ebda8c1a5=Rose Smith;;',
    'D10A8325C557B085=Zo&#235; Martin;zoe@example.com;',
    'bad id=Nobody;;',
    '[Contacts]',
    'd736528ba71f2254=joedoe_lh,6dc6a330c4804e8',
    '[IMG_0001.JPG]',
    'backuphash=36003',
    'faces=rect64(3f845bcb59418507),8e62398ebda8c1a5;rect64(9eb15e89b6b584c1),ffffffffffffffff',
    '[Caf&#233;.jpg]',
    'rotate=rotate(1)',
    'faces=rect64(1680000a5c26c82),d10a8325c557b085;rect64(notahex),8e62398ebda8c1a5;',
    '[IMG_0002.JPG]',
    'star=yes',
    '[.album:e2b3c4]',
    'name=Best of',
    '',
  ].join('\r\n');

  it('reads the contacts, each photo with faces, and the turns given in Picasa', () => {
    const ini = parsePicasaIni(INI);
    expect([...ini.contacts]).toEqual([
      ['8e62398ebda8c1a5', 'Rose Smith'],
      ['d10a8325c557b085', 'Zoë Martin'],
    ]);
    expect([...ini.photos.keys()]).toEqual(['IMG_0001.JPG', 'Café.jpg']);
    const first = ini.photos.get('IMG_0001.JPG')!;
    expect(first.quarterTurns).toBe(0);
    expect(first.faces.map((f) => f.contactId)).toEqual(['8e62398ebda8c1a5', PICASA_UNNAMED]);
    expect(first.faces[0].rect).toEqual(parseRect64('3f845bcb59418507'));
    const second = ini.photos.get('Café.jpg')!;
    expect(second.quarterTurns).toBe(1);
    expect(second.faces.map((f) => f.contactId)).toEqual(['d10a8325c557b085']);
    // The damaged entry is passed over and counted; the rest of the line is read.
    expect(ini.unreadableFaces).toBe(1);
  });

  it('never throws: text that is not an ini gives nothing', () => {
    for (const text of ['', '\u0000\u0001binary', 'faces=rect64(3f845bcb59418507),8e62398ebda8c1a5', '[unclosed\nfaces=x']) {
      const ini = parsePicasaIni(text);
      expect(ini.photos.size + ini.contacts.size).toBe(0);
    }
  });
});

describe('parsePicasaContactsXml', () => {
  it('reads the names Picasa kept before 3.9 wrote them into each folder, display names where there is no name', () => {
    const xml = `<?xml version="1.0" encoding="utf-8" ?>
<contacts>
 <contact id="8e62398ebda8c1a5" name="Rose Smith" display="Rose" modified_time="2011-03-05T10:12:00+00:00" local_contact="1"/>
 <contact id="d10a8325c557b085" display="Uncle Raj" modified_time="2011-03-05T10:12:00+00:00"/>
 <contact id="not hex" name="Nobody"/>
</contacts>`;
    expect([...parsePicasaContactsXml(xml)]).toEqual([
      ['8e62398ebda8c1a5', 'Rose Smith'],
      ['d10a8325c557b085', 'Uncle Raj'],
    ]);
    expect(parsePicasaContactsXml('not xml at all <<<').size).toBe(0);
  });
});
