import type { Eui } from '../domain/eui.ts';
import { ValidationError } from '../domain/errors.ts';
import { buildUtrn, parseUtrn, rebuildUtrnCounter, utrnAuthentic } from './utrn.ts';

/**
 * Configuration codes: a meterops extension, NOT implemented by today's meters.
 *
 * Seed 003 (option 6) proposed codes a consumer types to "Switch to Credit Mode" or "Enable
 * Supply", which "would only work on the target meter, and would only be accepted once". meterops
 * builds them exactly like a UTRN (gbcs.md section 5: same KDF, key pair, MAC and check digit, same
 * counter rules) but with value class 10 (binary), whose 13-bit value field carries the action.
 * Because the MAC binds supplier, device, counter and action, a code works on one meter only, and
 * the counter makes it single-use. The simulated meters accept them; a real SMETS2 meter would
 * reject class 10 as not authentic.
 */
export const CONFIG_ACTIONS = { switchToCreditMode: 1, enableSupply: 2 } as const;
export type ConfigAction = keyof typeof CONFIG_ACTIONS;

export function configActionOf(value: number): ConfigAction | undefined {
  return (Object.keys(CONFIG_ACTIONS) as ConfigAction[]).find((k) => CONFIG_ACTIONS[k] === value);
}

export interface ConfigCodeFields {
  readonly supplier: Eui;
  readonly device: Eui;
  readonly counter: bigint;
  readonly action: ConfigAction;
}

/** Builds the 20-digit code from Z = ECDH(Supplier PP-KA, device KA), as for a UTRN. */
export function buildConfigCode(z: Uint8Array, f: ConfigCodeFields): string {
  const value = CONFIG_ACTIONS[f.action];
  if (value === undefined) throw new ValidationError('action', 'config-action', `unknown configuration action "${String(f.action)}"; one of ${Object.keys(CONFIG_ACTIONS).join(', ')}`);
  return buildUtrn(z, { supplier: f.supplier, device: f.device, counter: f.counter, value, valueClass: 'binary' });
}

export interface CheckedConfigCode {
  readonly action: ConfigAction;
  readonly counter: bigint;
}

/**
 * Device side: the code's check digit, class and MAC, with the counter rebuilt against the
 * device's reference; returns the action, or throws naming what failed. Single use is the
 * device's memory of counters (src/devices), not the code's.
 */
export function checkConfigCode(z: Uint8Array, code: string, supplier: Eui, device: Eui, reference: bigint): CheckedConfigCode {
  const p = parseUtrn(code);
  if (p.valueClass !== 'binary') throw new ValidationError('code', 'config-code-class', 'this is a top-up UTRN, not a configuration code');
  const action = configActionOf(p.value);
  if (!action) throw new ValidationError('code', 'config-action', `configuration action ${p.value} is not defined`);
  const counter = rebuildUtrnCounter(p.counterLow10, reference);
  if (!utrnAuthentic(z, p, supplier, device, counter)) throw new ValidationError('code', 'config-code-authentic', 'the configuration code is not authentic for this meter');
  return { action, counter };
}
