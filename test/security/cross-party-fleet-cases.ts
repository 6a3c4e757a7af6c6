// Cross-party cases of devices, premises, security obligations, sensitive requests, vends and the
// no-WAN loop, over supplier-a's part of the demo fleet.
import { makeMpanCore, type Eui } from '../../src/domain/index.ts';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { runVisit, uploadRows, type DevicePort } from '../../src/cli/hht/hht-client.ts';
import { submitCommandRequest } from '../../src/services/anomaly-detection.ts';
import { recordVulnerability } from '../../src/services/obligations.ts';
import { createPremise } from '../../src/services/premises.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import { createWorkOrder, pullWorkOrder } from '../../src/services/work-orders.ts';
import { SimulatedPorts } from '../../src/world/sim-ports.ts';
import { toHex } from '../../src/gbcs/byte-reader.ts';
import type { Esme } from '../../src/world/devices/esme.ts';
import { aDeviceInput, worldOf } from '../support/builders.ts';
import type { Case } from './cross-party-case.ts';
import type { World } from './cross-party-world.ts';

const HHT = 'F0F0F0F0F0F00077' as Eui;
/** supplier-a's meters the cases below use, one purpose each (docs/demo.md's fleet). */
export const GSME_A = '0F8F00000000004B' as Eui;
export const ALERT_ESME_A = '0F8F00000000008A' as Eui;

/** Who has a relation to a device (domain/access.ts: supplier of record, owner, custodian) and the DCC. */
export async function deviceParties(w: World, eui: string): Promise<string[]> {
  const d = await w.device(eui);
  return [...new Set([d.supplierPartyId, d.ownerPartyId, d.custodianPartyId, 'dcc'].filter((x): x is string => x !== null))];
}

/** The parties that are DCC Users in the SEC sense or the DCC: they record vulnerabilities and arrangements. */
export function usersAndDcc(w: World): string[] {
  return w.parties.filter((p) => !['ssc', 'mfr-a'].includes(p));
}

let mpanSerial = 7_700_000;
async function freshDeviceOfA(w: World, type = 'ESME'): Promise<Eui> {
  const input = aDeviceInput({ type, supplierPartyId: 'supplier-a', ownerPartyId: 'map-a' });
  const r = await registerDevices(w.deps, await w.party('supplier-a'), [{ row: 0, input }]);
  if (r.failed) throw new Error(JSON.stringify(r));
  return input.eui as Eui;
}

const DEVICE_RULE = "the device's supplier of record, owner or custodian, and the DCC (domain/access.ts; meterops' own rule)";

export const FLEET_CASES: readonly Case[] = [
  {
    op: 'POST /v1/devices',
    permission: 'operate',
    prepare: async () => {
      const input = aDeviceInput({ supplierPartyId: 'supplier-a', ownerPartyId: 'supplier-a', custodianPartyId: 'supplier-a' });
      return {
        request: { method: 'POST', url: '/v1/devices', payload: { devices: [input] } },
        rightful: ['supplier-a', 'dcc'],
        rule: "a party registers only devices it owns, supplies or holds; the DCC any (meterops' own rule)",
      };
    },
  },
  {
    op: 'POST /v1/devices/{eui}/inventory-status',
    permission: 'operate',
    prepare: async (w) => {
      const eui = await freshDeviceOfA(w);
      return {
        request: { method: 'POST', url: `/v1/devices/${eui}/inventory-status`, payload: { status: 'InstalledNotCommissioned' } },
        rightful: await deviceParties(w, eui),
        rule: DEVICE_RULE,
      };
    },
  },
  {
    op: 'POST /v1/devices/{eui}/asset-status',
    permission: 'operate',
    prepare: async (w) => {
      const eui = await freshDeviceOfA(w);
      return { request: { method: 'POST', url: `/v1/devices/${eui}/asset-status`, payload: { status: 'in_transit' } }, rightful: await deviceParties(w, eui), rule: DEVICE_RULE };
    },
  },
  {
    op: 'POST /v1/premises',
    permission: 'operate',
    prepare: async () => ({
      request: { method: 'POST', url: '/v1/premises', payload: { mpan: makeMpanCore(14, mpanSerial++), postcode: 'CF10 1AA', supplierPartyId: 'supplier-a' } },
      rightful: ['supplier-a', 'dcc'],
      rule: "a Supplier records its own premises; the DCC any (meterops' own rule)",
    }),
  },
  {
    op: 'POST /v1/premises/{id}/installations',
    permission: 'operate',
    prepare: async (w) => {
      const premise = await createPremise(w.deps, await w.party('supplier-a'), { mpan: makeMpanCore(14, mpanSerial++), postcode: 'CF10 1AB' });
      // A hub: it joins no hub of its own.
      const eui = await freshDeviceOfA(w, 'CHF');
      return {
        request: { method: 'POST', url: `/v1/premises/${premise.id}/installations`, payload: { eui } },
        rightful: ['supplier-a', 'dcc'],
        rule: "the premise's Supplier (with a device it may act on), or the DCC (meterops' own rule)",
      };
    },
  },
  {
    op: 'PUT /v1/premises/{id}/wan-status',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'PUT', url: `/v1/premises/${(await w.premiseOf(w.ids.vendEsme)).id}/wan-status`, payload: { hubWan: 'intermittent' } },
      rightful: ['supplier-a', 'dcc'],
      rule: "the premise's Supplier, or the DCC (meterops' own rule)",
    }),
  },
  {
    op: 'PUT /v1/wan-coverage',
    permission: 'operate',
    prepare: async () => ({
      request: { method: 'PUT', url: '/v1/wan-coverage', payload: { rows: [{ postcode: 'CF10 1AA', coverage: 'covered' }] } },
      rightful: ['dcc'],
      rule: 'the DCC keeps the WAN coverage table (its SR 12.1 WAN matrix)',
    }),
  },
  {
    op: 'POST /v1/vulnerabilities',
    permission: 'operate',
    prepare: async (w) => ({
      request: (p) => ({
        method: 'POST',
        url: '/v1/vulnerabilities',
        payload: { title: `Found by ${p}`, manufacturer: w.ids.meter.manufacturer, component: 'user_systems_software', awareAt: w.clock.now.toISOString() },
      }),
      rightful: usersAndDcc(w),
      once: false,
      rule: 'every User (SEC Section G) and the DCC records what it became aware of; the SSC and a manufacturer are no Users',
    }),
  },
  {
    op: 'POST /v1/vulnerabilities/{id}/awareness',
    permission: 'operate',
    prepare: async (w) => {
      const r = await recordVulnerability(w.deps, await w.party('supplier-a'), {
        title: 'Shared by id',
        manufacturer: w.ids.meter.manufacturer,
        component: 'user_systems_software',
        awareAt: w.clock.now,
      });
      return {
        request: { method: 'POST', url: `/v1/vulnerabilities/${r.vulnerability.id}/awareness`, payload: { basis: 'acknowledged' } },
        rightful: usersAndDcc(w).filter((p) => p !== 'supplier-a'),
        once: false,
        // The recorder is aware already (409); the SSC and a manufacturer are no Users (403).
        refused: (res) => res.statusCode === 403 || (res.statusCode === 409 && res.json().rule === 'already-aware'),
        rule: "a User (or the DCC) acknowledges its own awareness (G3.17), never another party's",
      };
    },
  },
  {
    op: 'POST /v1/vulnerabilities/{id}/materiality',
    permission: 'operate',
    prepare: async (w) => {
      const r = await recordVulnerability(w.deps, await w.party('supplier-a'), {
        title: 'Judged by its User',
        manufacturer: w.ids.meter.manufacturer,
        component: 'user_systems_software',
        awareAt: w.clock.now,
      });
      return {
        request: { method: 'POST', url: `/v1/vulnerabilities/${r.vulnerability.id}/materiality`, payload: { material: true, reason: 'head-end exposed' } },
        rightful: ['supplier-a'],
        // A party not aware of it is told to become aware first (409); the SSC and a manufacturer are no Users (403).
        refused: (res) => res.statusCode === 403 || (res.statusCode === 409 && res.json().rule === 'aware-first'),
        rule: 'the aware party judges materiality for itself (G3.17 "material")',
      };
    },
  },
  {
    op: 'POST /v1/arrangements',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: '/v1/arrangements', payload: { manufacturer: w.ids.meter.manufacturer, g321Exemption: false } },
      rightful: usersAndDcc(w),
      once: false,
      rule: "G3.20 arrangements are a User's own (the DCC's too); the SSC and a manufacturer hold none",
    }),
  },
  {
    op: 'POST /v1/duties/{id}/done',
    permission: 'operate',
    prepare: async (w) => {
      const r = await recordVulnerability(w.deps, await w.party('supplier-a'), {
        title: 'Keypad overflow',
        manufacturer: w.ids.meter.manufacturer,
        models: [w.ids.meter.model],
        component: 'smart_metering_system',
        deviceTypes: ['ESME'],
        awareAt: w.clock.now,
      });
      const duty = r.duties.find((d) => d.partyId === 'supplier-a' && d.duty === 'notify_ssc')!;
      w.ctx.set('manufacturer-duty', r.duties.find((d) => d.partyId === 'supplier-a' && d.duty === 'notify_manufacturer')!.id);
      return {
        request: { method: 'POST', url: `/v1/duties/${duty.id}/done`, payload: { evidence: 'letter ref 1', steps: 'firmware update', completeBy: '2030-01-01T00:00:00Z' } },
        rightful: ['supplier-a'],
        rule: 'the party a duty falls on (SEC G3.17-G3.20)',
      };
    },
  },
  {
    op: 'POST /v1/duties/{id}/exempt',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: `/v1/duties/${w.ctx.get('manufacturer-duty') as string}/exempt`, payload: { reason: 'the manufacturer published it' } },
      rightful: ['supplier-a'],
      rule: 'the party the manufacturer notice falls on (SEC G3.19)',
    }),
  },
  {
    op: 'POST /v1/command-requests',
    variant: 'disable_supply to an ESME',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: '/v1/command-requests', payload: { commandType: 'disable_supply', target: w.ids.vendEsme } },
      rightful: ['supplier-a'],
      rule: "the ESME's Supplier of record as Import Supplier (GBCS ECS43)",
    }),
  },
  {
    op: 'POST /v1/command-requests',
    variant: 'disable_supply to a GSME',
    permission: 'operate',
    prepare: async () => ({
      request: { method: 'POST', url: '/v1/command-requests', payload: { commandType: 'disable_supply', target: GSME_A } },
      rightful: ['supplier-a'],
      rule: "the GSME's Supplier of record as Gas Supplier (GBCS GCS32)",
    }),
  },
  {
    op: 'POST /v1/command-requests',
    variant: 'credential_replacement on an ESME',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: '/v1/command-requests', payload: { commandType: 'credential_replacement', target: w.ids.vendEsme } },
      rightful: ['supplier-a', w.dnoOf((await w.premiseOf(w.ids.vendEsme)).distributorId), 'dcc'],
      once: false,
      rule: "GBCS CS02b: the Supplier of record, the Network Operator of the premise's region, the DCC (ACB cell)",
    }),
  },
  {
    op: 'POST /v1/command-requests',
    variant: 'utrn_vend to an ESME',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: '/v1/command-requests', payload: { commandType: 'utrn_vend', target: w.ids.vendEsme } },
      rightful: ['supplier-a'],
      rule: "the ESME's Supplier of record as Import Supplier (GBCS CS01a)",
    }),
  },
  {
    op: 'POST /v1/command-requests',
    variant: 'hht_work_order for a premise',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: '/v1/command-requests', payload: { commandType: 'hht_work_order', target: w.ids.noWan[0]!.premiseId } },
      rightful: ['supplier-a'],
      rule: "the premise's Supplier (meterops' own rule: a work order is a Supplier's)",
    }),
  },
  {
    op: 'POST /v1/command-requests/release',
    permission: 'requests.release',
    prepare: async (w) => {
      // Past the limit of 3 an hour (the world's policy), supplier-a's planner has held requests.
      for (let i = 0; i < 4; i++) await submitCommandRequest(w.deps, await w.party('supplier-a'), 'planner', { commandType: 'disable_supply', target: ALERT_ESME_A });
      return {
        request: { method: 'POST', url: '/v1/command-requests/release', payload: { commandType: 'disable_supply' } },
        rightful: ['supplier-a'],
        rule: 'a second person of the party whose requests are held (the request names no party: each releases only its own)',
        // Another party has nothing of its own held: 422 nothing-held, and supplier-a's stay held.
        refused: (r) => [403, 404].includes(r.statusCode) || (r.statusCode === 422 && r.json().rule === 'nothing-held'),
      };
    },
  },
  {
    op: 'POST /v1/vends',
    permission: 'operate',
    prepare: async (w) => ({
      request: (p) => ({
        method: 'POST',
        url: '/v1/vends',
        headers: { 'idempotency-key': `xp-${p}` },
        payload: { kind: 'credit', deviceEui: w.ids.vendEsme, value: 5, valueClass: 'pounds' },
      }),
      rightful: ['supplier-a'],
      rule: "the meter's Supplier of record (its prepayment key: GBCS UTRN)",
    }),
  },
  {
    op: 'POST /v1/work-orders',
    permission: 'operate',
    prepare: async (w) => ({
      request: { method: 'POST', url: '/v1/work-orders', payload: { premiseId: w.ids.noWan[0]!.premiseId, commands: [{ deviceEui: w.ids.noWan[0]!.esme, useCase: 'ECS45' }] } },
      rightful: ['supplier-a'],
      rule: "the premise's Supplier, for meters it supplies there",
    }),
  },
  {
    op: 'POST /v1/work-orders/{id}/assignment',
    permission: 'operate',
    prepare: async (w) => {
      const { order } = await createWorkOrder(w.deps, await w.party('supplier-a'), 'planner', {
        premiseId: w.ids.noWan[0]!.premiseId,
        commands: [{ deviceEui: w.ids.noWan[0]!.esme, useCase: 'ECS45' }],
      });
      return {
        request: { method: 'POST', url: `/v1/work-orders/${order.id}/assignment`, payload: { assignee: 'alice.supplier-a' } },
        rightful: ['supplier-a'],
        rule: "the order's Supplier",
      };
    },
  },
  {
    op: 'POST /v1/work-orders/{id}/pull',
    permission: 'work_orders.pull',
    prepare: async (w) => {
      const { order } = await createWorkOrder(w.deps, await w.party('supplier-a'), 'planner', {
        premiseId: w.ids.noWan[0]!.premiseId,
        commands: [{ deviceEui: w.ids.noWan[0]!.esme, useCase: 'ECS45' }],
      });
      return { request: { method: 'POST', url: `/v1/work-orders/${order.id}/pull`, payload: { hht: HHT } }, rightful: ['supplier-a'], rule: "the order's Supplier" };
    },
  },
  {
    op: 'POST /v1/hht/uploads',
    permission: 'work_orders.push',
    prepare: async (w) => {
      const supplier = await w.party('supplier-a');
      const { noWan } = w.ids;
      const { order } = await createWorkOrder(w.deps, supplier, 'planner', { premiseId: noWan[1]!.premiseId, commands: [{ deviceEui: noWan[1]!.esme, useCase: 'ECS45' }] });
      const pkg = await pullWorkOrder(w.deps, supplier, 'engineer', order.id, HHT);
      const ports = new SimulatedPorts(worldOf(w.deps), w.deps);
      const port: DevicePort = { openJoinWindow: (d) => ports.openJoinWindow(d), pair: (d, h, a) => ports.pair(d, h, fromHex(a)), send: (d, h, f) => ports.send(d, h, fromHex(f)) };
      const records = await runVisit(pkg, port, { now: () => w.clock.now });
      return {
        request: { method: 'POST', url: '/v1/hht/uploads', payload: { responses: uploadRows({ ...pkg, visit: { records } }) } },
        rightful: ['supplier-a'],
        rule: "the order's Supplier (SRV 8.13 is the User's)",
        // An upload answers a result per row: a row naming another party's order is rejected as a missing one is.
        accepted: (r) => r.statusCode === 200 && r.json().recorded > 0,
        refused: (r) => [403, 404].includes(r.statusCode) || (r.statusCode === 200 && r.json().recorded === 0 && r.json().duplicate === 0),
      };
    },
  },
  {
    op: 'POST /v1/hht/upload-jobs',
    permission: 'work_orders.push',
    prepare: async (w) => {
      const supplier = await w.party('supplier-a');
      const { noWan } = w.ids;
      const { order } = await createWorkOrder(w.deps, supplier, 'planner', { premiseId: noWan[0]!.premiseId, commands: [{ deviceEui: noWan[0]!.esme, useCase: 'ECS45' }] });
      const pkg = await pullWorkOrder(w.deps, supplier, 'engineer', order.id, HHT);
      const ports = new SimulatedPorts(worldOf(w.deps), w.deps);
      const port: DevicePort = { openJoinWindow: (d) => ports.openJoinWindow(d), pair: (d, h, a) => ports.pair(d, h, fromHex(a)), send: (d, h, f) => ports.send(d, h, fromHex(f)) };
      const records = await runVisit(pkg, port, { now: () => w.clock.now });
      return {
        request: { method: 'POST', url: '/v1/hht/upload-jobs', payload: { responses: uploadRows({ ...pkg, visit: { records } }) } },
        rightful: ['supplier-a'],
        rule: "the order's Supplier: an upload job naming none of the caller's orders is refused as missing, and no job is written",
        accepted: (r) => r.statusCode === 202,
      };
    },
  },
  {
    op: 'POST /v1/device-alerts',
    permission: 'operate',
    prepare: async (w) => {
      const device = (await worldOf(w.deps).loadDevice(w.store.read, ALERT_ESME_A)).device as Esme;
      const frame = toHex(device.alert(0x81c4, (await w.party('supplier-a')).eui!, w.clock.now));
      return { request: { method: 'POST', url: '/v1/device-alerts', payload: { frame } }, rightful: await deviceParties(w, ALERT_ESME_A), rule: DEVICE_RULE };
    },
  },
];
