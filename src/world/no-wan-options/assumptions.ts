import { ValidationError } from '../../domain/errors.ts';
import { WORK_ORDER_LIMITS } from '../../domain/work-order.ts';
import { modelFor } from '../devices/device-model.ts';

/**
 * The modelled inputs of the no-WAN options study: times, failure rates, costs and the settings of
 * mechanisms the public material does not fix. Each says where it comes from; most are meterops'
 * own assumptions (`source` starts "meterops assumption"), stated so they can be argued with, and
 * every one can be changed (`meterops report no-wan-options --assume key=value`).
 */
interface Spec {
  readonly default: number | boolean;
  readonly unit: string;
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  readonly source: string;
}

const OWN = 'meterops assumption';
const ESME = modelFor('ESME');

const SPECS = {
  visitHours: { default: 1.5, unit: 'hours per maintenance visit, travel included', min: 0.1, max: 24, source: OWN },
  installationHours: { default: 2, unit: 'hours per installation visit (fit, pair, commission)', min: 0.1, max: 24, source: OWN },
  engineerHourPence: { default: 4000, unit: 'pence per engineer hour', min: 0, max: 1_000_000, integer: true, source: OWN },
  commandMinutes: { default: 2, unit: 'minutes at the meter per command delivered locally', min: 0, max: 120, source: OWN },
  picocellSetUpMinutes: {
    default: 45,
    unit: 'minutes to set up the temporary GPRS cell, per attempt',
    min: 1,
    max: 600,
    source: `${OWN}; the 2012 SDAG paper says only "Time-consuming to set up"`,
  },
  picocellFailureRate: {
    default: 0.2,
    unit: 'share of set-up attempts that give no usable WAN',
    min: 0,
    max: 1,
    source: `${OWN}; the 2012 SDAG paper says only "may not always be possible"`,
  },
  picocellMaxVisits: { default: 3, unit: 'visits tried before a task is given up', min: 1, max: 20, integer: true, source: OWN },
  setComponentFailureRate: { default: 0.03, unit: 'share of pre-configured sets with a failed component at installation', min: 0, max: 1, source: OWN },
  setReplacementHours: { default: 2.5, unit: 'hours to swap a whole pre-configured set', min: 0.1, max: 24, source: OWN },
  setPence: { default: 30_000, unit: 'pence for a pre-configured set (hub, meters, IHD, PPMID)', min: 0, max: 10_000_000, integer: true, source: OWN },
  meterExchangeHours: { default: 1.5, unit: 'hours to exchange a dumb or smart-ready meter', min: 0.1, max: 24, source: OWN },
  meterPence: { default: 6_000, unit: 'pence for a replacement meter', min: 0, max: 10_000_000, integer: true, source: OWN },
  menuPinDigits: { default: 4, unit: 'digits of the engineering menu PIN', min: 1, max: 6, integer: true, source: OWN },
  menuPinTriesBeforeLockout: { default: 3, unit: 'wrong PINs before the menu locks', min: 1, max: 1000, integer: true, source: OWN },
  menuLockoutMinutes: {
    default: 60,
    unit: 'minutes the menu stays locked',
    min: 1,
    max: 10_080,
    integer: true,
    source: 'meterops default keypad lock-out (METEROPS_KEYPAD_LOCKOUT_MINUTES), used for the menu too',
  },
  menuPinPerMeter: { default: false, unit: 'true: each meter its own PIN; false: one installer PIN for the fleet', source: OWN },
  menuCriticalFunctionsEnabled: { default: true, unit: 'disable supply is on the menu', source: `${OWN}: the case the 2012 SDAG paper warns of` },
  pinEntrySeconds: { default: 4, unit: 'seconds to key one PIN', min: 0.1, max: 600, source: OWN },
  tariffValues: { default: 16, unit: 'values keyed for one tariff (prices and switching times)', min: 1, max: 1000, integer: true, source: OWN },
  digitsPerValue: { default: 5, unit: 'keystrokes per value', min: 1, max: 20, integer: true, source: OWN },
  secondsPerKeystroke: { default: 1.5, unit: 'seconds per keystroke on push-buttons', min: 0.1, max: 60, source: OWN },
  keystrokeErrorRate: { default: 0.003, unit: 'chance a keystroke is wrong and not noticed', min: 0, max: 1, source: OWN },
  opticalLeftEnabledRate: { default: 0.05, unit: 'share of visits after which the optical interface is left enabled', min: 0, max: 1, source: OWN },
  opticalTariffMinutes: { default: 5, unit: 'minutes for a field tool to program a tariff', min: 0, max: 600, source: OWN },
  codeEntrySeconds: { default: 20, unit: 'seconds for an attacker to key one 20-digit code', min: 1, max: 3600, source: OWN },
  codeLockoutAfter: {
    default: ESME.lockoutAfter,
    unit: 'wrong codes before the keypad locks (alert 0x81C4)',
    min: 1,
    max: 1000,
    integer: true,
    source: 'meterops device-model default: the public material does not fix it (gbcs.md section 5)',
  },
  codeLockoutMinutes: {
    default: ESME.lockoutMinutes,
    unit: 'minutes the keypad stays locked',
    min: 1,
    max: 10_080,
    integer: true,
    source: 'meterops device-model default: the public material does not fix it (gbcs.md section 5)',
  },
  codeGuessDays: { default: 7, unit: 'days the code-guessing attack is run', min: 1, max: 366, integer: true, source: OWN },
  workOrderLifetimeHours: {
    default: WORK_ORDER_LIMITS.defaultLifetimeHours,
    unit: 'hours a work order and its pairings stay valid',
    min: 1,
    max: WORK_ORDER_LIMITS.maxLifetimeHours,
    integer: true,
    source: 'meterops default (docs/no-wan.md)',
  },
  unsimulatedSignedCommandsCarried: {
    default: true,
    unit: 'a route that carries signed GBCS commands also carries the tariff, payment-mode and firmware ones, which the simulated meters do not implement',
    source: `${OWN}: GBCS defines them as commands like the ones simulated`,
  },
  commissioningNeedsWan: { default: true, unit: 'commissioning needs the DCC to reach the hub over the WAN', source: OWN },
} as const satisfies Record<string, Spec>;

export type AssumptionKey = keyof typeof SPECS;
/** Codes the guessing attack types at most (codeGuessDays x 86,400 / codeEntrySeconds). */
export const MAX_GUESSED_CODES = 250_000;
export type NoWanAssumptions = { readonly [K in AssumptionKey]: (typeof SPECS)[K]['default'] extends boolean ? boolean : number };
export const ASSUMPTION_KEYS = Object.keys(SPECS) as AssumptionKey[];

export interface StatedAssumption {
  readonly value: number | boolean;
  readonly default: number | boolean;
  readonly unit: string;
  readonly source: string;
  /** The range a number must lie in (booleans have none). */
  readonly min?: number;
  readonly max?: number;
}

/** Each assumption as the report states it: value, default, unit, source and range. */
export function describeAssumptions(a: NoWanAssumptions): Record<AssumptionKey, StatedAssumption> {
  return Object.fromEntries(
    ASSUMPTION_KEYS.map((k) => {
      const s: Spec = SPECS[k];
      return [k, { value: a[k], default: s.default, unit: s.unit, source: s.source, ...(s.min === undefined ? {} : { min: s.min, max: s.max }) }];
    }),
  ) as Record<AssumptionKey, StatedAssumption>;
}

function check(key: string, value: unknown): number | boolean {
  const field = `assumptions.${key}`;
  if (!(key in SPECS)) throw new ValidationError(field, 'unknown-assumption', `unknown assumption "${key}"; one of ${ASSUMPTION_KEYS.join(', ')}`);
  const s: Spec = SPECS[key as AssumptionKey];
  if (typeof s.default === 'boolean') {
    if (typeof value !== 'boolean') throw new ValidationError(field, 'assumption-type', `${key} is true or false, got ${JSON.stringify(value)}`);
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(field, 'assumption-type', `${key} is a number (${s.unit}), got ${JSON.stringify(value)}`);
  if (s.integer && !Number.isInteger(value)) throw new ValidationError(field, 'assumption-range', `${key} is a whole number, got ${value}`);
  if (value < s.min! || value > s.max!) throw new ValidationError(field, 'assumption-range', `${key} is from ${s.min} to ${s.max} (${s.unit}), got ${value}`);
  return value;
}

/** The defaults with these overrides; an unknown key or a value of the wrong type or out of range is refused, naming it. */
export function resolveAssumptions(overrides: Readonly<Record<string, unknown>> = {}, defaults: { keypadLockoutMinutes?: number } = {}): NoWanAssumptions {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
    throw new ValidationError('assumptions', 'assumption-type', 'assumptions are an object of key to value');
  const out: Record<string, number | boolean> = Object.fromEntries(ASSUMPTION_KEYS.map((k) => [k, SPECS[k].default]));
  if (defaults.keypadLockoutMinutes !== undefined) out.menuLockoutMinutes = check('menuLockoutMinutes', defaults.keypadLockoutMinutes);
  for (const [k, v] of Object.entries(overrides)) out[k] = check(k, v);
  // The guessing run types every code for real: keep it to what a report can afford.
  const codes = Math.ceil(((out.codeGuessDays as number) * 86_400) / (out.codeEntrySeconds as number));
  if (codes > MAX_GUESSED_CODES)
    throw new ValidationError(
      'assumptions.codeGuessDays',
      'assumption-range',
      `codeGuessDays ${out.codeGuessDays} at one code per ${out.codeEntrySeconds} s is ${codes} codes; the run types at most ${MAX_GUESSED_CODES}: fewer days or more seconds per code`,
    );
  return Object.freeze(out) as NoWanAssumptions;
}

/** `key=value` as typed on the command line: numbers and true/false. */
export function parseAssumeFlag(text: string): [string, unknown] {
  const m = /^([A-Za-z]+)=(.+)$/.exec(text);
  if (!m) throw new ValidationError('assume', 'assume-format', `--assume takes key=value, got "${text}"`);
  const raw = m[2]!;
  const value = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  return [m[1]!, value];
}
