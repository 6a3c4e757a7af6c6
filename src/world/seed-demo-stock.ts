import type { Party } from '../domain/index.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { refurbish } from '../services/returns/refurbish.ts';
import { createReturn, registerFacility } from '../services/returns/returns.ts';
import { grantSecureStatus } from '../services/returns/facility-grants.ts';
import { handOver, triage } from '../services/returns/triage.ts';
import { Fleet } from './devices/fleet.ts';
import { faultOf } from './devices/faults.ts';
import { fleetId } from './simulated-world.ts';

/** The regions the walkthrough and its tests read removal notices in (the return ESME's, 18, and an empty one, 10): the demo's stock comes from elsewhere. */
const WALKTHROUGH_REGIONS = new Set([10, 18]);

/** Where supplier-b's refurbished stock lies in the demo: two bays of its lab, so the stock-by-location chart has more than one bar. */
export const DEMO_STOCK_LOCATIONS = ['beta-lab bay 1', 'beta-lab bay 2'] as const;

/**
 * supplier-b's gas meters the demo takes back and stocks: at premises with WAN, outside the
 * walkthrough's regions, no fault and a model that can be factory reset (deterministic: the seed
 * fixes them). Gas meters, not electricity meters: a refurbished device in stock has no Supplier
 * of record, and the walkthrough's vulnerability in an ESME model (docs/demo.md section 5) would
 * then name no Responsible Supplier for it and be refused.
 */
export function demoStockDevices(fleetOpts: ConstructorParameters<typeof Fleet>[0], seed: string): Array<{ premiseId: string; gsme: string }> {
  const fleet = new Fleet(fleetOpts);
  const supplierB = fleet.parties.suppliers[1]!.eui;
  return Array.from({ length: fleet.premiseCount }, (_, i) => fleet.premise(i))
    .filter((p) => p.supplier === supplierB && p.wan === 'covered' && p.devices.GSME && !WALKTHROUGH_REGIONS.has(p.distributorId))
    .filter((p) => {
      const model = fleet.modelOf('GSME', p.devices.GSME!);
      return model.factoryReset && faultOf(seed, p.devices.GSME!, model).fault === null;
    })
    .slice(0, 2)
    .map((p) => ({ premiseId: `${fleetId(fleet.tag)}-p${p.index}`, gsme: p.devices.GSME! }));
}

/**
 * supplier-b's stock in the demo, made through the services as a person would: its lab `beta-lab`
 * (secure, granted by the DCC); two of its gas meters returned and handed to the manufacturer
 * `mfr-a` at `acme-works` (SMETS2 is triaged by the manufacturer only), triaged gold there (no fault
 * found), refurbished to vanilla into one bay each of beta-lab, and handed back to supplier-b.
 * supplier-a's world, which the walkthrough uses, is untouched.
 */
export async function seedDemoStock(
  deps: ServiceDeps,
  dcc: Party,
  supplierB: Party,
  manufacturer: Party,
  fleetOpts: ConstructorParameters<typeof Fleet>[0],
  seed: string,
): Promise<void> {
  await registerFacility(deps, supplierB, { id: 'beta-lab', name: 'Beta Power triage lab (secure, granted by the DCC)' });
  await grantSecureStatus(deps, dcc, 'beta-lab', { basis: 'demo: DCC inspection of the facility' });
  const devices = demoStockDevices(fleetOpts, seed);
  if (devices.length < DEMO_STOCK_LOCATIONS.length) throw new Error(`the demo fleet (seed "${seed}") has too few supplier-b gas meters to stock: change DEMO_FLEET`);
  const { lines } = await createReturn(deps, supplierB, 'demo', { reference: 'demo stock', lines: devices.map((d) => ({ deviceEui: d.gsme, reason: 'no-fault-general' })) });
  for (const [i, line] of lines.entries()) {
    const location = DEMO_STOCK_LOCATIONS[i % DEMO_STOCK_LOCATIONS.length]!;
    await handOver(deps, supplierB, line.id, { toPartyId: manufacturer.id, site: 'acme-works', seals: [{ id: `B${i + 1}`, intact: true }] });
    await triage(deps, manufacturer, line.id, { facilityId: 'acme-works', method: 'gold' });
    await refurbish(deps, manufacturer, line.id, { grade: i === 0 ? 'A' : 'B', location });
    await handOver(deps, manufacturer, line.id, { toPartyId: supplierB.id, site: location });
  }
}
