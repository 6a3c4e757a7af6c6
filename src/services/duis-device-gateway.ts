import { ValidationError, type Eui } from '../domain/index.ts';
import { DuisError } from '../duis/duis-error.ts';
import type { DuisClient } from '../duis/duis-client.ts';
import type { DuisReceiver } from '../duis/duis-receiver.ts';
import { disableSupply, enableSupply, signedPreCommand, topUpDevice, type DuisRequest } from '../duis/duis-request.ts';
import type { DuisResponse } from '../duis/duis-response.ts';
import { decodeFrame } from '../gbcs/decode-frame.ts';
import type { GeneralSigningApdu } from '../gbcs/frame.ts';
import { USE_CASES } from '../gbcs/use-cases.ts';
import type { StoreTx } from '../store/ports.ts';
import type { DeviceAnswer, DeviceGateway, DeviceSession } from './ports/device-gateway.ts';

const USE_CASE_BY_CODE = new Map(Object.entries(USE_CASES).map(([name, spec]) => [spec.messageCode, name]));

/** The service request that carries each use case the gateway can send: 7.1, 7.2 (transform round trip) and 2.2. */
const REQUEST_FOR: Readonly<Record<string, (to: { user: Eui; device: Eui; counter: bigint }, apdu: GeneralSigningApdu) => DuisRequest>> = {
  ECS42: (to) => enableSupply(to, 4),
  ECS43: (to) => disableSupply(to, 4),
  GCS32: (to) => disableSupply(to, 4),
  CS01a: (to, a) => topUpDevice(to, Buffer.from(a.content.subarray(a.content.length - 20)).toString('ascii')),
  CS01b: (to, a) => topUpDevice(to, Buffer.from(a.content.subarray(a.content.length - 20)).toString('ascii')),
};

export interface DuisGatewayOptions {
  /** The DUIS client of the User that originated a frame (each User signs with its own XmlSign key). */
  readonly clientFor: (originator: Eui) => DuisClient | undefined;
  readonly receiver: DuisReceiver;
  /** How long to wait for a device's asynchronous response; a meterops default of 60 s. */
  readonly responseTimeoutMs?: number;
}

/**
 * The device gateway through the DCC: each frame the platform built becomes the DUIS service request
 * that carries it. A critical command goes round trip: CV 4 must give back the very pre-command the
 * platform signed (so the DCC and meterops agree on the bytes), then CV 5 carries the platform's
 * signed APDU. A top-up is SRV 2.2 with its UTRN. The RequestID counter is the frame's GBCS counter
 * (for a top-up, the UTRN's), claimed in the store for its originator in the use case's transaction,
 * so it is never sent twice.
 */
export function duisDeviceGateway(o: DuisGatewayOptions): DeviceGateway {
  return {
    reaches: async (tx, eui) => (await tx.devices.get(eui)) !== undefined,
    open: async (tx, devices) => session(tx, new Set(devices), o),
  };
}

function session(tx: StoreTx, devices: ReadonlySet<Eui>, o: DuisGatewayOptions): DeviceSession {
  return {
    async deliver(device, frame) {
      if (!devices.has(device)) throw new ValidationError('device', 'session-device', `${device} is not in this session`);
      const apdu = decodeFrame(frame).apdu;
      const useCase = USE_CASE_BY_CODE.get(apdu.messageCode);
      const build = useCase ? REQUEST_FOR[useCase] : undefined;
      if (!useCase || !build)
        throw new ValidationError(
          'frame',
          'duis-service-request',
          `${useCase ?? `message code 0x${apdu.messageCode.toString(16)}`} has no DUIS service request in this gateway (${Object.keys(REQUEST_FOR).join(', ')})`,
        );
      if (apdu.recipient !== device) throw new ValidationError('frame', 'recipient', `the frame is for ${apdu.recipient}, not ${device}`);
      const to = { user: apdu.originator, device, counter: apdu.originatorCounter };
      const client = o.clientFor(to.user);
      if (!client) throw new ValidationError('frame', 'duis-user', `no DUIS XmlSign key for ${to.user}, the frame's originator`);
      await tx.duisCounters.claim(to.user, to.counter);
      const request = build(to, apdu);
      let ack: DuisResponse;
      if (request.header.commandVariant === 4) {
        const pre = await client.send(request);
        const expected = apdu.bytes.subarray(0, apdu.bytes.length - 65);
        const got = pre.body.kind === 'pre-command' ? pre.body.payload : undefined;
        const stripped = got && got.length === expected.length + 1 && got[got.length - 1] === 0 ? got.subarray(0, expected.length) : got;
        if (!stripped || Buffer.compare(Buffer.from(stripped), Buffer.from(expected)) !== 0)
          throw new DuisError('pre-command', `the DCC's pre-command for ${useCase} differs from the one meterops signed`, { field: 'PreCommand' });
        ack = await client.send(signedPreCommand(to, request.header.serviceReference, request.header.serviceReferenceVariant, apdu.bytes));
      } else {
        ack = await client.send(request);
      }
      if (ack.code !== 'I99' && ack.code !== 'I0') return refused(`the DCC answered ${ack.code}`);
      const answer = await o.receiver.awaitResponse(request.header.requestId, o.responseTimeoutMs ?? 60_000);
      if (answer.body.kind !== 'gbcs') return refused(`the DCC answered ${answer.code} without a GBCS response`);
      return { accepted: answer.code === 'I0', useCase, response: answer.body.payload, alert: null, reason: answer.code === 'I0' ? null : answer.code, detail: null };
    },
    async close() {
      // The counters were claimed in the use case's transaction as each request went.
    },
  };
}

const refused = (detail: string): DeviceAnswer => ({ accepted: false, useCase: null, response: null, alert: null, reason: 'dcc-refused', detail });
