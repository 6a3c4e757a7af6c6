import { createHash } from 'node:crypto';
import { KeyCodec } from './key-codec.ts';
import type { Eui } from '../../domain/eui.ts';
import { DNO_REGIONS } from '../../domain/dno-regions.ts';
import { makeMpanCore, type MpanCore } from '../../domain/mpan.ts';
import { CELL_USAGE_PREPAYMENT, ROLE } from '../../gbcs/payloads/credentials.ts';
import { CommsHub, GasProxy, type WanStatus } from './comms-hub.ts';
import { deriveKeyPair } from './derived-keys.ts';
import { modelFor, type DeviceModelSpec } from './device-model.ts';
import { Esme } from './esme.ts';
import { FleetParties, simSubjectKeyId, type FleetParty } from './fleet-parties.ts';
import { Gsme } from './gsme.ts';
import { Ppmid } from './ppmid.ts';
import { SeededRandom } from './seeded-random.ts';
import type { DeviceKeys, SimulatedDevice } from './simulated-device.ts';

export interface FleetOptions {
  readonly premises: number;
  readonly seed: string;
  /** Share of premises with no WAN coverage (about 0.7% [DCC coverage about 99.3% against a 99.25% obligation, parliamentary answers]) and with intermittent WAN (3%, a meterops default). */
  readonly noWanRate?: number;
  readonly intermittentWanRate?: number;
  readonly prepaymentRate?: number;
  readonly gasRate?: number;
}

/** Hard limit on one fleet (a client controls N). */
export const MAX_FLEET_PREMISES = 2_000_000;

/** Slots of a premise's devices; a device's EUI encodes its premise and slot. */
export const SLOT = { CHF: 0, GPF: 1, ESME: 2, GSME: 3, PPMID: 4 } as const;
type SlotName = keyof typeof SLOT;
const SLOT_NAMES = Object.keys(SLOT) as SlotName[];
const WAN: readonly WanStatus[] = ['covered', 'intermittent', 'none'];
const POSTCODES: Readonly<Record<number, readonly string[]>> = {
  10: ['CB2 1TN', 'NR1 3JU', 'IP1 2BX'],
  11: ['NG1 5FS', 'LE1 6ZG'],
  12: ['SW1A 1AA', 'EC1A 1BB', 'N1 9GU'],
  13: ['L1 8JQ', 'LL57 2DG'],
  14: ['B1 1BB', 'CV1 5FB'],
  15: ['NE1 7RU', 'DH1 3LE'],
  16: ['M1 1AE', 'PR1 2HE'],
  17: ['AB10 1AB', 'IV1 1HY'],
  18: ['EH1 1YZ', 'G1 1XQ'],
  19: ['BN1 1AA', 'CT1 2EH'],
  20: ['SO14 7DW', 'RG1 1AZ'],
  21: ['CF10 1EP', 'SA1 1NW'],
  22: ['BS1 4DJ', 'EX1 1HS'],
  23: ['LS1 4DY', 'S1 2HE'],
};

export interface SimPremise {
  readonly index: number;
  readonly mpan: MpanCore;
  readonly mprn: string | null;
  readonly postcode: string;
  readonly distributorId: number;
  readonly wan: WanStatus;
  readonly paymentMode: 'credit' | 'prepayment';
  readonly supplier: Eui;
  readonly devices: Readonly<Partial<Record<SlotName, Eui>>>;
}

/**
 * A simulated fleet: N premises across the 14 DNO regions, deterministic from a seed. Premises are
 * held compactly (a few bytes each); a premise's devices are built, with their keys and cells, the
 * first time one of them is used, so a national-scale fleet fits in one process while every
 * device still checks real signatures and MACs when asked.
 */
export class Fleet {
  readonly parties: FleetParties;
  readonly tag: string;
  readonly #secret: string;
  readonly #region: Uint8Array;
  readonly #flags: Uint8Array; // bits: 0-1 WAN, 2 prepayment, 3 gas, 4 supplier B
  readonly #postcode: Uint8Array;
  readonly #live = new Map<number, Map<SlotName, SimulatedDevice>>();
  /** Key and certificate conversions shared by the fleet's devices. */
  readonly codec = new KeyCodec();
  readonly deviceCount: number;

  constructor(readonly options: FleetOptions) {
    if (!Number.isInteger(options.premises) || options.premises < 1 || options.premises > MAX_FLEET_PREMISES) {
      throw new RangeError(`premises must be a whole number from 1 to ${MAX_FLEET_PREMISES}`);
    }
    this.#secret = `meterops-sim/${options.seed}`;
    this.tag = createHash('sha256').update(this.#secret).digest('hex').slice(0, 4).toUpperCase();
    this.parties = new FleetParties(this.#secret, this.tag);
    const n = options.premises;
    this.#region = new Uint8Array(n);
    this.#flags = new Uint8Array(n);
    this.#postcode = new Uint8Array(n);
    const rng = new SeededRandom(`${this.#secret}/premises`);
    const noWan = options.noWanRate ?? 0.007;
    const intermittent = options.intermittentWanRate ?? 0.03;
    let devices = 0;
    for (let p = 0; p < n; p++) {
      const region = DNO_REGIONS[rng.int(DNO_REGIONS.length)]!.distributorId;
      const w = rng.next();
      const wan = w < noWan ? 2 : w < noWan + intermittent ? 1 : 0;
      const prepay = rng.chance(options.prepaymentRate ?? 0.15) ? 1 : 0;
      const gas = rng.chance(options.gasRate ?? 0.8) ? 1 : 0;
      const supplierB = rng.chance(0.5) ? 1 : 0;
      this.#region[p] = region;
      this.#flags[p] = wan | (prepay << 2) | (gas << 3) | (supplierB << 4);
      this.#postcode[p] = rng.int(256);
      devices += 2 + gas * 2 + prepay;
    }
    this.deviceCount = devices;
  }

  get premiseCount(): number {
    return this.#region.length;
  }

  #slots(p: number): SlotName[] {
    const f = this.#flags[p]!;
    const gas = (f >> 3) & 1;
    return SLOT_NAMES.filter((s) => (s === 'GPF' || s === 'GSME' ? gas : s === 'PPMID' ? (f >> 2) & 1 : 1));
  }

  euiOf(p: number, slot: SlotName): Eui {
    return `${this.tag}${(p * 8 + SLOT[slot]).toString(16).toUpperCase().padStart(12, '0')}` as Eui;
  }

  /** Which premise and slot an EUI names, if it belongs to this fleet. */
  locate(eui: Eui): { premise: number; slot: SlotName } | undefined {
    if (!eui.startsWith(this.tag)) return undefined;
    const n = parseInt(eui.slice(4), 16);
    const premise = Math.floor(n / 8);
    const slot = SLOT_NAMES.find((s) => SLOT[s] === n % 8);
    if (!slot || premise >= this.premiseCount || !this.#slots(premise).includes(slot)) return undefined;
    return { premise, slot };
  }

  premise(p: number): SimPremise {
    if (!Number.isInteger(p) || p < 0 || p >= this.premiseCount) throw new RangeError(`no premise ${p} in a fleet of ${this.premiseCount}`);
    const f = this.#flags[p]!;
    const d = this.#region[p]!;
    const pcs = POSTCODES[d]!;
    return {
      index: p,
      // Part of the fleet tag goes into the numbers, so that fleets can share one registry.
      mpan: makeMpanCore(d, (parseInt(this.tag, 16) % 1000) * 10_000_000 + p),
      mprn: (f >> 3) & 1 ? String(1_000_000_000 + (parseInt(this.tag, 16) % 100) * 10_000_000 + p) : null,
      postcode: pcs[this.#postcode[p]! % pcs.length]!,
      distributorId: d,
      wan: WAN[f & 3]!,
      paymentMode: (f >> 2) & 1 ? 'prepayment' : 'credit',
      supplier: this.parties.suppliers[(f >> 4) & 1]!.eui,
      devices: Object.fromEntries(this.#slots(p).map((s) => [s, this.euiOf(p, s)])),
    };
  }

  /** The device with this EUI, built (with the rest of its premise) on first use. */
  device(eui: Eui): SimulatedDevice | undefined {
    const at = this.locate(eui);
    return at && this.#premiseDevices(at.premise).get(at.slot);
  }

  /** Devices built so far (the rest exist only as their premise's few bytes). */
  get liveDevices(): number {
    let n = 0;
    for (const m of this.#live.values()) n += m.size;
    return n;
  }

  // Derived key pairs, remembered (bounded): a device rebuilt from the seed, and the platform's view
  // of its public keys, need not derive them again.
  readonly #keys = new Map<Eui, DeviceKeys>();

  deviceKeys(eui: Eui): DeviceKeys {
    let k = this.#keys.get(eui);
    if (!k) {
      k = { ds: deriveKeyPair(this.#secret, `${eui}/ds`), ka: deriveKeyPair(this.#secret, `${eui}/ka`) };
      if (this.#keys.size >= 50_000) this.#keys.delete(this.#keys.keys().next().value!);
      this.#keys.set(eui, k);
    }
    return k;
  }

  modelOf(slot: SlotName, eui: Eui): DeviceModelSpec {
    // One hub in five is the model that cannot be factory reset (seed 000).
    if (slot === 'CHF') return modelFor('CHF', parseInt(eui.slice(-3), 16) % 5 === 0 ? 'NW-SB2' : 'CH-DB1');
    return modelFor(slot);
  }

  #premiseDevices(p: number): Map<SlotName, SimulatedDevice> {
    const live = this.#live.get(p);
    if (live) return live;
    const info = this.premise(p);
    const devices = new Map<SlotName, SimulatedDevice>();
    for (const slot of this.#slots(p)) {
      const eui = this.euiOf(p, slot);
      const model = this.modelOf(slot, eui);
      const keys = () => this.deviceKeys(eui);
      const device =
        slot === 'CHF'
          ? new CommsHub(eui, model, keys, this.codec)
          : slot === 'GPF'
            ? new GasProxy(eui, model, keys, this.codec)
            : slot === 'ESME'
              ? new Esme(eui, model, keys, this.codec)
              : slot === 'GSME'
                ? new Gsme(eui, model, keys, this.codec)
                : new Ppmid(eui, model, keys, this.codec);
      this.#provision(device, info);
      devices.set(slot, device);
    }
    const hub = devices.get('CHF') as CommsHub;
    hub.wan = info.wan;
    const esme = devices.get('ESME') as Esme;
    esme.paymentMode = info.paymentMode;
    const gsme = devices.get('GSME') as Gsme | undefined;
    const gpf = devices.get('GPF') as GasProxy | undefined;
    const ppmid = devices.get('PPMID') as Ppmid | undefined;
    hub.join(esme);
    if (gsme && gpf) {
      hub.join(gpf);
      gpf.gsme = gsme;
    }
    if (ppmid) {
      hub.join(ppmid);
      ppmid.esme = esme;
      if (gsme) ppmid.pairWithGsme(gsme);
    }
    this.#live.set(p, devices);
    return devices;
  }

  /** Forgets a premise's built devices: the next use builds them afresh from the seed. */
  evict(eui: Eui): void {
    const at = this.locate(eui);
    if (at) this.#live.delete(at.premise);
  }

  evictAll(): void {
    this.#live.clear();
  }

  /** Builds every device of every premise (keys stay lazy): what "holding the fleet" costs. */
  materialiseAll(onProgress: (premisesDone: number) => void = () => {}): number {
    for (let p = 0; p < this.premiseCount; p++) {
      this.#premiseDevices(p);
      if (p % 10_000 === 0) onProgress(p);
    }
    return this.liveDevices;
  }

  readonly #skis = new WeakMap<object, Uint8Array>();

  /** Installs the trust anchors a commissioned SMETS2 device holds for this premise. */
  #provision(device: SimulatedDevice, info: SimPremise): void {
    const ski = (k: FleetParty['ds']['publicKey']) => {
      let v = this.#skis.get(k);
      if (!v) this.#skis.set(k, (v = simSubjectKeyId(k)));
      return v;
    };
    const cell = (party: FleetParty, key: 'ds' | 'ka' | 'ppKa') => ({ partyEui: party.eui, publicKey: party[key]!.publicKey, subjectKeyId: ski(party[key]!.publicKey), floor: 0n });
    const supplier = this.parties.suppliers.find((s) => s.eui === info.supplier)!;
    const no = this.parties.networkOperators.get(info.distributorId)!;
    const a = device.anchors;
    a.set(ROLE.recovery, 'ds', cell(this.parties.recovery, 'ds'));
    a.set(ROLE.acb, 'ds', cell(this.parties.acb, 'ds'));
    a.set(ROLE.acb, 'ka', cell(this.parties.acb, 'ka'));
    a.set(ROLE.transCoS, 'ds', cell(this.parties.transCoS, 'ds'));
    a.set(ROLE.supplier, 'ds', cell(supplier, 'ds'));
    a.set(ROLE.supplier, 'ka', cell(supplier, 'ka'));
    a.set(ROLE.supplier, 'ka', cell(supplier, 'ppKa'), CELL_USAGE_PREPAYMENT);
    a.set(ROLE.networkOperator, 'ds', cell(no, 'ds'));
    a.set(ROLE.networkOperator, 'ka', cell(no, 'ka'));
    if (device instanceof CommsHub) {
      a.set(ROLE.wanProvider, 'ds', cell(this.parties.wanProvider, 'ds'));
      a.set(ROLE.wanProvider, 'ka', cell(this.parties.wanProvider, 'ka'));
    }
  }
}
