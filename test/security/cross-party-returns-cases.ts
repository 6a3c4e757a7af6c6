// Cross-party cases of returns and triage (docs/returns.md): supplier-a returns the demo's ESME and
// hands it to the manufacturer mfr-a at its works (SMETS2 is the manufacturer's to triage), which
// triages and refurbishes it; back with supplier-a, it is reinstalled; a second ESME is scrapped.
// A facility's secure status is granted and revoked by the DCC or the SSC, never by its owner.
// The cases run in this order, each on the line the one before left.
import type { Eui } from '../../src/domain/index.ts';
import { createReturn } from '../../src/services/returns/returns.ts';
import { handOver, triage } from '../../src/services/returns/triage.ts';
import type { Case } from './cross-party-case.ts';
import type { World } from './cross-party-world.ts';

const SCRAP_ESME_A = '0F8F000000000052' as Eui;
const CUSTODIAN = "the line's present custodian (docs/returns.md; seeds 000, 002)";

const line = (w: World) => w.ctx.get('return-line') as string;

export const RETURNS_CASES: readonly Case[] = [
  {
    op: 'POST /v1/facilities',
    permission: 'operate',
    prepare: async (w) => ({
      request: (p) => ({ method: 'POST', url: '/v1/facilities', payload: { id: `xp-lab-${p}`, name: `${p}'s lab` } }),
      rightful: w.parties.filter((p) => ['supplier-a', 'supplier-b', 'map-a', 'mfr-a', 'dcc'].includes(p)),
      once: false,
      rule: "Suppliers, MAPs, manufacturers and the DCC run their own facilities (meterops' own rule)",
    }),
  },
  {
    op: 'POST /v1/facilities/{id}/secure-grant',
    permission: 'operate',
    prepare: async () => ({
      request: { method: 'POST', url: '/v1/facilities/alpha-stores/secure-grant', payload: { basis: 'inspection' } },
      rightful: ['dcc', 'ssc'],
      once: true,
      rule: "the DCC or the SSC grants a facility's secure status, never its owner (governance.triage.secureStatusGrantedBy)",
    }),
  },
  {
    op: 'POST /v1/facilities/{id}/secure-revoke',
    permission: 'operate',
    prepare: async () => ({
      request: { method: 'POST', url: '/v1/facilities/alpha-stores/secure-revoke', payload: { reason: 'a test of the revocation' } },
      rightful: ['dcc', 'ssc'],
      once: true,
      rule: "the DCC or the SSC revokes a facility's secure status (governance.triage.secureStatusGrantedBy)",
    }),
  },
  {
    op: 'POST /v1/returns',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: '/v1/returns', payload: { lines: [{ deviceEui: w.ids.returnEsme, reason: 'no-fault-general' }] } },
      rightful: ['supplier-a'],
      rule: "a device installed at a premise is taken back by the premise's Supplier; one in stock by its supplier of record, owner or custodian (meterops' own rule)",
      after: (r) => void w.ctx.set('return-line', r.json().lines[0].id),
    }),
  },
  {
    op: 'POST /v1/return-lines/{id}/handover',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: `/v1/return-lines/${line(w)}/handover`, payload: { toPartyId: 'mfr-a', site: 'acme-works', seals: [{ id: 'S1', intact: true }] } },
      rightful: ['supplier-a'],
      rule: CUSTODIAN,
    }),
  },
  {
    op: 'POST /v1/return-lines/{id}/triage',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: `/v1/return-lines/${line(w)}/triage`, payload: { facilityId: 'acme-works', method: 'gold' } },
      rightful: ['mfr-a'],
      rule: `${CUSTODIAN}, at its own secure facility, a party governance lets triage SMETS2 (the manufacturer)`,
    }),
  },
  {
    op: 'POST /v1/return-lines/{id}/refurbish',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: `/v1/return-lines/${line(w)}/refurbish`, payload: { grade: 'A', location: 'bay 3' } },
      rightful: ['mfr-a'],
      rule: `${CUSTODIAN}, a party governance lets triage SMETS2 (the manufacturer)`,
    }),
  },
  {
    op: 'POST /v1/return-lines/{id}/reinstall',
    permission: 'operate',
    prepare: async (w) => {
      // The manufacturer hands the refurbished meter back to supplier-a.
      await handOver(w.deps, await w.party('mfr-a'), line(w), { toPartyId: 'supplier-a', site: 'supplier-a van stock' });
      return {
        request: { method: 'POST', url: `/v1/return-lines/${line(w)}/reinstall`, payload: { premiseId: w.ids.reinstallPremiseId } },
        rightful: ['supplier-a'],
        rule: `${CUSTODIAN}, a Supplier, at a premise it supplies`,
      };
    },
  },
  {
    op: 'POST /v1/return-lines/{id}/scrap',
    permission: 'operate',
    prepare: async (w) => {
      const supplier = await w.party('supplier-a');
      const r = await createReturn(w.deps, supplier, 'planner', { lines: [{ deviceEui: SCRAP_ESME_A, reason: 'damaged-case' }] });
      const id = r.lines[0]!.id;
      await handOver(w.deps, supplier, id, { toPartyId: 'mfr-a', site: 'acme-works' });
      await triage(w.deps, await w.party('mfr-a'), id, { facilityId: 'acme-works', method: 'gold' });
      return { request: { method: 'POST', url: `/v1/return-lines/${id}/scrap`, payload: { reason: 'case cracked' } }, rightful: ['mfr-a'], rule: CUSTODIAN };
    },
  },
];
