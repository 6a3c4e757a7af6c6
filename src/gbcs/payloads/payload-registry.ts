import { CS02C_COMMAND, CS06_COMMAND, JOIN_COMMAND, RESULT_CODE, CS02A_COMMAND, CS02A_RESPONSE, CS02B_ALERT, CS02B_COMMAND, CS02B_RESPONSE } from './credential-schemas.ts';
import type { DerSchema } from './der-tree.ts';
import { CERTIFICATION_REQUEST, CS06_ALERT, CS06_RESPONSE, CS08_RESPONSE, GCS28_COMMAND, GCS28_RESPONSE, NO_PARAMETERS, UNJOIN_COMMAND } from './device-schemas.ts';
import type { DataSchema } from './dlms-data.ts';
import { PROTECTED_GET_RESPONSE } from './decode-dlms.ts';
import { DLMS_ALERT_BODIES } from './alert-bodies.ts';
import { CCS08_ALERT, CS07_RESPONSE, CS09_ALERT, GCS59_COMMAND, GCS59_RESPONSE, GCS62_ALERT } from './device-log-schemas.ts';
import { useCaseProtectedObjects, useCaseRequests } from './use-case-requests.ts';
import type { CraFlag } from '../frame.ts';

/** The three payload families of GBCS, told apart by the Content's first bytes. */
export type PayloadFamily = 'dlms' | 'gbz' | 'der';

export function payloadFamily(content: Uint8Array): PayloadFamily | undefined {
  const t = content[0];
  if (t === 0xd9 || t === 0xda || t === 0x0f) return 'dlms';
  if (t === 0x01 && content[1] === 0x09) return 'gbz';
  // Credential payloads are a DER SEQUENCE, or a bare INTEGER, OCTET STRING or NULL (short responses).
  if (t === 0x30 || t === 0x02 || t === 0x04 || t === 0x05) return 'der';
  return undefined;
}

const CS02E_COMMAND: DerSchema = { ...CS02C_COMMAND, name: 'retrieve device security credentials command' };

/** CS03A1, CS03A2, CS03B and CS03C: join services (0x000D, 0x000E, 0x00AB, 0x00AF). */
const JOIN_CODES = new Set([0x000d, 0x000e, 0x00ab, 0x00af]);
const CS02B_CODES = new Set([0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107, 0x0108, 0x0109, 0x0124, 0x0125, 0x0126]);

/** The ASN.1 layout of a credential use case's payload, by message code and what the frame is. */
export function derSchemaFor(messageCode: number, cra: CraFlag, content: Uint8Array): DerSchema | undefined {
  // CS02a and CS02f (0x011B, the same request for other roles) share the layout.
  if (messageCode === 0x0008 || messageCode === 0x011b) return cra === 'command' ? CS02A_COMMAND : CS02A_RESPONSE;
  if (cra === 'response' && content[0] === 0x02 && content.length === 3) return RESULT_CODE;
  if (cra === 'command' && JOIN_CODES.has(messageCode)) return JOIN_COMMAND;
  if (content[0] === 0x05 && content.length === 2) return NO_PARAMETERS;
  if (messageCode === 0x000a) return cra === 'command' ? CS02C_COMMAND : CERTIFICATION_REQUEST;
  if (messageCode === 0x000c && cra === 'command') return CS02E_COMMAND;
  if (messageCode === 0x00ca) return CS06_ALERT;
  if (messageCode === 0x0012) return cra === 'command' ? CS06_COMMAND : cra === 'alert' ? CS06_ALERT : CS06_RESPONSE;
  if (messageCode === 0x0129 && cra === 'response') return CS08_RESPONSE;
  if (messageCode === 0x007f) return cra === 'command' ? GCS28_COMMAND : GCS28_RESPONSE;
  if ((messageCode === 0x000f || messageCode === 0x0010) && cra === 'command') return UNJOIN_COMMAND;
  if (CS02B_CODES.has(messageCode)) return cra === 'command' ? CS02B_COMMAND : cra === 'alert' ? CS02B_ALERT : CS02B_RESPONSE;
  if (messageCode === 0x00cb) return CS02B_ALERT;
  if (messageCode === 0x0013 && cra === 'response') return CS07_RESPONSE;
  if (messageCode === 0x008c) return cra === 'command' ? GCS59_COMMAND : GCS59_RESPONSE;
  if (messageCode === 0x00b2) return GCS62_ALERT;
  if (messageCode === 0x0128) return CCS08_ALERT;
  if (messageCode === 0x012b) return CS09_ALERT;
  // Certificates elsewhere (CS02d, CS03) are recognised by their shape as they are read.
  return undefined;
}

/** What the DLMS decoder needs to name a use case's values. */
type DlmsUseCase = { requests?: ReturnType<typeof useCaseRequests>; protectedObjects?: ReturnType<typeof useCaseProtectedObjects>; alertBody?: readonly DataSchema[] };
const USE_CASES = new Map<number, DlmsUseCase>();

export function dlmsUseCase(messageCode: number): DlmsUseCase {
  let u = USE_CASES.get(messageCode);
  if (!u) USE_CASES.set(messageCode, (u = makeDlmsUseCase(messageCode)));
  return u;
}

function makeDlmsUseCase(messageCode: number): DlmsUseCase {
  const requests = useCaseRequests(messageCode);
  const protectedObjects = useCaseProtectedObjects(messageCode);
  // ECS68 (billing data log alert) carries the log protected, after the alert code and date-time.
  // Other alerts' bodies are named as DUIS names what each alert returns (alert-bodies.ts).
  const alertBody = messageCode === 0x0061 ? [...(PROTECTED_GET_RESPONSE.members ?? [])] : DLMS_ALERT_BODIES.get(messageCode);
  return { ...(requests ? { requests } : {}), ...(protectedObjects ? { protectedObjects } : {}), ...(alertBody ? { alertBody } : {}) };
}
