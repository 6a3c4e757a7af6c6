import { DNO_REGIONS, makeMpanCore, type Eui, type Party } from '../domain/index.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { hashApiKey } from '../services/authenticate.ts';
import { hashPassword } from '../services/passwords.ts';
import type { PersonRole } from '../domain/index.ts';
import { registerDevices } from '../services/register-devices.ts';
import { createPremise, installDevice } from '../services/premises.ts';
import { generateFleet } from './fleet-service.ts';
import { audit } from '../services/audit.ts';
import { importCoverage, recordWanObservation } from '../services/wan-routing.ts';
import { registerFacility } from '../services/returns/returns.ts';

/** Demo parties. EUIs of the suppliers, NO and ACB are those of the DCC Boxed test identities. */
export const DEMO_PARTIES: readonly Party[] = [
  { id: 'dcc', name: 'Data Communications Company (demo)', role: 'dcc', eui: '90B3D51F30000002' as Eui, distributorId: null },
  { id: 'supplier-a', name: 'Alpha Energy (demo supplier)', role: 'supplier', eui: '90B3D51F30010000' as Eui, distributorId: null },
  { id: 'supplier-b', name: 'Beta Power (demo supplier)', role: 'supplier', eui: '90B3D51F30030000' as Eui, distributorId: null },
  { id: 'map-a', name: 'Meter Assets Ltd (demo MAP)', role: 'meter_asset_provider', eui: null, distributorId: null },
  { id: 'mfr-a', name: 'Acme Metering (demo manufacturer)', role: 'manufacturer', eui: null, distributorId: null },
  { id: 'gt-a', name: 'Gas Transport plc (demo)', role: 'gas_transporter', eui: null, distributorId: null },
  { id: 'ssc', name: 'Security Sub-Committee', role: 'security_sub_committee', eui: null, distributorId: null },
  ...DNO_REGIONS.map((r): Party => ({
    id: `dno-${r.distributorId}`,
    name: `${r.operator} (demo DNO, ${r.name})`,
    role: 'network_operator',
    eui: r.distributorId === 12 ? ('90B3D51F30020000' as Eui) : null,
    distributorId: r.distributorId,
  })),
];

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

/** Two people per demo party, so that one can release what the other's requests had held. */
export function demoPeople(partyId: string): Array<{ username: string; name: string; roles: PersonRole[] }> {
  return [
    { username: `alice.${partyId}`, name: `Alice (${partyId}, operations)`, roles: ['operator', 'field_engineer'] },
    { username: `bob.${partyId}`, name: `Bob (${partyId}, approvals)`, roles: ['approver', 'auditor'] },
  ];
}

const SEEDED = 'demo_seeded_at';
export const DEMO_FLEET = { premises: 20, seed: 'demo' } as const;

/** Seeds the demo parties and a small fleet once; later starts find the marker and do nothing. */
export async function seedDemo(deps: ServiceDeps): Promise<{ seeded: boolean }> {
  const already = await deps.store.read.meta.get(SEEDED);
  if (already) return { seeded: false };
  // One scrypt hash for every demo person's password: hashing is slow on purpose, and this is a demo.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await deps.store.transaction(async (tx) => {
    const now = deps.clock();
    for (const p of DEMO_PARTIES) {
      // A database initialised before the demo has the platform's DCC party already: keep it.
      const existing = await tx.parties.get(p.id);
      if (!existing) await tx.parties.insert(p);
      else if (existing.eui === null && p.eui) await tx.parties.update(p.id, { eui: p.eui, name: p.name }, now);
      for (const k of demoKeys(p.id)) {
        await tx.apiKeys.insert(
          {
            id: `key-demo-${p.id}${k.suffix}`,
            partyId: p.id,
            name: k.name,
            roles: k.roles,
            createdAt: now,
            createdBy: 'demo',
            expiresAt: null,
            revokedAt: null,
            revokedReason: null,
            lastUsedAt: null,
            rotatedFrom: null,
          },
          hashApiKey(k.secret),
        );
      }
      for (const person of demoPeople(p.id)) {
        await tx.users.insert(
          {
            id: `usr-demo-${person.username.replace(/[^a-z0-9-]/g, '-')}`,
            partyId: p.id,
            username: person.username,
            name: person.name,
            roles: person.roles,
            status: 'active',
            failedAttempts: 0,
            lockedUntil: null,
            createdAt: now,
            updatedAt: now,
          },
          passwordHash,
        );
      }
      await audit(tx, now, 'dcc', 'party.created', `party/${p.id}`, { role: p.role, demo: true });
    }
  });
  const supplier = DEMO_PARTIES[1]!;
  const regions = [12, 16, 18, 20, 23, 10];
  let n = 0;
  const premiseIds: string[] = [];
  for (const [i, distributorId] of regions.entries()) {
    const prepayment = i % 2 === 0;
    const premise = await createPremise(deps, supplier, {
      mpan: makeMpanCore(distributorId, 1_000_000 + i),
      mprn: String(7_000_000 + i),
      postcode: ['SW1A 1AA', 'M1 1AE', 'EH1 1YZ', 'SO14 7DW', 'LS1 4DY', 'CB2 1TN'][i]!,
    });
    premiseIds.push(premise.id);
    const eui = (k: number) => `00D0DE0000${String(++n).padStart(4, '0')}${k}0`;
    const hub = eui(0);
    const devices = [
      { eui: hub, type: 'CHF', manufacturer: 'Acme Hubs', model: 'CH-DB1', firmwareVersion: '1.4.2' },
      { eui: eui(1), type: 'GPF', manufacturer: 'Acme Hubs', model: 'CH-DB1', firmwareVersion: '1.4.2' },
      { eui: eui(2), type: 'ESME', manufacturer: 'Acme Metering', model: 'E470', firmwareVersion: '3.1.0' },
      { eui: eui(3), type: 'GSME', manufacturer: 'Acme Metering', model: 'G4', firmwareVersion: '2.0.7' },
      ...(prepayment ? [{ eui: eui(4), type: 'PPMID', manufacturer: 'Acme Displays', model: 'P1', firmwareVersion: '1.0.3' }] : []),
    ];
    await registerDevices(
      deps,
      supplier,
      devices.map((d, row) => ({ row, input: { ...d, ownerPartyId: 'map-a' } })),
    );
    for (const d of devices) {
      await installDevice(deps, supplier, premise.id, { eui: d.eui, hubEui: d.eui === hub ? null : hub });
    }
  }
  // And a small simulated SMETS2 fleet whose devices answer real GBCS frames (meterops device send).
  await generateFleet(deps, DEMO_PARTIES[0]!, { premises: DEMO_FLEET.premises, seed: DEMO_FLEET.seed });
  // No-WAN and returns demo: coverage for the demo postcodes, two demo prepayment premises without
  // WAN (one with supply off and no credit), and facilities to triage in.
  await importCoverage(deps, DEMO_PARTIES[0]!, [
    { postcode: 'SW1A 1AA', coverage: 'covered' },
    { postcode: 'M1 1AE', coverage: 'covered' },
    { postcode: 'EH1 1YZ', coverage: 'not-covered', anticipatedAt: '2027-06-30' },
    { postcode: 'SO14 7DW', coverage: 'partial' },
    { postcode: 'LS1 4DY', coverage: 'covered' },
    { postcode: 'CB2 1TN', coverage: 'covered' },
  ]);
  await recordWanObservation(deps, supplier, premiseIds[2]!, { hubWan: 'no-wan', paymentMode: 'prepayment', supply: 'disabled', creditPence: 0 });
  await recordWanObservation(deps, supplier, premiseIds[4]!, { hubWan: 'no-wan', paymentMode: 'prepayment', supply: 'enabled', creditPence: 300 });
  await registerFacility(deps, supplier, { id: 'alpha-lab', name: 'Alpha Energy triage lab (SMETS2 registered)', secure: true, smets2Triage: true });
  await registerFacility(
    deps,
    DEMO_PARTIES.find((p) => p.id === 'map-a')!,
    { id: 'map-depot', name: 'Meter Assets depot (not a secure facility)', secure: false },
  );
  await registerFacility(
    deps,
    DEMO_PARTIES.find((p) => p.id === 'mfr-a')!,
    { id: 'acme-works', name: 'Acme Metering works', secure: true },
  );
  await deps.store.transaction((tx) => tx.meta.set(SEEDED, deps.clock().toISOString()));
  deps.log.info({ parties: DEMO_PARTIES.length, premises: regions.length }, 'demo data seeded');
  return { seeded: true };
}

/** The lines `serve` prints for the demo: its API keys and where to start. */
export function demoBanner(base: string): string[] {
  const lines = ['', 'demo API keys (Authorization: Bearer <key>):'];
  for (const p of DEMO_PARTIES.filter((p) => !p.id.startsWith('dno-') || p.id === 'dno-12')) lines.push(`  ${p.id.padEnd(12)} ${demoApiKey(p.id)}`);
  lines.push(
    '  dno-10 .. dno-23 likewise: demo-dno-NN-key',
    '  each party also has an approver key, demo-<party>-approver-key, and two people who sign in',
    `  (POST /v1/sessions): alice.<party> (operator, field engineer), bob.<party> (approver, auditor), password ${DEMO_PASSWORD}`,
    '',
    `simulated fleet: ${DEMO_FLEET.premises} premises from seed "${DEMO_FLEET.seed}" (meterops fleet show EUI, meterops device send EUI FRAME)`,
    '',
    `try: curl -H 'Authorization: Bearer ${demoApiKey('supplier-a')}' ${base}/v1/devices`,
  );
  return lines;
}
