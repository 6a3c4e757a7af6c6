import type { Eui } from '../../domain/eui.ts';
import { buildUseCaseFrame } from '../../gbcs/build-use-case.ts';
import { generateConfigCode, type ConfigAction } from '../../gbcs/config-code.ts';
import type { KeyStore } from '../../gbcs/key-store.ts';
import { ROLE } from '../../gbcs/payloads/credentials.ts';
import type { DeviceSession } from '../../services/ports/device-gateway.ts';
import type { PlatformKeys } from '../../services/ports/key-source.ts';
import { CellCommands } from '../../services/returns/cell-commands.ts';
import { generateUtrn } from '../../gbcs/generate-utrn.ts';
import { UTRN_COUNTER_STEP } from '../../gbcs/utrn.ts';
import type { CommsHub } from '../devices/comms-hub.ts';
import type { Esme } from '../devices/esme.ts';
import type { Fleet, SimPremise } from '../devices/fleet.ts';
import type { Ppmid } from '../devices/ppmid.ts';
import { SeededRandom } from '../devices/seeded-random.ts';
import type { SimClock } from '../devices/sim-clock.ts';
import type { NoWanAssumptions } from './assumptions.ts';
import { done, failed, type TaskOutcome } from './tasks.ts';

/** What a route brings back from the meter for one frame (a device reply, or a local port's). */
export interface RouteAnswer {
  readonly accepted: boolean;
  readonly reason?: string | null;
  readonly detail?: string | null;
}

/**
 * One no-WAN premise of a generated fleet, freshly built from the fleet's seed, as one option finds
 * it: its hub, electricity meter and PPMID, the keys meterops holds for it (playing the Supplier and
 * the DCC), a counter allocator that keeps the platform's rules (UTRNs on exact 2^32 steps, commands
 * above every counter issued), a clock and this premise's own random stream.
 */
export class PremiseRun {
  readonly hub: CommsHub;
  readonly esme: Esme;
  readonly ppmid: Ppmid | undefined;
  readonly rng: SeededRandom;
  #counter = 0n;

  constructor(
    readonly fleet: Fleet,
    readonly premise: SimPremise,
    readonly platform: PlatformKeys,
    readonly clock: SimClock,
    readonly a: NoWanAssumptions,
    stream: string,
  ) {
    // Each option starts from the premise as generated, not as the previous option left it.
    fleet.evict(premise.devices.ESME!);
    this.hub = fleet.device(premise.devices.CHF!) as CommsHub;
    this.esme = fleet.device(premise.devices.ESME!) as Esme;
    this.ppmid = premise.devices.PPMID ? (fleet.device(premise.devices.PPMID) as Ppmid) : undefined;
    this.rng = new SeededRandom(`${fleet.options.seed}/no-wan-options/${stream}/${premise.index}`);
  }

  get keys(): KeyStore {
    return this.platform.keys;
  }

  /** The other Supplier of the fleet: the new holder in a credential change (change of supplier). */
  get otherSupplier(): Eui {
    return this.fleet.parties.suppliers.find((s) => s.eui !== this.supplier)!.eui;
  }

  /**
   * Moves the Supplier cells to the other Supplier with CS02b (mode 2, signed by the present
   * Supplier), as the platform builds it (services/returns/cell-commands.ts), over this route.
   */
  async changeCredentials(deliver: (frame: Uint8Array, now: Date) => RouteAnswer): Promise<{ accepted: boolean; detail: string }> {
    const session: DeviceSession = {
      deliver: async (_d, frame, at) => {
        const r = deliver(frame, at);
        return { accepted: r.accepted, useCase: null, response: null, alert: null, reason: r.reason ?? null, detail: r.detail ?? null };
      },
      close: async () => {},
    };
    const to = this.otherSupplier;
    const r = await new CellCommands(this.platform).handOver(session, this.esme.eui, 'supplier', this.supplier, to, this.nextCommandCounter(), this.clock.now());
    const holder = this.esme.anchors.get(ROLE.supplier, 'ds')?.partyEui;
    if (r.accepted && holder !== to) throw new Error(`simulation: CS02b accepted but the Supplier cell holds ${holder}`);
    return { accepted: r.accepted, detail: r.accepted ? `Supplier cells now ${to}` : `${r.reason}: ${r.detail}` };
  }

  get supplier(): Eui {
    return this.premise.supplier;
  }

  get acb(): Eui {
    return this.fleet.parties.acb.eui;
  }

  /** The counter last issued. */
  get lastCounter(): bigint {
    return this.#counter;
  }

  /** The next command counter: above every one issued for this meter. */
  nextCommandCounter(): bigint {
    return ++this.#counter;
  }

  /** The next UTRN counter: the next exact multiple of 2^32. */
  nextCodeCounter(): bigint {
    this.#counter = ((this.#counter >> 32n) + 1n) * UTRN_COUNTER_STEP;
    return this.#counter;
  }

  /** A command frame as meterops builds it for the DCC (signed when critical, ACB MAC). */
  frame(useCase: string, opts: { value?: number } = {}): Promise<Uint8Array> {
    const topUp = useCase === 'CS01a';
    const counter = topUp ? this.nextCodeCounter() : this.nextCommandCounter();
    return buildUseCaseFrame(this.keys, {
      useCase,
      originator: this.supplier,
      device: this.esme.eui,
      counter,
      acb: this.acb,
      ...(topUp ? { value: opts.value ?? 10, valueClass: 'pounds' as const } : {}),
    });
  }

  /** A UTRN for the consumer to type, from the Supplier's prepayment key. */
  utrn(pounds: number): Promise<string> {
    return generateUtrn(this.keys, { supplier: this.supplier, device: this.esme.eui, counter: this.nextCodeCounter(), value: pounds, valueClass: 'pounds' });
  }

  /** The PPMID as it comes out of its box: not yet in the hub's device log (the fleet generates premises already paired). */
  arriveUnpaired(): void {
    if (this.ppmid) this.hub.remove(this.ppmid.eui);
  }

  /** The task "switch to credit mode" starts from a meter in prepayment mode, whatever the premise's mode. */
  toPrepayment(): void {
    this.esme.paymentMode = 'prepayment';
  }

  /** The consumer types a £10 UTRN on the meter's keypad: works on any SMETS2 meter, WAN or not. */
  async keypadTopUp(): Promise<TaskOutcome> {
    const r = this.esme.enterCode(await this.utrn(10), this.clock.now());
    return r.accepted ? done('run', 0, 0, `UTRN typed by the consumer: ${r.detail}`) : failed('run', 0, 0, `UTRN refused: ${r.detail}`);
  }

  /** A configuration code (the 2012 SDAG paper option 6) for this meter. */
  configCode(action: ConfigAction): Promise<string> {
    return generateConfigCode(this.keys, { supplier: this.supplier, device: this.esme.eui, counter: this.nextCodeCounter(), action });
  }
}
