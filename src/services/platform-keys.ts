import { ValidationError, type Eui } from '../domain/index.ts';
import type { Fleet } from '../world/devices/fleet.ts';
import { FleetKeyStore } from '../world/devices/fleet-key-store.ts';
import { withAgreementCache } from '../gbcs/agreement-cache.ts';
import type { KeyStore } from '../gbcs/key-store.ts';
import { DCC_BOXED_ACB } from '../gbcs/verify-frame.ts';
import type { StoreTx } from '../store/ports.ts';
import type { ServiceDeps } from './deps.ts';
import { storedFleet } from '../world/fleet-service.ts';

export interface PlatformKeys {
  readonly keys: KeyStore;
  /** The ACB whose MAC the DCC adds. */
  readonly acb: Eui;
  /** The simulated fleet the device belongs to, if it does. */
  readonly fleet: Fleet | null;
}

// One keystore per fleet object (the fleets themselves are kept by fleet-service), so ECDH results are shared.
const fleetKeys = new WeakMap<Fleet, PlatformKeys>();

/** platformKeysFor, remembered for the length of one use case (a batch touches many devices of few fleets). */
export function platformKeysMemo(deps: ServiceDeps, tx: StoreTx): (eui: Eui) => Promise<PlatformKeys> {
  const seen = new Map<string, Promise<PlatformKeys>>();
  return (eui) => {
    const tag = eui.slice(0, 4);
    let k = seen.get(tag);
    if (!k) seen.set(tag, (k = platformKeysFor(deps, tx, eui)));
    return k;
  };
}

/**
 * The keys meterops holds for a device, playing the DCC and the Users: its simulated fleet's, or
 * the deployment's keystore (the DCC Boxed ACB).
 */
export async function platformKeysFor(deps: ServiceDeps, tx: StoreTx, eui: Eui): Promise<PlatformKeys> {
  const sim = await storedFleet(tx, eui);
  if (sim) {
    let k = fleetKeys.get(sim.fleet);
    if (!k) fleetKeys.set(sim.fleet, (k = { keys: withAgreementCache(new FleetKeyStore(sim.fleet)), acb: sim.fleet.parties.acb.eui, fleet: sim.fleet }));
    return k;
  }
  if (deps.keys) return { keys: deps.keys, acb: DCC_BOXED_ACB, fleet: null };
  throw new ValidationError('keystore', 'keystore-configured', 'no keystore is configured for this device (METEROPS_KEYSTORE_DIR)');
}
