import type { Eui } from '../../domain/eui.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { sendToDevice } from '../fleet-service.ts';
import type { SimulatedWorld } from '../simulated-world.ts';
import type { EmulatedDevices } from './dcc-emulator.ts';

/**
 * The simulated world's stored fleets as the emulator's devices: each frame is delivered to the
 * stored device in its own transaction (its state saved, an audit entry `sim.frame_delivered`), with
 * the fleet's keys for the ACB MAC and its Users' DS certificates.
 */
export function worldDevices(world: SimulatedWorld, deps: ServiceDeps): EmulatedDevices {
  const fleetOf = (eui: Eui) => deps.store.transaction((tx) => world.storedFleet(tx, eui));
  return {
    async deviceType(eui) {
      const slot = (await fleetOf(eui))?.fleet.locate(eui)?.slot;
      return slot === 'ESME' || slot === 'GSME' ? slot : undefined;
    },
    async deliver(eui, frame, at) {
      const reply = await sendToDevice(world, deps, eui, frame, at);
      return { response: reply.response };
    },
    async keysFor(eui) {
      const f = await fleetOf(eui);
      if (!f) return undefined;
      const k = await world.fleetKeys(f.fleet);
      return { keys: k.keys, acb: k.acb };
    },
  };
}
