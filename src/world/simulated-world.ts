import type { X509Certificate } from 'node:crypto';
import type { Eui } from '../domain/eui.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { withAgreementCache } from '../gbcs/agreement-cache.ts';
import type { KeyUsage } from '../gbcs/key-store.ts';
import type { TestCa } from '../keys/test-pki.ts';
import type { KeySource, PlatformKeys } from '../services/ports/key-source.ts';
import type { DeviceGateway } from '../services/ports/device-gateway.ts';
import type { TriageBench } from '../services/ports/triage-bench.ts';
import type { SimFleetRecord, StoreTx } from '../store/ports.ts';
import { FleetKeyStore } from './devices/fleet-key-store.ts';
import { Fleet } from './devices/fleet.ts';
import type { DeviceState, SimulatedDevice } from './devices/simulated-device.ts';
import { SimulatedSession } from './simulated-session.ts';

export const fleetId = (tag: string) => `fleet-${tag.toLowerCase()}`;

/** How many rebuilt fleets the world keeps (rebuilding a large fleet's premise table costs tens of ms). */
const FLEETS_KEPT = 4;

/** The longest modelled bench step: a full plan (six steps) stays a few seconds at most. */
export const MAX_BENCH_STEP_MS = 1_000;

export interface SimulatedWorldOptions {
  /**
   * How long each step of a bench plan takes when someone watches it step by step (a streamed
   * triage), in ms: meterops' own modelled figure, not a measured one. Default 0 (at once); plans
   * no one watches (batches, the returns year) always run at once.
   */
  readonly benchStepMs?: number;
}

/**
 * The simulated SMETS2 world, as one object built at the composition root: the stored fleets
 * rebuilt from their seeds (their devices' state in the store), the simulation's SMKI (a test CA),
 * and the three ports the platform reaches devices through: a key source, a device gateway
 * standing in for the DCC, and a triage bench. Everything it remembers lives here, not in modules.
 */
export class SimulatedWorld {
  readonly #fleets = new Map<string, Fleet>();
  /** Fleet records found, per transaction or reader (only those found: a fleet may be stored later). */
  readonly #records = new WeakMap<StoreTx, Map<string, SimFleetRecord>>();
  readonly #platformKeys = new WeakMap<Fleet, Promise<PlatformKeys>>();
  #ca: Promise<TestCa> | undefined;
  #benchStepMs: number;

  constructor(options: SimulatedWorldOptions = {}) {
    this.#benchStepMs = 0;
    this.setBenchStepMs(options.benchStepMs ?? 0);
  }

  /** How long each step of a watched bench plan takes (meterops' modelled figure for the simulated bench). */
  get benchStepMs(): number {
    return this.#benchStepMs;
  }

  /** Sets the modelled step duration: whole milliseconds, 0 to MAX_BENCH_STEP_MS. */
  setBenchStepMs(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_BENCH_STEP_MS)
      throw new ValidationError('benchStepMs', 'bench-step-ms', `a bench step takes 0 to ${MAX_BENCH_STEP_MS} whole milliseconds (got ${String(ms)})`);
    this.#benchStepMs = ms;
  }

  /** The simulation's SMKI: certifies the fleet parties' and devices' keys on demand. */
  ca(): Promise<TestCa> {
    // The X.509 library is loaded the first time the CA is needed, not when a command starts.
    return (this.#ca ??= import('../keys/test-pki.ts').then((m) => m.TestCa.create()));
  }

  /** The stored simulated fleet an EUI's tag names, rebuilt from its seed (kept while in use), if any. */
  async storedFleet(tx: StoreTx, eui: Eui): Promise<{ fleet: Fleet; fleetId: string } | undefined> {
    // A stored fleet never changes, so within one transaction (or on one store's reader) it is
    // read once per tag, not once per device: an upload of 1,000 responses asked 1,000 times.
    const id = fleetId(eui.slice(0, 4));
    let known = this.#records.get(tx);
    if (!known) this.#records.set(tx, (known = new Map()));
    let record = known.get(id);
    if (!record) {
      record = await tx.simulation.fleet(id);
      if (!record) return undefined;
      known.set(id, record);
    }
    const key = `${record.seed}/${record.premises}/${JSON.stringify(record.rates)}`;
    let fleet = this.#fleets.get(key);
    if (!fleet) {
      if (this.#fleets.size >= FLEETS_KEPT) this.#fleets.delete(this.#fleets.keys().next().value!);
      this.#fleets.set(key, (fleet = new Fleet({ premises: record.premises, seed: record.seed, ...record.rates })));
    }
    return { fleet, fleetId: record.id };
  }

  async #fleetOf(tx: StoreTx, eui: Eui): Promise<{ fleet: Fleet; fleetId: string }> {
    const f = await this.storedFleet(tx, eui);
    if (!f || !f.fleet.locate(eui)) throw new NotFoundError('simulated device', eui, 'eui');
    return f;
  }

  /** A fresh device object for the EUI, from its fleet's seed, with exactly its saved state. */
  #fresh(fleet: Fleet, eui: Eui, saved: unknown): SimulatedDevice {
    if (fleet.liveDevices > 5_000) fleet.evictAll();
    else fleet.evict(eui);
    const device = fleet.device(eui);
    if (!device) throw new NotFoundError('simulated device', eui, 'eui');
    if (saved) device.restoreState(saved as DeviceState);
    return device;
  }

  async loadDevice(tx: StoreTx, eui: Eui): Promise<{ fleet: Fleet; device: SimulatedDevice; fleetId: string }> {
    const { fleet, fleetId: id } = await this.#fleetOf(tx, eui);
    return { fleet, device: this.#fresh(fleet, eui, await tx.simulation.deviceState(eui)), fleetId: id };
  }

  /** Many devices of one fleet, their states read in one statement (a batch step). */
  async loadDevices(tx: StoreTx, euis: readonly Eui[]): Promise<{ fleet: Fleet; fleetId: string; devices: Map<Eui, SimulatedDevice> }> {
    if (!euis.length) throw new RangeError('no devices to load');
    const { fleet, fleetId: id } = await this.#fleetOf(tx, euis[0]!);
    if (euis.some((e) => e.slice(0, 4) !== euis[0]!.slice(0, 4))) throw new RangeError('a batch loads devices of one fleet');
    const states = await tx.simulation.deviceStates(euis);
    return { fleet, fleetId: id, devices: new Map(euis.map((e) => [e, this.#fresh(fleet, e, states.get(e))])) };
  }

  /** The keys meterops holds for a fleet, playing its DCC and Users: one keystore per fleet, so ECDH results are shared. */
  fleetKeys(fleet: Fleet): Promise<PlatformKeys> {
    let k = this.#platformKeys.get(fleet);
    if (!k) {
      k = this.ca().then((ca) => ({
        keys: withAgreementCache(new FleetKeyStore(fleet, ca)),
        acb: fleet.parties.acb.eui,
        recovery: fleet.parties.recovery.eui,
        certificationPath: async () => [ca.issuingCa.raw],
      }));
      this.#platformKeys.set(fleet, k);
    }
    return k;
  }

  /** The key source: a simulated fleet's keys for its devices, the deployment's keystore for any other. */
  keySource(fallback: KeySource): KeySource {
    return {
      forDevice: async (tx, eui) => {
        const sim = await this.storedFleet(tx, eui);
        return sim ? this.fleetKeys(sim.fleet) : fallback.forDevice(tx, eui);
      },
      // A fleet's parties have certificates from the simulation's CA; any other EUI, the deployment's.
      partyCertificates: async (tx, eui) => {
        const sim = await this.storedFleet(tx, eui);
        if (!sim?.fleet.parties.byEui(eui)) return fallback.partyCertificates ? fallback.partyCertificates(tx, eui) : null;
        const { keys } = await this.fleetKeys(sim.fleet);
        const out: Array<{ usage: KeyUsage; certificate: X509Certificate }> = [];
        for (const usage of ['ds', 'ka', 'pp-ka'] as const) {
          const certificate = await keys.certificate(eui, usage);
          if (certificate) out.push({ usage, certificate });
        }
        return out;
      },
    };
  }

  async #reaches(tx: StoreTx, eui: Eui): Promise<boolean> {
    const sim = await this.storedFleet(tx, eui);
    return sim !== undefined && sim.fleet.locate(eui) !== undefined;
  }

  /** Standing in for the DCC: commands go straight to the simulated device, as the WAN would carry them. */
  gateway(): DeviceGateway {
    return { reaches: (tx, eui) => this.#reaches(tx, eui), open: async (tx, euis) => this.#session(tx, euis) };
  }

  /** Any simulated device can be put on the bench (its local port, diagnostics and factory reset). */
  bench(): TriageBench {
    return { connected: (tx, eui) => this.#reaches(tx, eui), open: async (tx, euis) => this.#session(tx, euis) };
  }

  async #session(tx: StoreTx, euis: readonly Eui[]): Promise<SimulatedSession> {
    const session = new SimulatedSession(tx, (t, e) => this.loadDevice(t, e), this.#benchStepMs);
    const byFleet = new Map<string, Eui[]>();
    for (const e of euis) {
      let group = byFleet.get(e.slice(0, 4));
      if (!group) byFleet.set(e.slice(0, 4), (group = []));
      group.push(e);
    }
    for (const group of byFleet.values()) session.add(await this.loadDevices(tx, group));
    return session;
  }
}
