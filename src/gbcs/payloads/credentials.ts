import { ByteReader, hex2 } from '../byte-reader.ts';
import { expectTag, int, intValue, octets, readTlvs, seq, tlv, type Tlv } from './der.ts';

/**
 * CS02a (read credentials) and CS02b (replace credentials) payloads: ASN.1 DER, as
 * gbcs-payloads.md section 3 sets out. Remote-party roles as in GBCS: 00 root, 01 recovery,
 * 02 supplier, 03 network operator, 04 ACB, 05 TransCoS, 06 WAN provider, 08 load controller.
 */
export const ROLE = { root: 0, recovery: 1, supplier: 2, networkOperator: 3, acb: 4, transCoS: 5, wanProvider: 6, issuingAuthority: 7, loadController: 8, other: 0x7f } as const;

/** CS02b modes: the low byte of message codes 0x0100-0x0109. */
export const CS02B_MODE = {
  rootBySupplier: 0,
  rootByWanProvider: 1,
  supplierBySupplier: 2,
  networkOperatorByNetworkOperator: 3,
  acbByAcb: 4,
  wanProviderByWanProvider: 5,
  transCoSByTransCoS: 6,
  supplierByTransCoS: 7,
  anyExceptAbnormalRootByRecovery: 8,
  anyByContingency: 9,
} as const;

/** X.509 KeyUsage as GBCS cells carry it: digitalSignature, keyAgreement, or keyCertSign (root cells). */
export type KeyUsageBits = 'ds' | 'ka' | 'certSign';
const KEY_USAGE: Record<KeyUsageBits, number[]> = { ds: [0x07, 0x80], ka: [0x03, 0x08], certSign: [0x02, 0x04] };
/** Cell usage is management (0) by default and then omitted; 1 is the Supplier's prepayment top-up KA cell. */
export const CELL_USAGE_PREPAYMENT = 1;

export interface TaCell {
  readonly role: number;
  readonly keyUsage: KeyUsageBits;
  readonly cellUsage?: number;
}

function fail(t: Tlv | undefined, reason: string): never {
  return new ByteReader(new Uint8Array(), 0, 0, t?.offset ?? 0).fail(reason, 0);
}

function keyUsageBits(v: Uint8Array, t: Tlv): KeyUsageBits {
  const hex = Buffer.from(v).toString('hex');
  if (hex === '0780') return 'ds';
  if (hex === '0308') return 'ka';
  if (hex === '0204') return 'certSign';
  return fail(t, `key usage bits ${hex} are not digital signature, key agreement or certificate signing`);
}

const smallInt = (t: Tlv) => Number(intValue(t.value));

function encodeCellBody(c: TaCell): Uint8Array[] {
  return [int(c.role), tlv(0x03, Uint8Array.from(KEY_USAGE[c.keyUsage])), ...(c.cellUsage ? [int(c.cellUsage)] : [])];
}
export const encodeTaCell = (c: TaCell, tag = 0x30) => tlv(tag, ...encodeCellBody(c));

export function readTaCell(t: Tlv): TaCell {
  const [role, ku, usage] = readTlvs(t.value, 'TA cell', t.offset);
  expectTag(role, 0x02, 'TA cell role');
  const k = expectTag(ku, 0x03, 'TA cell key usage');
  return { role: smallInt(role!), keyUsage: keyUsageBits(k.value, k), ...(usage ? { cellUsage: smallInt(expectTag(usage, 0x02, 'TA cell usage')) } : {}) };
}

// ---------- CS02a ----------

export function buildCs02aCommand(authorising: TaCell, roles: readonly number[]): Uint8Array {
  return seq(encodeTaCell(authorising), seq(...roles.map((r) => int(r))));
}

export function readCs02aCommand(content: Uint8Array): { authorising: TaCell; roles: number[] } {
  const [outer] = readTlvs(content, 'CS02a command');
  const [cell, roles] = readTlvs(expectTag(outer, 0x30, 'CS02a command').value, 'CS02a command', outer!.offset);
  return { authorising: readTaCell(expectTag(cell, 0x30, 'authorising cell')), roles: readTlvs(expectTag(roles, 0x30, 'roles').value, 'role').map(smallInt) };
}

export interface CellContents {
  readonly keyUsage: KeyUsageBits;
  readonly cellUsage?: number;
  readonly subjectUniqueId: Uint8Array;
  readonly subjectKeyId: Uint8Array;
}

export interface RoleCredentials {
  readonly role: number;
  readonly status: number;
  readonly sequenceNumber?: bigint;
  readonly cells?: CellContents[];
}

export function readCs02aResponse(content: Uint8Array): RoleCredentials[] {
  const [outer] = readTlvs(content, 'CS02a response');
  return readTlvs(expectTag(outer, 0x30, 'CS02a response').value, 'role details', outer!.offset).map((rd) => {
    const [role, status, sq, cells] = readTlvs(expectTag(rd, 0x30, 'role details').value, 'role details', rd.offset);
    const base = { role: smallInt(expectTag(role, 0x02, 'role')), status: smallInt(expectTag(status, 0x0a, 'status')) };
    if (!sq) return base;
    return {
      ...base,
      sequenceNumber: intValue(expectTag(sq, 0x02, 'sequence number').value),
      cells: readTlvs(expectTag(cells, 0x30, 'cells').value, 'cell', cells!.offset).map((c) => {
        const parts = readTlvs(c.value, 'cell contents', c.offset);
        const ku = expectTag(parts[0], 0x03, 'key usage');
        const hasUsage = parts.length === 4;
        return {
          keyUsage: keyUsageBits(ku.value, ku),
          ...(hasUsage ? { cellUsage: smallInt(expectTag(parts[1], 0x02, 'cell usage')) } : {}),
          subjectUniqueId: expectTag(parts[hasUsage ? 2 : 1], 0x04, 'subject unique id').value,
          subjectKeyId: expectTag(parts[hasUsage ? 3 : 2], 0x04, 'subject key id').value,
        };
      }),
    };
  });
}

/** The device side of CS02a: non-minimal 3-byte lengths for 128 and above, as RTDS devices write. */
export function buildCs02aResponse(details: readonly RoleCredentials[]): Uint8Array {
  const dev = deviceSeq;
  return dev(
    ...details.map((d) =>
      d.cells
        ? dev(
            int(d.role),
            int(d.status, 0x0a),
            int(d.sequenceNumber ?? 0n),
            dev(
              ...d.cells.map((c) =>
                dev(tlv(0x03, Uint8Array.from(KEY_USAGE[c.keyUsage])), ...(c.cellUsage ? [int(c.cellUsage)] : []), octets(c.subjectUniqueId), octets(c.subjectKeyId)),
              ),
            ),
          )
        : dev(int(d.role), int(d.status, 0x0a)),
    ),
  );
}

/** A SEQUENCE with the device's length form: short below 128, else always 82 hi lo. */
export function deviceSeq(...parts: Uint8Array[]): Uint8Array {
  const v = Buffer.concat(parts);
  const len = v.length < 0x80 ? Uint8Array.of(v.length) : Uint8Array.of(0x82, v.length >> 8, v.length & 0xff);
  return Buffer.concat([Uint8Array.of(0x30), len, v]);
}

// ---------- CS02b ----------

export interface SpecialistFloor {
  readonly usage: number;
  readonly floor: bigint;
}

export interface PartyFloor {
  readonly role: number;
  readonly floor: bigint;
  readonly specialist?: readonly SpecialistFloor[];
}

export interface Cs02bCommand {
  readonly mode: number;
  /** [1] present (01) when time-based CPV checks are disapplied. */
  readonly disapplyTimeBasedCpvChecks: boolean;
  readonly plaintextSymmetricKey?: Uint8Array;
  /** [2]: absent in ACB-by-ACB, where the ACB's MAC is the authority. */
  readonly authorisingCell?: TaCell;
  /** [3]: the frame's Originator Counter. */
  readonly sequenceNumber: bigint;
  readonly newFloor?: bigint;
  readonly specialistFloors?: readonly SpecialistFloor[];
  readonly otherFloors?: readonly PartyFloor[];
  readonly replacements: ReadonlyArray<{ readonly certificate: Uint8Array; readonly target: TaCell }>;
  readonly certificationPath: readonly Uint8Array[];
  /** GeneralizedTime text, e.g. 20300115000000Z; absent for immediate execution. */
  readonly executionDateTime?: string;
}

const tlvBytes = (t: Tlv) => tlv(t.tag, t.value);
const specialist = (s: readonly SpecialistFloor[]) => s.map((x) => seq(int(x.usage), int(x.floor)));
const readSpecialist = (t: Tlv) =>
  readTlvs(t.value, 'specialist floor', t.offset).map((s) => {
    const [u, f] = readTlvs(s.value, 'specialist floor', s.offset);
    return { usage: smallInt(expectTag(u, 0x02, 'specialist usage')), floor: intValue(expectTag(f, 0x02, 'specialist floor').value) };
  });

export function buildCs02bCommand(c: Cs02bCommand): Uint8Array {
  const control = seq(
    int(c.mode),
    ...(c.plaintextSymmetricKey ? [tlv(0x80, c.plaintextSymmetricKey)] : []),
    ...(c.disapplyTimeBasedCpvChecks ? [tlv(0x81, Uint8Array.of(0x01))] : []),
    ...(c.authorisingCell ? [encodeTaCell(c.authorisingCell, 0xa2)] : []),
    int(c.sequenceNumber, 0x83),
    ...(c.newFloor !== undefined ? [int(c.newFloor, 0x84)] : []),
    ...(c.specialistFloors ? [tlv(0xa5, ...specialist(c.specialistFloors))] : []),
    ...(c.otherFloors ? [tlv(0xa6, ...c.otherFloors.map((f) => seq(int(f.role), int(f.floor), ...(f.specialist ? [seq(...specialist(f.specialist))] : []))))] : []),
  );
  return seq(
    control,
    seq(...c.replacements.map((r) => seq(r.certificate, encodeTaCell(r.target)))),
    seq(...c.certificationPath),
    ...(c.executionDateTime ? [tlv(0x18, Buffer.from(c.executionDateTime, 'ascii'))] : []),
  );
}

export function readCs02bCommand(content: Uint8Array): Cs02bCommand {
  const [outer, ...rest] = readTlvs(content, 'CS02b command');
  if (rest.length) fail(rest[0], 'trailing bytes after the CS02b command');
  const [control, repl, path, when, extra] = readTlvs(expectTag(outer, 0x30, 'CS02b command').value, 'CS02b command', outer!.offset);
  if (extra) fail(extra, 'unexpected field after the execution date-time');
  const fields = readTlvs(expectTag(control, 0x30, 'authorising-party control').value, 'control field', control!.offset);
  const mode = smallInt(expectTag(fields[0], 0x02, 'credentials replacement mode'));
  let disapply = false;
  let symmetricKey: Uint8Array | undefined;
  let cell: TaCell | undefined;
  let sequenceNumber: bigint | undefined;
  let newFloor: bigint | undefined;
  let specialistFloors: SpecialistFloor[] | undefined;
  let otherFloors: PartyFloor[] | undefined;
  let last = 0;
  for (const f of fields.slice(1)) {
    if ((f.tag & 0x1f) <= last) fail(f, `control field [${f.tag & 0x1f}] out of order`);
    last = f.tag & 0x1f;
    switch (f.tag) {
      case 0x80:
        symmetricKey = f.value;
        break;
      case 0x81:
        if (f.value.length !== 1 || f.value[0] !== 1) fail(f, 'time-based CPV checks field [1] must be 01 (disapply) when present');
        disapply = true;
        break;
      case 0xa2:
        cell = readTaCell(f);
        break;
      case 0x83:
        sequenceNumber = intValue(f.value);
        break;
      case 0x84:
        newFloor = intValue(f.value);
        break;
      case 0xa5:
        specialistFloors = readSpecialist(f);
        break;
      case 0xa6:
        otherFloors = readTlvs(f.value, 'party floor', f.offset).map((p) => {
          const [role, floor, spec] = readTlvs(p.value, 'party floor', p.offset);
          return {
            role: smallInt(expectTag(role, 0x02, 'party role')),
            floor: intValue(expectTag(floor, 0x02, 'party floor').value),
            ...(spec ? { specialist: readSpecialist(spec) } : {}),
          };
        });
        break;
      default:
        fail(f, `unknown control field tag 0x${hex2(f.tag)}`);
    }
  }
  if (sequenceNumber === undefined) fail(control, 'the authorising party sequence number [3] is missing');
  const replacements = readTlvs(expectTag(repl, 0x30, 'replacements').value, 'replacement', repl!.offset).map((r) => {
    const [cert, target] = readTlvs(r.value, 'replacement', r.offset);
    return { certificate: tlvBytes(expectTag(cert, 0x30, 'replacement certificate')), target: readTaCell(expectTag(target, 0x30, 'replacement target cell')) };
  });
  const certificationPath = readTlvs(expectTag(path, 0x30, 'certification path').value, 'certificate', path!.offset).map(tlvBytes);
  return {
    mode,
    disapplyTimeBasedCpvChecks: disapply,
    ...(symmetricKey ? { plaintextSymmetricKey: symmetricKey } : {}),
    ...(cell ? { authorisingCell: cell } : {}),
    sequenceNumber: sequenceNumber!,
    ...(newFloor !== undefined ? { newFloor } : {}),
    ...(specialistFloors ? { specialistFloors } : {}),
    ...(otherFloors ? { otherFloors } : {}),
    replacements,
    certificationPath,
    ...(when ? { executionDateTime: Buffer.from(expectTag(when, 0x18, 'execution date-time').value).toString('ascii') } : {}),
  };
}

export interface ReplacementOutcome {
  readonly cell: TaCell;
  readonly status: number;
  readonly existing: { readonly eui: Uint8Array; readonly ski: Uint8Array };
  readonly replacing: { readonly eui: Uint8Array; readonly ski: Uint8Array };
}

export interface ExecutionOutcome {
  readonly sequenceNumber: bigint;
  readonly mode: number;
  readonly floors: PartyFloor[];
  readonly outcomes: ReplacementOutcome[];
}

function readOutcome(t: Tlv): ExecutionOutcome {
  const [sq, mode, floors, outs] = readTlvs(expectTag(t, 0x30, 'execution outcome').value, 'execution outcome', t.offset);
  return {
    sequenceNumber: intValue(expectTag(sq, 0x02, 'sequence number').value),
    mode: smallInt(expectTag(mode, 0x02, 'mode')),
    floors: readTlvs(expectTag(floors, 0x30, 'floors').value, 'floor', floors!.offset).map((p) => {
      const [role, floor, spec] = readTlvs(p.value, 'floor', p.offset);
      return { role: smallInt(role!), floor: intValue(floor!.value), ...(spec ? { specialist: readSpecialist(spec) } : {}) };
    }),
    outcomes: readTlvs(expectTag(outs, 0x30, 'outcomes').value, 'outcome', outs!.offset).map((o) => {
      const [cell, status, e1, e2, r1, r2] = readTlvs(o.value, 'outcome', o.offset);
      return {
        cell: readTaCell(expectTag(cell, 0x30, 'affected cell')),
        status: smallInt(expectTag(status, 0x0a, 'status')),
        existing: { eui: expectTag(e1, 0x04, 'existing subject').value, ski: expectTag(e2, 0x04, 'existing key id').value },
        replacing: { eui: expectTag(r1, 0x04, 'replacing subject').value, ski: expectTag(r2, 0x04, 'replacing key id').value },
      };
    }),
  };
}

export function readCs02bResponse(content: Uint8Array): { accepted: true; outcome: ExecutionOutcome | null } {
  const [outer] = readTlvs(content, 'CS02b response');
  const [accepted, outcome] = readTlvs(expectTag(outer, 0x30, 'CS02b response').value, 'CS02b response', outer!.offset);
  expectTag(accepted, 0x05, 'command accepted (NULL)');
  return { accepted: true, outcome: outcome ? readOutcome(outcome) : null };
}

export function readCs02bAlert(content: Uint8Array): { alertCode: number; executionDateTime: string; outcome: ExecutionOutcome } {
  const [outer] = readTlvs(content, 'CS02b alert');
  const [code, when, outcome] = readTlvs(expectTag(outer, 0x30, 'CS02b alert').value, 'CS02b alert', outer!.offset);
  return {
    alertCode: Number(intValue(expectTag(code, 0x02, 'alert code').value)),
    executionDateTime: Buffer.from(expectTag(when, 0x18, 'execution date-time').value).toString('ascii'),
    outcome: readOutcome(outcome!),
  };
}

/** The device's CS02b response: accepted, with the outcome for immediate execution. */
export function buildCs02bResponse(outcome: ExecutionOutcome | null): Uint8Array {
  if (!outcome) return deviceSeq(Uint8Array.of(0x05, 0x00));
  const floors = deviceSeq(...outcome.floors.map((f) => deviceSeq(int(f.role), int(f.floor), ...(f.specialist ? [deviceSeq(...specialist(f.specialist))] : []))));
  const outs = deviceSeq(
    ...outcome.outcomes.map((o) =>
      deviceSeq(encodeTaCell(o.cell), int(o.status, 0x0a), octets(o.existing.eui), octets(o.existing.ski), octets(o.replacing.eui), octets(o.replacing.ski)),
    ),
  );
  return deviceSeq(Uint8Array.of(0x05, 0x00), deviceSeq(int(outcome.sequenceNumber), int(outcome.mode), floors, outs));
}
