import type { Eui } from '../domain/eui.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../domain/errors.ts';
import type { Installation, NewDevice, Party, PartyRole, Premise } from '../domain/index.ts';
import { CommsHub } from './devices/comms-hub.ts';
import { faultOf } from './devices/faults.ts';
import type { SLOT } from './devices/fleet.ts';
import { Fleet, MAX_FLEET_PREMISES } from './devices/fleet.ts';
import type { FleetParty } from './devices/fleet-parties.ts';
import type { DeviceReply } from './devices/simulated-device.ts';
import { ROLE } from '../gbcs/payloads/credentials.ts';
import type { PremiseWanStatus } from '../domain/index.ts';
import type { SimFleetRates } from '../store/ports.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { audit } from '../services/audit.ts';
import { fleetId, type SimulatedWorld } from './simulated-world.ts';

const CHUNK = 2_000;
const partyId = (tag: string, p: FleetParty) =>
  `sim-${tag.toLowerCase()}-${p.name
    .toLowerCase()
    .replace(/^simulated /, '')
    .replace(/[^a-z0-9]+/g, '-')}`;

function registryRole(p: FleetParty): PartyRole {
  if (p.role === ROLE.supplier) return 'supplier';
  if (p.role === ROLE.networkOperator) return 'network_operator';
  return 'dcc';
}

/** What a generated fleet's rates may be: each a share of premises from 0 to 1. */
const RATE_NAMES = ['noWanRate', 'intermittentWanRate', 'prepaymentRate', 'gasRate'] as const;

/**
 * How the fleet's parties are registered, where not as `sim-TAG-NAME`: a demo names the fleet's
 * Suppliers and Network Operators after parties people know (`supplier-a`, `dno-12`). A party that
 * exists already is used as it is (its EUI must be the fleet party's, whose keys the fleet holds).
 */
export type FleetPartyNaming = (party: {
  readonly eui: Eui;
  readonly kind: 'map' | 'supplier' | 'network_operator' | 'dcc';
  readonly index: number;
  readonly distributorId: number | null;
}) => { readonly id: string; readonly name: string } | undefined;

export interface FleetGeneration extends SimFleetRates {
  readonly premises: number;
  readonly seed: string;
  readonly naming?: FleetPartyNaming;
}

export interface FleetSummary {
  readonly id: string;
  readonly seed: string;
  readonly premises: number;
  readonly devices: number;
  readonly noWanPremises: number;
  readonly prepaymentPremises: number;
}

/**
 * Generates a simulated fleet and stores it in one transaction: its parties, premises, devices
 * (commissioned, installed, owned by the fleet's MAP) and which hub serves which device. The
 * devices' keys and state are not stored: the seed regenerates them.
 */
export async function generateFleet(deps: ServiceDeps, actor: Party, opts: FleetGeneration, onProgress: (done: number, total: number) => void = () => {}): Promise<FleetSummary> {
  if (actor.role !== 'dcc') throw new ForbiddenError('generate-fleet', 'only the DCC party generates simulated fleets');
  if (!Number.isInteger(opts.premises) || opts.premises < 1 || opts.premises > MAX_FLEET_PREMISES) {
    throw new ValidationError('premises', 'fleet-size', `premises must be a whole number from 1 to ${MAX_FLEET_PREMISES}`);
  }
  if (!/^[\w.-]{1,64}$/.test(opts.seed)) throw new ValidationError('seed', 'fleet-seed', 'the seed is 1 to 64 letters, digits, dots, dashes or underscores');
  const rates: SimFleetRates = {};
  for (const name of RATE_NAMES) {
    const r = opts[name];
    if (r === undefined) continue;
    if (!Number.isFinite(r) || r < 0 || r > 1) throw new ValidationError(name, 'fleet-rate', `${name} is a share of premises from 0 to 1, got ${r}`);
    Object.assign(rates, { [name]: r });
  }
  if ((rates.noWanRate ?? 0) + (rates.intermittentWanRate ?? 0) > 1) {
    throw new ValidationError('noWanRate', 'fleet-rate', 'noWanRate and intermittentWanRate together are at most 1');
  }
  const fleet = new Fleet({ premises: opts.premises, seed: opts.seed, ...rates });
  const id = fleetId(fleet.tag);
  const now = deps.clock();
  const naming = opts.naming ?? (() => undefined);
  return deps.store.transaction(async (tx) => {
    if ((await tx.simulation.fleets()).some((f) => f.seed === opts.seed)) throw new ConflictError('fleet-seed', `a fleet with seed "${opts.seed}" exists already`, 'seed');
    if (await tx.simulation.fleet(id))
      throw new ConflictError('fleet-tag', `seed "${opts.seed}" gives tag ${fleet.tag}, which fleet ${id} has already: choose another seed`, 'seed');
    await tx.simulation.insertFleet({ id, seed: opts.seed, premises: opts.premises, rates });
    // A party named by the caller may exist already; one of the fleet's own must not.
    const register = async (p: Party, named: boolean): Promise<string> => {
      const existing = await tx.parties.get(p.id);
      if (!existing) await tx.parties.insert(p);
      else if (!named) throw new ConflictError('party-exists', `party ${p.id} exists already`, 'seed');
      else if (p.eui !== null && existing.eui !== p.eui) {
        throw new ConflictError('party-eui', `party ${p.id} has EUI ${existing.eui ?? 'none'}, not the fleet's ${p.eui}, so it holds none of the fleet's keys`, 'naming');
      }
      return p.id;
    };
    const mapName = naming({ eui: `${fleet.tag}FFFF00000000` as Eui, kind: 'map', index: 0, distributorId: null });
    const mapId = await register(
      { id: mapName?.id ?? `sim-${fleet.tag.toLowerCase()}-map`, name: mapName?.name ?? `Simulated MAP (${id})`, role: 'meter_asset_provider', eui: null, distributorId: null },
      mapName !== undefined,
    );
    const partyOf = new Map<string, string>();
    for (const p of fleet.parties.all) {
      const role = registryRole(p);
      const kind = role === 'supplier' ? 'supplier' : role === 'network_operator' ? 'network_operator' : 'dcc';
      const named = naming({ eui: p.eui, kind, index: fleet.parties.suppliers.indexOf(p), distributorId: p.distributorId ?? null });
      const pid = await register(
        { id: named?.id ?? partyId(fleet.tag, p), name: named?.name ?? `${p.name} (${id})`, role, eui: p.eui, distributorId: p.distributorId ?? null },
        named !== undefined,
      );
      partyOf.set(p.eui, pid);
    }
    const registration = await tx.events.recordRegistration({
      actorPartyId: actor.id,
      at: now,
      deviceCount: fleet.deviceCount,
      source: `simulated fleet ${id} (seed ${opts.seed})`,
    });
    let noWan = 0;
    let prepayment = 0;
    for (let start = 0; start < opts.premises; start += CHUNK) {
      const premises: Premise[] = [];
      const devices: NewDevice[] = [];
      const installs: Installation[] = [];
      const wan: PremiseWanStatus[] = [];
      for (let i = start; i < Math.min(start + CHUNK, opts.premises); i++) {
        const p = fleet.premise(i);
        if (p.wan === 'none') noWan++;
        if (p.paymentMode === 'prepayment') prepayment++;
        const premiseId = `${id}-p${i}`;
        // Install-and-leave: the hub never reached the WAN; spread the start of the clocks over
        // the last four months so the visit queue has premises in every state.
        const lostDaysAgo = (i * 37) % 120;
        wan.push({
          premiseId,
          hubWan: p.wan === 'none' ? 'no-wan' : p.wan === 'intermittent' ? 'intermittent' : 'connected',
          wanLostAt: p.wan === 'covered' ? null : new Date(now.getTime() - lostDaysAgo * 86_400_000),
          paymentMode: p.paymentMode,
          creditPence: null,
          supply: 'enabled',
          statusAt: now,
          updatedAt: now,
        });
        const supplier = partyOf.get(p.supplier)!;
        premises.push({
          id: premiseId,
          mpan: p.mpan,
          mprn: p.mprn as Premise['mprn'],
          postcode: p.postcode,
          distributorId: p.distributorId,
          supplierPartyId: supplier,
          createdAt: now,
        });
        for (const [slot, eui] of Object.entries(p.devices) as Array<[keyof typeof SLOT, Eui]>) {
          const m = fleet.modelOf(slot, eui);
          devices.push({
            eui,
            type: m.type,
            smetsGeneration: m.smetsGeneration,
            manufacturer: m.manufacturer,
            model: m.model,
            firmwareVersion: m.firmwareVersion,
            inventoryStatus: 'Commissioned',
            assetStatus: 'in_field',
            ownerPartyId: mapId,
            supplierPartyId: supplier,
            custodianPartyId: supplier,
          });
          installs.push({ premiseId, deviceEui: eui, hubEui: slot === 'CHF' ? null : p.devices.CHF!, installedAt: now });
        }
      }
      await tx.premises.insertMany(premises);
      await tx.devices.insertMany(devices, now, registration);
      await tx.devices.assignPremises(
        installs.map((x) => ({ eui: x.deviceEui, premiseId: x.premiseId })),
        now,
      );
      await tx.premises.installMany(installs);
      await tx.wan.upsertStatus(wan);
      onProgress(Math.min(start + CHUNK, opts.premises), opts.premises);
    }
    await audit(tx, now, actor.id, 'fleet.generated', `fleet/${id}`, { seed: opts.seed, premises: opts.premises, devices: fleet.deviceCount });
    deps.log.info({ fleet: id, premises: opts.premises, devices: fleet.deviceCount }, 'simulated fleet generated');
    return { id, seed: opts.seed, premises: opts.premises, devices: fleet.deviceCount, noWanPremises: noWan, prepaymentPremises: prepayment };
  });
}

/** Delivers one frame to a simulated device, as a local port would, and saves what changed. */
export async function sendToDevice(world: SimulatedWorld, deps: ServiceDeps, eui: Eui, frame: Uint8Array, at?: Date): Promise<DeviceReply> {
  return deps.store.transaction(async (tx) => {
    const { device, fleetId: id } = await world.loadDevice(tx, eui);
    const now = at ?? deps.clock();
    const reply = device.receive(frame, now);
    await tx.simulation.saveDeviceState(eui, id, device.exportState(), now);
    await audit(
      tx,
      now,
      'dcc-simulation',
      'sim.frame_delivered',
      `device/${eui}`,
      reply.accepted ? { accepted: true, useCase: reply.useCase } : { accepted: false, reason: reply.reason },
    );
    return reply;
  });
}

export async function showFleetDevice(world: SimulatedWorld, deps: ServiceDeps, eui: Eui): Promise<Record<string, unknown>> {
  const { fleet, device } = await world.loadDevice(deps.store.read, eui);
  const at = fleet.locate(eui)!;
  const premise = fleet.premise(at.premise);
  return {
    eui,
    type: device.model.type,
    model: `${device.model.manufacturer} ${device.model.model} ${device.model.firmwareVersion}`,
    factoryReset: device.model.factoryReset,
    premise: { ...premise, wan: device instanceof CommsHub ? device.wan : premise.wan },
    diagnosis: faultOf(fleet.options.seed, eui, device.model),
    state: device.snapshot(),
  };
}
