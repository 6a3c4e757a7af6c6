import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import type { GeneralSigningApdu } from '../../src/gbcs/frame.ts';
import { decodePayload } from '../../src/gbcs/payloads/decode-payload.ts';
import { namedByteCount, walk, type PayloadNode } from '../../src/gbcs/payloads/payload-tree.ts';
import { payloadKeysFor } from '../../src/gbcs/payload-keys-for.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { DCCBOXED, KEYSTORE_DIR, RTDS_DIR } from './reference.ts';

/*
 * Reading the DCC's public DUIS material in place (../shared/reference/dccboxed), for tests that
 * check a payload field's name or value against it: the RTDS frame of a use case, decoded; the
 * text of an element of a DUIS request template; the element names of a DUIS schema type in order.
 */

/** The APDU of the RTDS file matching `file` in the folder ending `dirSuffix` (e.g. `_CCS07`). */
export function rtdsApdu(dirSuffix: string, file: RegExp): GeneralSigningApdu {
  const dir = readdirSync(RTDS_DIR).find((d) => d.endsWith(dirSuffix));
  assert.ok(dir, `RTDS folder *${dirSuffix}`);
  const name = readdirSync(join(RTDS_DIR, dir)).find((f) => file.test(f));
  assert.ok(name, `${file} in ${dir}`);
  return decodeFrame(fromHex(readFileSync(join(RTDS_DIR, dir, name), 'utf8'))).apdu;
}

/** The frame decoded with the published keys. */
export async function rtdsDecoded(dirSuffix: string, file: RegExp): Promise<{ a: GeneralSigningApdu; root: PayloadNode }> {
  const a = rtdsApdu(dirSuffix, file);
  return { a, root: decodePayload(a, await payloadKeysFor(a, new FileKeyStore(KEYSTORE_DIR))).root };
}

/** The texts of every occurrence of an element in a DUIS request template, in document order. */
export function duisValues(template: string, element: string): string[] {
  const xml = readFileSync(join(DCCBOXED, 'duis-templates', template), 'utf8');
  return [...xml.matchAll(new RegExp(`<sr:${element}>([^<]*)</sr:${element}>`, 'g'))].map((m) => m[1]!);
}
export function duisValue(template: string, element: string): string {
  const [v] = duisValues(template, element);
  assert.ok(v !== undefined, `${element} in ${template}`);
  return v;
}
/** The child elements of an element in a template, e.g. the ChannelN of LowerBandSubGHzChannels0To26. */
export function duisChildren(template: string, element: string): string[] {
  const xml = readFileSync(join(DCCBOXED, 'duis-templates', template), 'utf8');
  const m = new RegExp(`<sr:${element}>([\\s\\S]*?)</sr:${element}>`).exec(xml);
  assert.ok(m, `${element} in ${template}`);
  return [...m[1]!.matchAll(/<sr:([A-Za-z0-9]+)\s*\/?>/g)].map((c) => c[1]!);
}

/** The names of the elements a complexType of a DUIS schema file lists, in order (its own, not nested types'). */
export function xsdElements(file: 'duis-5.4.xsd' | 'mmc-5.4.xsd', type: string): string[] {
  const xsd = readFileSync(join(DCCBOXED, 'duis-schema', file), 'utf8');
  const at = xsd.indexOf(`<xs:complexType name="${type}">`);
  assert.ok(at >= 0, `complexType ${type} in ${file}`);
  const body = xsd.slice(at, xsd.indexOf('\n    </xs:complexType>', at));
  return [...body.matchAll(/<xs:element\b[^>]*\bname="([A-Za-z0-9]+)"/g)].map((m) => m[1]!);
}

/** The text of the comment DUIS gives a type, e.g. which device alert returns it. */
export function xsdTypeText(file: 'duis-5.4.xsd' | 'mmc-5.4.xsd', type: string): string {
  const xsd = readFileSync(join(DCCBOXED, 'duis-schema', file), 'utf8');
  const at = xsd.indexOf(`<xs:complexType name="${type}">`);
  assert.ok(at >= 0, `complexType ${type} in ${file}`);
  return xsd.slice(at, xsd.indexOf('\n    </xs:complexType>', at));
}

export const nodes = (root: PayloadNode, name: string | RegExp): PayloadNode[] =>
  [...walk(root)].map((w) => w.node).filter((n) => (typeof name === 'string' ? n.name === name : name.test(n.name)));
export const allNamed = (a: GeneralSigningApdu, root: PayloadNode): void => assert.equal(namedByteCount(root, a.content.length), a.content.length, 'every byte in a named field');
/** A DUIS EUI (00-DB-12-...) as the payload carries it. */
export const euiHex = (duisEui: string): string => duisEui.replace(/-/g, '');
