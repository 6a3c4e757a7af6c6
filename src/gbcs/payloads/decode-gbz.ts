import type { Eui } from '../../domain/eui.ts';
import { ByteReader, hex2, u32be } from '../byte-reader.ts';
import { GbcsDecodeError } from '../gbcs-error.ts';
import { alertCodeText } from './alert-codes.ts';
import { gbzAlertData } from './alert-bodies.ts';
import { utcText } from './dlms-data.ts';
import { CIPHER_TAG_LENGTH, decryptCiphered, type PayloadKeys } from './payload-keys.ts';
import { field, leaf, hex, unknownBytes, type EncryptedPart, type PayloadNode } from './payload-tree.ts';
import { ATTRIBUTES, attributeValueNames, CLUSTERS, PROFILE_WIDE_COMMANDS, ZCL_STATUS, zclCommand } from './zcl-clusters.ts';
import { readZclFields, readZclValue, zclTypeName, type ZclField } from './zcl-data.ts';

export interface GbzContext {
  readonly alert: boolean;
  /** Whom encrypted components are for: the device, the remote party, and the counter keying them. */
  readonly device: Eui;
  readonly party: Eui;
  readonly counter: bigint;
  readonly keys: PayloadKeys;
}

/** The extended header control as read, by its three bits (last, encrypted, From Date-Time): made once. */
const CONTROL_TEXTS = Array.from({ length: 8 }, (_, i) =>
  [i & 1 ? 'last component' : 'more follow', i & 2 ? 'encrypted' : 'plain', i & 4 ? 'From Date-Time present' : ''].filter(Boolean).join(', '),
);

/** Future-dated alerts (8F66 success, 8F67 failure) name the command they report on. */
const FUTURE_DATED_ALERTS = new Set([0x8f66, 0x8f67]);

/**
 * GSME payloads: the GBZ wrapper (profile 0x0109) around ZigBee ZCL frames, and GBZ alerts
 * (gbcs-payloads.md sections 2 and 4.2). GBZ header fields are big-endian, ZCL fields little-endian.
 */
export function decodeGbz(content: Uint8Array, ctx: GbzContext): { root: PayloadNode; encrypted: EncryptedPart[] } {
  const r = new ByteReader(content);
  const encrypted: EncryptedPart[] = [];
  const profile = r.u16('GBZ profile id');
  if (profile !== 0x0109) r.fail(`GBZ profile 0x${profile.toString(16)} is not 0x0109`, 0);
  const out: PayloadNode[] = [leaf('profile id', 0, 2, 'uint16 BE', profile, 'ZigBee Smart Energy (0x0109)')];
  const n = r.u8('GBZ component count');
  out.push(leaf('component count', 2, 1, 'uint8', n));
  let components = n;
  if (ctx.alert) {
    const code = r.u16('GBZ alert code');
    out.push(leaf('alert code', 3, 2, 'uint16 BE', code, alertCodeText(code)));
    const s = r.u32('GBZ alert timestamp');
    out.push(leaf('alert date-time', 5, 4, 'UTC BE', s, utcText(s)));
    if (FUTURE_DATED_ALERTS.has(code) && n > 0) {
      out.push(readFutureDated(r));
      components = 0;
    } else if (n > 0 && !looksLikeComponents(r, n)) {
      // Use-case data this decoder has no layout for (e.g. 8F72, 81A0): kept, labelled.
      const at = r.pos;
      const known = gbzAlertData(code, r.bytes, r.pos, r.end);
      if (known) {
        r.take(r.remaining, 'alert data');
        out.push(known);
      } else out.push(unknownBytes('alert use-case data', at, r.take(r.remaining, 'alert data'), `no layout known for alert ${alertCodeText(code)}`));
      components = 0;
    }
  }
  for (let i = 0; i < components; i++) out.push(readComponent(r, i, ctx, encrypted));
  if (r.remaining) r.fail(`${r.remaining} trailing bytes after the GBZ message`);
  return { root: field(ctx.alert ? 'GBZ alert' : 'GBZ message', 0, content.length, { type: 'GBZ', children: out }), encrypted };
}

/** Whether the rest of an alert reads as n GBZ components (header lengths that add up exactly). */
function looksLikeComponents(r: ByteReader, n: number): boolean {
  let p = r.pos;
  const b = r.bytes;
  for (let i = 0; i < n; i++) {
    if (p + 5 > r.end) return false;
    p += 5 + ((b[p + 3]! << 8) | b[p + 4]!);
  }
  return p === r.end;
}

/** 8F66/8F67: length, then the message code, originator counter and ZCL command of the future-dated command. */
function readFutureDated(r: ByteReader): PayloadNode {
  const at = r.pos;
  const len = r.u8('future-dated alert data length');
  const end = r.pos + len;
  if (len !== 14 || end > r.end) r.fail(`future-dated alert data of ${len} bytes: 14 expected`, at);
  const mc = r.u16('message code');
  const counter = r.u64('originator counter');
  const cluster = r.u16('cluster id');
  const fc = r.u8('frame control');
  const cmd = r.u8('command id');
  const command = (fc & 3) === 1 ? zclCommand(cluster, (fc & 0x08) === 0, cmd)?.name : PROFILE_WIDE_COMMANDS[cmd];
  return field('future-dated command', at, end - at, {
    type: 'GBZ future-dated alert data',
    children: [
      leaf('length', at, 1, 'uint8', len),
      field('message code', at + 1, 2, { type: 'uint16 BE', value: mc, text: `0x${mc.toString(16).toUpperCase().padStart(4, '0')}` }),
      leaf('originator counter', at + 3, 8, 'uint64 BE', counter.toString()),
      field('cluster id', at + 11, 2, { type: 'uint16 BE', value: cluster, text: CLUSTERS.get(cluster) ?? `0x${cluster.toString(16)}` }),
      leaf('frame control', at + 13, 1, 'bitmap8', fc),
      field('command id', at + 14, 1, { type: 'uint8', value: cmd, ...(command ? { text: command } : {}) }),
    ],
  });
}

// The ZCL frame control's reading, by cluster-specific (1), client to server (2), default response disabled (4).
const FRAME_CONTROL_TEXTS: readonly string[] = Array.from(
  { length: 8 },
  (_, i) => `${i & 1 ? 'cluster-specific' : 'profile-wide'}, ${i & 2 ? 'client to server' : 'server to client'}${i & 4 ? ', default response disabled' : ''}`,
);

function readComponent(r: ByteReader, index: number, ctx: GbzContext, encrypted: EncryptedPart[]): PayloadNode {
  const at = r.pos;
  const control = r.u8('GBZ extended header control');
  const cluster = r.u16('GBZ cluster id');
  const len = r.u16('GBZ command length');
  if (len > r.remaining) r.fail(`truncated: GBZ component ${index} says ${len} bytes, ${r.remaining} remain`);
  const end = r.pos + len;
  const c = new ByteReader(r.bytes, r.pos, end);
  const clusterName = CLUSTERS.get(cluster) ?? `cluster 0x${cluster.toString(16).padStart(4, '0')}`;
  const kids: PayloadNode[] = [
    leaf('extended header control', at, 1, 'bitmap8', control, CONTROL_TEXTS[(control & 0x03) | ((control & 0x10) >> 2)]),
    leaf('cluster id', at + 1, 2, 'uint16 BE', cluster, clusterName),
    leaf('command length', at + 3, 2, 'uint16 BE', len),
  ];
  if (control & 0x10) {
    const s = c.u32('GBZ From Date-Time');
    kids.push(leaf('From Date-Time', c.pos - 4, 4, 'UTC BE', s, utcText(s)));
  }
  const isEncrypted = (control & 0x02) !== 0;
  if (isEncrypted) {
    const h = c.take(2, 'GBZ additional header');
    kids.push(field('additional header', c.pos - 2, 2, { type: 'bytes', value: hex(h), text: `control 0x${hex2(h[0]!)}, frame counter ${h[1]}` }));
  }
  const zclAt = c.pos;
  const fc = c.u8('ZCL frame control');
  const manufacturer = fc & 0x04 ? c.u16le('ZCL manufacturer code') : null;
  const seq = c.u8('ZCL transaction sequence number');
  const cmd = c.u8('ZCL command id');
  const clusterSpecific = (fc & 0x03) === 1;
  const toServer = (fc & 0x08) === 0;
  const spec = clusterSpecific ? zclCommand(cluster, toServer, cmd) : undefined;
  const commandName = clusterSpecific ? (spec?.name ?? `command 0x${hex2(cmd)}`) : (PROFILE_WIDE_COMMANDS[cmd] ?? `profile-wide command 0x${hex2(cmd)}`);
  kids.push(leaf('frame control', zclAt, 1, 'bitmap8', fc, FRAME_CONTROL_TEXTS[(clusterSpecific ? 1 : 0) | (toServer ? 2 : 0) | (fc & 0x10 ? 4 : 0)]));
  if (manufacturer !== null) kids.push(leaf('manufacturer code', zclAt + 1, 2, 'uint16', manufacturer));
  kids.push(leaf('transaction sequence number', c.pos - 2, 1, 'uint8', seq));
  kids.push(leaf('command id', c.pos - 1, 1, 'uint8', cmd, commandName));
  if (isEncrypted) kids.push(readEncryptedPayload(c, ctx, encrypted, (p) => readZclPayload(p, cluster, clusterSpecific, manufacturer, cmd, spec)));
  else kids.push(...readZclPayload(c, cluster, clusterSpecific, manufacturer, cmd, spec));
  r.take(len, 'GBZ component');
  return leaf(`component ${index}: ${clusterName} ${commandName}`, at, r.pos - at, 'GBZ component', undefined, undefined, kids);
}

/** An encrypted ZCL payload: ciphered length (BE), then `31` ‖ IC ‖ ciphertext ‖ tag, decrypted in place. */
function readEncryptedPayload(c: ByteReader, ctx: GbzContext, encrypted: EncryptedPart[], read: (p: ByteReader) => PayloadNode[]): PayloadNode {
  const at = c.pos;
  const len = c.u16('ciphered length');
  if (len > c.remaining || len < 5 + CIPHER_TAG_LENGTH) c.fail(`ciphered length ${len} does not fit the component`, at);
  const partAt = c.pos;
  const ciphered = c.take(len, 'ciphered payload');
  if (c.remaining) c.fail(`${c.remaining} bytes after the ciphered payload`);
  const d = decryptCiphered(ctx.keys, ctx.device, ctx.party, ctx.device, ctx.party, ctx.counter, ciphered);
  const kids: PayloadNode[] = [
    leaf('ciphered length', at, 2, 'uint16 BE', len),
    leaf('security control', partAt, 1, 'uint8', ciphered[0]!, 'authenticated and encrypted'),
    leaf('invocation counter', partAt + 1, 4, 'uint32 BE', u32be(ciphered, 1)),
  ];
  const ctAt = partAt + 5;
  const ct = ciphered.subarray(5, ciphered.length - CIPHER_TAG_LENGTH);
  if (d.ok) {
    encrypted.push({ offset: partAt, length: len, status: 'decrypted' });
    const p = new ByteReader(d.plaintext, 0, d.plaintext.length, ctAt);
    kids.push(field('ZCL payload (decrypted)', ctAt, ct.length, { type: 'plaintext', children: read(p) }));
  } else {
    encrypted.push({ offset: partAt, length: len, status: d.status, reason: d.reason });
    kids.push(unknownBytes('ciphertext', ctAt, ct, `not decrypted: ${d.reason}`));
  }
  kids.push(leaf('authentication tag', partAt + len - CIPHER_TAG_LENGTH, CIPHER_TAG_LENGTH, 'GCM tag', hex(ciphered.subarray(len - CIPHER_TAG_LENGTH))));
  return field('encrypted ZCL payload', at, c.pos - at, { type: 'ciphered', text: d.ok ? 'decrypted' : 'not decrypted', children: kids });
}

function readZclPayload(
  r: ByteReader,
  cluster: number,
  clusterSpecific: boolean,
  manufacturer: number | null,
  cmd: number,
  spec: { fields?: readonly ZclField[] } | undefined,
): PayloadNode[] {
  if (r.remaining === 0) return [];
  if (manufacturer !== null) return [unknownBytes('manufacturer-specific payload', r.offset(), r.take(r.remaining, 'payload'))];
  if (clusterSpecific) {
    if (!spec?.fields) return [unknownBytes('command payload', r.offset(), r.take(r.remaining, 'payload'), 'no layout known for this command')];
    // A payload that does not fit the layout known here is kept as labelled bytes, not refused:
    // the layouts come from ZSE as known here, not from the GBCS text.
    const at = r.pos;
    const probe = new ByteReader(r.bytes, r.pos, r.end, r.base);
    try {
      const fields = readZclFields(probe, spec.fields);
      r.take(probe.pos - at, 'payload');
      if (r.remaining) fields.push(unknownBytes('bytes after the known fields', r.offset(), r.take(r.remaining, 'payload'), 'beyond the known layout (e.g. a snapshot payload)'));
      return fields;
    } catch (e) {
      if (!(e instanceof GbcsDecodeError)) throw e;
      return [unknownBytes('command payload', r.offset(), r.take(r.remaining, 'payload'), `does not fit the known layout: ${e.reason}`)];
    }
  }
  return readProfileWide(r, cluster, cmd);
}

function attributeField(cluster: number, r: ByteReader, at: number, name = 'attribute id'): { id: number; node: PayloadNode; known: boolean } {
  const id = r.u16le('attribute id');
  const attr = ATTRIBUTES.get(cluster)?.get(id);
  return { id, known: attr !== undefined, node: leaf(name, at, 2, 'uint16', id, attr ?? `0x${id.toString(16).padStart(4, '0')}`) };
}

// A module-level function, not a closure made per call: readProfileWide runs for most GSME answers.
function statusNode(r: ByteReader, at: number): PayloadNode {
  const s = r.u8('status');
  return leaf('status', at, 1, 'enum8', s, ZCL_STATUS[s] ?? `0x${hex2(s)}`);
}

function readProfileWide(r: ByteReader, cluster: number, cmd: number): PayloadNode[] {
  const out: PayloadNode[] = [];
  switch (cmd) {
    case 0x00:
      while (r.remaining) {
        const a = attributeField(cluster, r, r.offset());
        out.push(a.known ? a.node : { ...a.node, named: false });
      }
      return out;
    case 0x01:
    case 0x02:
      while (r.remaining) {
        const at = r.offset();
        const a = attributeField(cluster, r, at);
        const parts = [a.node];
        const st = cmd === 0x01 ? statusNode(r, r.offset()) : undefined;
        if (st) parts.push(st);
        if (!st || st.value === 0) {
          const typeAt = r.offset();
          const type = r.u8('attribute data type');
          parts.push(leaf('data type', typeAt, 1, 'uint8', type, zclTypeName(type)));
          parts.push(readZclValue(r, type, 'value', attributeValueNames(cluster, a.id)));
        }
        const rec = field(`${cmd === 0x01 ? 'read record' : 'write record'} ${a.node.text}`, at, r.offset() - at, { type: 'attribute record', children: parts });
        out.push(a.known ? rec : { ...rec, named: false, children: parts.map((p) => ({ ...p, named: false })) });
      }
      return out;
    case 0x04:
      while (r.remaining) {
        const at = r.offset();
        const parts = [statusNode(r, at)];
        if (r.remaining >= 2) parts.push(attributeField(cluster, r, r.offset()).node);
        out.push(field('write status record', at, r.offset() - at, { type: 'record', children: parts }));
      }
      return out;
    case 0x0b: {
      const at = r.offset();
      const c = r.u8('command id');
      out.push(leaf('command id answered', at, 1, 'uint8', c), statusNode(r, at + 1));
      if (r.remaining) r.fail(`${r.remaining} bytes after the Default Response`);
      return out;
    }
    default:
      return [unknownBytes('profile-wide command payload', r.offset(), r.take(r.remaining, 'payload'))];
  }
}
