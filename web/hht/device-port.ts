// How the HHT reaches a device at the premise: its local port (the HAN join, or the engineer's
// optical cable), never the platform. In the simulation the port is the simulated world's
// `/sim/devices/{eui}/port/...` over HTTP, as `meterops hht visit` uses it: a simulated device,
// which trusts only what is signed, answering whoever is in front of it.
import { call } from './platform.ts';

/** What the device's port answers to one frame: its response, or its refusal and signed alert. */
export interface PortReply {
  readonly accepted: boolean;
  readonly response: string | null;
  readonly reason?: string;
  readonly alertCode?: string;
  readonly detail?: string;
  readonly alert?: string | null;
}

/** The simulated local port (same origin in the demo: `/sim`). */
export const SIMULATED_PORT = '/sim';

const at = (device: string, what: string) => `${SIMULATED_PORT}/devices/${encodeURIComponent(device)}/port/${what}`;

export const devicePort = {
  openJoinWindow: (device: string) => call<{ open: boolean }>(at(device, 'join-window'), 'POST', {}),
  pair: (device: string, hht: string, authorisation: string) => call<{ paired: boolean }>(at(device, 'pair'), 'POST', { client: hht, authorisation }),
  send: (device: string, hht: string, frame: string) => call<PortReply>(at(device, 'send'), 'POST', { client: hht, frame }),
};
