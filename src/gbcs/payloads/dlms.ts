import { ByteReader, hex2 } from '../byte-reader.ts';

/**
 * ESME payloads: the DLMS/COSEM ACCESS service in A-XDR, as gbcs-payloads.md section 1 sets out.
 * The invoke id is 0x20 (break on error) followed by the low three bytes of the frame's counter.
 */
const OBIS_DISCONNECT_SCRIPT_TABLE = [0x00, 0x00, 0x0a, 0x00, 0x6a, 0xff];
const OBIS_DISCONNECT_CONTROL = [0x00, 0x00, 0x60, 0x03, 0x0a, 0xff];
const OBIS_TOKEN_GATEWAY = [0x00, 0x00, 0x13, 0x28, 0x00, 0xff];
const CLASS_SCRIPT_TABLE = 9;
const CLASS_DISCONNECT_CONTROL = 70;
const CLASS_TOKEN_GATEWAY = 115;

/** Scripts of the disconnect control script table used by the load-switch commands. */
export const LOAD_SWITCH_SCRIPTS = { ECS42: 51, ECS43: 52, ECS44: 54 } as const;
export type LoadSwitchUseCase = keyof typeof LOAD_SWITCH_SCRIPTS;

export function invokeId(counter: bigint): number[] {
  const c = Number(counter & 0xffffffn);
  return [0x20, (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff];
}

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];

/** ECS42 close (enable supply), ECS43 open (disable), ECS44 arm: ACTION execute(script id). */
export function buildLoadSwitchCommand(useCase: LoadSwitchUseCase, counter: bigint): Uint8Array {
  return Uint8Array.from([
    0xd9,
    ...invokeId(counter),
    0x00,
    0x01,
    0x03,
    ...u16(CLASS_SCRIPT_TABLE),
    ...OBIS_DISCONNECT_SCRIPT_TABLE,
    0x01,
    0x01,
    0x12,
    ...u16(LOAD_SWITCH_SCRIPTS[useCase]),
  ]);
}

/** ECS45: GET control_state (attribute 3) of Disconnect control. */
export function buildReadLoadSwitchCommand(counter: bigint): Uint8Array {
  return Uint8Array.from([0xd9, ...invokeId(counter), 0x00, 0x01, 0x01, ...u16(CLASS_DISCONNECT_CONTROL), ...OBIS_DISCONNECT_CONTROL, 0x03, 0x01, 0x00]);
}

/** CS01a: Token gateway enter(UTRN as 20 ASCII digits); the frame counter must be the UTRN counter. */
export function buildEsmeTopUpCommand(utrn: string, counter: bigint): Uint8Array {
  if (!/^\d{20}$/.test(utrn)) throw new RangeError('a UTRN is 20 digits');
  return Uint8Array.from([0xd9, ...invokeId(counter), 0x00, 0x01, 0x03, ...u16(CLASS_TOKEN_GATEWAY), ...OBIS_TOKEN_GATEWAY, 0x01, 0x01, 0x09, 0x14, ...Buffer.from(utrn, 'ascii')]);
}

// --- reading requests (the simulated ESME) and responses (the platform) ---

export type DlmsSpec = { kind: 'get' | 'set'; classId: number; obis: string; attribute: number } | { kind: 'action'; classId: number; obis: string; method: number };

/** DLMS Data as far as this scope needs it. */
export type DlmsData =
  | { type: 'null' }
  | { type: 'enum' | 'unsigned' | 'long-unsigned' | 'double-long-unsigned'; value: number }
  | { type: 'octet-string'; value: Uint8Array }
  | { type: 'structure' | 'array'; items: DlmsData[] };

export interface AccessRequest {
  readonly invokeId: number;
  readonly specs: DlmsSpec[];
  readonly data: DlmsData[];
}

const obisText = (b: Uint8Array) => `${b[0]}-${b[1]}:${b[2]}.${b[3]}.${b[4]}.${b[5]}`;

function readCount(r: ByteReader, what: string): number {
  return r.derLength(what);
}

export function readDlmsData(r: ByteReader, depth = 0): DlmsData {
  if (depth > 16) r.fail('DLMS data nested too deeply');
  const at = r.pos;
  const tag = r.u8('DLMS data tag');
  switch (tag) {
    case 0x00:
      return { type: 'null' };
    case 0x01:
    case 0x02: {
      const n = readCount(r, 'DLMS element count');
      const items: DlmsData[] = [];
      for (let i = 0; i < n; i++) items.push(readDlmsData(r, depth + 1));
      return { type: tag === 1 ? 'array' : 'structure', items };
    }
    case 0x06:
      return { type: 'double-long-unsigned', value: Buffer.from(r.take(4, 'double-long-unsigned')).readUInt32BE(0) };
    case 0x09:
      return { type: 'octet-string', value: r.take(r.derLength('octet-string'), 'octet-string') };
    case 0x11:
      return { type: 'unsigned', value: r.u8('unsigned') };
    case 0x12:
      return { type: 'long-unsigned', value: r.u16('long-unsigned') };
    case 0x16:
      return { type: 'enum', value: r.u8('enum') };
    default:
      return r.fail(`DLMS data type 0x${hex2(tag)} is not supported here`, at);
  }
}

/** Reads an Access-Request (D9), as an ESME does. */
export function readAccessRequest(content: Uint8Array): AccessRequest {
  const r = new ByteReader(content);
  r.expect(0xd9, 'DLMS access-request tag');
  const id = Buffer.from(r.take(4, 'invoke id')).readUInt32BE(0);
  r.expect(0x00, 'DLMS date-time (absent)');
  const n = readCount(r, 'request spec count');
  const specs: DlmsSpec[] = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const choice = r.u8('request spec');
    const classId = r.u16('class id');
    const obis = obisText(r.take(6, 'OBIS'));
    const member = r.u8('attribute or method');
    if (choice === 1 || choice === 2) specs.push({ kind: choice === 1 ? 'get' : 'set', classId, obis, attribute: member });
    else if (choice === 3) specs.push({ kind: 'action', classId, obis, method: member });
    else r.fail(`request spec choice 0x${hex2(choice)} is not GET, SET or ACTION`, at);
  }
  const m = readCount(r, 'data count');
  const data: DlmsData[] = [];
  for (let i = 0; i < m; i++) data.push(readDlmsData(r));
  if (r.remaining) r.fail(`${r.remaining} trailing bytes after the access-request`);
  return { invokeId: id, specs, data };
}

export interface AccessResponse {
  readonly invokeId: number;
  readonly data: DlmsData[];
  readonly results: Array<{ kind: 'get' | 'set' | 'action'; result: number }>;
}

export function readAccessResponse(content: Uint8Array): AccessResponse {
  const r = new ByteReader(content);
  r.expect(0xda, 'DLMS access-response tag');
  const id = Buffer.from(r.take(4, 'invoke id')).readUInt32BE(0);
  r.expect(0x00, 'DLMS date-time (absent)');
  r.expect(0x00, 'access-request-specification echo (absent)');
  const n = readCount(r, 'response data count');
  const data: DlmsData[] = [];
  for (let i = 0; i < n; i++) data.push(readDlmsData(r));
  const m = readCount(r, 'response spec count');
  const results: AccessResponse['results'] = [];
  for (let i = 0; i < m; i++) {
    const at = r.pos;
    const c = r.u8('response spec');
    if (c < 1 || c > 3) r.fail(`response spec choice 0x${hex2(c)}`, at);
    results.push({ kind: (['get', 'set', 'action'] as const)[c - 1]!, result: r.u8('result') });
  }
  if (r.remaining) r.fail(`${r.remaining} trailing bytes after the access-response`);
  return { invokeId: id, data, results };
}

function encodeData(d: DlmsData): number[] {
  switch (d.type) {
    case 'null':
      return [0x00];
    case 'enum':
      return [0x16, d.value];
    case 'unsigned':
      return [0x11, d.value];
    case 'long-unsigned':
      return [0x12, ...u16(d.value)];
    case 'double-long-unsigned':
      return [0x06, (d.value >>> 24) & 0xff, (d.value >> 16) & 0xff, (d.value >> 8) & 0xff, d.value & 0xff];
    case 'octet-string':
      return [0x09, d.value.length, ...d.value];
    case 'structure':
    case 'array':
      return [d.type === 'array' ? 0x01 : 0x02, d.items.length, ...d.items.flatMap(encodeData)];
  }
}

/** An Access-Response (DA), as an ESME writes it. */
export function buildAccessResponse(invoke: number, data: DlmsData[], results: AccessResponse['results']): Uint8Array {
  const choice = { get: 1, set: 2, action: 3 } as const;
  return Uint8Array.from([
    0xda,
    (invoke >>> 24) & 0xff,
    (invoke >> 16) & 0xff,
    (invoke >> 8) & 0xff,
    invoke & 0xff,
    0x00,
    0x00,
    data.length,
    ...data.flatMap(encodeData),
    results.length,
    ...results.flatMap((x) => [choice[x.kind], x.result]),
  ]);
}

/** control_state of Disconnect control. */
export const CONTROL_STATE = { disconnected: 0, connected: 1, ready_for_reconnection: 2 } as const;
export const DATA_ACCESS_RESULT = { success: 0, hardwareFault: 1, temporaryFailure: 2, readWriteDenied: 3, otherReason: 250 } as const;
