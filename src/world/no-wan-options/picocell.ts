import type { CommsHub } from '../devices/comms-hub.ts';
import type { SeededRandom } from '../devices/seeded-random.ts';
import type { DeviceReply } from '../devices/simulated-device.ts';
import type { NoWanAssumptions } from './assumptions.ts';
import type { PremiseRun } from './premise-run.ts';
import { done, failed, MechanismRefusal, unsupported, type NoWanTask, type TaskOutcome } from './tasks.ts';

/**
 * Option 3 (the 2012 SDAG paper): the installer brings a temporary GPRS cell. Each set-up attempt takes
 * `picocellSetUpMinutes` and fails with `picocellFailureRate` (this premise's random stream);
 * once up, the hub is on a WAN and commands come from the DCC as they always do: built, signed and
 * MACed by meterops, delivered by the hub, checked by the meter.
 */
export class Picocell {
  up = false;
  attempts = 0;

  constructor(
    readonly hub: CommsHub,
    private readonly a: NoWanAssumptions,
    private readonly rng: SeededRandom,
  ) {}

  /** One attempt at a usable cell; returns whether it came up. */
  setUp(): boolean {
    this.attempts++;
    this.up = !this.rng.chance(this.a.picocellFailureRate);
    if (this.up) this.hub.wan = 'covered';
    return this.up;
  }

  tearDown(): void {
    this.up = false;
    this.hub.wan = 'none';
  }

  /** A DCC command over the temporary WAN: the hub delivers it to the device it is addressed to. */
  deliver(frame: Uint8Array, now: Date): DeviceReply {
    if (!this.up) throw new MechanismRefusal('the temporary cell is not up');
    const d = this.hub.deliver(frame, now);
    if (!d.delivered) throw new MechanismRefusal(`the hub did not deliver: ${d.reason}`);
    return d.reply;
  }
}

/**
 * Option 3 at one premise: each task is a visit with a cell set-up (installation brings pairing and
 * commissioning along); a failed set-up means another visit, up to `picocellMaxVisits`.
 */
export async function runPicocell(ctx: PremiseRun): Promise<Record<NoWanTask, TaskOutcome>> {
  const a = ctx.a;
  const cell = new Picocell(ctx.hub, a, ctx.rng);
  const setUpHours = a.picocellSetUpMinutes / 60;
  /** Visits (the first may be shared with installation) until the cell comes up (or the visits run out), then the work over it. */
  const overCell = async (firstVisitHours: number, work: () => Promise<TaskOutcome>): Promise<TaskOutcome> => {
    let hours = 0;
    for (let v = 1; v <= a.picocellMaxVisits; v++) {
      hours += (v === 1 ? firstVisitHours : a.visitHours) + setUpHours;
      if (cell.setUp()) {
        const r = await work();
        cell.tearDown();
        return { ...r, visits: v, hours: hours + r.hours };
      }
    }
    return failed('run', a.picocellMaxVisits, hours, `no usable cell in ${a.picocellMaxVisits} visits`);
  };
  const command = (useCase: string, check: () => boolean, what: string) =>
    overCell(a.visitHours, async () => {
      const r = cell.deliver(await ctx.frame(useCase), ctx.clock.now());
      if (!r.accepted) return failed('run', 0, 0, `${useCase} refused: ${r.reason}`);
      return check() ? done('run', 0, a.commandMinutes / 60, `${useCase} over the temporary WAN: ${what}`) : failed('run', 0, 0, `${useCase} accepted but ${what} not seen`);
    });
  const unsimulated = (what: string) =>
    a.unsimulatedSignedCommandsCarried
      ? overCell(a.visitHours, async () => done('assumption', 0, a.commandMinutes / 60, `unsimulatedSignedCommandsCarried: ${what} goes over the WAN like any signed command`))
      : Promise.resolve(unsupported('assumption', `unsimulatedSignedCommandsCarried is false: no ${what}`));

  // Installation: the meter is fitted with no cell; pairing and commissioning need the cell.
  const installation = done('run', 1, a.installationHours, 'meter and hub fitted');
  const commissioning = await overCell(0, async () => {
    const r = cell.deliver(await ctx.frame('CS02a'), ctx.clock.now());
    return r.accepted
      ? done('run', 0, a.commandMinutes / 60, "CS02a over the temporary WAN: the DCC read the meter's credentials")
      : failed('run', 0, 0, `CS02a refused: ${r.reason}`);
  });
  // The first attempt shares the installation visit: count its visit once.
  const commissioningShared = commissioning.visits >= 1 ? { ...commissioning, visits: commissioning.visits - 1 } : commissioning;
  ctx.arriveUnpaired();
  const pairing = ctx.ppmid
    ? commissioning.status === 'done'
      ? (ctx.hub.join(ctx.ppmid),
        ctx.hub.deviceLog.has(ctx.ppmid.eui)
          ? done('run', 0, a.commandMinutes / 60, `PPMID ${ctx.ppmid.eui} added to the hub's device log over the temporary WAN, in the commissioning visit`)
          : failed('run', 0, 0, "the PPMID is not in the hub's device log"))
      : failed('run', 0, 0, 'no cell came up: the DCC could not add the PPMID')
    : commissioning.status === 'done'
      ? done('run', 0, 0, 'no PPMID here; the hub is reachable for an IHD join (the IHD is not simulated)')
      : failed('run', 0, 0, 'no cell came up: the DCC could not reach the hub');

  return {
    installation,
    'han-ihd-pairing': pairing,
    commissioning: commissioningShared,
    'tariff-change': await unsimulated('tariff change'),
    'supply-disable': await command('ECS43', () => ctx.esme.loadSwitch === 'disabled', 'load switch open'),
    'supply-enable': await command('ECS42', () => ctx.esme.loadSwitch === 'enabled', 'load switch closed'),
    // The consumer's keypad needs no cell; CS01a over the cell would be the WAN's top-up.
    'top-up': await ctx.keypadTopUp(),
    'switch-to-credit': await unsimulated('payment-mode change (prepayment to credit)'),
    'credential-change': await overCell(a.visitHours, async () => {
      const r = await ctx.changeCredentials((f, now) => cell.deliver(f, now));
      return r.accepted ? done('run', 0, a.commandMinutes / 60, `CS02b over the temporary WAN: ${r.detail}`) : failed('run', 0, 0, `CS02b refused: ${r.detail}`);
    }),
    firmware: await unsimulated('firmware update'),
  };
}
