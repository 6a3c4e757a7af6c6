import { CONFIG_ACTIONS } from '../../../gbcs/config-code.ts';
import { parseUtrn, PPTD_OFFSET } from '../../../gbcs/utrn.ts';
import { utrnCheckDigit } from '../../../gbcs/verhoeff.ts';
import { ValidationError } from '../../../domain/errors.ts';
import { Esme } from '../../devices/esme.ts';
import { SeededRandom } from '../../devices/seeded-random.ts';
import { SimClock } from '../../devices/sim-clock.ts';
import type { PremiseRun } from '../premise-run.ts';
import type { AttackAttempt } from './cloned-hht.ts';

export interface CodeSpace {
  /** Random 20-digit strings tried, and how many the meter's parser took as well-formed codes. */
  readonly samples: number;
  readonly wellFormed: number;
  /** The share expected from the format alone (gbcs.md section 5): 2^57 PTUTs of 10^19, class 11 undefined, 1 check digit in 10. */
  readonly expectedWellFormedShare: number;
  /** Chance that one well-formed guess, for a counter the meter would take, is authentic: the 32-bit MAC. */
  readonly authenticChancePerGuess: number;
}

export interface LockoutRun {
  readonly days: number;
  readonly secondsPerEntry: number;
  readonly lockoutAfter: number;
  readonly lockoutMinutes: number;
  readonly entriesTyped: number;
  /** Entries the meter checked (each counts towards the lock-out), and those it refused unchecked while locked (0x81C5). */
  readonly evaluated: number;
  readonly refusedWhileLocked: number;
  readonly lockouts: number;
  readonly accepted: number;
  /** At the rate measured: years until a guess has had a 50% chance. */
  readonly yearsToEvenChance: number;
  /** The consumer's genuine UTRN typed during a lock-out the attacker caused, and after it. */
  readonly genuineDuringLockout: string;
  readonly genuineAfterLockout: string;
}

const WRONG = 0x81c4;

/** A well-formed enable-supply code with a guessed MAC: the right check digit, class 10, action 2, counter bits chosen. */
export function guessedCode(rng: SeededRandom, counterLow10: number): string {
  const hi = (BigInt(counterLow10) << 15n) | (0b10n << 13n) | BigInt(CONFIG_ACTIONS.enableSupply);
  const ptut = (hi << 32n) | BigInt(rng.int(2 ** 32));
  const pptd = (ptut + PPTD_OFFSET).toString();
  return pptd + String(utrnCheckDigit(pptd));
}

/** The format's share of well-formed codes among random 20-digit strings, measured. */
export function measureCodeSpace(seed: string, samples: number): CodeSpace {
  const rng = new SeededRandom(`${seed}/code-space`);
  let ok = 0;
  for (let i = 0; i < samples; i++) {
    let s = '';
    for (let d = 0; d < 20; d++) s += String(rng.int(10));
    try {
      parseUtrn(s);
      ok++;
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
    }
  }
  return { samples, wellFormed: ok, expectedWellFormedShare: (2 ** 57 * 0.75) / 1e20, authenticChancePerGuess: 2 ** -32 };
}

/**
 * Code guessing at the keypad: a well-formed guess every `codeEntrySeconds` for `codeGuessDays`,
 * against a meter whose keypad locks after `codeLockoutAfter` wrong codes for `codeLockoutMinutes`
 * (the meter's own UtrnAcceptor, its model given those settings).
 */
export async function runCodeGuessing(target: PremiseRun): Promise<LockoutRun> {
  const a = target.a;
  const fleet = target.fleet;
  const eui = target.esme.eui;
  const meter = new Esme(eui, { ...target.esme.model, lockoutAfter: a.codeLockoutAfter, lockoutMinutes: a.codeLockoutMinutes }, () => fleet.deviceKeys(eui), fleet.codec);
  meter.anchors.restore(target.esme.anchors.export());
  const clock = new SimClock(target.clock.now());
  const rng = new SeededRandom(`${fleet.options.seed}/code-guessing/${eui}`);
  const end = clock.now().getTime() + a.codeGuessDays * 86_400_000;
  let typed = 0;
  let evaluated = 0;
  let refused = 0;
  let lockouts = 0;
  let accepted = 0;
  while (clock.now().getTime() < end) {
    const r = meter.enterCode(guessedCode(rng, 1), clock.now());
    typed++;
    if (r.accepted) accepted++;
    else if (r.alertCode === 0x81c5) refused++;
    else {
      evaluated++;
      if (r.alertCode === WRONG) lockouts++;
    }
    clock.advance(a.codeEntrySeconds * 1000);
  }
  const perYear = (evaluated / a.codeGuessDays) * 365.25;
  // Lock the keypad as the attacker would, then the consumer types a genuine code.
  for (let i = 0; i < a.codeLockoutAfter; i++) meter.enterCode(guessedCode(rng, 1), clock.now());
  const utrn = await target.utrn(5);
  const during = meter.enterCode(utrn, clock.now());
  clock.advance(a.codeLockoutMinutes * 60_000);
  const after = meter.enterCode(utrn, clock.now());
  return {
    days: a.codeGuessDays,
    secondsPerEntry: a.codeEntrySeconds,
    lockoutAfter: a.codeLockoutAfter,
    lockoutMinutes: a.codeLockoutMinutes,
    entriesTyped: typed,
    evaluated,
    refusedWhileLocked: refused,
    lockouts,
    accepted,
    yearsToEvenChance: Math.round((Math.log(2) * 2 ** 32) / perYear),
    genuineDuringLockout: `${during.accepted ? 'accepted' : 'refused'}: ${during.detail}`,
    genuineAfterLockout: `${after.accepted ? 'accepted' : 'refused'}: ${after.detail}`,
  };
}

/** Replay of genuine configuration codes: twice on the target, on the neighbour's meter, and an older one after a newer. */
export async function runCodeReplay(target: PremiseRun, neighbour: PremiseRun): Promise<AttackAttempt[]> {
  const now = () => target.clock.now();
  const type = (attempt: string, meter: Esme, code: string): AttackAttempt => {
    const r = meter.enterCode(code, now());
    return { attempt, accepted: r.accepted, outcome: r.accepted ? r.detail : `refused 0x${r.alertCode!.toString(16).toUpperCase()}: ${r.detail}` };
  };
  const first = await target.configCode('enableSupply');
  const older = await target.configCode('switchToCreditMode');
  const newer = await target.configCode('enableSupply');
  return [
    type('a genuine enable-supply code on its meter', target.esme, first),
    type('the same code again (replay)', target.esme, first),
    type("the same code on the neighbour's meter", neighbour.esme, first),
    type('a newer genuine code', target.esme, newer),
    type('an older genuine code after the newer one', target.esme, older),
  ];
}
