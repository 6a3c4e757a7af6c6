import type { Eui } from '../domain/eui.ts';
import type { KeyStore } from '../gbcs/key-store.ts';
import { serviceFor } from './command-variant.ts';
import { DuisError } from './duis-error.ts';
import { signedPreCommand, writeDuisRequest, type DuisRequest } from './duis-request.ts';
import { parseDuisResponse, type DuisResponse } from './duis-response.ts';
import { validateDuisSchema } from './duis-schema.ts';
import { signDuis, verifyDuis, type XmlSigner } from './duis-signature.ts';
import { XML_SIGN_ROLE, type DuisTrust } from './duis-trust.ts';
import { MAX_DUIS_BYTES } from './duis-xml.ts';
import { signPreCommand } from './transform.ts';

/** How a User checks what the DCC sends: the DSP XmlSign certificates (per DCC Boxed version), the DCC's EUI, the XSD. */
export interface DccIdentity {
  readonly dsp: DuisTrust;
  readonly dcc: Eui;
  /** The DUIS XSD, to validate what is sent and received; without it, only the structure is read. */
  readonly xsdPath?: string;
}

/** A response or alert from the DCC: schema (when configured), then the DSP's signature and the DCC's EUI, then its fields. */
export async function readDccResponse(xml: string, dcc: DccIdentity): Promise<DuisResponse> {
  if (dcc.xsdPath) await validateDuisSchema(xml, dcc.xsdPath);
  verifyDuis(xml, { trust: dcc.dsp, expect: { eui: dcc.dcc, roles: [XML_SIGN_ROLE.dsp] } });
  return parseDuisResponse(xml);
}

export interface DuisClientOptions extends DccIdentity {
  /** The DCC's DUIS address: a DCC Boxed (`http://host:8079`) or the emulator. */
  readonly baseUrl: string;
  /** The User's XmlSign key; its GBCS DS key is `keys`' (needed only by sendCritical, which signs pre-commands). */
  readonly signer: XmlSigner;
  readonly keys?: KeyStore;
  /** Extra headers (a reverse proxy's, say). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request; a meterops default of 30 s. */
  readonly timeoutMs?: number;
}

/**
 * A User's DUIS client: signs each request with the User's XmlSign key, POSTs it to the endpoint its
 * Command Variant names, and verifies the synchronous answer (schema, DSP signature, the DCC's EUI,
 * the RequestID it answers). It carries no counters: the caller allocates them (never reused).
 */
export class DuisClient {
  constructor(readonly o: DuisClientOptions) {}

  async send(r: DuisRequest): Promise<DuisResponse> {
    const xml = signDuis(writeDuisRequest(r), this.o.signer);
    if (this.o.xsdPath) await validateDuisSchema(xml, this.o.xsdPath);
    const res = await fetch(new URL(`/api/v1/${serviceFor(r.header.commandVariant)}`, this.o.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/xml', ...this.o.headers },
      body: xml,
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new DuisError('not-duis', `the DCC answered HTTP ${res.status}: ${text.slice(0, 300)}`);
    if (Buffer.byteLength(text) > MAX_DUIS_BYTES) throw new DuisError('xml-malformed', 'the DCC answer is over the size limit');
    const answer = await readDccResponse(text, this.o);
    const id = answer.requestId;
    if (!id || id.originator !== r.header.requestId.originator || id.target !== r.header.requestId.target || id.counter !== r.header.requestId.counter)
      throw new DuisError('request-id', "the DCC's answer is not to this request", { field: 'RequestID' });
    return answer;
  }

  /**
   * A critical command's round trip: CV 4 to serviceT for the pre-command, signed with the User's DS
   * key, then CV 5 with the signed pre-command to serviceS, whose answer (I99) is returned.
   */
  async sendCritical(cv4: DuisRequest): Promise<DuisResponse> {
    if (cv4.header.commandVariant !== 4) throw new DuisError('command-variant', 'a critical command starts with Command Variant 4', { field: 'CommandVariant' });
    const pre = await this.send(cv4);
    if (pre.code !== 'I0' || pre.body.kind !== 'pre-command') throw new DuisError('pre-command', `the transform answered ${pre.code} without a pre-command`);
    const id = cv4.header.requestId;
    if (!this.o.keys) throw new Error('this DUIS client has no KeyStore to sign pre-commands with');
    const signed = await signPreCommand(this.o.keys, pre.body.payload, id.originator, id.counter);
    return this.send(signedPreCommand({ user: id.originator, device: id.target, counter: id.counter }, cv4.header.serviceReference, cv4.header.serviceReferenceVariant, signed));
  }
}
