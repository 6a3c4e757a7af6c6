import { randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError, pageRequest, parseEui, toPage, ValidationError, type Eui, type Page, type PageQuery, type Party } from '../domain/index.ts';
import { CONFIG_ACTIONS, generateConfigCode, type ConfigAction } from '../gbcs/config-code.ts';
import { generateUtrn } from '../gbcs/generate-utrn.ts';
import { KeyNotFoundError } from '../gbcs/key-store.ts';
import { checkTopUp, nextCodeCounter } from './prepayment.ts';
import type { Vend } from '../domain/index.ts';
import { audit } from './audit.ts';
import { canonicalJson } from '../domain/index.ts';
import type { ServiceDeps } from './deps.ts';
import { deviceInScope } from './device-lifecycle.ts';
import { refuseIfKeypadLocked } from './device-alerts.ts';
import { decideVolume, heldForReview } from './anomaly-detection.ts';
import { mayAct } from './acting.ts';
import { DEFAULT_GOVERNANCE } from '../domain/governance.ts';
import type { Principal } from '../domain/index.ts';

export type VendRequest =
  | { readonly kind: 'credit'; readonly deviceEui: Eui; readonly value: number; readonly valueClass: 'pounds' | 'pennies' }
  | { readonly kind: 'config'; readonly deviceEui: Eui; readonly action: ConfigAction };

const RETRIES = 3;

function checkRequest(deps: ServiceDeps, r: VendRequest): number {
  if (r.kind === 'config') {
    if (!(r.action in CONFIG_ACTIONS)) throw new ValidationError('action', 'config-action', `action must be one of ${Object.keys(CONFIG_ACTIONS).join(', ')}`);
    return 0;
  }
  return checkTopUp(deps, r.value, r.valueClass);
}

/**
 * Vends one UTRN (or configuration code) per (Supplier, idempotency key): a retry with the same key
 * and request gets the same code, the same key for a different request is refused, and the
 * Supplier's counter for the device rises by exactly 2^32 per code, so that the meter can rebuild it
 * from the 10 bits typed. Concurrent retries of one key race to one insert; the losers re-read it.
 */
export async function vend(
  deps: ServiceDeps,
  actor: Party,
  person: string,
  idempotencyKey: string,
  req: VendRequest,
  principal?: Principal,
): Promise<{ vend: Vend; created: boolean }> {
  mayAct(principal);
  if (actor.role !== 'supplier') throw new ForbiddenError('vend', 'only a Supplier vends top-up and configuration codes');
  if (!actor.eui) throw new ValidationError('supplier', 'supplier-eui', `${actor.id} has no EUI, so no prepayment key to vend with`);
  const key = idempotencyKey.trim();
  if (!/^[\w.:-]{1,100}$/.test(key))
    throw new ValidationError('idempotencyKey', 'idempotency-key', 'the idempotency key is 1 to 100 letters, digits, dots, colons, dashes or underscores');
  const pence = checkRequest(deps, req);
  // Installed meters do not take configuration codes unless the deployment says they do
  // (IssueSEC0009: no change to installed meters; codes were a 2012 option): off by default.
  if (req.kind === 'config' && !(deps.policy?.governance ?? DEFAULT_GOVERNANCE).routes.configurationCodes)
    throw new ForbiddenError(
      'configuration-codes-off',
      'configuration codes are off in this deployment (governance.routes.configurationCodes, off by default: installed meters do not take them); turning it on is a meterops extension',
      'kind',
    );
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
        await refuseIfKeypadLocked(tx, req.deviceEui, now, deps.policy?.keypadLockoutMinutes);
        const counter = await nextCodeCounter(tx, deps, actor.id, req.deviceEui, pence, now);
        const { keys } = await deps.keySource.forDevice(tx, req.deviceEui);
        let code: string;
        try {
          if (req.kind === 'credit') {
            code = await generateUtrn(keys, { supplier: supplierEui, device: req.deviceEui, counter, value: req.value, valueClass: req.valueClass });
          } else {
            code = await generateConfigCode(keys, { supplier: supplierEui, device: req.deviceEui, counter, action: req.action });
          }
        } catch (e) {
          if (e instanceof KeyNotFoundError) throw new ValidationError('keystore', 'vending-keys', e.message);
          throw e;
        }
        // New codes pass the DCC's volume check (a retry of a vended key above does not count again).
        const gate = await decideVolume(tx, deps, actor, 'utrn_vend', req.deviceEui, person, now, undefined, { auditSent: false });
        if (gate.status === 'held') return { held: gate.id };
        const v: Vend = {
          id: `vend-${randomUUID()}`,
          supplierPartyId: actor.id,
          idempotencyKey: key,
          deviceEui: req.deviceEui,
          kind: req.kind,
          request,
          counter,
          code,
          pence,
          requestedBy: person,
          createdAt: now,
        };
        await tx.vends.insert(v);
        await tx.vends.setCounter(actor.id, req.deviceEui, counter);
        await audit(tx, now, actor.id, `vend.${req.kind}`, `vend/${v.id}`, {
          device: req.deviceEui,
          pence,
          counter: counter.toString(),
          idempotencyKey: key,
          volumeCheck: gate.status,
          request: gate.id,
        });
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
  if (!v) throw new NotFoundError('vend', idempotencyKey, 'idempotencyKey');
  return v;
}

/** The actor's vends (the DCC: all), newest first. */
export async function listVends(deps: ServiceDeps, actor: Party, q: { deviceEui?: string; kind?: Vend['kind'] } & PageQuery = {}): Promise<Page<Vend>> {
  const page = pageRequest(q, ['date', 'string']);
  return toPage(
    await deps.store.read.vends.page(
      {
        ...(actor.role === 'dcc' ? {} : { supplierPartyId: actor.id }),
        ...(q.deviceEui ? { deviceEui: parseEui(q.deviceEui, 'deviceEui') } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
      },
      page,
    ),
  );
}
