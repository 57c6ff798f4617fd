// What an XMP packet says, as a comparable tree, without the parts Familiar owns: to check that writing Familiar's
// regions into another app's sidecar kept every other element, attribute and value (the tests of xmp-regions.ts and
// xmp-names.ts).
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';

const FAMILIAR = 'https://familiar.app/ns/1.0/';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
const MWG_REGIONS = 'http://www.metadataworkinggroup.com/schemas/regions/';

function parse(xml: string) {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(xml.replace(/^\uFEFF/, '').trim(), 'text/xml');
}

const elements = (node: Node): Element[] => [...node.childNodes].filter((child): child is Element => child.nodeType === 1);

/** A region Familiar wrote: its rdf:li, or the rdf:Description in it, carries Familiar's mark. */
function isFamiliarRegion(element: Element): boolean {
  const marked = (e: Element) => e.hasAttributeNS(FAMILIAR, 'RegionDigest');
  return element.namespaceURI === RDF && element.localName === 'li' && (marked(element) || elements(element).some(marked));
}

/**
 * The packet as nested arrays: elements with their namespace, local name, sorted attributes and children;
 * processing instructions and comments; non-blank text. Left out: Familiar's namespace, its marked regions, keyword
 * items in `keywords`, structures left empty by that, whitespace between elements and namespace declarations
 * (compared by namespacesOf).
 */
export function xmpMeaning(xml: string, keywords: readonly string[] = []): unknown {
  const skipKeywords = new Set(keywords);
  const walk = (node: Node): unknown => {
    if (node.nodeType === 3 || node.nodeType === 4) return node.nodeValue!.trim() === '' ? null : node.nodeValue;
    if (node.nodeType === 7) return ['?', (node as unknown as { target: string }).target, (node as unknown as { data: string }).data];
    if (node.nodeType === 8) return ['!--', node.nodeValue];
    if (node.nodeType !== 1) return null;
    const element = node as Element;
    if (element.namespaceURI === FAMILIAR || isFamiliarRegion(element)) return null;
    if (element.namespaceURI === RDF && element.localName === 'li' && elements(element).length === 0 && skipKeywords.has((element.textContent ?? '').trim())) return null;
    const attributes = [...element.attributes]
      .filter((a) => a.namespaceURI !== FAMILIAR && a.namespaceURI !== XMLNS)
      .map((a) => `${a.namespaceURI ?? ''} ${a.localName}=${a.value}`)
      .sort();
    const children = [...element.childNodes].map(walk).filter((child) => child !== null);
    // A structure with nothing in it says nothing (the lists Familiar adds its names to, emptied again), nor do
    // regions with no region left (the size they apply to alone).
    const onlyTheSize = element.namespaceURI === MWG_REGIONS && element.localName === 'Regions' && children.every((child) => Array.isArray(child) && child[1] === 'AppliedToDimensions');
    if ((children.length === 0 || onlyTheSize) && attributes.every((a) => a.startsWith(`${RDF} parseType=`)) && element.namespaceURI !== 'adobe:ns:meta/') return null;
    return [element.namespaceURI, element.localName, attributes, children];
  };
  const document = parse(xml);
  return [...document.childNodes].map(walk).filter((child) => child !== null);
}

/** Every namespace declaration in the packet, as "prefix=uri". */
export function namespacesOf(xml: string): Set<string> {
  const out = new Set<string>();
  const visit = (element: Element) => {
    for (const a of element.attributes) if (a.namespaceURI === XMLNS) out.add(`${a.localName}=${a.value}`);
    elements(element).forEach(visit);
  };
  visit(parse(xml).documentElement!);
  return out;
}
