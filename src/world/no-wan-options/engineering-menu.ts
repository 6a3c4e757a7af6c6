import type { Eui } from '../../domain/eui.ts';
import type { Esme } from '../devices/esme.ts';
import { SeededRandom } from '../devices/seeded-random.ts';
import type { NoWanAssumptions } from './assumptions.ts';
import type { PremiseRun } from './premise-run.ts';
import { attempt, done, failed, MechanismRefusal, unsupported, type NoWanTask, type TaskOutcome } from './tasks.ts';

export type PinResult = 'accepted' | 'wrong' | 'locked-out';

/** The installer PIN: one for the fleet, or one per meter (`menuPinPerMeter`), from the fleet's seed. */
export function menuPin(seed: string, eui: Eui, a: Pick<NoWanAssumptions, 'menuPinDigits' | 'menuPinPerMeter'>): string {
  const rng = new SeededRandom(`${seed}/menu-pin/${a.menuPinPerMeter ? eui : 'fleet'}`);
  return String(rng.int(10 ** a.menuPinDigits)).padStart(a.menuPinDigits, '0');
}

/**
 * Option 4 (the 2012 SDAG paper): the meter's push-buttons and display, behind a PIN. After
 * `menuPinTriesBeforeLockout` wrong PINs the menu locks for `menuLockoutMinutes`, and entries
 * are refused meanwhile. Once authenticated, the menu changes the meter directly: nothing is signed,
 * so nothing the Supplier sent is checked; the meter trusts whoever knew the PIN.
 */
export class EngineeringMenu {
  wrongEntries = 0;
  lockedUntil: number | null = null;
  authenticated = false;

  constructor(
    readonly esme: Esme,
    readonly pin: string,
    readonly a: NoWanAssumptions,
  ) {}

  enterPin(pin: string, now: Date): PinResult {
    if (this.lockedUntil !== null && now.getTime() < this.lockedUntil) return 'locked-out';
    if (pin === this.pin) {
      this.wrongEntries = 0;
      this.authenticated = true;
      return 'accepted';
    }
    if (++this.wrongEntries >= this.a.menuPinTriesBeforeLockout) {
      this.lockedUntil = now.getTime() + this.a.menuLockoutMinutes * 60_000;
      this.wrongEntries = 0;
    }
    return 'wrong';
  }

  logOut(): void {
    this.authenticated = false;
  }

  #need(): void {
    if (!this.authenticated) throw new MechanismRefusal('the engineering menu asks for the PIN first');
  }

  setSupply(state: 'enabled' | 'disabled'): void {
    this.#need();
    if (state === 'disabled' && !this.a.menuCriticalFunctionsEnabled) throw new MechanismRefusal('disable supply is not on this menu (menuCriticalFunctionsEnabled is false)');
    this.esme.loadSwitch = state;
  }

  switchToCreditMode(): void {
    this.#need();
    this.esme.paymentMode = 'credit';
  }

  /**
   * A tariff keyed value by value: each keystroke goes wrong, unnoticed, with `keystrokeErrorRate`.
   * Returns the keystrokes made and the values that went in wrong.
   */
  keyTariff(rng: SeededRandom): { keystrokes: number; wrongValues: number } {
    this.#need();
    let wrongValues = 0;
    for (let v = 0; v < this.a.tariffValues; v++) {
      let wrong = false;
      for (let k = 0; k < this.a.digitsPerValue; k++) if (rng.chance(this.a.keystrokeErrorRate)) wrong = true;
      if (wrong) wrongValues++;
    }
    return { keystrokes: this.a.tariffValues * this.a.digitsPerValue, wrongValues };
  }

  replaceCredentials(): never {
    this.#need();
    throw new MechanismRefusal('a push-button menu has no way to enter a certificate');
  }

  updateFirmware(): never {
    this.#need();
    throw new MechanismRefusal('a push-button menu cannot load a firmware image');
  }
}

/** The hub's join window opened from a local interface, and the PPMID joined: what a local menu or tool would do. */
export function localHanJoin(ctx: PremiseRun, how: string): TaskOutcome {
  const now = ctx.clock.now();
  ctx.arriveUnpaired();
  ctx.hub.openJoinWindow(now);
  if (!ctx.ppmid) return done('run', 0, ctx.a.commandMinutes / 60, `${how}: join window opened (no PPMID here; the IHD is not simulated)`);
  const p = ctx.hub.pair(ctx.ppmid.eui, now);
  if (!p.paired) return failed('run', 0, 0, `${how}: ${p.reason}`);
  ctx.hub.join(ctx.ppmid);
  if (!ctx.hub.deviceLog.has(ctx.ppmid.eui)) return failed('run', 0, 0, `${how}: the PPMID is not in the hub's device log`);
  return done('run', 0, ctx.a.commandMinutes / 60, `${how}: join window opened and the PPMID joined the hub's device log, with no DCC involved`);
}

/** Option 4 at one premise: each task a visit; the engineer keys the PIN, then the menu. */
export async function runEngineeringMenu(ctx: PremiseRun): Promise<Record<NoWanTask, TaskOutcome>> {
  const a = ctx.a;
  const menu = new EngineeringMenu(ctx.esme, menuPin(ctx.fleet.options.seed, ctx.esme.eui, a), a);
  const pinHours = a.pinEntrySeconds / 3600;
  /** A visit: key the right PIN, do the work, log out. */
  const visit = (work: () => TaskOutcome): TaskOutcome =>
    attempt(() => {
      if (menu.enterPin(menu.pin, ctx.clock.now()) !== 'accepted') return failed('run', 1, a.visitHours, 'the menu refused the right PIN (locked out)');
      try {
        const r = work();
        return { ...r, visits: r.status === 'unsupported' ? 0 : 1, hours: r.status === 'unsupported' ? 0 : a.visitHours + pinHours + r.hours };
      } finally {
        menu.logOut();
      }
    });
  const tariff = visit(() => {
    const k = menu.keyTariff(ctx.rng);
    const hours = (k.keystrokes * a.secondsPerKeystroke) / 3600;
    return k.wrongValues
      ? failed('run', 0, hours, `${k.keystrokes} keystrokes; ${k.wrongValues} of ${a.tariffValues} values went in wrong, unnoticed`)
      : done('run', 0, hours, `${k.keystrokes} keystrokes, all right`);
  });
  return {
    installation: { ...visit(() => done('run', 0, 0, 'meter fitted; menu reached with the PIN')), hours: a.installationHours + pinHours },
    'han-ihd-pairing': localHanJoin(ctx, 'from the menu'),
    commissioning: a.commissioningNeedsWan
      ? unsupported('assumption', 'commissioningNeedsWan: waits until the hub finds a WAN')
      : done('assumption', 0, 0, 'commissioningNeedsWan is false'),
    'tariff-change': tariff,
    'supply-disable': visit(() => (menu.setSupply('disabled'), done('run', 0, a.commandMinutes / 60, 'load switch opened from the menu, unsigned'))),
    'supply-enable': visit(() => (menu.setSupply('enabled'), done('run', 0, a.commandMinutes / 60, 'load switch closed from the menu, unsigned'))),
    'top-up': await ctx.keypadTopUp(),
    'switch-to-credit': visit(() => (ctx.toPrepayment(), menu.switchToCreditMode(), done('run', 0, a.commandMinutes / 60, 'payment mode set to credit from the menu'))),
    'credential-change': visit(() => menu.replaceCredentials()),
    firmware: visit(() => menu.updateFirmware()),
  };
}
