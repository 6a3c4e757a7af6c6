import type { Party } from '../domain/index.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { refurbish } from '../services/returns/refurbish.ts';
import { createReturn, registerFacility } from '../services/returns/returns.ts';
import { handOver, triage } from '../services/returns/triage.ts';
import { Fleet } from './devices/fleet.ts';
import { faultOf } from './devices/faults.ts';
import { fleetId } from './simulated-world.ts';

/** The regions the walkthrough and its tests read removal notices in (the return ESME's, 18, and an empty one, 10): the demo's stock comes from elsewhere. */
const WALKTHROUGH_REGIONS = new Set([10, 18]);

/** Where supplier-b's refurbished stock lies in the demo: two bays of its lab, so the stock-by-location chart has more than one bar. */
export const DEMO_STOCK_LOCATIONS = ['beta-lab bay 1', 'beta-lab bay 2'] as const;

/**
 * supplier-b's ESMEs the demo takes back and stocks: at premises with WAN, outside the
 * walkthrough's regions, no fault and a model that can be factory reset (deterministic: the seed
 * fixes them).
 */
export function demoStockDevices(fleetOpts: ConstructorParameters<typeof Fleet>[0], seed: string): Array<{ premiseId: string; esme: string }> {
  const fleet = new Fleet(fleetOpts);
  const supplierB = fleet.parties.suppliers[1]!.eui;
  return Array.from({ length: fleet.premiseCount }, (_, i) => fleet.premise(i))
    .filter((p) => p.supplier === supplierB && p.wan === 'covered' && p.devices.ESME && !WALKTHROUGH_REGIONS.has(p.distributorId))
    .filter((p) => {
      const model = fleet.modelOf('ESME', p.devices.ESME!);
      return model.factoryReset && faultOf(seed, p.devices.ESME!, model).fault === null;
    })
    .slice(0, 3)
    .map((p) => ({ premiseId: `${fleetId(fleet.tag)}-p${p.index}`, esme: p.devices.ESME! }));
}

/**
 * supplier-b's stock in the demo, made through the services as a person would: its secure lab
 * `beta-lab` (registered for SMETS2 triage) and a depot that is not secure; three of its ESMEs
 * returned, handed to the lab, triaged gold (no fault found) and refurbished to vanilla, two into
 * bay 1 and one into bay 2. supplier-a's world, which the walkthrough uses, is untouched.
 */
export async function seedDemoStock(deps: ServiceDeps, supplierB: Party, fleetOpts: ConstructorParameters<typeof Fleet>[0], seed: string): Promise<void> {
  await registerFacility(deps, supplierB, { id: 'beta-lab', name: 'Beta Power triage lab (SMETS2 registered)', secure: true, smets2Triage: true });
  const devices = demoStockDevices(fleetOpts, seed);
  if (devices.length < 3) throw new Error(`the demo fleet (seed "${seed}") has fewer than 3 supplier-b ESMEs to stock: change DEMO_FLEET`);
  const { lines } = await createReturn(deps, supplierB, 'demo', { reference: 'demo stock', lines: devices.map((d) => ({ deviceEui: d.esme, reason: 'no-fault-general' })) });
  for (const [i, line] of lines.entries()) {
    await handOver(deps, supplierB, line.id, { toPartyId: supplierB.id, site: 'beta-lab', seals: [{ id: `B${i + 1}`, intact: true }] });
    await triage(deps, supplierB, line.id, { facilityId: 'beta-lab', method: 'gold' });
    await refurbish(deps, supplierB, line.id, { grade: i === 2 ? 'B' : 'A', location: DEMO_STOCK_LOCATIONS[i === 2 ? 1 : 0] });
  }
}
