import { DNO_REGIONS, type Eui, type Party } from '../domain/index.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { hashApiKey } from '../services/authenticate.ts';
import { hashPassword } from '../services/passwords.ts';
import type { PersonRole } from '../domain/index.ts';
import { audit } from '../services/audit.ts';
import { importCoverage, recordWanObservation } from '../services/wan-routing.ts';
import { registerFacility } from '../services/returns/returns.ts';
import { grantSecureStatus } from '../services/returns/facility-grants.ts';
import { Fleet } from './devices/fleet.ts';
import { faultOf } from './devices/faults.ts';
import { generateFleet, type FleetPartyNaming } from './fleet-service.ts';
import { seedDemoStock } from './seed-demo-stock.ts';
import { fleetId } from './simulated-world.ts';

/**
 * The demo world: one simulated fleet whose premises the demo parties supply, own and serve, so
 * that every documented flow (vending, work orders on no-WAN prepayment premises, the HHT loop,
 * triage, refurbishment and reinstallation, duties) works with the keys the simulation holds.
 * The rates are the demo's own (meterops' choice, not national figures): more no-WAN and
 * prepayment premises than a real fleet has, so that a small fleet shows every case.
 */
export const DEMO_FLEET = { premises: 24, seed: 'demo', noWanRate: 0.3, prepaymentRate: 0.5 } as const;

/** The demo parties that are not the fleet's own: the platform's DCC party and three others. */
const OTHER_PARTIES: readonly Party[] = [
  { id: 'dcc', name: 'Data Communications Company (demo)', role: 'dcc', eui: '90B3D51F30000002' as Eui, distributorId: null },
  { id: 'mfr-a', name: 'Acme Metering (demo manufacturer)', role: 'manufacturer', eui: null, distributorId: null },
  { id: 'gt-a', name: 'Gas Transport plc (demo)', role: 'gas_transporter', eui: null, distributorId: null },
  { id: 'ssc', name: 'Security Sub-Committee', role: 'security_sub_committee', eui: null, distributorId: null },
];

const SUPPLIERS = [
  { id: 'supplier-a', name: 'Alpha Energy (demo supplier)' },
  { id: 'supplier-b', name: 'Beta Power (demo supplier)' },
] as const;

/** The fleet's MAP, Suppliers and Network Operators under the names the docs use. */
const DEMO_NAMING: FleetPartyNaming = (p) => {
  if (p.kind === 'map') return { id: 'map-a', name: 'Meter Assets Ltd (demo MAP)' };
  if (p.kind === 'supplier') return SUPPLIERS[p.index];
  if (p.kind === 'network_operator' && p.distributorId !== null) {
    const r = DNO_REGIONS.find((x) => x.distributorId === p.distributorId)!;
    return { id: `dno-${r.distributorId}`, name: `${r.operator} (demo DNO, ${r.name})` };
  }
  return undefined;
};

/** Every demo party id that gets API keys. */
export function demoPartyIds(): string[] {
  return [...OTHER_PARTIES.map((p) => p.id), ...SUPPLIERS.map((s) => s.id), 'map-a', ...DNO_REGIONS.map((r) => `dno-${r.distributorId}`)];
}

/** Demo keys are fixed so that they can be printed on every start; they are for a local demo only. */
export function demoApiKey(partyId: string): string {
  return `demo-${partyId}-key`;
}

/** The demo party's second key, an approver's: four-eyes release with two keys. */
export function demoApproverKey(partyId: string): string {
  return `demo-${partyId}-approver-key`;
}

function demoKeys(partyId: string): Array<{ suffix: string; name: string; secret: string; roles: PersonRole[] }> {
  return [
    { suffix: '', name: 'demo key', secret: demoApiKey(partyId), roles: ['operator', 'field_engineer', 'auditor'] },
    { suffix: '-approver', name: 'demo approver key', secret: demoApproverKey(partyId), roles: ['approver'] },
  ];
}

/** Every demo person's password (a local demo only). */
export const DEMO_PASSWORD = 'demo-password';

/**
 * Three people per demo party: two so that one can release what the other's requests had held, and
 * an administrator who manages the party's people and API keys.
 */
export function demoPeople(partyId: string): Array<{ username: string; name: string; roles: PersonRole[] }> {
  return [
    { username: `alice.${partyId}`, name: `Alice (${partyId}, operations)`, roles: ['operator', 'field_engineer'] },
    { username: `bob.${partyId}`, name: `Bob (${partyId}, approvals)`, roles: ['approver', 'auditor'] },
    { username: `carol.${partyId}`, name: `Carol (${partyId}, administration)`, roles: ['administrator'] },
  ];
}

/** The IDs the demo's walkthrough (docs/demo.md) uses, found in the fleet the seed makes. */
export interface DemoIds {
  readonly fleetId: string;
  /** supplier-a's ESME at a prepayment premise with WAN: vend a UTRN for it. */
  readonly vendEsme: Eui;
  /** supplier-a's no-WAN prepayment premises (the SECMP0032 visit queue), with their ESME. */
  readonly noWan: ReadonlyArray<{ readonly premiseId: string; readonly esme: Eui }>;
  /** supplier-a's ESME that triage finds no fault in and that can be factory reset: the return. */
  readonly returnEsme: Eui;
  /** A premise of supplier-a in another DNO region, to reinstall the refurbished ESME at. */
  readonly reinstallPremiseId: string;
  /** The model of the returned ESME: a vulnerability in a meter gives its Supplier duties (in a hub, the DCC's). */
  readonly meter: { readonly manufacturer: string; readonly model: string };
}

/** Finds the walkthrough's IDs in the demo fleet (deterministic: the seed fixes them). */
export function demoIds(): DemoIds {
  const fleet = new Fleet(DEMO_FLEET);
  const supplierA = fleet.parties.suppliers[0]!.eui;
  const premises = Array.from({ length: fleet.premiseCount }, (_, i) => fleet.premise(i)).filter((p) => p.supplier === supplierA);
  const id = (i: number) => `${fleetId(fleet.tag)}-p${i}`;
  const vend = premises.find((p) => p.paymentMode === 'prepayment' && p.wan === 'covered' && p.devices.ESME);
  const noWan = premises.filter((p) => p.paymentMode === 'prepayment' && p.wan === 'none' && p.devices.ESME);
  const returned = premises.find((p) => {
    if (p.wan !== 'covered' || !p.devices.ESME || p === vend) return false;
    const model = fleet.modelOf('ESME', p.devices.ESME);
    return model.factoryReset && faultOf(DEMO_FLEET.seed, p.devices.ESME, model).fault === null;
  });
  const reinstall = returned && premises.find((p) => p.distributorId !== returned.distributorId && p.wan === 'covered' && p !== vend);
  if (!vend || noWan.length < 2 || !returned || !reinstall) {
    throw new Error(`the demo fleet (seed "${DEMO_FLEET.seed}") lacks a premise the walkthrough needs: change DEMO_FLEET`);
  }
  const meterModel = fleet.modelOf('ESME', returned.devices.ESME!);
  return {
    fleetId: fleetId(fleet.tag),
    vendEsme: vend.devices.ESME!,
    noWan: noWan.map((p) => ({ premiseId: id(p.index), esme: p.devices.ESME! })),
    returnEsme: returned.devices.ESME!,
    reinstallPremiseId: id(reinstall.index),
    meter: { manufacturer: meterModel.manufacturer, model: meterModel.model },
  };
}

const SEEDED = 'demo_seeded_at';

/** Seeds the demo parties, fleet and facilities once; later starts find the marker and do nothing. */
export async function seedDemo(deps: ServiceDeps): Promise<{ seeded: boolean }> {
  const already = await deps.store.read.meta.get(SEEDED);
  if (already) return { seeded: false };
  const ids = demoIds();
  await deps.store.transaction(async (tx) => {
    const now = deps.clock();
    for (const p of OTHER_PARTIES) {
      // A database initialised before the demo has the platform's DCC party already: keep it.
      const existing = await tx.parties.get(p.id);
      if (existing) {
        if (existing.eui === null && p.eui) await tx.parties.update(p.id, { eui: p.eui, name: p.name }, now);
        continue;
      }
      await tx.parties.insert(p);
      await audit(tx, now, 'dcc', 'party.created', `party/${p.id}`, { role: p.role, demo: true });
    }
  });
  const dcc = OTHER_PARTIES[0]!;
  await generateFleet(deps, dcc, { ...DEMO_FLEET, naming: DEMO_NAMING });
  // One scrypt hash for every demo person's password: hashing is slow on purpose, and this is a demo.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await deps.store.transaction(async (tx) => {
    const now = deps.clock();
    for (const id of demoPartyIds()) {
      for (const k of demoKeys(id)) {
        const key = { id: `key-demo-${id}${k.suffix}`, partyId: id, name: k.name, roles: k.roles, createdAt: now, createdBy: 'demo' };
        await tx.apiKeys.insert({ ...key, expiresAt: null, revokedAt: null, revokedReason: null, lastUsedAt: null, rotatedFrom: null }, hashApiKey(k.secret));
      }
      for (const person of demoPeople(id)) {
        const user = { id: `usr-demo-${person.username.replace(/[^a-z0-9-]/g, '-')}`, partyId: id, username: person.username, name: person.name, roles: person.roles };
        await tx.users.insert({ ...user, status: 'active', failedAttempts: 0, lockedUntil: null, createdAt: now, updatedAt: now }, passwordHash);
      }
      await audit(tx, now, 'dcc', 'demo.access-issued', `party/${id}`, { keys: demoKeys(id).map((k) => k.name), people: demoPeople(id).map((p) => p.username) });
    }
  });
  const supplierA = (await deps.store.read.parties.get('supplier-a'))!;
  const fleet = new Fleet(DEMO_FLEET);
  const postcodes = [...new Set(Array.from({ length: fleet.premiseCount }, (_, i) => fleet.premise(i).postcode))].sort();
  const noWanPostcodes = new Set(
    Array.from({ length: fleet.premiseCount }, (_, i) => fleet.premise(i))
      .filter((p) => p.wan === 'none')
      .map((p) => p.postcode),
  );
  await importCoverage(
    deps,
    dcc,
    postcodes.map((postcode) => (noWanPostcodes.has(postcode) ? { postcode, coverage: 'not-covered', anticipatedAt: '2027-06-30' } : { postcode, coverage: 'covered' })),
  );
  // What the supplier last saw at its no-WAN prepayment premises: one off supply with no credit
  // (first in the SECMP0032 queue), one with a little credit left.
  await recordWanObservation(deps, supplierA, ids.noWan[0]!.premiseId, { hubWan: 'no-wan', paymentMode: 'prepayment', supply: 'disabled', creditPence: 0 });
  await recordWanObservation(deps, supplierA, ids.noWan[1]!.premiseId, { hubWan: 'no-wan', paymentMode: 'prepayment', supply: 'enabled', creditPence: 300 });
  // Every facility is registered by its owner; the secure ones are granted by the DCC, never self-declared (docs/returns.md).
  const grant = async (owner: Party, id: string, name: string, smets2Triage = false) => {
    await registerFacility(deps, owner, { id, name });
    await grantSecureStatus(deps, dcc, id, { basis: 'demo: DCC inspection of the facility', smets2Triage });
  };
  await grant(supplierA, 'alpha-lab', 'Alpha Energy triage lab (secure, granted by the DCC)');
  // A store room of supplier-a's that is not a secure facility: triage there is refused (docs/demo.md).
  await registerFacility(deps, supplierA, { id: 'alpha-stores', name: 'Alpha Energy stores (not a secure facility)' });
  await registerFacility(deps, (await deps.store.read.parties.get('map-a'))!, { id: 'map-depot', name: 'Meter Assets depot (not a secure facility)' });
  await grant((await deps.store.read.parties.get('mfr-a'))!, 'acme-works', 'Acme Metering works (secure, granted by the DCC)');
  await seedDemoStock(deps, dcc, (await deps.store.read.parties.get('supplier-b'))!, (await deps.store.read.parties.get('mfr-a'))!, DEMO_FLEET, DEMO_FLEET.seed);
  await deps.store.transaction((tx) => tx.meta.set(SEEDED, deps.clock().toISOString()));
  deps.log.info({ fleet: ids.fleetId, premises: DEMO_FLEET.premises }, 'demo data seeded');
  return { seeded: true };
}

/** The lines `serve` prints for the demo: its API keys, real IDs and what to try first. */
export function demoBanner(base: string): string[] {
  const ids = demoIds();
  const key = demoApiKey('supplier-a');
  return [
    '',
    'demo API keys (Authorization: Bearer <key>): an operator and field engineer key, and an approver key:',
    `  supplier-a   ${demoApiKey('supplier-a')}, ${demoApproverKey('supplier-a')}`,
    `  supplier-b, map-a, mfr-a, gt-a, ssc, dcc, dno-10 .. dno-23 likewise: demo-PARTY-key, demo-PARTY-approver-key`,
    `  three people per party sign in (POST /v1/sessions, or the web at ${base}/): alice.PARTY (operator, field engineer),`,
    `  bob.PARTY (approver, auditor), carol.PARTY (administrator: people and API keys),`,
    `  password ${DEMO_PASSWORD}`,
    '',
    `demo fleet ${ids.fleetId}: ${DEMO_FLEET.premises} simulated premises whose devices answer real GBCS frames`,
    `  vend for ESME ${ids.vendEsme}; no-WAN prepayment premises ${ids.noWan.map((n) => n.premiseId).join(', ')};`,
    `  return ESME ${ids.returnEsme}, reinstall at ${ids.reinstallPremiseId}; walkthrough: docs/demo.md`,
    '',
    `try: curl -H 'Authorization: Bearer ${key}' -H 'Idempotency-Key: try-1' -H 'content-type: application/json' \\`,
    `       -d '{"kind":"credit","deviceEui":"${ids.vendEsme}","value":10,"valueClass":"pounds"}' ${base}/v1/vends`,
  ];
}
