// Cross-party cases of returns and triage (docs/returns.md): supplier-a returns the demo's ESME,
// hands it to its own lab, triages, refurbishes and reinstalls it; a second ESME is scrapped.
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
      request: (p) => ({ method: 'POST', url: '/v1/facilities', payload: { id: `xp-lab-${p}`, name: `${p}'s lab`, secure: true } }),
      rightful: w.parties.filter((p) => ['supplier-a', 'supplier-b', 'map-a', 'mfr-a', 'dcc'].includes(p)),
      once: false,
      rule: "Suppliers, MAPs, manufacturers and the DCC run their own facilities (meterops' own rule)",
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
      request: { method: 'POST', url: `/v1/return-lines/${line(w)}/handover`, payload: { toPartyId: 'supplier-a', site: 'alpha-lab', seals: [{ id: 'S1', intact: true }] } },
      rightful: ['supplier-a'],
      rule: CUSTODIAN,
    }),
  },
  {
    op: 'POST /v1/return-lines/{id}/triage',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: `/v1/return-lines/${line(w)}/triage`, payload: { facilityId: 'alpha-lab', method: 'gold' } },
      rightful: ['supplier-a'],
      rule: `${CUSTODIAN}, at its own secure facility`,
    }),
  },
  {
    op: 'POST /v1/return-lines/{id}/refurbish',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: `/v1/return-lines/${line(w)}/refurbish`, payload: { grade: 'A', location: 'bay 3' } },
      rightful: ['supplier-a'],
      rule: CUSTODIAN,
    }),
  },
  {
    op: 'POST /v1/return-lines/{id}/reinstall',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: `/v1/return-lines/${line(w)}/reinstall`, payload: { premiseId: w.ids.reinstallPremiseId } },
      rightful: ['supplier-a'],
      rule: `${CUSTODIAN}, a Supplier, at a premise it supplies`,
    }),
  },
  {
    op: 'POST /v1/return-lines/{id}/scrap',
    permission: 'operate',
    prepare: async (w) => {
      const supplier = await w.party('supplier-a');
      const r = await createReturn(w.deps, supplier, 'planner', { lines: [{ deviceEui: SCRAP_ESME_A, reason: 'damaged-case' }] });
      const id = r.lines[0]!.id;
      await handOver(w.deps, supplier, id, { toPartyId: 'supplier-a', site: 'alpha-lab' });
      await triage(w.deps, supplier, id, { facilityId: 'alpha-lab', method: 'gold' });
      return { request: { method: 'POST', url: `/v1/return-lines/${id}/scrap`, payload: { reason: 'case cracked' } }, rightful: ['supplier-a'], rule: CUSTODIAN };
    },
  },
];
