import { ByteReader, hex2 } from '../byte-reader.ts';

/**
 * GSME payloads: the GBZ wrapper (profile 0x0109) around ZigBee ZCL frames, as gbcs-payloads.md
 * section 2 sets out. GBZ header fields are big-endian; ZCL payload fields little-endian.
 */
export const CLUSTER = { metering: 0x0702, prepayment: 0x0705 } as const;

/** Proposed supply status of Change Supply: GCS32 closes the valve (off), GCS39 arms it. */
export const VALVE_USE_CASES = { GCS32: 0x00, GCS39: 0x01 } as const;
export type ValveUseCase = keyof typeof VALVE_USE_CASES;
export const SUPPLY_STATUS = { off: 0, armed: 1, on: 2 } as const;

/** The Issuer Event ID every GBZ command of the RTDS carries (2015-01-01 as ZigBee UTC time). */
export const RTDS_ISSUER_EVENT_ID = 0x1c374a80;

/** ZSE Consumer Top Up result types. */
export const TOP_UP_RESULT = { accepted: 0x00, invalid: 0x01, duplicate: 0x02, error: 0x03, maxCredit: 0x04, keypadLock: 0x05, tooLarge: 0x06 } as const;
/** Originating device of a Consumer Top Up: 00 remote (ESI, CS01b), 02 an IHD-type device (PPMID, PCS01). */
export const ORIGINATING_DEVICE = { esi: 0x00, meter: 0x01, ihd: 0x02 } as const;

export interface GbzComponent {
  readonly control: number;
  readonly cluster: number;
  readonly fromDateTime: number | null;
  readonly encrypted: boolean;
  readonly frameControl: number;
  readonly sequence: number;
  readonly commandId: number;
  readonly payload: Uint8Array;
}

const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** One GBZ message of plain components; sequence numbers are the component indexes. */
export function encodeGbz(components: ReadonlyArray<{ cluster: number; frameControl: number; commandId: number; payload: ArrayLike<number> }>): Uint8Array {
  const out = [0x01, 0x09, components.length];
  components.forEach((c, i) => {
    const zcl = [c.frameControl, i, c.commandId, ...Array.from(c.payload)];
    out.push(i === components.length - 1 ? 0x01 : 0x00, c.cluster >> 8, c.cluster & 0xff, zcl.length >> 8, zcl.length & 0xff, ...zcl);
  });
  return Uint8Array.from(out);
}

export function readGbz(content: Uint8Array): GbzComponent[] {
  const r = new ByteReader(content);
  const profile = r.u16('GBZ profile id');
  if (profile !== 0x0109) r.fail(`GBZ profile 0x${profile.toString(16)} is not 0x0109`, 0);
  const n = r.u8('GBZ component count');
  const out: GbzComponent[] = [];
  for (let i = 0; i < n; i++) {
    const control = r.u8('GBZ extended header control');
    const cluster = r.u16('GBZ cluster id');
    const len = r.u16('GBZ command length');
    const end = r.pos + len;
    if (end > r.end) r.fail(`truncated: GBZ component ${i} says ${len} bytes, ${r.remaining} remain`);
    const c = new ByteReader(content, r.pos, end);
    const fromDateTime = control & 0x10 ? Buffer.from(c.take(4, 'GBZ From Date-Time')).readUInt32BE(0) : null;
    const encrypted = (control & 0x02) !== 0;
    if (encrypted) c.take(2, 'GBZ additional header');
    const frameControl = c.u8('ZCL frame control');
    const sequence = c.u8('ZCL sequence number');
    const commandId = c.u8('ZCL command id');
    out.push({ control, cluster, fromDateTime, encrypted, frameControl, sequence, commandId, payload: c.take(c.remaining, 'ZCL payload') });
    r.take(len, 'GBZ component');
  }
  if (r.remaining) r.fail(`${r.remaining} trailing bytes after the GBZ message`);
  return out;
}

/** GCS32 / GCS39: Metering cluster Change Supply (cluster-specific command 0x0B), acknowledgement required. */
export function buildChangeSupplyCommand(useCase: ValveUseCase, issuerEventId = RTDS_ISSUER_EVENT_ID): Uint8Array {
  return encodeGbz([
    { cluster: CLUSTER.metering, frameControl: 0x01, commandId: 0x0b, payload: [...u32le(0), ...u32le(issuerEventId), ...u32le(0), ...u32le(0), VALVE_USE_CASES[useCase], 0x01] },
  ]);
}

/** GCS33: Read Attributes RemainingBatteryLifeInDays (0x0205) and SupplyStatus (0x0014). */
export function buildReadValveCommand(): Uint8Array {
  return encodeGbz([{ cluster: CLUSTER.metering, frameControl: 0x00, commandId: 0x00, payload: [0x05, 0x02, 0x14, 0x00] }]);
}

/** CS01b (remote, originating device 00) or PCS01 (PPMID, 02): Prepayment cluster Consumer Top Up. */
export function buildConsumerTopUpCommand(utrn: string, originatingDevice: number = ORIGINATING_DEVICE.esi): Uint8Array {
  if (!/^\d{20}$/.test(utrn)) throw new RangeError('a UTRN is 20 digits');
  return encodeGbz([{ cluster: CLUSTER.prepayment, frameControl: 0x01, commandId: 0x04, payload: [originatingDevice, 0x14, ...Buffer.from(utrn, 'ascii')] }]);
}

// --- responses, as the GSME writes them and the platform reads them ---

export function buildSupplyStatusResponse(issuerEventId: number, status: number): Uint8Array {
  return encodeGbz([{ cluster: CLUSTER.metering, frameControl: 0x09, commandId: 0x0c, payload: [...u32le(0), ...u32le(issuerEventId), ...u32le(0), status] }]);
}

/** A ZCL Default Response refusing a command: status 0xC0 is HARDWARE_FAILURE. */
export function buildDefaultResponse(cluster: number, commandId: number, status: number): Uint8Array {
  return encodeGbz([{ cluster, frameControl: 0x08, commandId: 0x0b, payload: [commandId, status] }]);
}

export function buildReadValveResponse(batteryDays: number, supplyStatus: number): Uint8Array {
  return encodeGbz([
    {
      cluster: CLUSTER.metering,
      frameControl: 0x08,
      commandId: 0x01,
      payload: [0x05, 0x02, 0x00, 0x21, batteryDays & 0xff, batteryDays >> 8, 0x14, 0x00, 0x00, 0x30, supplyStatus],
    },
  ]);
}

/** Money in the Consumer Top Up Response is in 1/1000 penny in the RTDS (1250 p -> 1,250,000). */
export function buildTopUpResponse(result: number, topUpValue: number, source: number, creditRemaining: number): Uint8Array {
  const i32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    return [...b];
  };
  return encodeGbz([{ cluster: CLUSTER.prepayment, frameControl: 0x09, commandId: 0x03, payload: [result, ...i32(topUpValue), source, ...i32(creditRemaining)] }]);
}

export interface TopUpResponse {
  readonly result: number;
  readonly topUpValue: number;
  readonly source: number;
  readonly creditRemaining: number;
}

export function readTopUpResponse(c: GbzComponent): TopUpResponse {
  const p = Buffer.from(c.payload);
  if (c.cluster !== CLUSTER.prepayment || c.commandId !== 0x03 || p.length !== 10) {
    throw new ByteReader(c.payload).fail(`not a Consumer Top Up Response (cluster 0x${c.cluster.toString(16)}, command 0x${hex2(c.commandId)})`, 0);
  }
  return { result: p[0]!, topUpValue: p.readInt32LE(1), source: p[5]!, creditRemaining: p.readInt32LE(6) };
}

export interface ChangeSupplyRequest {
  readonly providerId: number;
  readonly issuerEventId: number;
  readonly requestDateTime: number;
  readonly implementationDateTime: number;
  readonly proposedSupplyStatus: number;
  readonly supplyControlBits: number;
}

export function readChangeSupply(c: GbzComponent): ChangeSupplyRequest {
  const p = Buffer.from(c.payload);
  if (c.cluster !== CLUSTER.metering || c.commandId !== 0x0b || p.length !== 18) {
    throw new ByteReader(c.payload).fail('not a Change Supply command', 0);
  }
  return {
    providerId: p.readUInt32LE(0),
    issuerEventId: p.readUInt32LE(4),
    requestDateTime: p.readUInt32LE(8),
    implementationDateTime: p.readUInt32LE(12),
    proposedSupplyStatus: p[16]!,
    supplyControlBits: p[17]!,
  };
}

export function readConsumerTopUp(c: GbzComponent): { originatingDevice: number; utrn: string } {
  const p = c.payload;
  if (c.cluster !== CLUSTER.prepayment || c.commandId !== 0x04 || p.length !== 22 || p[1] !== 0x14) {
    throw new ByteReader(c.payload).fail('not a Consumer Top Up command', 0);
  }
  return { originatingDevice: p[0]!, utrn: Buffer.from(p.subarray(2)).toString('ascii') };
}
