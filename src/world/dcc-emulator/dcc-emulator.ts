import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Eui } from '../../domain/eui.ts';
import { serviceFor, type DuisService } from '../../duis/command-variant.ts';
import { CounterGuard } from '../../duis/counter-guard.ts';
import { DuisError } from '../../duis/duis-error.ts';
import { bodyText, parseDuisRequest, type DuisRequest } from '../../duis/duis-request.ts';
import { writeDuisResponse, type DuisResponseBody } from '../../duis/duis-response.ts';
import { validateDuisSchema } from '../../duis/duis-schema.ts';
import { signDuis, verifyDuis, type XmlSigner } from '../../duis/duis-signature.ts';
import { XML_SIGN_ROLE, type DuisTrust } from '../../duis/duis-trust.ts';
import { MAX_DUIS_BYTES } from '../../duis/duis-xml.ts';
import { completeSignedPreCommand, transformToPreCommand } from '../../duis/transform.ts';
import { buildFrame } from '../../gbcs/build-frame.ts';
import { buildUseCaseFrame } from '../../gbcs/build-use-case.ts';
import { supplierByTransCoSContent, USE_CASE_MESSAGE_CODES } from './trans-cos.ts';
import type { KeyStore } from '../../gbcs/key-store.ts';
import { formatEuiHyphenated } from '../../domain/eui.ts';
import { MeteropsError } from '../../domain/errors.ts';

/** How the emulator reaches a device, as the DCC's WAN would: what it is, and a frame delivered. */
export interface EmulatedDevices {
  deviceType(eui: Eui): Promise<'ESME' | 'GSME' | undefined>;
  deliver(eui: Eui, frame: Uint8Array, at: Date): Promise<{ readonly response: Uint8Array | null }>;
  /** The keys that MAC frames for this device and hold its Users' DS certificates, where not the emulator's own (a simulated fleet's). */
  keysFor?(eui: Eui): Promise<{ readonly keys: KeyStore; readonly acb: Eui } | undefined>;
}

export interface DccEmulatorOptions {
  /** The Users' XmlSign certificates the emulator accepts signatures from. */
  readonly users: DuisTrust;
  /** The DSP's XmlSign key the emulator signs its answers with, and the DCC's EUI. */
  readonly dsp: XmlSigner;
  readonly dcc: Eui;
  /** The ACB whose KA key MACs commands, and the keys (Users' DS certificates, the ACB's KA key). */
  readonly acb: Eui;
  readonly keys: KeyStore;
  readonly devices: EmulatedDevices;
  /** Where asynchronous responses go: the User's receive endpoint. */
  readonly receiveUrl: string;
  readonly xsdPath?: string;
  /** The Transitional CoS party the DCC signs 6.23 as (its DS key in `keys`), and its first GBCS counter. */
  readonly transCoS?: { readonly eui: Eui; readonly firstCounter: bigint };
  readonly now?: () => Date;
  readonly logger?: FastifyBaseLogger;
}

/**
 * A DCC that answers as DCC Boxed does, for the simulated world: serviceS, serviceT and serviceD
 * take signed DUIS requests, checked stricter than the DCC's reference validator (a missing
 * signature, and a signer whose EUI or role is not the RequestID's originator, are refused), routed
 * by Command Variant. CV 4 answers the pre-command; CV 5 checks the signed pre-command and adds the
 * ACB MAC; CV 1 top-ups are built here; device commands are answered I99 and the device's response
 * POSTed, DSP-signed, to the User's receive endpoint. Everything it remembers lives in the instance.
 */
export class DccEmulator {
  readonly app: FastifyInstance;
  readonly #guard = new CounterGuard();
  readonly #inFlight = new Set<Promise<void>>();
  #transCoSCounter: bigint | undefined;

  constructor(readonly o: DccEmulatorOptions) {
    this.app = Fastify({ bodyLimit: MAX_DUIS_BYTES, ...(o.logger ? { loggerInstance: o.logger } : {}) });
    this.app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
    for (const service of ['serviceS', 'serviceT', 'serviceD'] as const) {
      this.app.post(`/api/v1/${service}`, async (req, reply) => {
        try {
          const xml = await this.#answer(service, typeof req.body === 'string' ? req.body : '');
          return reply.type('application/xml').send(xml);
        } catch (e) {
          // A refused request (DUIS checks, or the GBCS builders' own refusals) is the User's error, with its status.
          if (!(e instanceof MeteropsError)) throw e;
          return reply.status(e.status).type('application/json').send({ code: e.code, rule: e.rule, field: e.field, message: e.message });
        }
      });
    }
  }

  #now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** Waits until every asynchronous response so far has been delivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
  }

  async #answer(service: DuisService, xml: string): Promise<string> {
    if (!xml) throw new DuisError('not-duis', 'the request body is empty (POST application/xml)');
    if (this.o.xsdPath) await validateDuisSchema(xml, this.o.xsdPath);
    const r = parseDuisRequest(xml);
    const id = r.header.requestId;
    if (serviceFor(r.header.commandVariant) !== service)
      throw new DuisError('command-variant', `Command Variant ${r.header.commandVariant} goes to ${serviceFor(r.header.commandVariant)}, not ${service}`, {
        field: 'CommandVariant',
      });
    verifyDuis(xml, { trust: this.o.users, expect: { eui: id.originator, roles: [XML_SIGN_ROLE.user] } });
    // A transform does not use its counter up: the CV 5 that follows carries the same one.
    if (r.header.commandVariant !== 4) this.#guard.accept(id);
    const cv = r.header.commandVariant;
    if (cv === 4) {
      const type = await this.o.devices.deviceType(id.target);
      if (!type) throw new DuisError('request-id', `no device ${id.target} is known to this DCC`, { field: 'RequestID' });
      const { preCommand } = transformToPreCommand(r, type);
      // DCC Boxed 1.4.1 and later append an empty signature field (00) to the pre-command.
      return this.#signed(r, 'I0', { kind: 'pre-command', gbcsVersion: '3.2', payload: Buffer.concat([preCommand, Buffer.of(0)]) });
    }
    if (cv === 8) return this.#signed(r, 'I0', { kind: 'none' });
    const { keys, acb } = (await this.o.devices.keysFor?.(id.target)) ?? { keys: this.o.keys, acb: this.o.acb };
    if (cv === 5) {
      const payload = Uint8Array.from(Buffer.from(bodyText(r.body, 'GBCSPayload'), 'base64'));
      return this.#toDevice(r, await completeSignedPreCommand(keys, payload, r, acb));
    }
    if (cv === 1 && r.header.serviceReferenceVariant === '2.2') {
      const type = await this.o.devices.deviceType(id.target);
      if (!type) throw new DuisError('request-id', `no device ${id.target} is known to this DCC`, { field: 'RequestID' });
      const frame = await buildUseCaseFrame(keys, {
        useCase: type === 'ESME' ? 'CS01a' : 'CS01b',
        originator: id.originator,
        device: id.target,
        counter: id.counter,
        acb,
        utrn: bodyText(r.body, 'UTRN'),
      });
      return this.#toDevice(r, frame);
    }
    if (cv === 1 && r.header.serviceReferenceVariant === '6.23' && this.o.transCoS) {
      // The DCC, as Transitional CoS, signs the CS02b with its own key and counter (the User's RequestID counter is not the GBCS one).
      const counter = (this.#transCoSCounter ??= this.o.transCoS.firstCounter);
      this.#transCoSCounter = counter + 1n;
      const frame = await buildFrame(
        keys,
        {
          cra: 'command',
          originatorCounter: counter,
          originator: this.o.transCoS.eui,
          recipient: id.target,
          dateTime: null,
          messageCode: USE_CASE_MESSAGE_CODES.supplierByTransCoS,
        },
        supplierByTransCoSContent(r, counter),
        { sign: true, mac: true, acb },
      );
      return this.#toDevice(r, frame);
    }
    throw new DuisError('command-variant', `SRV ${r.header.serviceReferenceVariant} with Command Variant ${cv} is not emulated`, { field: 'ServiceReferenceVariant' });
  }

  #signed(r: DuisRequest, code: string, body: DuisResponseBody, responseId: string | null = null): string {
    const h = r.header;
    return signDuis(
      writeDuisResponse({
        requestId: h.requestId,
        responseId,
        code,
        at: this.#now(),
        serviceReference: h.serviceReference,
        serviceReferenceVariant: h.serviceReferenceVariant,
        body,
      }),
      this.o.dsp,
    );
  }

  /** I99 now; the device's response later, to the receive endpoint. */
  #toDevice(r: DuisRequest, frame: Uint8Array): string {
    const id = r.header.requestId;
    const job = (async () => {
      try {
        const { response } = await this.o.devices.deliver(id.target, frame, this.#now());
        if (!response) return;
        const responseId = `${formatEuiHyphenated(id.target)}:${formatEuiHyphenated(id.originator)}:${id.counter}`;
        const xml = this.#signed(r, 'I0', { kind: 'gbcs', payload: response }, responseId);
        const res = await fetch(this.o.receiveUrl, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml, signal: AbortSignal.timeout(30_000) });
        if (res.status !== 204) this.app.log.warn({ status: res.status, requestId: id }, 'the User refused a DUIS response');
      } catch (e) {
        this.app.log.error({ err: e, requestId: id }, 'DUIS response not delivered');
      }
    })();
    this.#inFlight.add(job);
    void job.finally(() => this.#inFlight.delete(job));
    return this.#signed(r, 'I99', { kind: 'none' });
  }
}
