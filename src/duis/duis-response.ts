import { DuisError } from './duis-error.ts';
import { SR_NS, child, childElements, childText, escapeText, parseDuisXml } from './duis-xml.ts';
import { formatRequestId, parseRequestId, type RequestId } from './request-id.ts';

/** I0 success with a body, I99 acknowledged (the answer follows asynchronously), or an E/W code. */
export type DuisResponseCode = string;

export type DuisResponseBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'gbcs'; readonly payload: Uint8Array }
  | { readonly kind: 'pre-command'; readonly gbcsVersion: string; readonly payload: Uint8Array }
  | { readonly kind: 'device-alert'; readonly alertCode: string; readonly payload: Uint8Array };

export interface DuisResponse {
  readonly requestId: RequestId | null;
  /** `originator:target:counter` of the response (the device's, for a device response). */
  readonly responseId: string | null;
  readonly code: DuisResponseCode;
  readonly at: Date;
  readonly serviceReference: string;
  readonly serviceReferenceVariant: string;
  readonly body: DuisResponseBody;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** The response XML, compact and unsigned (the DCC's side signs it with its DSP XmlSign key). */
export function writeDuisResponse(r: DuisResponse): string {
  const head =
    (r.requestId ? `<sr:RequestID>${formatRequestId(r.requestId)}</sr:RequestID>` : '') +
    (r.responseId ? `<sr:ResponseID>${escapeText(r.responseId)}</sr:ResponseID>` : '') +
    `<sr:ResponseCode>${escapeText(r.code)}</sr:ResponseCode><sr:ResponseDateTime>${r.at.toISOString()}</sr:ResponseDateTime>`;
  const refs = `<sr:ServiceReference>${r.serviceReference}</sr:ServiceReference><sr:ServiceReferenceVariant>${r.serviceReferenceVariant}</sr:ServiceReferenceVariant>`;
  const b = r.body;
  const body =
    b.kind === 'device-alert'
      ? `<sr:DeviceAlertMessage><sr:AlertCode>${b.alertCode}</sr:AlertCode><sr:GBCSPayload>${b64(b.payload)}</sr:GBCSPayload></sr:DeviceAlertMessage>`
      : `<sr:ResponseMessage>${refs}${
          b.kind === 'gbcs'
            ? `<sr:GBCSPayload>${b64(b.payload)}</sr:GBCSPayload>`
            : b.kind === 'pre-command'
              ? `<sr:PreCommand><sr:GBCSVersion>${escapeText(b.gbcsVersion)}</sr:GBCSVersion><sr:GBCSPayload>${b64(b.payload)}</sr:GBCSPayload></sr:PreCommand>`
              : ''
        }</sr:ResponseMessage>`;
  return `<?xml version="1.0" encoding="UTF-8"?><sr:Response xmlns:sr="${SR_NS}" schemaVersion="5.4"><sr:Header>${head}</sr:Header><sr:Body>${body}</sr:Body></sr:Response>`;
}

const base64 = (text: string | undefined, field: string): Uint8Array => {
  const t = (text ?? '').replace(/\s+/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t) || !t) throw new DuisError('not-duis', `${field} is not base64`, { field });
  return Uint8Array.from(Buffer.from(t, 'base64'));
};

/** Reads a DUIS response (structure only: schema and signature are checked apart). */
export function parseDuisResponse(xml: string): DuisResponse {
  const root = parseDuisXml(xml).documentElement!;
  if (root.namespaceURI !== SR_NS || root.localName !== 'Response') throw new DuisError('not-duis', `the root element is ${root.localName}, not a DUIS sr:Response`);
  const header = child(root, SR_NS, 'Header');
  const bodyEl = child(root, SR_NS, 'Body');
  if (!header || !bodyEl) throw new DuisError('not-duis', 'a DUIS response has a Header and a Body');
  const rid = childText(header, SR_NS, 'RequestID');
  const code = childText(header, SR_NS, 'ResponseCode');
  const at = childText(header, SR_NS, 'ResponseDateTime');
  if (!code || !at || Number.isNaN(Date.parse(at))) throw new DuisError('not-duis', 'the response Header needs a ResponseCode and a ResponseDateTime');
  const inner = childElements(bodyEl)[0];
  if (!inner) throw new DuisError('not-duis', 'the response Body is empty');
  let body: DuisResponseBody = { kind: 'none' };
  let sr = '';
  let srv = '';
  if (inner.localName === 'ResponseMessage') {
    sr = childText(inner, SR_NS, 'ServiceReference') ?? '';
    srv = childText(inner, SR_NS, 'ServiceReferenceVariant') ?? '';
    const pre = child(inner, SR_NS, 'PreCommand');
    const gbcs = childText(inner, SR_NS, 'GBCSPayload');
    if (pre)
      body = { kind: 'pre-command', gbcsVersion: childText(pre, SR_NS, 'GBCSVersion') ?? '', payload: base64(childText(pre, SR_NS, 'GBCSPayload'), 'PreCommand/GBCSPayload') };
    else if (gbcs !== undefined) body = { kind: 'gbcs', payload: base64(gbcs, 'GBCSPayload') };
  } else if (inner.localName === 'DeviceAlertMessage') {
    body = { kind: 'device-alert', alertCode: childText(inner, SR_NS, 'AlertCode') ?? '', payload: base64(childText(inner, SR_NS, 'GBCSPayload'), 'GBCSPayload') };
  }
  return {
    requestId: rid ? parseRequestId(rid) : null,
    responseId: childText(header, SR_NS, 'ResponseID') ?? null,
    code,
    at: new Date(at),
    serviceReference: sr,
    serviceReferenceVariant: srv,
    body,
  };
}
