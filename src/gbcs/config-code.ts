import type { Eui } from '../domain/eui.ts';
import { ValidationError } from '../domain/errors.ts';
import { KeyNotFoundError, type KeyStore } from './key-store.ts';
import { buildUtrn, parseUtrn, rebuildUtrnCounter, utrnAuthentic, type ParsedUtrn } from './utrn.ts';

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
  if (value === undefined)
    throw new ValidationError('action', 'config-action', `unknown configuration action "${String(f.action)}"; one of ${Object.keys(CONFIG_ACTIONS).join(', ')}`);
  return buildUtrn(z, { supplier: f.supplier, device: f.device, counter: f.counter, value, valueClass: 'binary' });
}

/** A configuration code from the keystore: Z = ECDH(Supplier PP-KA private key, device KA public key), as for a UTRN. */
export async function generateConfigCode(keys: KeyStore, f: ConfigCodeFields): Promise<string> {
  const devicePub = await keys.publicKey(f.device, 'ka');
  if (!devicePub) throw new KeyNotFoundError(f.device, 'ka', 'public');
  return buildConfigCode(await keys.agree(f.supplier, 'pp-ka', devicePub), f);
}

/** What an authentic 20-digit code does: credit (classes 00 and 01) or a configuration action (class 10). */
export type AuthenticCode = { readonly kind: 'credit'; readonly pence: number } | { readonly kind: 'config'; readonly action: ConfigAction };

/**
 * The one check of a typed or carried code, for the platform and for a meter alike: the MAC binds
 * supplier, device and counter; a binary code must name a defined action. Throws naming what failed.
 */
export function authenticateCode(z: Uint8Array, p: ParsedUtrn, supplier: Eui, device: Eui, counter: bigint): AuthenticCode {
  if (!utrnAuthentic(z, p, supplier, device, counter)) {
    throw p.valueClass === 'binary'
      ? new ValidationError('code', 'config-code-authentic', 'the configuration code is not authentic for this meter')
      : new ValidationError('code', 'utrn-authentic', 'the UTRN does not authenticate for this meter');
  }
  if (p.valueClass !== 'binary') return { kind: 'credit', pence: p.valueClass === 'pounds' ? p.value * 100 : p.value };
  const action = configActionOf(p.value);
  if (!action) throw new ValidationError('code', 'config-action', `configuration action ${p.value} is not defined`);
  return { kind: 'config', action };
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
  const counter = rebuildUtrnCounter(p.counterLow10, reference);
  const checked = authenticateCode(z, p, supplier, device, counter);
  if (checked.kind !== 'config') throw new ValidationError('code', 'config-code-class', 'this is a top-up UTRN, not a configuration code');
  return { action: checked.action, counter };
}
