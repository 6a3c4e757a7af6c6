import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Esme } from '../devices/esme.ts';
import type { SeededRandom } from '../devices/seeded-random.ts';
import { localHanJoin } from './engineering-menu.ts';
import type { PremiseRun } from './premise-run.ts';
import { attempt, done, MechanismRefusal, unsupported, type NoWanTask, type TaskOutcome } from './tasks.ts';

/**
 * Option 5 (the 2012 SDAG paper): an industry-standard optical interface on the meter and a field tool. The
 * port is locked until the tool authenticates (here: HMAC-SHA-256 of the port's challenge under the
 * Supplier's field-tool key); then it accepts configuration (tariff, supply, payment mode, HAN
 * join) unsigned, until it is locked again. A port the engineer leaves enabled accepts anyone's
 * optical head: "If left enabled, would present a significant security risk".
 */
export class OpticalPort {
  state: 'locked' | 'enabled' = 'locked';
  #challenge: Buffer | null = null;

  constructor(
    readonly esme: Esme,
    private readonly toolKey: Buffer,
    private readonly rng: SeededRandom,
  ) {}

  /** The tool's answer to a challenge: what an authorised field tool computes. */
  static respond(toolKey: Buffer, challenge: Buffer): Buffer {
    return createHmac('sha256', toolKey).update(challenge).digest();
  }

  challenge(): Buffer {
    const c = Buffer.alloc(16);
    for (let i = 0; i < 16; i += 4) c.writeUInt32BE(this.rng.int(2 ** 32), i);
    return (this.#challenge = c);
  }

  authenticate(response: Buffer): boolean {
    const c = this.#challenge;
    this.#challenge = null;
    if (!c) return false;
    const want = OpticalPort.respond(this.toolKey, c);
    if (response.length !== want.length || !timingSafeEqual(response, want)) return false;
    this.state = 'enabled';
    return true;
  }

  lock(): void {
    this.state = 'locked';
  }

  #need(): void {
    if (this.state !== 'enabled') throw new MechanismRefusal('the optical interface is locked: authenticate the field tool first');
  }

  programTariff(values: number): number {
    this.#need();
    return values;
  }

  setSupply(state: 'enabled' | 'disabled'): void {
    this.#need();
    this.esme.loadSwitch = state;
  }

  switchToCreditMode(): void {
    this.#need();
    this.esme.paymentMode = 'credit';
  }

  replaceCredentials(): never {
    this.#need();
    throw new MechanismRefusal('the configuration interface takes configuration, not security credentials');
  }

  updateFirmware(): never {
    this.#need();
    throw new MechanismRefusal('the configuration interface takes configuration, not firmware ("Perform installation functions only")');
  }
}

/** The Supplier's field-tool key, from the fleet's seed. */
export function fieldToolKey(seed: string, supplier: string): Buffer {
  return createHmac('sha256', `${seed}/field-tool`).update(supplier).digest();
}

/** Option 5 at one premise: each task a visit; authenticate, configure, lock (or, by `opticalLeftEnabledRate`, forget to). */
export async function runOpticalPort(ctx: PremiseRun): Promise<{ tasks: Record<NoWanTask, TaskOutcome>; leftEnabledVisits: number; port: OpticalPort }> {
  const a = ctx.a;
  const key = fieldToolKey(ctx.fleet.options.seed, ctx.supplier);
  const port = new OpticalPort(ctx.esme, key, ctx.rng);
  let leftEnabled = 0; // visits after which the port was not locked
  const visit = (minutes: number, work: () => TaskOutcome): TaskOutcome =>
    attempt(() => {
      if (!port.authenticate(OpticalPort.respond(key, port.challenge()))) throw new Error('simulation: the field tool failed to authenticate');
      try {
        const r = work();
        return { ...r, visits: 1, hours: a.visitHours + minutes / 60 };
      } finally {
        if (ctx.rng.chance(a.opticalLeftEnabledRate)) leftEnabled++;
        else port.lock();
      }
    });
  const tasks: Record<NoWanTask, TaskOutcome> = {
    installation: { ...visit(0, () => done('run', 0, 0, 'meter fitted; field tool authenticated on the optical interface')), hours: a.installationHours },
    'han-ihd-pairing': localHanJoin(ctx, 'from the field tool'),
    commissioning: a.commissioningNeedsWan
      ? unsupported('assumption', 'commissioningNeedsWan: waits until the hub finds a WAN')
      : done('assumption', 0, 0, 'commissioningNeedsWan is false'),
    'tariff-change': visit(a.opticalTariffMinutes, () => done('run', 0, 0, `${port.programTariff(a.tariffValues)} tariff values programmed by the field tool`)),
    'supply-disable': visit(a.commandMinutes, () => (port.setSupply('disabled'), done('run', 0, 0, 'load switch opened through the port, unsigned'))),
    'supply-enable': visit(a.commandMinutes, () => (port.setSupply('enabled'), done('run', 0, 0, 'load switch closed through the port, unsigned'))),
    'top-up': await ctx.keypadTopUp(),
    'switch-to-credit': visit(a.commandMinutes, () => (ctx.toPrepayment(), port.switchToCreditMode(), done('run', 0, 0, 'payment mode set to credit through the port'))),
    'credential-change': visit(0, () => port.replaceCredentials()),
    firmware: visit(0, () => port.updateFirmware()),
  };
  return { tasks, leftEnabledVisits: leftEnabled, port };
}
