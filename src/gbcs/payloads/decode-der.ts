import { ByteReader } from '../byte-reader.ts';
import { readDer, type DerSchema } from './der-tree.ts';
import { field, type PayloadNode } from './payload-tree.ts';

/**
 * Credential and certificate payloads (CS02x, CS03x, CCS, DBCH and their alerts): ASN.1 DER,
 * named by the use case's schema where the registry has one; every TLV is read to its end either way.
 */
export function decodeDer(content: Uint8Array, schema?: DerSchema): { root: PayloadNode } {
  const r = new ByteReader(content);
  const items: PayloadNode[] = [];
  while (r.remaining > 0) items.push(readDer(r, items.length === 0 ? schema : undefined));
  if (items.length === 1) return { root: items[0]! };
  return { root: field('ASN.1 values', 0, content.length, { type: 'DER', children: items }) };
}
