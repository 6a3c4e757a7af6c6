import { diffieHellman } from 'node:crypto';
import type { Eui } from '../../domain/eui.ts';
import { ValidationError } from '../../domain/errors.ts';
import { authenticateCode, type AuthenticCode, type ConfigAction } from '../../gbcs/config-code.ts';
import { ROLE, CELL_USAGE_PREPAYMENT } from '../../gbcs/payloads/credentials.ts';
import { parseUtrn, rebuildUtrnCounter, UTRN_COUNTER_STEP } from '../../gbcs/utrn.ts';
import { Refusal } from './simulated-device.ts';
import type { DeviceModelSpec } from './device-model.ts';
import type { DeviceKeys } from './simulated-device.ts';
import type { TrustAnchors } from './trust-anchors.ts';

export type AcceptedCode =
  { readonly kind: 'credit'; readonly pence: number; readonly counter: bigint } | { readonly kind: 'config'; readonly action: ConfigAction; readonly counter: bigint };

/**
 * A meter's side of UTRNs and configuration codes: check digit, authenticity against the
 * Supplier's prepayment KA cell, the counter rebuilt from 10 bits against the highest accepted,
 * a memory of recent counters (no replay, out-of-order entry within the window allowed), a
 * keypad lock-out after repeated wrong entries, a credit ceiling, and for configuration codes
 * "never an older one after a newer one".
 */
export class UtrnAcceptor {
  /** Recent accepted counters, oldest first. */
  readonly recent: bigint[] = [];
  /** The highest counter accepted: the reference the 10 bits are rebuilt against. */
  reference = 0n;
  lastConfigCounter = -1n;
  wrongEntries = 0;
  lockedUntil: number | null = null;

  constructor(
    private readonly eui: Eui,
    private readonly model: DeviceModelSpec,
    private readonly anchors: TrustAnchors,
    private readonly keys: () => DeviceKeys,
  ) {}

  get supplier(): Eui | undefined {
    return this.anchors.get(ROLE.supplier, 'ka', CELL_USAGE_PREPAYMENT)?.partyEui;
  }

  /**
   * Checks a code without changing anything; `commit` then records it. Keypad entry and remote
   * top-up (CS01a/CS01b, whose frame counter must be the UTRN's counter) both come through here.
   */
  check(code: string, now: Date, frameCounter?: bigint): AcceptedCode {
    if (this.lockedUntil !== null && now.getTime() < this.lockedUntil) {
      throw new Refusal('utrn-locked-out', `keypad locked out until ${new Date(this.lockedUntil).toISOString()}`);
    }
    const pp = this.anchors.get(ROLE.supplier, 'ka', CELL_USAGE_PREPAYMENT);
    if (!pp) throw new Refusal('utrn-not-authentic', 'no prepayment top-up cell');
    let parsed;
    try {
      parsed = parseUtrn(code);
    } catch (e) {
      if (e instanceof ValidationError) throw new Refusal('utrn-not-authentic', e.message);
      throw e;
    }
    const counter = frameCounter ?? rebuildUtrnCounter(parsed.counterLow10, this.reference);
    if (frameCounter !== undefined && Number((frameCounter >> 32n) & 0x3ffn) !== parsed.counterLow10) {
      throw new Refusal('utrn-not-authentic', 'the UTRN counter bits do not match the command counter');
    }
    const z = diffieHellman({ privateKey: this.keys().ka.privateKey, publicKey: pp.publicKey });
    let authentic: AuthenticCode;
    try {
      authentic = authenticateCode(z, parsed, pp.partyEui, this.eui, counter);
    } catch (e) {
      if (e instanceof ValidationError) throw new Refusal('utrn-not-authentic', e.message);
      throw e;
    }
    if (this.recent.includes(counter) || counter + UTRN_COUNTER_STEP * BigInt(this.model.utrnMemory) <= this.reference) {
      throw new Refusal('utrn-duplicate', `counter ${counter >> 32n} was already used or is older than the ${this.model.utrnMemory} remembered`);
    }
    if (authentic.kind === 'config') {
      if (counter <= this.lastConfigCounter) throw new Refusal('config-code-stale', 'a newer configuration code has already been accepted');
      return { kind: 'config', action: authentic.action, counter };
    }
    return { kind: 'credit', pence: authentic.pence, counter };
  }

  commit(code: AcceptedCode): void {
    this.recent.push(code.counter);
    while (this.recent.length > this.model.utrnMemory) this.recent.shift();
    if (code.counter > this.reference) this.reference = code.counter;
    if (code.kind === 'config') this.lastConfigCounter = code.counter;
    this.wrongEntries = 0;
  }

  /** A keypad entry that failed: counts towards the lock-out (remote top-ups do not). */
  recordWrongEntry(now: Date): boolean {
    this.wrongEntries++;
    if (this.wrongEntries >= this.model.lockoutAfter) {
      this.lockedUntil = now.getTime() + this.model.lockoutMinutes * 60_000;
      this.wrongEntries = 0;
      return true;
    }
    return false;
  }

  export(): Record<string, unknown> {
    return this.snapshot();
  }

  restore(s: Record<string, unknown>): void {
    this.recent.splice(0, this.recent.length, ...(s.recent as string[]).map(BigInt));
    this.reference = BigInt(s.reference as string);
    this.lastConfigCounter = BigInt(s.lastConfig as string);
    this.wrongEntries = s.wrong as number;
    this.lockedUntil = s.lockedUntil as number | null;
  }

  reset(): void {
    this.recent.length = 0;
    this.reference = 0n;
    this.lastConfigCounter = -1n;
    this.wrongEntries = 0;
    this.lockedUntil = null;
  }

  snapshot(): Record<string, unknown> {
    return {
      recent: this.recent.map(String),
      reference: this.reference.toString(),
      lastConfig: this.lastConfigCounter.toString(),
      wrong: this.wrongEntries,
      lockedUntil: this.lockedUntil,
    };
  }
}
