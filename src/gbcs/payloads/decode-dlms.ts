import type { Eui } from '../../domain/eui.ts';
import { ByteReader, hex2, u32be } from '../byte-reader.ts';
import { attributeName, classAttributeSchema, className, classMethodSchema, methodName, PROTECTION_PARAMETERS } from './cosem-classes.ts';
import { readData, type DataSchema } from './dlms-data.ts';
import { alertCodeText } from './alert-codes.ts';
import { futureDatedBody } from './dlms-future-dated.ts';
import { alertBodyValue } from './alert-bodies.ts';
import { obisAt, objectName, objectSchema, type ObjectRef } from './obis-names.ts';
import { CIPHER_TAG_LENGTH, decryptCiphered, type PayloadKeys } from './payload-keys.ts';
import { field, leaf, hex, type EncryptedPart, type PayloadNode } from './payload-tree.ts';

/** What a DLMS decoder knows of the frame around the payload. */
export interface DlmsContext {
  readonly originator: Eui;
  readonly recipient: Eui;
  readonly keys: PayloadKeys;
  /**
   * Whom the device encrypted protected attributes for, and under which counter: as for GBZ
   * components (encryptionTarget). Without it, the protection parameters' originator, recipient
   * and transaction id are used. Found by trial: for a response to an unknown remote party (ECS21b
   * URP) the protection parameters name the ACB and the frame counter, yet only the party and
   * second counter of Other-Information decrypt it; the GBCS text was not available to confirm.
   */
  readonly encryption?: { readonly party: Eui; readonly counter: bigint };
  /** For a response: the requests it answers (the use case's command), to name the values read. */
  readonly requests?: readonly RequestSpec[];
  /** For protected attributes and alert bodies: what the use case carries (registry, by message code). */
  readonly protectedObjects?: readonly ObjectRef[];
  readonly alertBody?: readonly DataSchema[];
}

export interface RequestSpec extends ObjectRef {
  readonly kind: 'get' | 'set' | 'action' | 'get-with-selection' | 'set-with-selection';
}

const SPEC_KINDS = ['get', 'set', 'action', 'get-with-selection', 'set-with-selection'] as const;
const RESULT_NAMES: Readonly<Record<number, string>> = {
  0: 'success',
  1: 'hardware-fault',
  2: 'temporary-failure',
  3: 'read-write-denied',
  4: 'object-undefined',
  9: 'object-class-inconsistent',
  11: 'object-unavailable',
  12: 'type-unmatched',
  13: 'scope-of-access-violated',
  14: 'data-block-unavailable',
  15: 'long-get-or-action-aborted',
  16: 'no-long-get-or-action-in-progress',
  17: 'long-set-aborted',
  18: 'no-long-set-in-progress',
  19: 'data-block-number-invalid',
  250: 'other-reason',
};

/**
 * ESME payloads: DLMS/COSEM ACCESS requests (D9) and responses (DA), and Data-Notifications (0F,
 * the ESME's alerts), in A-XDR (gbcs-payloads.md section 1). Protected attributes of the Data
 * protection class are decrypted with the frame's payload keys where the keystore allows.
 */
export function decodeDlms(content: Uint8Array, ctx: DlmsContext): { root: PayloadNode; encrypted: EncryptedPart[] } {
  const r = new ByteReader(content);
  const encrypted: EncryptedPart[] = [];
  const tag = content[0];
  const children: PayloadNode[] = [];
  const name =
    tag === 0xd9 ? 'access-request' : tag === 0xda ? 'access-response' : tag === 0x0f ? 'data-notification' : r.fail(`DLMS APDU tag 0x${hex2(tag ?? 0)} is not D9, DA or 0F`, 0);
  r.u8('DLMS APDU tag');
  children.push(leaf('tag', 0, 1, 'tag', hex2(tag!), name));
  const invoke = r.u32('long-invoke-id-and-priority');
  children.push(
    leaf(
      'long-invoke-id-and-priority',
      1,
      4,
      'Unsigned32',
      invoke,
      `invoke id ${invoke & 0xffffff}${invoke & 0x20000000 ? ', break on error' : ''}${invoke & 0x80000000 ? ', high priority' : ''}`,
    ),
  );
  children.push(readDateTimeField(r));
  if (tag === 0xd9) readRequest(r, ctx, children, encrypted);
  else if (tag === 0xda) readResponse(r, ctx, children, encrypted);
  else readNotification(r, ctx, children, encrypted);
  if (r.remaining) r.fail(`${r.remaining} trailing bytes after the ${name}`);
  return { root: field(name, 0, content.length, { type: 'DLMS APDU', children }), encrypted };
}

function readDateTimeField(r: ByteReader): PayloadNode {
  const at = r.pos;
  const len = r.derLength('date-time');
  const b = r.take(len, 'date-time');
  return leaf('date-time', at, r.pos - at, 'octet-string', hex(b), len ? hex(b) : 'absent');
}

function count(r: ByteReader, name: string): { n: number; node: PayloadNode } {
  const at = r.pos;
  const n = r.derLength(name);
  if (n > r.remaining) r.fail(`${name} ${n} cannot fit in ${r.remaining} bytes`, at);
  return { n, node: leaf(name, at, r.pos - at, 'count', n) };
}

function readSpec(r: ByteReader): { spec: RequestSpec; node: PayloadNode; selector?: number } {
  const at = r.pos;
  const choice = r.u8('request specification');
  const kind = SPEC_KINDS[choice - 1];
  if (!kind) r.fail(`request specification choice 0x${hex2(choice)} is not GET, SET, ACTION or a selective GET/SET`, at);
  const classId = r.u16('class id');
  const obis = obisAt(r.bytes, r.skip(6, 'instance id (OBIS)'));
  const member = r.u8(kind === 'action' ? 'method id' : 'attribute id');
  const spec: RequestSpec = { kind: kind!, classId, obis, member };
  const objName = objectName(classId, obis) ?? obis;
  const member_ = memberName(spec);
  const parts = [
    leaf('choice', at, 1, 'CHOICE', choice, kind!),
    leaf('class id', at + 1, 2, 'long-unsigned', classId, className(classId)),
    leaf('instance id', at + 3, 6, 'OBIS', obis, objName),
    leaf(kind === 'action' ? 'method id' : 'attribute id', at + 9, 1, 'unsigned', member, member_),
  ];
  let selector: number | undefined;
  if (kind === 'get-with-selection' || kind === 'set-with-selection') {
    // Selective access carries its selector and parameters inside the specification.
    selector = r.u8('access selector');
    parts.push(
      field('access selector', at + 10, 1, {
        type: 'unsigned',
        value: selector,
        text: selector === 1 ? 'range_descriptor' : selector === 2 ? 'entry_descriptor' : `selector ${selector}`,
      }),
    );
    parts.push(readData(r, selector === 1 ? RANGE_DESCRIPTOR : selector === 2 ? ENTRY_DESCRIPTOR : undefined));
  }
  return { spec, selector, node: leaf(`${kind} ${objName} ${member_}`, at, r.pos - at, 'request specification', undefined, undefined, parts) };
}

function memberName(s: ObjectRef & { kind: string }): string {
  return (s.kind === 'action' ? methodName(s.classId, s.member) : attributeName(s.classId, s.member)) ?? `${s.kind === 'action' ? 'method' : 'attribute'} ${s.member}`;
}

/** The schema of the value of one attribute (GET result, SET value) or of a method's parameter. */
function valueSchema(s: RequestSpec, role: 'value' | 'parameter'): DataSchema | undefined {
  if (s.kind === 'action')
    return role === 'parameter'
      ? (objectSchema(s, 'method') ?? classMethodSchema(s.classId, s.member))
      : s.classId === 30 && s.member === 1
        ? PROTECTED_GET_RESPONSE
        : objectSchema(s, 'return');
  // GB-class values are named from the DUIS responses that read them, not the commands that set them.
  if (s.classId === 9000 && role !== 'value') return undefined;
  return (
    objectSchema(s, 'attribute') ??
    classAttributeSchema(s.classId, s.member) ??
    (role === 'value' && attributeName(s.classId, s.member) ? { name: attributeName(s.classId, s.member)! } : undefined)
  );
}

/** What get_protected_attributes returns: the protection applied, then the ciphered attribute values. */
export const PROTECTED_GET_RESPONSE: DataSchema = {
  name: 'get response',
  members: [{ name: 'get_protection_parameters', each: PROTECTION_PARAMETERS }, { name: 'protected_attributes' }],
};

const RANGE_DESCRIPTOR: DataSchema = {
  name: 'range_descriptor',
  members: [
    { name: 'restricting_object', members: [{ name: 'class_id' }, { name: 'logical_name', as: 'obis' }, { name: 'attribute_index' }, { name: 'data_index' }] },
    { name: 'from_value', as: 'date-time' },
    { name: 'to_value', as: 'date-time' },
    { name: 'selected_values' },
  ],
};
const ENTRY_DESCRIPTOR: DataSchema = {
  name: 'entry_descriptor',
  members: [{ name: 'from_entry' }, { name: 'to_entry' }, { name: 'from_selected_value' }, { name: 'to_selected_value' }],
};

// Schemas the readers would otherwise make again for every value they read.
const GET_PLACEHOLDER: DataSchema = { name: 'placeholder (GET carries no value)' };
const SET_VALUE: DataSchema = { name: 'value' };
const PARAMETER: DataSchema = { name: 'parameter' };
const RETURN_PARAMETERS: DataSchema = { name: 'return parameters' };
const SET_NO_DATA: DataSchema = { name: 'no data (SET)' };

/** The schema a response value of request `s` is read with, named after its object: made once per request of the registry. */
const RESPONSE_SCHEMAS = new WeakMap<RequestSpec, DataSchema | null>();
function responseSchema(s: RequestSpec): DataSchema | undefined {
  let made = RESPONSE_SCHEMAS.get(s);
  if (made === undefined) {
    const schema =
      s.kind === 'get' || s.kind === 'get-with-selection' ? valueSchema(s, 'value') : s.kind === 'action' ? (valueSchema(s, 'value') ?? RETURN_PARAMETERS) : SET_NO_DATA;
    RESPONSE_SCHEMAS.set(s, (made = schema ? { ...schema, name: `${schema.name} of ${objectName(s.classId, s.obis) ?? s.obis}` } : null));
  }
  return made ?? undefined;
}

function readRequest(r: ByteReader, ctx: DlmsContext, out: PayloadNode[], encrypted: EncryptedPart[]): void {
  const specs = count(r, 'request specification count');
  out.push(specs.node);
  const list: Array<{ spec: RequestSpec; selector?: number }> = [];
  for (let i = 0; i < specs.n; i++) {
    const s = readSpec(r);
    list.push(s);
    out.push(s.node);
  }
  const data = count(r, 'data count');
  out.push(data.node);
  for (let i = 0; i < data.n; i++) {
    const s = list[i];
    let schema: DataSchema | undefined;
    if (s?.spec.kind === 'get' || s?.spec.kind === 'get-with-selection') schema = GET_PLACEHOLDER;
    else if (s) schema = valueSchema(s.spec, 'parameter') ?? (s.spec.kind === 'set' ? SET_VALUE : PARAMETER);
    const node = readData(r, schema);
    out.push(s?.spec.kind === 'action' && s.spec.classId === 30 ? withProtection(node, content(r), ctx, encrypted) : node);
  }
}

const content = (r: ByteReader) => r.bytes;

function readResponse(r: ByteReader, ctx: DlmsContext, out: PayloadNode[], encrypted: EncryptedPart[]): void {
  const echoAt = r.pos;
  const echo = r.u8('access-request-specification echo');
  if (echo !== 0) r.fail('an echoed access-request-specification is not used by GBCS', echoAt);
  out.push(leaf('access-request-specification', echoAt, 1, 'OPTIONAL', 0, 'not present'));
  const data = count(r, 'response data count');
  out.push(data.node);
  const requests = ctx.requests ?? [];
  const values: PayloadNode[] = [];
  for (let i = 0; i < data.n; i++) {
    const s = requests[i];
    const node = readData(r, s && responseSchema(s));
    // A SET, or an ACTION without return parameters, answers with null-data in its place (Blue Book ACCESS).
    values.push(node.type === 'null-data' ? { ...node, name: 'no data', named: true } : s?.classId === 30 ? withProtection(node, content(r), ctx, encrypted) : node);
  }
  out.push(...values);
  const results = count(r, 'response specification count');
  out.push(results.node);
  for (let i = 0; i < results.n; i++) {
    const at = r.pos;
    const c = r.u8('response specification');
    const kind = SPEC_KINDS[c - 1];
    if (!kind || c > 3) r.fail(`response specification choice 0x${hex2(c)} is not GET, SET or ACTION`, at);
    const result = r.u8('result');
    const what = kind === 'action' ? 'action-result' : 'data-access-result';
    out.push(
      leaf(`${kind} ${what}`, at, 2, 'CHOICE', result, RESULT_NAMES[result] ?? `result ${result}`, [
        leaf('choice', at, 1, 'CHOICE', c, kind),
        leaf(what, at + 1, 1, 'enum', result, RESULT_NAMES[result] ?? `result ${result}`),
      ]),
    );
  }
}

/** An ESME alert: structure { alert code, date-time, [use-case data...] } (gbcs-payloads.md 4.2). */
const NO_ALERT_BODY: readonly DataSchema[] = [];
const ANY_BODY: DataSchema = { name: 'notification body' };
/** The notification body schema of a use case's alerts (alert code, date-time, then its own members): made once per use case. */
const BODY_SCHEMAS = new WeakMap<readonly DataSchema[], DataSchema>();
function bodySchema(alertBody: readonly DataSchema[]): DataSchema {
  let made = BODY_SCHEMAS.get(alertBody);
  if (!made) BODY_SCHEMAS.set(alertBody, (made = { name: 'notification body', members: [{ name: 'alert code' }, { name: 'alert date-time', as: 'date-time' }, ...alertBody] }));
  return made;
}

function readNotification(r: ByteReader, ctx: DlmsContext, out: PayloadNode[], encrypted: EncryptedPart[]): void {
  const body = bodySchema(ctx.alertBody ?? NO_ALERT_BODY);
  const start = r.pos;
  const isStructure = r.bytes[r.pos] === 0x02;
  const n = isStructure ? new ByteReader(r.bytes, r.pos + 1).derLength('notification body count') : 0;
  const node = readData(r, n === body.members!.length ? body : ANY_BODY);
  const [code] = node.children ?? [];
  const named =
    code && code.type === 'long-unsigned' && n >= 2
      ? {
          ...node,
          named: true,
          children: [
            { ...code, named: true, name: 'alert code', text: alertCodeText(Number(code.value)) },
            ...node
              .children!.slice(1)
              .map((c, i) =>
                i === 0 && c.type === 'octet-string'
                  ? { ...c, named: true, name: 'alert date-time' }
                  : i === 1
                    ? alertBodyValue(futureDatedBody(Number(code.value), c, r.bytes), r.bytes)
                    : alertBodyValue(c, r.bytes),
              ),
          ],
        }
      : node;
  out.push(r.pos > start ? withProtection(named, content(r), ctx, encrypted) : named);
}

/**
 * Protected attributes (Data protection, class 30): a list of protection parameters, then the
 * ciphered attributes as an octet-string (`31` ‖ IC ‖ ciphertext ‖ tag). Decrypted in place: the
 * plaintext is DLMS Data, one value per protected object, whose offsets are those of the ciphertext.
 */
function withProtection(node: PayloadNode, bytes: Uint8Array, ctx: DlmsContext, encrypted: EncryptedPart[]): PayloadNode {
  const kids = node.children ?? [];
  const ci = kids.findIndex((k, i) => k.type === 'octet-string' && i > 0 && isProtectionList(kids[i - 1]!));
  if (ci < 0) return node;
  const params = kids[ci - 1]!;
  const opts = params.children?.[0]?.children?.[1]?.children;
  const ctNode = kids[ci]!;
  const headerLen = ctNode.length - lengthOfValue(ctNode);
  const ciphered = bytes.subarray(ctNode.offset + headerLen, ctNode.offset + ctNode.length);
  const origin = opts?.[1]?.value as string | undefined;
  const recip = opts?.[2]?.value as string | undefined;
  const tx = opts?.[0]?.value as string | undefined;
  const valid = origin?.length === 16 && recip?.length === 16 && tx?.length === 18 && ciphered.length >= 5 + CIPHER_TAG_LENGTH;
  const partAt = ctNode.offset + headerLen;
  let replaced: PayloadNode;
  if (!valid) {
    encrypted.push({
      offset: partAt,
      length: ciphered.length,
      status: 'failed',
      reason: 'protection parameters do not name originator, recipient and transaction id, or the ciphered data is too short',
    });
    replaced = { ...ctNode, named: false, note: 'protection parameters unreadable' };
  } else {
    const device = (origin === ctx.originator ? origin : recip) as Eui;
    const party = ctx.encryption?.party ?? ((device === origin ? recip : origin) as Eui);
    const counter = ctx.encryption?.counter ?? BigInt(`0x${tx!.slice(2)}`);
    const d = decryptCiphered(ctx.keys, device, party, device, party, counter, ciphered);
    const head = [
      leaf('security control', partAt, 1, 'unsigned', ciphered[0]!, 'authenticated and encrypted'),
      leaf('invocation counter', partAt + 1, 4, 'Unsigned32', u32be(ciphered, 1)),
    ];
    const tagNode = field('authentication tag', partAt + ciphered.length - CIPHER_TAG_LENGTH, CIPHER_TAG_LENGTH, {
      type: 'GCM tag',
      value: hex(ciphered.subarray(ciphered.length - CIPHER_TAG_LENGTH)),
    });
    if (!d.ok) {
      encrypted.push({ offset: partAt, length: ciphered.length, status: d.status, reason: d.reason });
      const ct = ciphered.subarray(5, ciphered.length - CIPHER_TAG_LENGTH);
      replaced = field('protected attributes (ciphered)', ctNode.offset, ctNode.length, {
        type: 'octet-string',
        children: [
          ...head,
          { name: 'ciphertext', offset: partAt + 5, length: ct.length, named: false, type: 'bytes', value: hex(ct), note: `not decrypted: ${d.reason}` },
          tagNode,
        ],
      });
    } else {
      encrypted.push({ offset: partAt, length: ciphered.length, status: 'decrypted' });
      const pr = new ByteReader(d.plaintext, 0, d.plaintext.length, partAt + 5);
      const value = readData(pr, protectedValuesSchema(ctx.protectedObjects ?? NO_OBJECTS));
      if (pr.remaining) pr.fail(`${pr.remaining} bytes after the protected attribute values`);
      replaced = field('protected attributes', ctNode.offset, ctNode.length, { type: 'octet-string', text: 'decrypted', children: [...head, value, tagNode] });
    }
  }
  const children = [...kids];
  children[ci - 1] = { ...params, named: true, name: 'protection parameters' };
  children[ci] = replaced;
  return { ...node, named: true, children };
}

const NO_OBJECTS: readonly ObjectRef[] = [];
/** The schema of the decrypted values of a use case's protected objects: made once per use case. */
const PROTECTED_SCHEMAS = new WeakMap<readonly ObjectRef[], DataSchema>();
function protectedValuesSchema(objects: readonly ObjectRef[]): DataSchema {
  let made = PROTECTED_SCHEMAS.get(objects);
  if (!made) {
    const members = objects.map(
      (o) => objectSchema(o, 'attribute') ?? classAttributeSchema(o.classId, o.member) ?? { name: attributeName(o.classId, o.member) ?? `attribute ${o.member}` },
    );
    made = {
      name: 'protected attribute values',
      members: members.map((m, i) => ({ ...m, name: `${m.name} of ${objectName(objects[i]!.classId, objects[i]!.obis) ?? objects[i]!.obis}` })),
    };
    PROTECTED_SCHEMAS.set(objects, made);
  }
  return made;
}

function isProtectionList(n: PayloadNode): boolean {
  return n.type === 'array' && n.children?.[0]?.name.startsWith(PROTECTION_PARAMETERS.name) === true;
}

/** The value bytes of an octet-string node: its length less the tag and length bytes. */
function lengthOfValue(n: PayloadNode): number {
  return String(n.value ?? '').length / 2;
}
