import type { Element } from '@xmldom/xmldom';
import type { Eui } from '../domain/eui.ts';
import { DuisError } from './duis-error.ts';
import { SR_NS, child, childElements, childText, escapeText, parseDuisXml } from './duis-xml.ts';
import { formatRequestId, parseRequestId, type RequestId } from './request-id.ts';

/** An element of a DUIS body: a name in the `sr` namespace with text or children (attributes are not used by the requests built here). */
export interface DuisElement {
  readonly name: string;
  readonly text?: string;
  readonly children?: readonly DuisElement[];
}

export interface DuisHeader {
  readonly requestId: RequestId;
  readonly commandVariant: number;
  readonly serviceReference: string;
  readonly serviceReferenceVariant: string;
}

/** A DUIS service request: header and the one body element. */
export interface DuisRequest {
  readonly header: DuisHeader;
  readonly body: DuisElement;
}

const el = (name: string, text?: string | bigint | number, children?: readonly DuisElement[]): DuisElement => ({
  name,
  ...(text !== undefined ? { text: String(text) } : {}),
  ...(children ? { children } : {}),
});

function write(e: DuisElement): string {
  if (e.children?.length) return `<sr:${e.name}>${e.children.map(write).join('')}</sr:${e.name}>`;
  if (e.text === undefined) return `<sr:${e.name}/>`;
  return `<sr:${e.name}>${escapeText(e.text)}</sr:${e.name}>`;
}

/** The request as compact XML, unsigned (signDuis adds the signature). */
export function writeDuisRequest(r: DuisRequest): string {
  const h = r.header;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><sr:Request xmlns:sr="${SR_NS}" schemaVersion="5.4"><sr:Header>` +
    `<sr:RequestID>${formatRequestId(h.requestId)}</sr:RequestID><sr:CommandVariant>${h.commandVariant}</sr:CommandVariant>` +
    `<sr:ServiceReference>${h.serviceReference}</sr:ServiceReference><sr:ServiceReferenceVariant>${h.serviceReferenceVariant}</sr:ServiceReferenceVariant>` +
    `</sr:Header><sr:Body>${write(r.body)}</sr:Body></sr:Request>`
  );
}

function readElement(e: Element): DuisElement {
  const kids = childElements(e);
  if (kids.length) return { name: e.localName!, children: kids.map(readElement) };
  const text = (e.textContent ?? '').trim();
  return text ? { name: e.localName!, text } : { name: e.localName! };
}

/** Reads a DUIS request: its header (the RequestID parsed) and its body element. Structure only; the XSD is validateDuisSchema's. */
export function parseDuisRequest(xml: string): DuisRequest {
  const root = parseDuisXml(xml).documentElement!;
  if (root.namespaceURI !== SR_NS || root.localName !== 'Request') throw new DuisError('not-duis', `the root element is ${root.localName}, not a DUIS sr:Request`);
  const header = child(root, SR_NS, 'Header');
  const body = child(root, SR_NS, 'Body');
  if (!header || !body) throw new DuisError('not-duis', 'a DUIS request has a Header and a Body');
  const need = (name: string) => {
    const v = childText(header, SR_NS, name);
    if (v === undefined || v === '') throw new DuisError('not-duis', `the Header has no ${name}`, { field: name });
    return v;
  };
  const cv = need('CommandVariant');
  if (!/^[1-8]$/.test(cv)) throw new DuisError('command-variant', `CommandVariant ${cv} is not 1 to 8`, { field: 'CommandVariant' });
  const bodyEls = childElements(body);
  if (bodyEls.length !== 1) throw new DuisError('not-duis', `the Body has ${bodyEls.length} elements; a request has one`);
  return {
    header: {
      requestId: parseRequestId(need('RequestID')),
      commandVariant: Number(cv),
      serviceReference: need('ServiceReference'),
      serviceReferenceVariant: need('ServiceReferenceVariant'),
    },
    body: readElement(bodyEls[0]!),
  };
}

/** The text of a body element's child, or a refusal naming it. */
export function bodyText(body: DuisElement, name: string): string {
  const v = body.children?.find((c) => c.name === name)?.text;
  if (v === undefined) throw new DuisError('not-duis', `${body.name} has no ${name}`, { field: name });
  return v;
}

// ---- The service requests meterops sends. ----

interface To {
  readonly user: Eui;
  readonly device: Eui;
  readonly counter: bigint;
}

const header = (t: To, cv: number, sr: string, srv = sr): DuisHeader => ({
  requestId: { originator: t.user, target: t.device, counter: t.counter },
  commandVariant: cv,
  serviceReference: sr,
  serviceReferenceVariant: srv,
});

/** SRV 7.1 Enable Supply (critical: CV 4 to transform, then CV 5 with the signed pre-command). */
export const enableSupply = (t: To, cv: 1 | 4 = 4): DuisRequest => ({ header: header(t, cv, '7.1'), body: el('EnableSupply') });
/** SRV 7.2 Disable Supply (critical). */
export const disableSupply = (t: To, cv: 1 | 4 = 4): DuisRequest => ({ header: header(t, cv, '7.2'), body: el('DisableSupply') });

/**
 * SRV 2.2 Top Up Device, CV 1. The RequestID counter is the UTRN's counter: DUIS takes the
 * counter of a top-up from its UTRN (duis-signing README), so the caller passes the one it vended.
 */
export function topUpDevice(t: To, utrn: string): DuisRequest {
  if (!/^\d{20}$/.test(utrn)) throw new DuisError('not-duis', `a UTRN is 20 digits; "${utrn}" is not`, { field: 'UTRN' });
  return { header: header(t, 1, '2.2'), body: el('TopUpDevice', undefined, [el('UTRN', utrn)]) };
}

/** The CV 5 request for a critical command: the pre-command the DCC returned, signed by the User (GBCS DS key). */
export function signedPreCommand(t: To, sr: string, srv: string, signedApdu: Uint8Array): DuisRequest {
  return { header: header(t, 5, sr, srv), body: el('SignedPreCommand', undefined, [el('GBCSPayload', Buffer.from(signedApdu).toString('base64'))]) };
}

/** Replacement credentials, base64 DER, as 6.21 and 6.23 carry them. */
export interface ReplacementCertificates {
  readonly digitalSigning: Uint8Array;
  readonly keyAgreement: Uint8Array;
  readonly keyAgreementTopUp?: Uint8Array;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const certs = (name: string, c: ReplacementCertificates) =>
  el(name, undefined, [
    el('DigitalSigningCertificate', b64(c.digitalSigning)),
    el('KeyAgreementCertificate', b64(c.keyAgreement)),
    ...(c.keyAgreementTopUp ? [el('KeyAgreementTopUpCertificate', b64(c.keyAgreementTopUp))] : []),
  ]);
const path = (p: readonly Uint8Array[]) =>
  el(
    'CertificationPathCertificates',
    undefined,
    p.map((c) => el('Certificate', b64(c))),
  );

/** SRV 6.21 Request Handover of DCC Controlled Device: the User's own credentials onto the device, CV 1. */
export function requestHandover(
  t: To,
  o: {
    role: 'Supplier' | 'NetworkOperator';
    floorSeq: bigint;
    topUpFloorSeq?: bigint;
    replacement: ReplacementCertificates;
    certificationPath: readonly Uint8Array[];
    timeBasedChecks: boolean;
  },
): DuisRequest {
  return {
    header: header(t, 1, '6.21'),
    body: el('RequestHandoverOfDCCControlledDevice', undefined, [
      el('RemotePartyRole', o.role),
      el('RemotePartyFloorSeqNumber', o.floorSeq),
      ...(o.topUpFloorSeq !== undefined ? [el('RemotePartyPrepaymentTopUpFloorSeqNumber', o.topUpFloorSeq)] : []),
      certs('ReplacementCertificates', o.replacement),
      path(o.certificationPath),
      el('ApplyTimeBasedCPVChecks', String(o.timeBasedChecks)),
    ]),
  };
}

/**
 * SRV 6.15.1 Update Security Credentials (KRP): a Supplier or Network Operator replaces its own DS
 * and KA credentials on a device. Critical: CV 4 to transform, then CV 5.
 */
export function updateCredentialsKrp(
  t: To,
  o: {
    role: 'Supplier' | 'NetworkOperator';
    floorSeq: bigint;
    replacement: Omit<ReplacementCertificates, 'keyAgreementTopUp'>;
    certificationPath: readonly Uint8Array[];
    timeBasedChecks: boolean;
  },
  cv: 1 | 4 = 4,
): DuisRequest {
  return {
    header: header(t, cv, '6.15', '6.15.1'),
    body: el('UpdateSecurityCredentialsKRP', undefined, [
      el('RemotePartyRole', o.role),
      el('RemotePartyFloorSeqNumber', o.floorSeq),
      el('ReplacementCertificates', undefined, [certs('SupplierOrNetworkOperatorCertificates', o.replacement)]),
      path(o.certificationPath),
      el('ApplyTimeBasedCPVChecks', String(o.timeBasedChecks)),
    ]),
  };
}

/** SRV 6.23 Update Security Credentials (CoS): the DCC signs it as Transitional CoS, CV 1. */
export function updateCredentialsCoS(
  t: To,
  o: { floorSeq: bigint; topUpFloorSeq: bigint; replacement: ReplacementCertificates; certificationPath: readonly Uint8Array[]; timeBasedChecks: boolean; importMpxn: string },
): DuisRequest {
  return {
    header: header(t, 1, '6.23'),
    body: el('UpdateSecurityCredentialsCoS', undefined, [
      el('SupplierFloorSeqNumber', o.floorSeq),
      el('SupplierPrepaymentTopUpFloorSeqNumber', o.topUpFloorSeq),
      certs('SupplierReplacementCertificates', o.replacement),
      path(o.certificationPath),
      el('ApplyTimeBasedCPVChecks', String(o.timeBasedChecks)),
      el('ImportMPxN', o.importMpxn),
    ]),
  };
}

/** SRV 8.13 Return Local Command Response: a response an HHT brought back from a no-WAN device, to the DCC, CV 8. */
export function returnLocalCommandResponse(t: Omit<To, 'device'> & { dcc: Eui }, original: RequestId, response: Uint8Array): DuisRequest {
  return {
    header: header({ user: t.user, device: t.dcc, counter: t.counter }, 8, '8.13'),
    body: el('ReturnLocalCommandResponse', undefined, [el('OriginalRequestID', formatRequestId(original)), el('DeviceGBCSResponse', b64(response))]),
  };
}
