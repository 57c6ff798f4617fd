// Face names as standard XMP face regions, so the names users give are not locked inside Familiar: digiKam,
// Lightroom, Immich, PiGallery2, Picasa and Windows Photo Gallery read and write the same metadata. Pure: text in,
// text out (no fs, no Electron).
//
// Coordinates. Familiar keeps face boxes in "display" pixels (after EXIF orientation). MWG regions (Guidelines 2.0,
// 5.9) and Microsoft Photo regions apply to the STORED image, before orientation. The EXIF orientation value names
// the transform that turns the stored image into the displayed one; for a point at normalized stored (u, v),
// origin top-left, the displayed point is:
//   1 normal              (u, v)          5 transpose            (v, u)
//   2 mirror horizontal   (1-u, v)        6 rotate 90° CW        (1-v, u)
//   3 rotate 180°         (1-u, 1-v)      7 transverse           (1-v, 1-u)
//   4 mirror vertical     (u, 1-v)        8 rotate 270° CW       (v, 1-u)
// Pixel check for 6: stored 4x3 with a lit pixel at column 1, row 0 (centre u=0.375, v=1/6) displays as 3x4 with
// that pixel at column 2, row 1 (centre 0.833, 0.375) — what libvips' autorotate (sharp .rotate()) does too; the
// tests check all eight against sharp.
import { createHash } from 'node:crypto';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';

/** Top-left corner and size, as fractions of the image's width and height. */
export interface NormalizedRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A named face; `rect` is in DISPLAY orientation (after EXIF orientation), top-left based. */
export interface XmpFaceRegion {
  name: string;
  rect: NormalizedRect;
  /**
   * false when Familiar wrote the region for a face it only grouped with the person (familiar:Confirmed="False"): a
   * guess, which another library reads back as one, not as the user's confirmation. Absent for every other writer.
   */
  confirmed?: false;
  /**
   * true when the region carries Familiar's mark and is still exactly as Familiar wrote it (familiar:RegionDigest):
   * Familiar's own, even in a sidecar another app wrote or changed. Absent for every other region.
   */
  byFamiliar?: true;
}

/**
 * The people the user said a face is not ("No, not Rose"), as Familiar writes them (familiar:NotNames): a top-level
 * list keyed by the face's box, not a field of its MWG region, so it outlives another app rewriting the region list,
 * and holds the faces that have no name at all (most of them: saying "not Rose" leaves a face unknown).
 */
export interface XmpNotNames {
  /** Display orientation, top-left based. */
  rect: NormalizedRect;
  /** NFC-normalized, trimmed, none empty. */
  names: string[];
}

export interface ParsedXmpRegions {
  /** Named face regions (MWG type Face or no type; MP regions with a display name), names NFC-normalized and trimmed. */
  regions: XmpFaceRegion[];
  /** Familiar's record of who each face is not (XmpNotNames); entries without a readable box or name are left out. */
  notNames: XmpNotNames[];
  /**
   * Face regions without a name, by place (display orientation): faces another app marked and nobody named. The names
   * import looks closer there for faces the detector missed (main/people/xmp-names.ts).
   */
  unnamedFaces: NormalizedRect[];
  /** The packet carries Familiar's marker (familiar:ExportedAt). */
  writtenByFamiliar: boolean;
  /**
   * The sidecar is another app's, and Familiar wrote only its own regions into it (familiar:Writes="regions", see
   * mergeIntoSidecar): its other regions are that app's.
   */
  sharedWithOtherApp: boolean;
  /** The picture Familiar wrote it for (familiar:PhotoId, the photo's content id), when it said. */
  photoId: string | null;
  /** The packet holds something Familiar would not have written (other properties, other tags or regions). */
  hasOtherContent: boolean;
  /** The image size the MWG regions were drawn on (mwg-rs:AppliedToDimensions, pixels), when the writer gave it. */
  appliedTo: { width: number; height: number } | null;
  /**
   * Who the photo shows by its people keywords, without saying which face (peopleKeywords): Lightroom's "People|Anna"
   * (lr:hierarchicalSubject) and digiKam's "People/Anna" tags (digiKam:TagsList), the last level of each, and IPTC's
   * Person Shown (Iptc4xmpExt:PersonInImage). Distinct, NFC-normalized, in the order written.
   */
  peopleKeywords: string[];
}

/** The text is not XML, or is XML but not XMP. */
export class XmpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmpError';
  }
}

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xml: 'http://www.w3.org/XML/1998/namespace',
  xmlns: 'http://www.w3.org/2000/xmlns/',
  x: 'adobe:ns:meta/',
  familiar: 'https://familiar.app/ns/1.0/',
  mwgRs: 'http://www.metadataworkinggroup.com/schemas/regions/',
  stArea: 'http://ns.adobe.com/xmp/sType/Area#',
  stDim: 'http://ns.adobe.com/xap/1.0/sType/Dimensions#',
  dc: 'http://purl.org/dc/elements/1.1/',
  lr: 'http://ns.adobe.com/lightroom/1.0/',
  digiKam: 'http://www.digikam.org/ns/1.0/',
  mp: 'http://ns.microsoft.com/photo/1.2/',
  mpri: 'http://ns.microsoft.com/photo/1.2/t/RegionInfo#',
  mpReg: 'http://ns.microsoft.com/photo/1.2/t/Region#',
  iptcExt: 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/',
} as const;

/** XMP names a property by its namespace URI followed by its local name, whatever prefix the file uses. */
const propertyKey = (namespace: string, localName: string): string => namespace + localName;

const KEY = {
  regions: propertyKey(NS.mwgRs, 'Regions'),
  appliedToDimensions: propertyKey(NS.mwgRs, 'AppliedToDimensions'),
  regionList: propertyKey(NS.mwgRs, 'RegionList'),
  regionName: propertyKey(NS.mwgRs, 'Name'),
  regionType: propertyKey(NS.mwgRs, 'Type'),
  regionArea: propertyKey(NS.mwgRs, 'Area'),
  areaX: propertyKey(NS.stArea, 'x'),
  areaY: propertyKey(NS.stArea, 'y'),
  areaW: propertyKey(NS.stArea, 'w'),
  areaH: propertyKey(NS.stArea, 'h'),
  areaUnit: propertyKey(NS.stArea, 'unit'),
  dimW: propertyKey(NS.stDim, 'w'),
  dimH: propertyKey(NS.stDim, 'h'),
  subject: propertyKey(NS.dc, 'subject'),
  hierarchicalSubject: propertyKey(NS.lr, 'hierarchicalSubject'),
  tagsList: propertyKey(NS.digiKam, 'TagsList'),
  personInImage: propertyKey(NS.iptcExt, 'PersonInImage'),
  mpRegionInfo: propertyKey(NS.mp, 'RegionInfo'),
  mpRegions: propertyKey(NS.mpri, 'Regions'),
  mpRectangle: propertyKey(NS.mpReg, 'Rectangle'),
  mpPersonDisplayName: propertyKey(NS.mpReg, 'PersonDisplayName'),
  exportedAt: propertyKey(NS.familiar, 'ExportedAt'),
  photoId: propertyKey(NS.familiar, 'PhotoId'),
  regionConfirmed: propertyKey(NS.familiar, 'Confirmed'),
  regionDigest: propertyKey(NS.familiar, 'RegionDigest'),
  writes: propertyKey(NS.familiar, 'Writes'),
  addedKeywords: propertyKey(NS.familiar, 'AddedKeywords'),
  notNames: propertyKey(NS.familiar, 'NotNames'),
  notNamesArea: propertyKey(NS.familiar, 'Area'),
  notNamesNames: propertyKey(NS.familiar, 'Names'),
  rdfValue: propertyKey(NS.rdf, 'value'),
} as const;

/** Top-level properties buildFamiliarSidecar writes (any familiar: property counts as ours too). */
const FAMILIAR_PROPERTIES: ReadonlySet<string> = new Set([KEY.regions, KEY.subject, KEY.hierarchicalSubject, KEY.tagsList, KEY.personInImage, KEY.mpRegionInfo]);

const PEOPLE_HIERARCHY_LIGHTROOM = 'People|';
const PEOPLE_HIERARCHY_DIGIKAM = 'People/';
/**
 * Top levels of keyword hierarchies that hold people (ParsedXmpRegions.peopleKeywords), in the languages digiKam's and
 * Lightroom's users name them in, lower case.
 */
const PEOPLE_ROOTS: ReadonlySet<string> = new Set(['people', 'persons', 'personen', 'personnes', 'persone', 'personas', 'pessoas', 'personer', 'osoby', 'люди']);
/** digiKam's own tags under People for faces it has no name for: not people. */
const DIGIKAM_FACE_STATES: ReadonlySet<string> = new Set(['unknown', 'unconfirmed', 'ignored']);
/**
 * A name as the last level of a keyword hierarchy: the hierarchy's own separator inside it would make levels of it
 * ("Mum/Mom" under People/ is People › Mum › Mom), so it becomes a look-alike that is not a separator.
 */
const hierarchyLeaf = (prefix: string, name: string): string =>
  prefix + (prefix === PEOPLE_HIERARCHY_LIGHTROOM ? name.replace(/\|/g, '\u00A6') : name.replace(/\//g, '\u2215'));
/**
 * How familiar:AddedKeywords records a name Familiar added to IPTC's Person Shown. It is the bare name there, as in
 * dc:subject, so it is recorded under a prefix of its own: one record for both lists would let a Person Shown the
 * user had typed go when Familiar took back the dc:subject keyword it added.
 */
const PERSON_SHOWN_RECORD = 'Person Shown|';
/** Writers round and pad; values this far outside [0, 1] are clamped, further ones mean a broken region. */
const RANGE_TOLERANCE = 0.01;
/** MWG and MP copies of one face are the same face when their rects overlap this much (and the names agree). */
const SAME_FACE_IOU = 0.5;
/** RDF nesting deeper than this is not region metadata; cut it off rather than recurse without bound. */
const MAX_RDF_DEPTH = 32;
const DECIMALS = 6;
/** familiar:Writes: Familiar wrote the whole sidecar, or only its own regions into another app's (mergeIntoSidecar). */
const WRITES_SIDECAR = 'sidecar';
const WRITES_REGIONS = 'regions';
/** Familiar's mark on each region it writes (mwgDigest, mpDigest). */
const REGION_DIGEST_ATTRIBUTE = 'familiar:RegionDigest';

// ---------------------------------------------------------------------------------------------------------------
// Orientation

/** EXIF orientation 1-8; anything else (missing, 0, garbage) means 1, as EXIF prescribes for a missing tag. */
function validOrientation(orientation: number): number {
  return Number.isInteger(orientation) && orientation >= 1 && orientation <= 8 ? orientation : 1;
}

/** Orientations 5-8 turn the image a quarter, so display width is stored height. */
function swapsAxes(orientation: number): boolean {
  return validOrientation(orientation) >= 5;
}

const mirrorsHorizontally = (orientation: number) => [2, 3, 6, 7].includes(validOrientation(orientation));
const mirrorsVertically = (orientation: number) => [3, 4, 7, 8].includes(validOrientation(orientation));

/** 6 and 8 undo each other; every other orientation is its own inverse (identity, mirrors, 180°, transpositions). */
function inverseOrientation(orientation: number): number {
  const valid = validOrientation(orientation);
  return valid === 6 ? 8 : valid === 8 ? 6 : valid;
}

/** A normalized rect on the stored image, mapped onto the displayed image. */
export function storedToDisplayRect(rect: NormalizedRect, orientation: number): NormalizedRect {
  // Every orientation is a transpose (5-8) followed by mirrors: e.g. 6, (u, v) → (v, u) → (1 - v, u). Moving the
  // rect as a whole, rather than its corners, keeps sizes exact.
  let { x, y, width, height } = rect;
  if (swapsAxes(orientation)) [x, y, width, height] = [y, x, height, width];
  if (mirrorsHorizontally(orientation)) x = 1 - x - width;
  if (mirrorsVertically(orientation)) y = 1 - y - height;
  return { x, y, width, height };
}

/** A normalized rect on the displayed image, mapped back onto the stored image. */
export function displayToStoredRect(rect: NormalizedRect, orientation: number): NormalizedRect {
  return storedToDisplayRect(rect, inverseOrientation(orientation));
}

/** The stored image's size, from its display size and EXIF orientation. */
export function storedDimensions(displayWidth: number, displayHeight: number, orientation: number): { width: number; height: number } {
  return swapsAxes(orientation) ? { width: displayHeight, height: displayWidth } : { width: displayWidth, height: displayHeight };
}

/** The part of `rect` inside the image, or null when nothing of it is. */
function clampToImage(rect: NormalizedRect): NormalizedRect | null {
  const left = Math.max(0, rect.x);
  const top = Math.max(0, rect.y);
  const right = Math.min(1, rect.x + rect.width);
  const bottom = Math.min(1, rect.y + rect.height);
  if (!(right > left && bottom > top)) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function intersectionOverUnion(a: NormalizedRect, b: NormalizedRect): number {
  const overlapWidth = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const overlapHeight = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const overlap = overlapWidth * overlapHeight;
  const union = a.width * a.height + b.width * b.height - overlap;
  return union > 0 ? overlap / union : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading RDF/XML into plain values

/** XMP's data model: a simple (text) value, a struct (fields by property key) or an array (Bag, Seq, Alt). */
type XmpValue = { kind: 'text'; text: string } | XmpStruct | { kind: 'array'; items: XmpValue[] };
type XmpStruct = { kind: 'struct'; fields: Map<string, XmpValue[]> };

const EMPTY_TEXT: XmpValue = { kind: 'text', text: '' };
const ELEMENT_NODE = 1;

function childElements(element: Element): Element[] {
  const elements: Element[] = [];
  for (const child of element.childNodes) if (child.nodeType === ELEMENT_NODE) elements.push(child as Element);
  return elements;
}

function isRdf(element: Element, localName: string): boolean {
  return element.namespaceURI === NS.rdf && element.localName === localName;
}

function addField(fields: Map<string, XmpValue[]>, key: string, value: XmpValue): void {
  const values = fields.get(key);
  if (values) values.push(value);
  else fields.set(key, [value]);
}

/** Attributes that are properties (`mwg-rs:Name="Rose"`), not RDF syntax, namespace declarations or xml:lang. */
function addPropertyAttributes(element: Element, fields: Map<string, XmpValue[]>): void {
  for (const attribute of element.attributes) {
    const namespace = attribute.namespaceURI;
    if (!namespace || namespace === NS.rdf || namespace === NS.xmlns || namespace === NS.xml || !attribute.localName) continue;
    addField(fields, propertyKey(namespace, attribute.localName), { kind: 'text', text: attribute.value });
  }
}

function addPropertyElements(element: Element, fields: Map<string, XmpValue[]>, depth: number): void {
  for (const child of childElements(element)) {
    if (!child.namespaceURI || !child.localName) continue;
    addField(fields, propertyKey(child.namespaceURI, child.localName), readPropertyElement(child, depth + 1));
  }
}

/** An rdf:Description (or a typed node): its properties as attributes and as child elements. */
function readNodeElement(element: Element, depth: number): XmpStruct {
  const fields = new Map<string, XmpValue[]>();
  addPropertyAttributes(element, fields);
  addPropertyElements(element, fields, depth);
  return { kind: 'struct', fields };
}

/** The value of a property element, in any of RDF/XML's spellings. */
function readPropertyElement(element: Element, depth: number): XmpValue {
  if (depth > MAX_RDF_DEPTH) return EMPTY_TEXT;
  const resource = element.getAttributeNS(NS.rdf, 'resource');
  if (resource !== null) return { kind: 'text', text: resource };
  const parseType = element.getAttributeNS(NS.rdf, 'parseType');
  if (parseType === 'Resource') return readNodeElement(element, depth);
  if (parseType === 'Literal') return { kind: 'text', text: element.textContent ?? '' };

  const children = childElements(element);
  if (children.length === 1) {
    const [child] = children;
    if (isRdf(child, 'Bag') || isRdf(child, 'Seq') || isRdf(child, 'Alt')) {
      const items = childElements(child)
        .filter((item) => isRdf(item, 'li'))
        .map((item) => readPropertyElement(item, depth + 1));
      return { kind: 'array', items };
    }
    return readNodeElement(child, depth + 1);
  }
  if (children.length > 1) return readNodeElement(element, depth); // not valid RDF; read the children as fields
  const fields = new Map<string, XmpValue[]>();
  addPropertyAttributes(element, fields);
  if (fields.size > 0) return { kind: 'struct', fields }; // empty property element with property attributes
  return { kind: 'text', text: element.textContent ?? '' };
}

function textOf(value: XmpValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'text') return value.text;
  if (value.kind === 'array') return textOf(value.items[0]); // an Alt's default language comes first
  return textOf(value.fields.get(KEY.rdfValue)?.[0]); // a qualified value
}

function fieldText(struct: XmpValue | undefined, key: string): string | undefined {
  return struct?.kind === 'struct' ? textOf(struct.fields.get(key)?.[0]) : undefined;
}

function fieldValue(struct: XmpValue | undefined, key: string): XmpValue | undefined {
  return struct?.kind === 'struct' ? struct.fields.get(key)?.[0] : undefined;
}

function arrayItems(value: XmpValue | undefined): XmpValue[] {
  if (!value) return [];
  return value.kind === 'array' ? value.items : [value]; // a lone value where an array belongs: read it as one item
}

const DECIMAL_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A plain decimal number, or NaN (Number() would take "", "0x1f" and "Infinity"). */
function parseDecimal(text: string | undefined): number {
  const trimmed = text?.trim() ?? '';
  return DECIMAL_NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function normalizeName(text: string | undefined): string {
  return (text ?? '').normalize('NFC').trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

interface FaceCandidate {
  /** null: a face without a name. */
  name: string | null;
  /** Familiar's marker for a face it only grouped (XmpFaceRegion.confirmed). */
  unconfirmed?: boolean;
  /** XmpFaceRegion.byFamiliar. */
  byFamiliar?: boolean;
  /** Display orientation. */
  rect: NormalizedRect;
}

/**
 * A stored-image rect from numbers a writer gave, or null when they are missing, non-finite or clearly out of
 * range. Boxes of faces at the border may stick out of the image: the part inside is kept, as long as the centre
 * is in the image.
 */
function acceptedRect(left: number, top: number, width: number, height: number): NormalizedRect | null {
  const inRange = (n: number) => n >= -RANGE_TOLERANCE && n <= 1 + RANGE_TOLERANCE;
  if (![left, top, width, height].every(Number.isFinite)) return null;
  if (!(width > 0 && height > 0 && width <= 1 + RANGE_TOLERANCE && height <= 1 + RANGE_TOLERANCE)) return null;
  if (!inRange(left + width / 2) || !inRange(top + height / 2)) return null;
  return clampToImage({ x: left, y: top, width, height });
}

/** An MWG stArea (centre, size) as a top-left rect. Pixel units are converted with AppliedToDimensions. */
function readMwgArea(area: XmpValue | undefined, dimensions: XmpValue | undefined): NormalizedRect | null {
  const unit = fieldText(area, KEY.areaUnit)?.trim() ?? 'normalized';
  let scaleX = 1;
  let scaleY = 1;
  if (unit === 'pixel') {
    scaleX = parseDecimal(fieldText(dimensions, KEY.dimW));
    scaleY = parseDecimal(fieldText(dimensions, KEY.dimH));
    if (!(scaleX > 0 && scaleY > 0)) return null;
  } else if (unit !== 'normalized') {
    return null;
  }
  const width = parseDecimal(fieldText(area, KEY.areaW)) / scaleX;
  const height = parseDecimal(fieldText(area, KEY.areaH)) / scaleY;
  const left = parseDecimal(fieldText(area, KEY.areaX)) / scaleX - width / 2;
  const top = parseDecimal(fieldText(area, KEY.areaY)) / scaleY - height / 2;
  return acceptedRect(left, top, width, height);
}

/** Microsoft's "x, y, w, h" (top-left, normalized). */
function readMpRectangle(text: string | undefined): NormalizedRect | null {
  const parts = (text ?? '').split(',');
  if (parts.length !== 4) return null;
  const [left, top, width, height] = parts.map(parseDecimal);
  return acceptedRect(left, top, width, height);
}

/** Where the packet starts and ends: after a BOM and whitespace, before the NUL padding some writers leave after an embedded packet. */
function paddingBounds(xml: string): { start: number; end: number } {
  const isPadding = (char: string) => char === '\uFEFF' || char === '\0' || char.trim() === '';
  let start = 0;
  let end = xml.length;
  while (start < end && isPadding(xml[start])) start++;
  while (end > start && isPadding(xml[end - 1])) end--;
  return { start, end };
}

/** Without a BOM and surrounding whitespace, nor the NUL padding some writers leave after an embedded packet. */
function withoutPadding(xml: string): string {
  const { start, end } = paddingBounds(xml);
  return xml.slice(start, end);
}

function parseXmlDocument(xml: string) {
  let firstProblem: string | undefined;
  const parser = new DOMParser({
    onError(level, message) {
      if (level === 'warning') return;
      firstProblem ??= String(message).split('\n')[0];
      throw new XmpError(firstProblem);
    },
  });
  try {
    return parser.parseFromString(withoutPadding(xml), 'text/xml');
  } catch (error) {
    const detail = firstProblem ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
    throw new XmpError(`The XMP text is not well-formed XML: ${detail}.`);
  }
}

/**
 * Parse an XMP packet (a .xmp sidecar's text, or the XMP embedded in a JPEG). `orientation` is the photo's EXIF
 * orientation (1-8), used to map stored-image regions into display orientation. Throws only an XmpError, when the
 * text is not XML or not XMP; regions with missing, non-finite or out-of-range numbers are skipped.
 */
export function parseXmpRegions(xml: string, orientation: number): ParsedXmpRegions {
  if (typeof xml !== 'string') throw new XmpError('The XMP packet is not text.');
  const document = parseXmlDocument(xml);
  const rdfRoots = [...document.getElementsByTagNameNS(NS.rdf, 'RDF')];
  if (rdfRoots.length === 0) throw new XmpError('The text is XML but not XMP: it has no rdf:RDF element.');

  // XMP writers split properties over several rdf:Description blocks (exiftool: one per namespace); merge them.
  const properties = new Map<string, XmpValue[]>();
  let hasOtherContent = false;
  for (const rdfRoot of rdfRoots) {
    for (const node of childElements(rdfRoot)) {
      if (!isRdf(node, 'Description')) hasOtherContent = true; // a typed node: not something Familiar writes
      for (const [key, values] of readNodeElement(node, 0).fields) for (const value of values) addField(properties, key, value);
    }
  }
  for (const key of properties.keys()) {
    if (!FAMILIAR_PROPERTIES.has(key) && !key.startsWith(NS.familiar)) hasOtherContent = true;
  }

  const mwgFaces: FaceCandidate[] = [];
  let appliedTo: ParsedXmpRegions['appliedTo'] = null;
  for (const regions of properties.get(KEY.regions) ?? []) {
    const dimensions = fieldValue(regions, KEY.appliedToDimensions);
    const [width, height] = [parseDecimal(fieldText(dimensions, KEY.dimW)), parseDecimal(fieldText(dimensions, KEY.dimH))];
    if (width > 0 && height > 0) appliedTo ??= { width, height };
    for (const region of arrayItems(fieldValue(regions, KEY.regionList))) {
      const type = fieldText(region, KEY.regionType)?.trim();
      const name = normalizeName(fieldText(region, KEY.regionName));
      const storedRect = readMwgArea(fieldValue(region, KEY.regionArea), dimensions);
      // Only faces: Pet, Focus, BarCode regions are someone else's. A region without a type counts as a face
      // only when it is named (Picasa and older writers leave Type out).
      const isFace = type === undefined || type === '' ? name !== '' : type.toLowerCase() === 'face';
      if (!isFace || !storedRect || name === '') hasOtherContent = true;
      if (!isFace || !storedRect) continue;
      const unconfirmed = fieldText(region, KEY.regionConfirmed)?.trim().toLowerCase() === 'false';
      const byFamiliar = mwgRegionIsFamiliars(region);
      mwgFaces.push({ name: name || null, rect: storedToDisplayRect(storedRect, orientation), ...(unconfirmed ? { unconfirmed } : {}), ...(byFamiliar ? { byFamiliar } : {}) });
    }
  }

  const mpFaces: FaceCandidate[] = [];
  for (const regionInfo of properties.get(KEY.mpRegionInfo) ?? []) {
    for (const region of arrayItems(fieldValue(regionInfo, KEY.mpRegions))) {
      const name = normalizeName(fieldText(region, KEY.mpPersonDisplayName));
      const storedRect = readMpRectangle(fieldText(region, KEY.mpRectangle));
      if (!storedRect || name === '') hasOtherContent = true;
      if (!storedRect) continue;
      mpFaces.push({ name: name || null, rect: storedToDisplayRect(storedRect, orientation), ...(mpRegionIsFamiliars(region) ? { byFamiliar: true } : {}) });
    }
  }

  // Writers that speak both dialects (Familiar, digiKam) describe each face twice: keep the MWG copy.
  const isMwgDuplicate = (face: FaceCandidate) =>
    mwgFaces.some((mwg) => mwg.name === face.name && intersectionOverUnion(mwg.rect, face.rect) > SAME_FACE_IOU);
  // A Microsoft region Familiar wrote (its mark still holds) is only ever the copy of one of its MWG regions, for
  // Windows: read with it, never instead of it. Without an MWG twin of the same name, another app renamed or removed
  // that region, and the copy it did not know to change is stale (QA: exiftool's RegionName=Ygritte left
  // "Rose" in the Microsoft region, and a fresh library took one or the other, photo by photo).
  const faces = [...mwgFaces, ...mpFaces.filter((face) => !face.byFamiliar && !isMwgDuplicate(face))];

  const regions: XmpFaceRegion[] = [];
  const unnamedFaces: NormalizedRect[] = [];
  for (const face of faces) {
    if (face.name === null) unnamedFaces.push(face.rect);
    else regions.push({ name: face.name, rect: face.rect, ...(face.unconfirmed ? { confirmed: false as const } : {}), ...(face.byFamiliar ? { byFamiliar: true as const } : {}) });
  }

  // Keywords Familiar writes are exactly the region names; any other keyword is someone else's.
  const names = new Set(regions.map((region) => region.name));
  const keywordsOnlyNames = (key: string, prefix: string) => {
    const keywords = new Set([...names].map((name) => (prefix === '' ? name : hierarchyLeaf(prefix, name))));
    return (properties.get(key) ?? []).every((value) =>
      arrayItems(value).every((item) => {
        const keyword = normalizeName(textOf(item));
        return keywords.has(keyword);
      }),
    );
  };
  const keywordsAreOurs =
    keywordsOnlyNames(KEY.subject, '') &&
    keywordsOnlyNames(KEY.hierarchicalSubject, PEOPLE_HIERARCHY_LIGHTROOM) &&
    keywordsOnlyNames(KEY.tagsList, PEOPLE_HIERARCHY_DIGIKAM) &&
    keywordsOnlyNames(KEY.personInImage, '');
  if (!keywordsAreOurs) hasOtherContent = true;

  const photoId = textOf(properties.get(KEY.photoId)?.[0])?.trim() || null;
  const sharedWithOtherApp = textOf(properties.get(KEY.writes)?.[0])?.trim() === WRITES_REGIONS;
  const notNames = readNotNames(properties.get(KEY.notNames) ?? [], orientation);
  return {
    regions,
    notNames,
    unnamedFaces,
    writtenByFamiliar: properties.has(KEY.exportedAt),
    sharedWithOtherApp,
    photoId,
    hasOtherContent,
    appliedTo,
    peopleKeywords: peopleKeywords(properties),
  };
}

/**
 * The people a photo's keyword hierarchies name (ParsedXmpRegions.peopleKeywords): every keyword under a top level
 * "People" (any case, or as PEOPLE_ROOTS says it in other languages; "People|Family|Anna" is Anna), its last level,
 * with the look-alikes hierarchyLeaf writes for a separator inside a name turned back; and IPTC's Person Shown.
 */
function peopleKeywords(properties: ReadonlyMap<string, readonly XmpValue[]>): string[] {
  const out: string[] = [];
  const read = (key: string, separator: string, lookAlike: string) => {
    for (const value of properties.get(key) ?? []) {
      for (const item of arrayItems(value)) {
        const levels = (textOf(item) ?? '').split(separator).map((level) => level.trim());
        if (levels.length < 2 || !PEOPLE_ROOTS.has(levels[0].toLowerCase())) continue;
        const name = normalizeName(levels[levels.length - 1].replaceAll(lookAlike, separator));
        // digiKam files the faces it has no name for under People/Unknown (and Unconfirmed, Ignored).
        if (name === '' || (separator === '/' && levels.length === 2 && DIGIKAM_FACE_STATES.has(name.toLowerCase()))) continue;
        if (!out.includes(name)) out.push(name);
      }
    }
  };
  read(KEY.hierarchicalSubject, '|', '\u00A6');
  read(KEY.tagsList, '/', '\u2215');
  // IPTC's "Person Shown" (Lightroom's IPTC Extension panel, Photo Mechanic, Bridge, osxphotos' Apple Photos exports):
  // names only, no hierarchy.
  for (const value of properties.get(KEY.personInImage) ?? []) {
    for (const item of arrayItems(value)) {
      const name = normalizeName(textOf(item));
      if (name !== '' && !out.includes(name)) out.push(name);
    }
  }
  return out;
}

/** One familiar:NotNames entry as written: its area's four numbers as text (normalized, on the stored image) and its names. */
interface StoredNotNames {
  area: string[];
  names: string[];
}

/** The entries of familiar:NotNames values, as their text says; a value that is no list, or an item that is no struct, gives none. */
function storedNotNames(values: readonly XmpValue[]): StoredNotNames[] {
  return values.flatMap((value) =>
    value.kind !== 'array'
      ? []
      : value.items.map((item) => {
          const area = fieldValue(item, KEY.notNamesArea);
          const names = arrayItems(fieldValue(item, KEY.notNamesNames)).map((name) => normalizeName(textOf(name)));
          return { area: [KEY.areaX, KEY.areaY, KEY.areaW, KEY.areaH, KEY.areaUnit].map((key) => fieldText(area, key)?.trim() ?? ''), names };
        }),
  );
}

/**
 * Familiar's record of who each face is not (familiar:NotNames), read as leniently as regions are: an entry whose box
 * is missing, garbled or outside the photo, or that names nobody, is left out, and the rest of the packet is read as
 * usual (another tool may have mangled it; nothing else depends on it).
 */
function readNotNames(values: readonly XmpValue[], orientation: number): XmpNotNames[] {
  const out: XmpNotNames[] = [];
  for (const { area, names } of storedNotNames(values)) {
    const [x, y, w, h, unit] = area;
    if (unit !== '' && unit !== 'normalized') continue;
    const [centerX, centerY, width, height] = [x, y, w, h].map(parseDecimal);
    const stored = acceptedRect(centerX - width / 2, centerY - height / 2, width, height);
    const named = [...new Set(names.filter((name) => name !== ''))];
    if (stored && named.length > 0) out.push({ rect: storedToDisplayRect(stored, orientation), names: named });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** Characters XML 1.0 cannot carry at all, not even as character references (C0 controls, lone surrogates, U+FFFE/F). */
const NOT_XML_CHARACTERS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

/** Also escapes quotes, and whitespace that attribute-value normalization would turn into spaces. */
function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;');
}

/** NFC, on one line (keyword lists are line-oriented in most tools), without characters XML cannot hold. */
function sanitizeName(name: string): string {
  return name.normalize('NFC').replace(NOT_XML_CHARACTERS, '').replace(/[\t\n\r]+/g, ' ').trim();
}

const decimal = (n: number): string => n.toFixed(DECIMALS);

interface ExportedFace {
  name: string;
  /** Normalized, on the stored image. */
  stored: NormalizedRect;
  /** Normalized, on the displayed image. */
  display: NormalizedRect;
  confirmed: boolean;
}

/** The faces of `input` Familiar writes: named, inside the photo, names made safe for XML. */
function exportedFaces(input: SidecarInput): ExportedFace[] {
  const { displayWidth, displayHeight, orientation } = input;
  if (!(Number.isFinite(displayWidth) && Number.isFinite(displayHeight) && displayWidth > 0 && displayHeight > 0)) {
    throw new RangeError(`Cannot export face regions for a photo of ${displayWidth}x${displayHeight} pixels.`);
  }
  const faces: ExportedFace[] = [];
  for (const face of input.faces) {
    const name = sanitizeName(face.name);
    const { x, y, width, height } = face.box;
    const display = rectFromFiniteBox(x / displayWidth, y / displayHeight, width / displayWidth, height / displayHeight);
    if (name === '' || !display) continue;
    faces.push({ name, stored: displayToStoredRect(display, orientation), display, confirmed: face.confirmed !== false });
  }
  return faces;
}

/** Who a face is not, as Familiar writes it: the face's box on the stored image, and the names, made safe for XML. */
interface ExportedNotNames {
  stored: NormalizedRect;
  names: string[];
}

/** The entries of `input.notNames` Familiar writes: inside the photo, naming someone (in the order given, names sorted). */
function exportedNotNames(input: SidecarInput): ExportedNotNames[] {
  const { displayWidth, displayHeight, orientation } = input;
  const out: ExportedNotNames[] = [];
  for (const entry of input.notNames ?? []) {
    const names = [...new Set(entry.names.map(sanitizeName).filter((name) => name !== ''))].sort();
    const { x, y, width, height } = entry.box;
    const display = rectFromFiniteBox(x / displayWidth, y / displayHeight, width / displayWidth, height / displayHeight);
    if (names.length > 0 && display) out.push({ stored: displayToStoredRect(display, orientation), names });
  }
  return out;
}

/** What exportedNotNames writes, as StoredNotNames reads it back: equal when the sidecar already says it. */
const notNamesAsWritten = (entries: readonly ExportedNotNames[]): StoredNotNames[] => entries.map(({ stored, names }) => ({ area: [...mwgAreaValues(stored), 'normalized'], names }));

/** An MWG area's centre and size as written (normalized, fixed decimals): what its digest is of. */
function mwgAreaValues(rect: NormalizedRect): [string, string, string, string] {
  const [centerX, centerY] = [rect.x + rect.width / 2, rect.y + rect.height / 2].map(decimal);
  return [centerX, centerY, decimal(rect.width), decimal(rect.height)];
}

const mpRectangleValue = (rect: NormalizedRect): string => [rect.x, rect.y, rect.width, rect.height].map(decimal).join(', ');

/**
 * Familiar's mark on each region it writes (familiar:RegionDigest): a digest of the region's name and place. A
 * region whose mark still holds is Familiar's to replace, in any sidecar; one another app renamed or moved no longer
 * matches it, and is that app's from then on (QA: a name changed with exiftool was overwritten).
 */
function mwgDigest(name: string, area: readonly string[]): string {
  return sha256(['mwg', name, ...area].join('\n')).slice(0, 16);
}

function mpDigest(name: string, rectangle: string): string {
  return sha256(['mp', name, rectangle].join('\n')).slice(0, 16);
}

function mwgRegionIsFamiliars(region: XmpValue): boolean {
  const digest = fieldText(region, KEY.regionDigest)?.trim();
  if (!digest) return false;
  const area = fieldValue(region, KEY.regionArea);
  const values = [KEY.areaX, KEY.areaY, KEY.areaW, KEY.areaH].map((key) => fieldText(area, key)?.trim() ?? '');
  return digest === mwgDigest(normalizeName(fieldText(region, KEY.regionName)), values);
}

function mpRegionIsFamiliars(region: XmpValue): boolean {
  const digest = fieldText(region, KEY.regionDigest)?.trim();
  if (!digest) return false;
  return digest === mpDigest(normalizeName(fieldText(region, KEY.mpPersonDisplayName)), fieldText(region, KEY.mpRectangle)?.trim() ?? '');
}

function mwgRegionsXml(faces: ExportedFace[], stored: { width: number; height: number }, appliedTo: { width: string; height: string } | null): string[] {
  const [width, height] = appliedTo ? [escapeAttribute(appliedTo.width), escapeAttribute(appliedTo.height)] : [stored.width, stored.height];
  const lines = [
    '   <mwg-rs:Regions rdf:parseType="Resource">',
    `    <mwg-rs:AppliedToDimensions stDim:w="${width}" stDim:h="${height}" stDim:unit="pixel"/>`,
    '    <mwg-rs:RegionList>',
    '     <rdf:Bag>',
  ];
  for (const { name, stored: rect, confirmed } of faces) {
    const [centerX, centerY, width, height] = mwgAreaValues(rect);
    const digest = mwgDigest(name, [centerX, centerY, width, height]);
    lines.push(
      '      <rdf:li>',
      `       <rdf:Description mwg-rs:Name="${escapeAttribute(name)}" mwg-rs:Type="Face"${confirmed === false ? ' familiar:Confirmed="False"' : ''} ${REGION_DIGEST_ATTRIBUTE}="${digest}">`,
      `        <mwg-rs:Area stArea:x="${centerX}" stArea:y="${centerY}" stArea:w="${width}" stArea:h="${height}" stArea:unit="normalized"/>`,
      '       </rdf:Description>',
      '      </rdf:li>',
    );
  }
  lines.push('     </rdf:Bag>', '    </mwg-rs:RegionList>', '   </mwg-rs:Regions>');
  return lines;
}

function mpRegionsXml(faces: ExportedFace[]): string[] {
  const lines = ['   <MP:RegionInfo rdf:parseType="Resource">', '    <MPRI:Regions>', '     <rdf:Bag>'];
  for (const { name, stored: rect } of faces) {
    const rectangle = mpRectangleValue(rect);
    lines.push(
      '      <rdf:li>',
      `       <rdf:Description MPReg:PersonDisplayName="${escapeAttribute(name)}" MPReg:Rectangle="${rectangle}" ${REGION_DIGEST_ATTRIBUTE}="${mpDigest(name, rectangle)}"/>`,
      '      </rdf:li>',
    );
  }
  lines.push('     </rdf:Bag>', '    </MPRI:Regions>', '   </MP:RegionInfo>');
  return lines;
}

/**
 * familiar:NotNames: a Bag with one struct per face, its box as an stArea (centre and size on the stored image, as an
 * MWG region's) and the names it is not. Other apps ignore a namespace they do not know.
 */
function notNamesXml(entries: readonly ExportedNotNames[]): string[] {
  const lines = ['   <familiar:NotNames>', '    <rdf:Bag>'];
  for (const { stored, names } of entries) {
    const [centerX, centerY, width, height] = mwgAreaValues(stored);
    lines.push(
      '     <rdf:li rdf:parseType="Resource">',
      `      <familiar:Area stArea:x="${centerX}" stArea:y="${centerY}" stArea:w="${width}" stArea:h="${height}" stArea:unit="normalized"/>`,
      ...keywordListXml('familiar:Names', 'rdf:Bag', names).map((line) => `   ${line}`),
      '     </rdf:li>',
    );
  }
  lines.push('    </rdf:Bag>', '   </familiar:NotNames>');
  return lines;
}

function keywordListXml(element: string, container: 'rdf:Bag' | 'rdf:Seq', keywords: string[]): string[] {
  return [
    `   <${element}>`,
    `    <${container}>`,
    ...keywords.map((keyword) => `     <rdf:li>${escapeText(keyword)}</rdf:li>`),
    `    </${container}>`,
    `   </${element}>`,
  ];
}

/**
 * Build a complete XMP sidecar (.xmp file text, UTF-8, in an <?xpacket?> wrapper) with MWG face regions, dc:subject,
 * lr:hierarchicalSubject ("People|name"), digiKam:TagsList ("People/name"), IPTC's Person Shown
 * (Iptc4xmpExt:PersonInImage: Lightroom's IPTC panel, Photo Mechanic, Bridge), Microsoft Photo regions, who faces are not
 * (familiar:NotNames), and Familiar's marker (familiar:ExportedAt, x:xmptk="Familiar"). Face boxes are display pixels; faces with an empty name or a box
 * entirely outside the image are left out. The same input always gives the same text.
 */
export function buildFamiliarSidecar(input: SidecarInput): string {
  return withDigest(sidecarText(input, null));
}

export interface SidecarInput {
  displayWidth: number;
  displayHeight: number;
  orientation: number;
  /** `confirmed: false` marks a face Familiar only grouped with the person (XmpFaceRegion.confirmed). */
  faces: Array<{ name: string; box: { x: number; y: number; width: number; height: number }; confirmed?: boolean }>;
  /** Faces the user said are not these people ("No, not Rose"), named or not; written as familiar:NotNames. */
  notNames?: Array<{ box: { x: number; y: number; width: number; height: number }; names: string[] }>;
  exportedAt: string;
  /**
   * The photo's content id: read back, a sidecar names the faces of that picture only, not of another one saved
   * under the file's name later (QA: the old sidecar named a stranger).
   */
  photoId?: string;
}

/** What a sidecar built over a photo's own XMP keeps of it in the properties Familiar writes (buildSidecarOver). */
interface KeptFromPhoto {
  about: string;
  subject: string[];
  hierarchicalSubject: string[];
  tagsList: string[];
  personInImage: string[];
  /** Whether its own regions of each kind were kept, so the lists exist even when Familiar writes none of them. */
  mwgRegions: boolean;
  mpRegions: boolean;
  /** The size its regions were drawn on: kept, since regions of its own may be in pixels of that size. */
  appliedTo: { width: string; height: string } | null;
}

function sidecarText(input: SidecarInput, kept: KeptFromPhoto | null): string {
  const { displayWidth, displayHeight, orientation } = input;
  const faces = exportedFaces(input);
  const notNames = exportedNotNames(input);
  // Keywords and Windows' regions carry no "unconfirmed" mark: only confirmed faces go there, so other apps do not
  // take Familiar's guesses for tags (QA). The MWG regions hold every face, the guesses marked.
  const confirmed = faces.filter((face) => face.confirmed);
  const names = [...new Set(confirmed.map((face) => face.name))];
  const stored = storedDimensions(Math.round(displayWidth), Math.round(displayHeight), orientation);

  // The photo's own keywords first, then the names it lacks: those Familiar records as added by it
  // (familiar:AddedKeywords), the only ones a later export into the sidecar may take out again (mergeIntoSidecar).
  const added: string[] = [];
  const withKept = (own: string[] | undefined, ours: string[], recordAs: (keyword: string) => string = (keyword) => keyword) => {
    const owned = new Set((own ?? []).map(normalizeName));
    added.push(...ours.filter((keyword) => !owned.has(keyword)).map(recordAs));
    return [...new Set([...(own ?? []), ...ours])];
  };
  const subject = withKept(kept?.subject, names);
  const hierarchicalSubject = withKept(kept?.hierarchicalSubject, names.map((name) => hierarchyLeaf(PEOPLE_HIERARCHY_LIGHTROOM, name)));
  const tagsList = withKept(kept?.tagsList, names.map((name) => hierarchyLeaf(PEOPLE_HIERARCHY_DIGIKAM, name)));
  const personInImage = withKept(kept?.personInImage, names, (name) => PERSON_SHOWN_RECORD + name);
  const body =
    faces.length === 0 && notNames.length === 0 && !kept
      ? []
      : [
          ...(faces.length || kept?.mwgRegions ? mwgRegionsXml(faces, stored, kept?.appliedTo ?? null) : []),
          ...(subject.length ? keywordListXml('dc:subject', 'rdf:Bag', subject) : []),
          ...(hierarchicalSubject.length ? keywordListXml('lr:hierarchicalSubject', 'rdf:Bag', hierarchicalSubject) : []),
          ...(tagsList.length ? keywordListXml('digiKam:TagsList', 'rdf:Seq', tagsList) : []),
          ...(personInImage.length ? keywordListXml('Iptc4xmpExt:PersonInImage', 'rdf:Bag', personInImage) : []),
          ...(confirmed.length || kept?.mpRegions ? mpRegionsXml(confirmed) : []),
          ...(notNames.length ? notNamesXml(notNames) : []),
          ...(added.length ? keywordListXml('familiar:AddedKeywords', 'rdf:Bag', [...new Set(added)]) : []),
        ];
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    `<x:xmpmeta xmlns:x="${NS.x}" x:xmptk="Familiar">`,
    ` <rdf:RDF xmlns:rdf="${NS.rdf}">`,
    `  <rdf:Description rdf:about="${escapeAttribute(kept?.about ?? '')}"`,
    `    xmlns:familiar="${NS.familiar}"`,
    `    xmlns:mwg-rs="${NS.mwgRs}"`,
    `    xmlns:stArea="${NS.stArea}"`,
    `    xmlns:stDim="${NS.stDim}"`,
    `    xmlns:dc="${NS.dc}"`,
    `    xmlns:lr="${NS.lr}"`,
    `    xmlns:digiKam="${NS.digiKam}"`,
    `    xmlns:Iptc4xmpExt="${NS.iptcExt}"`,
    `    xmlns:MP="${NS.mp}"`,
    `    xmlns:MPRI="${NS.mpri}"`,
    `    xmlns:MPReg="${NS.mpReg}"`,
    `    familiar:ExportedAt="${escapeAttribute(input.exportedAt.replace(NOT_XML_CHARACTERS, ''))}"${input.photoId ? ` familiar:PhotoId="${escapeAttribute(input.photoId)}"` : ''} familiar:Writes="${WRITES_SIDECAR}" ${DIGEST_ATTRIBUTE}="">`,
    ...body,
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
    '',
  ].join('\n');
}

const DIGEST_ATTRIBUTE = 'familiar:SidecarDigest';
const DIGEST_VALUE = new RegExp(`${DIGEST_ATTRIBUTE}="([0-9a-f]*)"`);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Properties Familiar writes: a sidecar built over a photo's own XMP merges these and copies the rest as they are. */
const OWNED_PROPERTIES: ReadonlySet<string> = FAMILIAR_PROPERTIES;

/**
 * A sidecar for a photo that carries XMP of its own (ratings, keywords, other apps' face regions, a camera's data).
 * Apps that find a sidecar read it instead of the photo's XMP (digiKam, darktable) or over it (Immich), so a
 * sidecar holding only Familiar's names would hide the rest (QA). It starts as a copy of the photo's packet, as
 * `exiftool -o %f.%e.xmp` does: every property is kept, the photo's keywords stay beside the names, and its
 * regions stay unless they frame a face Familiar writes now (`replaces`, given the region's display rectangle).
 * Like every sidecar Familiar writes, it carries a digest of itself (familiar:SidecarDigest), so a later export can
 * tell it is still exactly what Familiar wrote (sidecarIsUntouched) and build it again from the photo. Throws
 * XmpError when the photo's packet is not XMP.
 */
export function buildSidecarOver(photoXmp: string, input: SidecarInput, replaces: (rect: NormalizedRect) => boolean): string {
  const base = parseXmlDocument(photoXmp);
  const rdfRoot = base.getElementsByTagNameNS(NS.rdf, 'RDF')[0];
  if (!rdfRoot) throw new XmpError('The text is XML but not XMP: it has no rdf:RDF element.');
  const kept: KeptFromPhoto = { about: '', subject: [], hierarchicalSubject: [], tagsList: [], personInImage: [], mwgRegions: false, mpRegions: false, appliedTo: null };
  const keptRegions = { mwg: [] as Element[], mp: [] as Element[] };
  const droppedNames = new Set<string>();
  const keptNames = new Set<string>();
  const keywords = { subject: [] as string[], hierarchicalSubject: [] as string[], tagsList: [] as string[], personInImage: [] as string[] };
  const copied: Element[] = [];
  let aboutSeen = false;

  const regionItems = (property: Element, list: { ns: string; name: string }) => {
    const container = property.getElementsByTagNameNS(list.ns, list.name)[0];
    const array = container && childElements(container).find((child) => isRdf(child, 'Bag') || isRdf(child, 'Seq') || isRdf(child, 'Alt'));
    return array ? childElements(array).filter((item) => isRdf(item, 'li')) : [];
  };
  const sortRegion = (item: Element, name: string, display: NormalizedRect | null, isFace: boolean, into: Element[]) => {
    if (isFace && display && replaces(display)) {
      if (name) droppedNames.add(name);
      return;
    }
    if (name) keptNames.add(name);
    into.push(item);
  };

  for (const node of childElements(rdfRoot)) {
    if (!isRdf(node, 'Description')) {
      copied.push(node);
      continue;
    }
    if (!aboutSeen) {
      kept.about = node.getAttributeNS(NS.rdf, 'about') ?? '';
      aboutSeen = true;
    }
    for (const attribute of [...node.attributes]) if (attribute.namespaceURI === NS.familiar) node.removeAttributeNode(attribute);
    for (const child of childElements(node)) {
      const key = child.namespaceURI && child.localName ? propertyKey(child.namespaceURI, child.localName) : '';
      if (key.startsWith(NS.familiar)) {
        node.removeChild(child);
        continue;
      }
      if (!OWNED_PROPERTIES.has(key)) continue;
      node.removeChild(child);
      if (key === KEY.regions) {
        const dimensions = fieldValue(readPropertyElement(child, 0), KEY.appliedToDimensions);
        const [width, height] = [fieldText(dimensions, KEY.dimW)?.trim(), fieldText(dimensions, KEY.dimH)?.trim()];
        if (width && height && parseDecimal(width) > 0 && parseDecimal(height) > 0) kept.appliedTo ??= { width, height };
        for (const item of regionItems(child, { ns: NS.mwgRs, name: 'RegionList' })) {
          const region = readPropertyElement(item, 0);
          const type = fieldText(region, KEY.regionType)?.trim() ?? '';
          const name = normalizeName(fieldText(region, KEY.regionName));
          const stored = readMwgArea(fieldValue(region, KEY.regionArea), dimensions);
          const isFace = type === '' ? name !== '' : type.toLowerCase() === 'face';
          sortRegion(item, name, stored && storedToDisplayRect(stored, input.orientation), isFace, keptRegions.mwg);
        }
      } else if (key === KEY.mpRegionInfo) {
        for (const item of regionItems(child, { ns: NS.mpri, name: 'Regions' })) {
          const region = readPropertyElement(item, 0);
          const name = normalizeName(fieldText(region, KEY.mpPersonDisplayName));
          const stored = readMpRectangle(fieldText(region, KEY.mpRectangle));
          sortRegion(item, name, stored && storedToDisplayRect(stored, input.orientation), true, keptRegions.mp);
        }
      } else {
        const list =
          key === KEY.subject ? keywords.subject : key === KEY.hierarchicalSubject ? keywords.hierarchicalSubject : key === KEY.personInImage ? keywords.personInImage : keywords.tagsList;
        for (const item of arrayItems(readPropertyElement(child, 0))) {
          const keyword = textOf(item);
          if (keyword !== undefined && keyword.trim() !== '') list.push(keyword);
        }
      }
    }
    const hasProperties = childElements(node).length > 0 || [...node.attributes].some((a) => a.namespaceURI && a.namespaceURI !== NS.rdf && a.namespaceURI !== NS.xmlns && a.namespaceURI !== NS.xml);
    if (hasProperties) copied.push(node);
  }

  // A name whose face Familiar now writes under another name goes from the keywords too (it tagged that face).
  const gone = new Set([...droppedNames].filter((name) => !keptNames.has(name)));
  kept.subject = keywords.subject.filter((keyword) => !gone.has(normalizeName(keyword)));
  kept.hierarchicalSubject = keywords.hierarchicalSubject.filter((k) => ![...gone].some((name) => normalizeName(k) === hierarchyLeaf(PEOPLE_HIERARCHY_LIGHTROOM, name)));
  kept.tagsList = keywords.tagsList.filter((k) => ![...gone].some((name) => normalizeName(k) === hierarchyLeaf(PEOPLE_HIERARCHY_DIGIKAM, name)));
  kept.personInImage = keywords.personInImage.filter((keyword) => !gone.has(normalizeName(keyword)));
  kept.mwgRegions = keptRegions.mwg.length > 0;
  kept.mpRegions = keptRegions.mp.length > 0;

  const ours = parseXmlDocument(sidecarText(input, kept));
  const ourRoot = ours.getElementsByTagNameNS(NS.rdf, 'RDF')[0];
  const ourDescription = childElements(ourRoot).find((node) => isRdf(node, 'Description'))!;
  const prepend = (items: Element[], list: { ns: string; name: string }) => {
    const container = ourDescription.getElementsByTagNameNS(list.ns, list.name)[0];
    const bag = container && childElements(container).find((child) => isRdf(child, 'Bag'));
    if (!bag) return;
    const first = bag.firstChild;
    for (const item of items) {
      bag.insertBefore(ours.createTextNode('\n      '), first);
      bag.insertBefore(ours.importNode(item, true), first);
    }
  };
  prepend(keptRegions.mwg, { ns: NS.mwgRs, name: 'RegionList' });
  prepend(keptRegions.mp, { ns: NS.mpri, name: 'Regions' });
  const closing = ourRoot.lastChild; // the line break before </rdf:RDF>
  for (const node of copied) {
    ourRoot.insertBefore(ours.createTextNode('\n  '), closing);
    ourRoot.insertBefore(ours.importNode(node, true), closing);
  }
  return withDigest(new XMLSerializer().serializeToString(ours));
}

/** Fills in the sidecar's digest of itself (its text with the digest empty): see sidecarIsUntouched. */
function withDigest(text: string): string {
  return text.replace(DIGEST_VALUE, `${DIGEST_ATTRIBUTE}="${sha256(text)}"`);
}

/**
 * A sidecar buildSidecarOver wrote and nobody has changed since (its digest still holds): Familiar may build it
 * again from the photo. Null for a sidecar without a digest.
 */
export function sidecarIsUntouched(text: string): boolean | null {
  const digest = text.match(DIGEST_VALUE)?.[1];
  if (digest === undefined) return null;
  return sha256(text.replace(DIGEST_VALUE, `${DIGEST_ATTRIBUTE}=""`)) === digest;
}

/** Whether a photo's own XMP holds anything a sidecar would hide: any property, keyword or region. */
export function photoXmpWorthKeeping(photoXmp: string): boolean {
  try {
    const parsed = parseXmpRegions(photoXmp, 1);
    return parsed.hasOtherContent || parsed.regions.length > 0 || parsed.unnamedFaces.length > 0;
  } catch (error) {
    if (error instanceof XmpError) return false; // unreadable to every app too
    throw error;
  }
}

/** Our own boxes may stick out of the photo (detector boxes at the border): keep the part inside. */
function rectFromFiniteBox(x: number, y: number, width: number, height: number): NormalizedRect | null {
  if (![x, y, width, height].every(Number.isFinite)) return null;
  return clampToImage({ x, y, width, height });
}

/** Aspect ratios further apart than this mean another picture, not the same one resized. */
const SAME_SHAPE_TOLERANCE = 0.02;

/**
 * Whether regions drawn on an image of `appliedTo` pixels can belong to a photo of `display` pixels (after EXIF
 * orientation). A resized copy keeps the shape; a photo replaced or cropped under its sidecar does not. Writers
 * disagree on whether the size is before or after orientation, so either way round counts.
 */
export function regionsFitPhoto(appliedTo: { width: number; height: number }, display: { width: number; height: number }): boolean {
  if (!(display.width > 0 && display.height > 0)) return true;
  const shape = appliedTo.width / appliedTo.height;
  const close = (a: number, b: number) => Math.abs(Math.log(a / b)) <= SAME_SHAPE_TOLERANCE;
  return close(shape, display.width / display.height) || close(shape, display.height / display.width);
}

// ---------------------------------------------------------------------------------------------------------------
// Writing into another app's sidecar

/** A face Familiar did not write because the sidecar's own region on it names someone else. */
export interface SidecarConflict {
  /** Familiar's name for the face. */
  name: string;
  /** The name the sidecar's region gives it. */
  otherName: string;
}

export interface MergedSidecar {
  /** The sidecar's new text, or null when nothing in it changes (it is not rewritten). */
  text: string | null;
  conflicts: SidecarConflict[];
}

/** A face region already in the sidecar. */
interface PresentRegion {
  item: Element;
  dialect: 'mwg' | 'mp';
  name: string;
  /** Display orientation; null when its place cannot be read. */
  display: NormalizedRect | null;
  isFace: boolean;
  ours: boolean;
  /** What Familiar would write for it again: its digest, and for an MWG region whether it is marked unconfirmed. */
  sameAs: string;
}

const WHITESPACE_ONLY = /^\s*$/;
const TEXT_NODE = 3;

/** The key of a property element (namespace + local name), '' for one without a namespace. */
const keyOf = (element: Element): string => (element.namespaceURI && element.localName ? propertyKey(element.namespaceURI, element.localName) : '');

/** The element holding a struct's fields: the property itself (rdf:parseType="Resource") or its rdf:Description. */
function structNodeOf(property: Element): Element | null {
  if (property.getAttributeNS(NS.rdf, 'parseType') === 'Resource') return property;
  const children = childElements(property);
  if (children.length === 1 && isRdf(children[0], 'Description')) return children[0];
  if (children.length === 0 && property.getAttributeNS(NS.rdf, 'resource') === null && WHITESPACE_ONLY.test(property.textContent ?? '')) return property;
  return null;
}

/** The rdf:Bag, rdf:Seq or rdf:Alt an array property holds. */
function arrayOf(property: Element): Element | null {
  return childElements(property).find((child) => isRdf(child, 'Bag') || isRdf(child, 'Seq') || isRdf(child, 'Alt')) ?? null;
}

/** Removes a node with the line break and indentation before it. */
function removeTidily(node: Element): void {
  const parent = node.parentNode!;
  const before = node.previousSibling;
  if (before && before.nodeType === TEXT_NODE && WHITESPACE_ONLY.test(before.nodeValue ?? '')) parent.removeChild(before);
  parent.removeChild(node);
}

/** Appends a node indented like its parent's first child, when the parent's children are laid out on lines. */
function appendTidily(parent: Element, node: Element): void {
  const first = parent.firstChild;
  const last = parent.lastChild;
  const isSpace = (n: typeof first) => !!n && n.nodeType === TEXT_NODE && WHITESPACE_ONLY.test(n.nodeValue ?? '') && (n.nodeValue ?? '').includes('\n');
  if (isSpace(first) && isSpace(last) && first !== last) {
    parent.insertBefore(parent.ownerDocument!.createTextNode(first!.nodeValue!), last);
    parent.insertBefore(node, last);
  } else {
    parent.appendChild(node);
  }
}

/**
 * Familiar's face regions written INTO a sidecar another app wrote or changed (digiKam's IMG_1.jpg.xmp,
 * Lightroom's IMG_1.xmp, one of Familiar's own a tool has since added a rating to), with everything else in it kept:
 * every element, attribute, namespace and value outside what Familiar owns, and the text around the packet.
 *
 * Familiar owns its regions (MWG and Microsoft's) that still carry its mark (familiar:RegionDigest), and in a sidecar
 * an older Familiar wrote without marks, its face regions on a face it writes now under the same name. Those are
 * replaced by `input`'s faces. Every other region is the other app's and stays: where one covers a face Familiar
 * writes (`sameFace`, given both display rectangles) and names someone else, Familiar's face is not written and is
 * returned as a conflict; where it names the same person, Familiar's copy in that dialect is not added. Confirmed
 * names join the keyword lists (dc:subject, lr:hierarchicalSubject, digiKam:TagsList, Iptc4xmpExt:PersonInImage) where missing, and the keywords
 * Familiar adds are recorded (familiar:AddedKeywords): only those leave again, once no face or region here has the name.
 * Who the faces are not (familiar:NotNames, `input.notNames`) is Familiar's alone, replaced whole when it differs.
 * The sidecar is marked familiar:Writes="regions", so a later export writes into it again rather than over it.
 * Throws XmpError when the text is not XMP, or its regions are in a form Familiar cannot add to.
 */
export function mergeIntoSidecar(existing: string, input: SidecarInput, sameFace: (a: NormalizedRect, b: NormalizedRect) => boolean): MergedSidecar {
  const { start, end } = paddingBounds(existing);
  const document = parseXmlDocument(existing);
  const rdfRoot = document.getElementsByTagNameNS(NS.rdf, 'RDF')[0];
  if (!rdfRoot) throw new XmpError('The text is XML but not XMP: it has no rdf:RDF element.');
  const serializer = new XMLSerializer();
  const before = serializer.serializeToString(document);
  let descriptions = childElements(rdfRoot).filter((node) => isRdf(node, 'Description'));
  if (descriptions.length === 0) {
    const description = document.createElementNS(NS.rdf, `${rdfRoot.prefix ?? 'rdf'}:Description`);
    description.setAttributeNS(NS.rdf, `${rdfRoot.prefix ?? 'rdf'}:about`, '');
    appendTidily(rdfRoot, description);
    descriptions = [description];
  }
  const properties = (key: string) => descriptions.flatMap((description) => childElements(description).filter((child) => keyOf(child) === key));
  const hasFamiliarProperty = (localName: string) =>
    descriptions.some((description) => description.hasAttributeNS(NS.familiar, localName)) || properties(propertyKey(NS.familiar, localName)).length > 0;
  // Written by a Familiar that did not mark its regions yet.
  const legacy = hasFamiliarProperty('ExportedAt') && !hasFamiliarProperty('Writes');
  const faces = exportedFaces(input);
  const orientation = input.orientation;
  const samePerson = (a: string, b: string) => a.toLocaleLowerCase() === b.toLocaleLowerCase();

  // The regions already there, Familiar's and the other app's.
  const present: PresentRegion[] = [];
  const readRegions = (dialect: 'mwg' | 'mp', property: Element, list: { key: string }, read: (region: XmpValue) => { name: string; stored: NormalizedRect | null; isFace: boolean; ours: boolean }) => {
    const node = structNodeOf(property);
    const listProperty = node && childElements(node).find((child) => keyOf(child) === list.key);
    const array = listProperty && arrayOf(listProperty);
    for (const item of array ? childElements(array).filter((child) => isRdf(child, 'li')) : []) {
      const region = readPropertyElement(item, 0);
      const { name, stored, isFace, ours } = read(region);
      const display = stored && storedToDisplayRect(stored, orientation);
      // Unmarked, it is Familiar's only when it names the face as Familiar does: renamed by another app (or only
      // ever that app's), it is that app's, and a different name is a conflict (QA: Rosie was put back to Rose).
      const legacyOurs = legacy && isFace && display !== null && faces.some((face) => samePerson(face.name, name) && sameFace(face.display, display));
      const unconfirmed = fieldText(region, KEY.regionConfirmed)?.trim().toLowerCase() === 'false';
      const sameAs = ours ? `${dialect} ${fieldText(region, KEY.regionDigest)?.trim()}${unconfirmed ? ' guess' : ''}` : '';
      present.push({ item, dialect, name, display, isFace, ours: ours || legacyOurs, sameAs });
    }
  };
  for (const property of properties(KEY.regions)) {
    const dimensions = fieldValue(readPropertyElement(property, 0), KEY.appliedToDimensions);
    readRegions('mwg', property, { key: KEY.regionList }, (region) => {
      const type = fieldText(region, KEY.regionType)?.trim() ?? '';
      const name = normalizeName(fieldText(region, KEY.regionName));
      return { name, stored: readMwgArea(fieldValue(region, KEY.regionArea), dimensions), isFace: type === '' ? name !== '' : type.toLowerCase() === 'face', ours: mwgRegionIsFamiliars(region) };
    });
  }
  for (const property of properties(KEY.mpRegionInfo)) {
    readRegions('mp', property, { key: KEY.mpRegions }, (region) => ({
      name: normalizeName(fieldText(region, KEY.mpPersonDisplayName)),
      stored: readMpRectangle(fieldText(region, KEY.mpRectangle)),
      isFace: true,
      ours: mpRegionIsFamiliars(region),
    }));
  }
  const theirs = present.filter((region) => !region.ours && region.isFace && region.name !== '' && region.display !== null);

  // Which of Familiar's faces go in, in which dialect.
  const conflicts: SidecarConflict[] = [];
  const mwgFaces: ExportedFace[] = [];
  const mpFaces: ExportedFace[] = [];
  const keywordNames = new Set<string>();
  const namesStaying = new Set(theirs.map((region) => region.name));
  for (const face of faces) {
    const overlapping = theirs.filter((region) => sameFace(face.display, region.display!));
    const others = [...new Set(overlapping.filter((region) => !samePerson(region.name, face.name)).map((region) => region.name))];
    if (others.length > 0) {
      for (const otherName of others) conflicts.push({ name: face.name, otherName });
      continue;
    }
    namesStaying.add(face.name);
    if (!overlapping.some((region) => region.dialect === 'mwg')) mwgFaces.push(face);
    // Keywords and Windows' regions carry no "unconfirmed" mark: confirmed faces only (as sidecarText).
    if (!face.confirmed) continue;
    keywordNames.add(face.name);
    if (!overlapping.some((region) => region.dialect === 'mp')) mpFaces.push(face);
  }
  // Familiar's regions already there as it would write them again stay where they are (a re-run changes nothing);
  // its others go.
  const stillOurs = (dialect: 'mwg' | 'mp', list: ExportedFace[], sameAs: (face: ExportedFace) => string) => {
    for (const region of present.filter((r) => r.ours && r.dialect === dialect)) {
      const at = list.findIndex((face) => sameAs(face) === region.sameAs);
      if (at >= 0) list.splice(at, 1);
      else replaced.push(region);
    }
  };
  const replaced: PresentRegion[] = [];
  stillOurs('mwg', mwgFaces, (face) => `mwg ${mwgDigest(face.name, mwgAreaValues(face.stored))}${face.confirmed ? '' : ' guess'}`);
  stillOurs('mp', mpFaces, (face) => `mp ${mpDigest(face.name, mpRectangleValue(face.stored))}`);
  for (const region of replaced) removeTidily(region.item);

  // Where new things go: the description holding the regions, else the first.
  const target = properties(KEY.regions)[0]?.parentNode as Element | undefined ?? descriptions[0];
  const prefixFor = (scope: Element, namespace: string, preferred: string): string => {
    for (let node: Element | null = scope; node && node.nodeType === ELEMENT_NODE; node = node.parentNode as Element | null) {
      for (const attribute of node.attributes) if (attribute.namespaceURI === NS.xmlns && attribute.value === namespace && attribute.localName !== 'xmlns') return attribute.localName!;
    }
    const bound = (prefix: string) => {
      for (let node: Element | null = scope; node && node.nodeType === ELEMENT_NODE; node = node.parentNode as Element | null) if (node.hasAttributeNS(NS.xmlns, prefix)) return true;
      return false;
    };
    let prefix = preferred;
    for (let n = 2; bound(prefix); n++) prefix = `${preferred}${n}`;
    scope.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, namespace);
    return prefix;
  };
  /** The top-level rdf:Description a node is in: where a namespace it uses is declared. */
  const scopeOf = (node: Element): Element => {
    let at = node;
    while (at.parentNode && at.parentNode !== rdfRoot) at = at.parentNode as Element;
    return at;
  };
  const create = (scope: Element, namespace: string, preferred: string, localName: string) => document.createElementNS(namespace, `${prefixFor(scope, namespace, preferred)}:${localName}`);
  const set = (element: Element, scope: Element, namespace: string, preferred: string, localName: string, value: string) =>
    element.setAttributeNS(namespace, `${prefixFor(scope, namespace, preferred)}:${localName}`, value);
  const rdf = (scope: Element, localName: string) => create(scope, NS.rdf, 'rdf', localName);

  /** The array under a struct property (creating the property, its list and the array as needed). */
  const arrayUnder = (property: Element | undefined, make: () => Element, listKey: string, listName: { ns: string; prefix: string; local: string }): Element => {
    const holder = property ?? make();
    const node = structNodeOf(holder);
    if (!node) throw new XmpError('its face regions are in a form Familiar cannot add to');
    const scope = scopeOf(node);
    let list = childElements(node).find((child) => keyOf(child) === listKey);
    if (!list) {
      list = create(scope, listName.ns, listName.prefix, listName.local);
      appendTidily(node, list);
    }
    let array = arrayOf(list);
    if (!array) {
      if (childElements(list).length > 0 || !WHITESPACE_ONLY.test(list.textContent ?? '')) throw new XmpError('its face regions are in a form Familiar cannot add to');
      array = rdf(scope, 'Bag');
      list.appendChild(array);
    }
    return array;
  };

  /** One of Familiar's regions appended to a region list: its fields on an rdf:Description in an rdf:li, an MWG area in it. */
  type Field = readonly [namespace: string, preferredPrefix: string, localName: string, value: string];
  const addRegion = (array: Element, fields: Field[], areaFields: Field[] = []) => {
    const scope = scopeOf(array);
    const withFields = (element: Element, values: Field[]) => {
      for (const [namespace, preferred, localName, value] of values) set(element, scope, namespace, preferred, localName, value);
      return element;
    };
    const region = withFields(rdf(scope, 'Description'), fields);
    if (areaFields.length > 0) region.appendChild(withFields(create(scope, NS.mwgRs, 'mwg-rs', 'Area'), areaFields));
    const item = rdf(scope, 'li');
    item.appendChild(region);
    appendTidily(array, item);
  };

  if (mwgFaces.length > 0) {
    const stored = storedDimensions(Math.round(input.displayWidth), Math.round(input.displayHeight), orientation);
    const array = arrayUnder(
      properties(KEY.regions)[0],
      () => {
        const regions = create(target, NS.mwgRs, 'mwg-rs', 'Regions');
        regions.setAttributeNS(NS.rdf, `${prefixFor(target, NS.rdf, 'rdf')}:parseType`, 'Resource');
        const dimensions = create(target, NS.mwgRs, 'mwg-rs', 'AppliedToDimensions');
        set(dimensions, target, NS.stDim, 'stDim', 'w', String(stored.width));
        set(dimensions, target, NS.stDim, 'stDim', 'h', String(stored.height));
        set(dimensions, target, NS.stDim, 'stDim', 'unit', 'pixel');
        regions.appendChild(dimensions);
        appendTidily(target, regions);
        return regions;
      },
      KEY.regionList,
      { ns: NS.mwgRs, prefix: 'mwg-rs', local: 'RegionList' },
    );
    for (const face of mwgFaces) {
      const area = mwgAreaValues(face.stored);
      addRegion(
        array,
        [
          [NS.mwgRs, 'mwg-rs', 'Name', face.name],
          [NS.mwgRs, 'mwg-rs', 'Type', 'Face'],
          ...(face.confirmed ? [] : [[NS.familiar, 'familiar', 'Confirmed', 'False'] as const]),
          [NS.familiar, 'familiar', 'RegionDigest', mwgDigest(face.name, area)],
        ],
        [...(['x', 'y', 'w', 'h'] as const).map((field, i) => [NS.stArea, 'stArea', field, area[i]] as const), [NS.stArea, 'stArea', 'unit', 'normalized']],
      );
    }
  }
  if (mpFaces.length > 0) {
    const array = arrayUnder(
      properties(KEY.mpRegionInfo)[0],
      () => {
        const info = create(target, NS.mp, 'MP', 'RegionInfo');
        info.setAttributeNS(NS.rdf, `${prefixFor(target, NS.rdf, 'rdf')}:parseType`, 'Resource');
        appendTidily(target, info);
        return info;
      },
      KEY.mpRegions,
      { ns: NS.mpri, prefix: 'MPRI', local: 'Regions' },
    );
    for (const face of mpFaces) {
      const rectangle = mpRectangleValue(face.stored);
      addRegion(array, [
        [NS.mpReg, 'MPReg', 'PersonDisplayName', face.name],
        [NS.mpReg, 'MPReg', 'Rectangle', rectangle],
        [NS.familiar, 'familiar', 'RegionDigest', mpDigest(face.name, rectangle)],
      ]);
    }
  }

  // The names as keywords. Familiar adds its confirmed names where missing and records what it added
  // (familiar:AddedKeywords); it removes only keywords it recorded, once no face or region here names them. A keyword
  // that was there before is the other app's, even when it is a name Familiar writes (QA: Lightroom's own "Rose" went
  // when Familiar's Rose was renamed). A recorded keyword gone from the lists is forgotten: typed in again, it is the
  // user's.
  const recorded = properties(KEY.addedKeywords).flatMap((property) => arrayItems(readPropertyElement(property, 0)).map((item) => normalizeName(textOf(item))));
  const inLists = new Set<string>();
  const added: string[] = [];
  const keywordLists = [
    { key: KEY.subject, ns: NS.dc, prefix: 'dc', local: 'subject', container: 'Bag', form: (name: string) => name },
    { key: KEY.hierarchicalSubject, ns: NS.lr, prefix: 'lr', local: 'hierarchicalSubject', container: 'Bag', form: (name: string) => hierarchyLeaf(PEOPLE_HIERARCHY_LIGHTROOM, name) },
    { key: KEY.tagsList, ns: NS.digiKam, prefix: 'digiKam', local: 'TagsList', container: 'Seq', form: (name: string) => hierarchyLeaf(PEOPLE_HIERARCHY_DIGIKAM, name) },
    { key: KEY.personInImage, ns: NS.iptcExt, prefix: 'Iptc4xmpExt', local: 'PersonInImage', container: 'Bag', form: (name: string) => name, recordAs: (keyword: string) => PERSON_SHOWN_RECORD + keyword },
  ];
  for (const list of keywordLists) {
    const recordAs = list.recordAs ?? ((keyword: string) => keyword);
    const stillNamed = new Set([...namesStaying].map(list.form));
    const arrays = properties(list.key).map(arrayOf).filter((array): array is Element => array !== null);
    const kept = new Set<string>();
    for (const array of arrays) {
      for (const item of childElements(array).filter((child) => isRdf(child, 'li'))) {
        const keyword = normalizeName(item.textContent ?? '');
        if (recorded.includes(recordAs(keyword)) && !stillNamed.has(keyword)) removeTidily(item);
        else kept.add(keyword);
      }
    }
    for (const keyword of kept) inLists.add(recordAs(keyword));
    const missing = [...keywordNames].map(list.form).filter((keyword) => !kept.has(keyword));
    if (missing.length === 0) continue;
    // A keyword property in a form that is not a list (a lone value) is left as it is.
    if (arrays.length === 0 && properties(list.key).length > 0) continue;
    let array = arrays[0];
    if (!array) {
      const property = create(target, list.ns, list.prefix, list.local);
      array = rdf(target, list.container);
      property.appendChild(array);
      appendTidily(target, property);
    }
    const scope = scopeOf(array);
    for (const keyword of missing) {
      const item = rdf(scope, 'li');
      item.appendChild(document.createTextNode(keyword));
      appendTidily(array, item);
      added.push(recordAs(keyword));
    }
  }
  const record = [...new Set([...recorded.filter((keyword) => inLists.has(keyword)), ...added])];
  if (record.join('\n') !== recorded.join('\n')) {
    for (const property of properties(KEY.addedKeywords)) removeTidily(property);
    if (record.length > 0) {
      const property = create(target, NS.familiar, 'familiar', 'AddedKeywords');
      const bag = rdf(target, 'Bag');
      for (const keyword of record) bag.appendChild(rdf(target, 'li')).appendChild(document.createTextNode(keyword));
      property.appendChild(bag);
      appendTidily(target, property);
    }
  }

  // Who the faces are not (familiar:NotNames) is Familiar's alone: replaced whole when it says anything else, garbled
  // copies included, and left as it is when it already says what Familiar would write.
  const notNamesWanted = notNamesAsWritten(exportedNotNames(input));
  const notNamesThere = properties(KEY.notNames);
  if (JSON.stringify(storedNotNames(notNamesThere.map((property) => readPropertyElement(property, 0)))) !== JSON.stringify(notNamesWanted)) {
    for (const property of notNamesThere) removeTidily(property);
    if (notNamesWanted.length > 0) {
      const property = create(target, NS.familiar, 'familiar', 'NotNames');
      const bag = rdf(target, 'Bag');
      property.appendChild(bag);
      for (const { area, names } of notNamesWanted) {
        const item = rdf(target, 'li');
        item.setAttributeNS(NS.rdf, `${prefixFor(target, NS.rdf, 'rdf')}:parseType`, 'Resource');
        const areaElement = create(target, NS.familiar, 'familiar', 'Area');
        (['x', 'y', 'w', 'h', 'unit'] as const).forEach((field, i) => set(areaElement, target, NS.stArea, 'stArea', field, area[i]));
        const namesElement = create(target, NS.familiar, 'familiar', 'Names');
        const list = rdf(target, 'Bag');
        for (const name of names) list.appendChild(rdf(target, 'li')).appendChild(document.createTextNode(name));
        namesElement.appendChild(list);
        item.appendChild(areaElement);
        item.appendChild(namesElement);
        bag.appendChild(item);
      }
      appendTidily(target, property);
    }
  }

  if (serializer.serializeToString(document) === before) return { text: null, conflicts };

  // Familiar's marks: when, for which picture, and that only its regions are Familiar's here. A digest of the whole
  // sidecar from when it was all Familiar's no longer holds.
  const setMark = (localName: string, value: string) => {
    for (const description of descriptions) {
      if (description.hasAttributeNS(NS.familiar, localName)) {
        description.setAttributeNS(NS.familiar, description.getAttributeNodeNS(NS.familiar, localName)!.name, value);
        return;
      }
      const element = childElements(description).find((child) => keyOf(child) === propertyKey(NS.familiar, localName));
      if (element) {
        element.textContent = value;
        return;
      }
    }
    set(target, target, NS.familiar, 'familiar', localName, value);
  };
  for (const description of descriptions) {
    if (description.hasAttributeNS(NS.familiar, 'SidecarDigest')) description.removeAttributeNS(NS.familiar, 'SidecarDigest');
    for (const element of childElements(description).filter((child) => keyOf(child) === propertyKey(NS.familiar, 'SidecarDigest'))) removeTidily(element);
  }
  setMark('ExportedAt', input.exportedAt.replace(NOT_XML_CHARACTERS, ''));
  if (input.photoId) setMark('PhotoId', input.photoId);
  setMark('Writes', WRITES_REGIONS);
  return { text: existing.slice(0, start) + serializer.serializeToString(document) + existing.slice(end), conflicts };
}
