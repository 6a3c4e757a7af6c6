import { DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import { DuisError } from './duis-error.ts';

/** The DUIS namespaces: service requests and responses, and XML-DSig. */
export const SR_NS = 'http://www.dccinterface.co.uk/ServiceUserGateway';
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';

/**
 * The largest DUIS document meterops reads: a meterops default, far above the largest template
 * (a 6.21 hand-over with four certificates is under 8 kB) and small enough to refuse a flood.
 */
export const MAX_DUIS_BYTES = 1 << 20;

const TEXT_NODE = 3;
const COMMENT_NODE = 8;
const ELEMENT_NODE = 1;

/** Parses a DUIS document; refuses a DOCTYPE (DUIS has none), malformed XML and anything over the size limit. */
export function parseDuisXml(xml: string): Document {
  if (Buffer.byteLength(xml, 'utf8') > MAX_DUIS_BYTES) throw new DuisError('xml-malformed', `a DUIS document is at most ${MAX_DUIS_BYTES} bytes here`);
  if (/<!DOCTYPE/i.test(xml)) throw new DuisError('xml-malformed', 'a DUIS document has no DOCTYPE');
  const problems: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && problems.push(message)) }).parseFromString(xml, 'text/xml');
  } catch (e) {
    throw new DuisError('xml-malformed', `not well-formed XML: ${(e as Error).message}`, { cause: e });
  }
  if (problems.length || !doc.documentElement) throw new DuisError('xml-malformed', `not well-formed XML: ${problems[0] ?? 'no root element'}`);
  return doc;
}

/** The child elements of a node, in order. */
export function childElements(node: Node): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT_NODE) out.push(c as Element);
  return out;
}

/** The one child element with this namespace and local name, or undefined. */
export function child(node: Node, ns: string, local: string): Element | undefined {
  return childElements(node).find((e) => e.namespaceURI === ns && e.localName === local);
}

/** The text of a child element (trimmed), or undefined when absent. */
export function childText(node: Node, ns: string, local: string): string | undefined {
  const e = child(node, ns, local);
  return e ? (e.textContent ?? '').trim() : undefined;
}

/**
 * The document as DUIS signs it: no whitespace-only text between elements and no comments. The
 * DCC's reference validator drops inter-element whitespace before checking, so a signature over
 * pretty-printed XML fails there (duis-signing README); signing the compact form agrees with it.
 */
export function compactDuis(doc: Document): Document {
  const strip = (n: Node) => {
    for (let c = n.firstChild; c;) {
      const next = c.nextSibling;
      if (c.nodeType === COMMENT_NODE || (c.nodeType === TEXT_NODE && /^\s*$/.test(c.nodeValue ?? ''))) n.removeChild(c);
      else if (c.nodeType === ELEMENT_NODE) strip(c);
      c = next;
    }
  };
  strip(doc.documentElement!);
  return doc;
}

/** Serialises with the XML declaration DCC Boxed writes. */
export function serialiseDuis(doc: Document): string {
  const body = new XMLSerializer().serializeToString(doc.documentElement!);
  return `<?xml version="1.0" encoding="UTF-8"?>${body}`;
}

/** The text escaped for an element's content. */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
