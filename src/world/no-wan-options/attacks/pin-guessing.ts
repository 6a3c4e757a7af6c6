import { EngineeringMenu, menuPin } from '../engineering-menu.ts';
import type { PremiseRun } from '../premise-run.ts';
import { MechanismRefusal } from '../tasks.ts';

export interface PinGuessingResult {
  readonly pinSpace: number;
  readonly triesBeforeLockout: number;
  readonly lockoutMinutes: number;
  readonly secondsPerGuess: number;
  /** PINs the menu evaluated until the right one (the attacker goes 0000, 0001, ...). */
  readonly guessesToSuccess: number;
  readonly lockouts: number;
  /** Entries the locked menu refused without evaluating them. */
  readonly refusedWhileLocked: number;
  readonly hoursToSuccess: number;
  /** Trying every PIN: the worst case at the same rate, and the mean. */
  readonly worstCaseDays: number;
  readonly meanDays: number;
  /** With the PIN found: disable supply from the menu, on this meter. */
  readonly disableSupplyAccepted: boolean;
  readonly disableSupplyDetail: string;
  /** The PIN found, tried on every other no-WAN meter of the fleet. */
  readonly otherMetersOpened: number;
  readonly otherMeters: number;
}

/**
 * PIN guessing against the engineering menu: every PIN in turn, one per `pinEntrySeconds`; when
 * the menu locks, one more entry is tried (and refused) and the attacker waits out the lock-out.
 * Then what the PIN gives: disable supply here, and the same PIN on the fleet's other meters.
 */
export function runPinGuessing(target: PremiseRun, others: readonly PremiseRun[]): PinGuessingResult {
  const a = target.a;
  const seed = target.fleet.options.seed;
  const menu = new EngineeringMenu(target.esme, menuPin(seed, target.esme.eui, a), a);
  const space = 10 ** a.menuPinDigits;
  const start = target.clock.now().getTime();
  let guesses = 0;
  let lockouts = 0;
  let refused = 0;
  let found: string | null = null;
  for (let k = 0; k < space && found === null;) {
    const pin = String(k).padStart(a.menuPinDigits, '0');
    const before = menu.lockedUntil;
    const r = menu.enterPin(pin, target.clock.now());
    if (r === 'locked-out') {
      refused++;
      target.clock.advance(Math.max(0, menu.lockedUntil! - target.clock.now().getTime()));
      continue;
    }
    guesses++;
    if (r === 'accepted') found = pin;
    else {
      if (menu.lockedUntil !== before) lockouts++;
      k++;
      target.clock.advance(a.pinEntrySeconds * 1000);
    }
  }
  if (found === null) throw new Error('simulation: every PIN was tried and none was accepted');
  const hours = (target.clock.now().getTime() - start) / 3_600_000;
  // The same rate over the whole space: wrong guesses at pinEntrySeconds, one lock-out per `tries`.
  const daysFor = (n: number) => {
    const locks = Math.floor((n - 1) / a.menuPinTriesBeforeLockout);
    return ((n - 1 - locks) * a.pinEntrySeconds + locks * Math.max(a.menuLockoutMinutes * 60, a.pinEntrySeconds)) / 86_400;
  };
  let disable = { ok: false, detail: '' };
  try {
    menu.setSupply('disabled');
    disable = { ok: target.esme.loadSwitch === 'disabled', detail: `load switch ${target.esme.loadSwitch}` };
  } catch (e) {
    if (!(e instanceof MechanismRefusal)) throw e;
    disable = { ok: false, detail: e.message };
  }
  let opened = 0;
  for (const o of others) {
    const m = new EngineeringMenu(o.esme, menuPin(seed, o.esme.eui, a), a);
    if (m.enterPin(found, o.clock.now()) === 'accepted') opened++;
  }
  return {
    pinSpace: space,
    triesBeforeLockout: a.menuPinTriesBeforeLockout,
    lockoutMinutes: a.menuLockoutMinutes,
    secondsPerGuess: a.pinEntrySeconds,
    guessesToSuccess: guesses,
    lockouts,
    refusedWhileLocked: refused,
    hoursToSuccess: Math.round(hours * 10) / 10,
    worstCaseDays: Math.round(daysFor(space) * 10) / 10,
    meanDays: Math.round(daysFor((space + 1) / 2) * 10) / 10,
    disableSupplyAccepted: disable.ok,
    disableSupplyDetail: disable.detail,
    otherMetersOpened: opened,
    otherMeters: others.length,
  };
}
