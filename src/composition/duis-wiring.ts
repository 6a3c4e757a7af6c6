import { readFileSync } from 'node:fs';
import type { Config } from '../config/config.ts';
import type { Eui } from '../domain/eui.ts';
import { DuisClient } from '../duis/duis-client.ts';
import { DuisReceiver } from '../duis/duis-receiver.ts';
import { DuisTrust } from '../duis/duis-trust.ts';
import { readXmlSignKeys } from '../duis/xml-sign-keys.ts';
import { duisDeviceGateway } from '../services/duis-device-gateway.ts';
import type { DeviceGateway, DeviceSession } from '../services/ports/device-gateway.ts';

/** The DCC behind the device gateway, when METEROPS_DCC_URL names one: the gateway, and the receive endpoint's receiver. */
export interface DuisPorts {
  readonly gateway: DeviceGateway;
  readonly receiver: DuisReceiver;
}

export function duisPorts(config: Config): DuisPorts | undefined {
  if (!config.dccUrl || !config.duisKeystore || !config.duisDspCertificates) return undefined;
  const keys = readXmlSignKeys(config.duisKeystore);
  const dcc = {
    dsp: new DuisTrust(config.duisDspCertificates.map((p) => readFileSync(p))),
    dcc: config.dccEui as Eui,
    ...(config.duisXsd ? { xsdPath: config.duisXsd } : {}),
  };
  const clients = new Map([...keys.signers].map(([eui, signer]) => [eui, new DuisClient({ baseUrl: config.dccUrl!, signer, headers: config.dccHeaders, ...dcc })]));
  const receiver = new DuisReceiver(dcc);
  return { receiver, gateway: duisDeviceGateway({ clientFor: (eui) => clients.get(eui), receiver }) };
}

/** Devices the first gateway reaches go through it (the simulated fleets), every other through the second (the DCC). */
export function eitherGateway(first: DeviceGateway, second: DeviceGateway): DeviceGateway {
  return {
    reaches: async (tx, eui) => (await first.reaches(tx, eui)) || second.reaches(tx, eui),
    open: async (tx, euis) => {
      const mine: Eui[] = [];
      const theirs: Eui[] = [];
      for (const e of euis) ((await first.reaches(tx, e)) ? mine : theirs).push(e);
      const a = mine.length ? await first.open(tx, mine) : undefined;
      const b = theirs.length ? await second.open(tx, theirs) : undefined;
      const byDevice = new Map<Eui, DeviceSession>([...mine.map((e) => [e, a!] as const), ...theirs.map((e) => [e, b!] as const)]);
      return {
        deliver: (device, frame, at) => {
          const s = byDevice.get(device);
          if (!s) throw new RangeError(`${device} is not in this session`);
          return s.deliver(device, frame, at);
        },
        close: async (at) => {
          await a?.close(at);
          await b?.close(at);
        },
      };
    },
  };
}
