import { formatEuiHyphenated, type Eui } from '../domain/eui.ts';
import { ValidationError } from '../domain/errors.ts';
import { DUIS_LIMITS } from '../domain/returns.ts';

/** A Communications Hub return as DUIS 5.4 SRV 8.14.3 (fault) or 8.14.4 (no fault), Command Variant 8. */
export type HubReturnDuis =
  | {
      readonly variant: '8.14.3';
      readonly faultReturnType: 'Fault identified prior to installation' | 'Fault identified post installation';
      readonly faultReason: string;
      readonly otherDeviceId: Eui;
      readonly connectionMethod: 'Hot-shoe' | 'Cradle' | 'ESME';
    }
  | { readonly variant: '8.14.4'; readonly noFaultReturnType: string };

export interface HubReturnRequest {
  /** The User's EUI, the DCC's (the target of a non-device request) and the request counter. */
  readonly user: Eui;
  readonly dcc: Eui;
  readonly counter: bigint;
  readonly deviceId: Eui;
  readonly userRefDateTime?: Date;
  readonly userRefId?: string;
  readonly incidentReference?: string;
  readonly additionalInformation?: string;
  readonly body: HubReturnDuis;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function limited(field: 'incidentReference' | 'userRefId' | 'additionalInformation', v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length > DUIS_LIMITS[field]) throw new ValidationError(field, 'duis-max-length', `${field} is at most ${DUIS_LIMITS[field]} characters in DUIS; this one has ${v.length}`);
  return v;
}

/** The request XML, unsigned (the DUIS schema makes ds:Signature optional; the User's gateway signs). */
export function buildHubReturnDuis(r: HubReturnRequest): string {
  const incident = limited('incidentReference', r.incidentReference);
  const userRef = limited('userRefId', r.userRefId);
  const info = limited('additionalInformation', r.additionalInformation);
  const el = (name: string, v: string | undefined) => (v === undefined ? '' : `      <sr:${name}>${escape(v)}</sr:${name}>\n`);
  const common = el('UserRefDateTime', r.userRefDateTime?.toISOString().replace(/\.\d{3}Z$/, 'Z')) + el('UserRefID', userRef);
  const body =
    r.body.variant === '8.14.3'
      ? `    <sr:CHFFaultReturn>\n${el('DeviceID', formatEuiHyphenated(r.deviceId))}${el('CHFFaultReturnType', r.body.faultReturnType)}${common}${el('OtherDeviceID', formatEuiHyphenated(r.body.otherDeviceId))}${el('IncidentReference', incident)}${el('CHFConnectionMethod', r.body.connectionMethod)}${el('CHFFaultReason', r.body.faultReason)}${el('AdditionalInformation', info)}    </sr:CHFFaultReturn>\n`
      : `    <sr:CHFNoFaultReturn>\n${el('DeviceID', formatEuiHyphenated(r.deviceId))}${el('CHFNoFaultReturnType', r.body.noFaultReturnType)}${common}${el('IncidentReference', incident)}${el('AdditionalInformation', info)}    </sr:CHFNoFaultReturn>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">
  <sr:Header>
    <sr:RequestID>${formatEuiHyphenated(r.user)}:${formatEuiHyphenated(r.dcc)}:${r.counter}</sr:RequestID>
    <sr:CommandVariant>8</sr:CommandVariant>
    <sr:ServiceReference>8.14</sr:ServiceReference>
    <sr:ServiceReferenceVariant>${r.body.variant}</sr:ServiceReferenceVariant>
  </sr:Header>
  <sr:Body>
${body}  </sr:Body>
</sr:Request>
`;
}
