import { randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, ValidationError, type Eui, type Party } from '../domain/index.ts';
import { buildConfigCode, CONFIG_ACTIONS, type ConfigAction } from '../gbcs/config-code.ts';
import { generateUtrn } from '../gbcs/generate-utrn.ts';
import { KeyNotFoundError } from '../gbcs/key-store.ts';
import { UTRN_COUNTER_STEP } from '../gbcs/utrn.ts';
import type { Vend } from '../store/ports.ts';
import { audit } from './audit.ts';
import { canonicalJson } from './audit-chain.ts';
import type { ServiceDeps } from './deps.ts';
import { deviceInScope } from './device-lifecycle.ts';
import { platformKeysFor } from './platform-keys.ts';
import { refuseIfKeypadLocked } from './device-alerts.ts';
import { decideVolume, heldForReview } from './anomaly-detection.ts';

export type VendRequest =
  | { readonly kind: 'credit'; readonly deviceEui: Eui; readonly value: number; readonly valueClass: 'pounds' | 'pennies' }
  | { readonly kind: 'config'; readonly deviceEui: Eui; readonly action: ConfigAction };

export const DEFAULT_VEND_MAX_PENCE = 10_000;
export const DEFAULT_VEND_DAILY_CAP_PENCE = 25_000;
const RETRIES = 3;

function checkRequest(r: VendRequest, maxPence: number): number {
  if (r.kind === 'config') {
    if (!(r.action in CONFIG_ACTIONS)) throw new ValidationError('action', 'config-action', `action must be one of ${Object.keys(CONFIG_ACTIONS).join(', ')}`);
    return 0;
  }
  if (!Number.isInteger(r.value) || r.value < 1 || r.value > 8191) throw new ValidationError('value', 'utrn-value', 'value is a whole number from 1 to 8191');
  if (r.valueClass !== 'pounds' && r.valueClass !== 'pennies') throw new ValidationError('valueClass', 'utrn-class', 'valueClass is pounds or pennies');
  const pence = r.valueClass === 'pounds' ? r.value * 100 : r.value;
  if (pence > maxPence) throw new ValidationError('value', 'max-vend', `a single top-up is at most ${maxPence} pence`);
  return pence;
}

/**
 * Vends one UTRN (or configuration code) per (Supplier, idempotency key): a retry with the same key
 * and request gets the same code, the same key for a different request is refused, and the
 * Supplier's counter for the device rises by exactly 2^32 per code, so that the meter can rebuild it
 * from the 10 bits typed. Concurrent retries of one key race to one insert; the losers re-read it.
 */
export async function vend(deps: ServiceDeps, actor: Party, person: string, idempotencyKey: string, req: VendRequest): Promise<{ vend: Vend; created: boolean }> {
  if (actor.role !== 'supplier') throw new ForbiddenError('vend', 'only a Supplier vends top-up and configuration codes');
  if (!actor.eui) throw new ValidationError('supplier', 'supplier-eui', `${actor.id} has no EUI, so no prepayment key to vend with`);
  const key = idempotencyKey.trim();
  if (!/^[\w.:-]{1,100}$/.test(key)) throw new ValidationError('idempotencyKey', 'idempotency-key', 'the idempotency key is 1 to 100 letters, digits, dots, colons, dashes or underscores');
  const pence = checkRequest(req, deps.policy?.vendMaxPence ?? DEFAULT_VEND_MAX_PENCE);
  const request = canonicalJson(req);
  const supplierEui = actor.eui;

  for (let attempt = 0; ; attempt++) {
    try {
      const r = await deps.store.transaction(async (tx): Promise<{ vend: Vend; created: boolean } | { held: number }> => {
        const prior = await tx.vends.byKey(actor.id, key);
        if (prior) {
          if (prior.request !== request) throw new ConflictError('idempotency-key-reused', `idempotency key ${key} was used for a different request`, 'idempotencyKey');
          return { vend: prior, created: false };
        }
        const device = await deviceInScope(tx, actor, req.deviceEui);
        if (device.supplierPartyId !== actor.id) throw new ForbiddenError('supplier-of-record', `${actor.id} is not the supplier of record of ${req.deviceEui}`, 'deviceEui');
        const now = deps.clock();
        await refuseIfKeypadLocked(tx, req.deviceEui, now);
        const cap = deps.policy?.vendDailyCapPence ?? DEFAULT_VEND_DAILY_CAP_PENCE;
        const today = await tx.vends.penceSince(req.deviceEui, new Date(now.getTime() - 86_400_000));
        if (today + pence > cap) throw new ValidationError('value', 'daily-cap', `${req.deviceEui} has had ${today} pence in 24 hours; the cap is ${cap}`);
        const counter = (await tx.vends.lockCounter(actor.id, req.deviceEui)) + UTRN_COUNTER_STEP;
        const { keys } = await platformKeysFor(deps, tx, req.deviceEui);
        let code: string;
        try {
          if (req.kind === 'credit') {
            code = await generateUtrn(keys, { supplier: supplierEui, device: req.deviceEui, counter, value: req.value, valueClass: req.valueClass });
          } else {
            const devicePub = await keys.publicKey(req.deviceEui, 'ka');
            if (!devicePub) throw new KeyNotFoundError(req.deviceEui, 'ka', 'public');
            code = buildConfigCode(await keys.agree(supplierEui, 'pp-ka', devicePub), { supplier: supplierEui, device: req.deviceEui, counter, action: req.action });
          }
        } catch (e) {
          if (e instanceof KeyNotFoundError) throw new ValidationError('keystore', 'vending-keys', e.message);
          throw e;
        }
        // New codes pass the DCC's volume check (a retry of a vended key above does not count again).
        const gate = await decideVolume(tx, deps, actor, 'utrn_vend', req.deviceEui, person, now, undefined, { auditSent: false });
        if (gate.status === 'held') return { held: gate.id };
        const v: Vend = { id: `vend-${randomUUID()}`, supplierPartyId: actor.id, idempotencyKey: key, deviceEui: req.deviceEui, kind: req.kind, request, counter, code, pence, requestedBy: person, createdAt: now };
        await tx.vends.insert(v);
        await tx.vends.setCounter(actor.id, req.deviceEui, counter);
        await audit(tx, now, actor.id, `vend.${req.kind}`, `vend/${v.id}`, { device: req.deviceEui, pence, counter: counter.toString(), idempotencyKey: key, volumeCheck: gate.status, request: gate.id });
        return { vend: v, created: true };
      });
      if ('held' in r) throw heldForReview(actor, 'utrn_vend', req.deviceEui, r.held);
      return r;
    } catch (e) {
      // Another request with this key committed first: read its result on the next pass.
      if (attempt < RETRIES && e instanceof ConflictError && e.rule === 'unique') continue;
      throw e;
    }
  }
}

/** Reprint: the code already vended under a key. */
export async function reprint(deps: ServiceDeps, actor: Party, idempotencyKey: string): Promise<Vend> {
  const v = await deps.store.read.vends.byKey(actor.id, idempotencyKey);
  if (!v) throw new ValidationError('idempotencyKey', 'known-key', `nothing was vended under ${idempotencyKey}`);
  return v;
}
