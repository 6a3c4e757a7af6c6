import { asBuffer } from '../byte-reader.ts';
import { messageCodeName } from '../message-codes.ts';
import { attributeName, className } from './cosem-classes.ts';
import { objectName } from './obis-names.ts';
import { field, type PayloadNode } from './payload-tree.ts';

/** Future-dated alerts (8F66 success, 8F67 failure) name the command they report on. */
const FUTURE_DATED_ALERTS = new Set([0x8f66, 0x8f67]);
/** octet-string tag and length, then 2 + 8 + 2 + 6 + 1 bytes. */
const BODY_LENGTH = 19;

/**
 * The use-case data of an ESME future-dated alert: an octet-string holding the message code and
 * originator counter of the future-dated command, then the COSEM attribute that held its
 * activation time (class id, instance id, attribute id). The GSME's GBZ form carries the same
 * reference with the ZCL command in place of the COSEM attribute (decode-gbz.ts). Read from the
 * RTDS: the counter is the DUIS RequestID's counter and the message code the use case's.
 */
export function futureDatedBody(code: number, node: PayloadNode, bytes: Uint8Array): PayloadNode {
  if (!FUTURE_DATED_ALERTS.has(code) || node.type !== 'octet-string' || node.length !== 2 + BODY_LENGTH) return node;
  const at = node.offset + 2;
  const b = bytes;
  const mc = (b[at]! << 8) | b[at + 1]!;
  const counter = asBuffer(b.subarray(at + 2, at + 10)).readBigUInt64BE(0);
  const classId = (b[at + 10]! << 8) | b[at + 11]!;
  const o = b.subarray(at + 12, at + 18);
  const obis = `${o[0]}-${o[1]}:${o[2]}.${o[3]}.${o[4]}.${o[5]}`;
  const attribute = b[at + 18]!;
  const mcHex = `0x${mc.toString(16).toUpperCase().padStart(4, '0')}`;
  const useCase = messageCodeName(mc);
  return field('future-dated command', node.offset, node.length, {
    type: 'octet-string',
    value: node.value,
    text: `${useCase ?? mcHex}, originator counter ${counter}`,
    children: [
      field('tag and length', node.offset, 2, { type: 'octet-string header', value: BODY_LENGTH }),
      field('message code', at, 2, { type: 'uint16 BE', value: mc, text: useCase ? `${mcHex} ${useCase}` : mcHex }),
      field('originator counter', at + 2, 8, { type: 'uint64 BE', value: counter.toString() }),
      field('class id', at + 10, 2, { type: 'long-unsigned', value: classId, text: className(classId) }),
      field('instance id', at + 12, 6, { type: 'OBIS', value: obis, text: objectName(classId, obis) ?? obis }),
      field('attribute id', at + 18, 1, { type: 'unsigned', value: attribute, text: attributeName(classId, attribute) ?? `attribute ${attribute}` }),
    ],
  });
}
