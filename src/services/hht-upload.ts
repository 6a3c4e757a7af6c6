import { ValidationError, WORK_ORDER_LIMITS, requirePermission, type OrderCommand, type Party, type Principal, type WorkOrder } from '../domain/index.ts';
import { fromHex } from '../gbcs/byte-reader.ts';
import { USE_CASES } from '../gbcs/use-cases.ts';
import { verifyLocalResponse } from '../gbcs/verify-local-response.ts';
import type { PremiseWanStatus, StoreTx } from '../store/ports.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { decodedValues, outcomeOf, type Outcome, type PayloadDecoder } from './order-outcome.ts';
import { decodePayload } from '../gbcs/payloads/decode-payload.ts';
import { keysMemo } from './device-keys.ts';
import { expireOrders, supplierEui } from './work-orders.ts';

export interface UploadedResponse {
  readonly orderId: string;
  readonly seq: number;
  /** The device's response or alert frame, hex. */
  readonly response: string;
  /** When the HHT delivered the command (the HHT's clock). */
  readonly deliveredAt: string;
}

export type UploadResult =
  | {
      readonly orderId: string;
      readonly seq: number;
      readonly status: 'recorded';
      readonly state: Outcome['state'];
      readonly outcome: string;
      readonly values: Record<string, string>;
    }
  | { readonly orderId: string; readonly seq: number; readonly status: 'duplicate'; readonly outcome: string }
  | { readonly orderId: string; readonly seq: number; readonly status: 'rejected'; readonly reason: string };

const HOUR = 3_600_000;

/**
 * SRV 8.13 for a batch: the responses an HHT carried back, each verified against the command it
 * answers (device, counter, message code, device signature or MAC) before it counts, recorded once
 * however often it is uploaded. One result per row; rejected rows change nothing.
 */
export async function uploadResponses(deps: ServiceDeps, actor: Party, person: string, rows: readonly UploadedResponse[], principal?: Principal): Promise<UploadResult[]> {
  if (principal) requirePermission(principal, 'work_orders.push');
  const user = supplierEui(actor);
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > WORK_ORDER_LIMITS.responsesPerUpload) {
    throw new ValidationError('responses', 'upload-size', `an upload carries 1 to ${WORK_ORDER_LIMITS.responsesPerUpload} responses`);
  }
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    await expireOrders(tx, now);
    const orderIds = [...new Set(rows.map((r) => String(r.orderId)))].sort();
    const orders = new Map<string, WorkOrder>((await tx.workOrders.getManyForUpdate(orderIds)).map((o) => [o.id, o]));
    const keysOf = keysMemo(deps, tx);
    const commands = new Map<string, OrderCommand>();
    for (const c of await tx.workOrders.commandsForUpdate([...orders.keys()])) commands.set(`${c.orderId}#${c.seq}`, c);

    const results: UploadResult[] = [];
    const record: Parameters<StoreTx['workOrders']['recordResponses']>[0][number][] = [];
    const seen = new Map<string, string>();
    const effects = new Map<string, Outcome[]>();
    for (const r of rows) {
      const key = `${r.orderId}#${r.seq}`;
      const reject = (reason: string) => results.push({ orderId: r.orderId, seq: r.seq, status: 'rejected', reason });
      const o = orders.get(r.orderId);
      const c = commands.get(key);
      if (!o || o.supplierPartyId !== actor.id) {
        reject(`no work order ${r.orderId} of ${actor.id}`);
        continue;
      }
      if (!c) {
        reject(`work order ${r.orderId} has no command ${r.seq}`);
        continue;
      }
      const hex = typeof r.response === 'string' ? r.response.replace(/\s+/g, '').toUpperCase() : '';
      const prior = c.response ?? seen.get(key);
      if (prior !== undefined && prior !== null) {
        if (prior === hex) results.push({ orderId: r.orderId, seq: r.seq, status: 'duplicate', outcome: c.outcome ?? 'recorded earlier in this upload' });
        else reject(`a different response to command ${r.seq} is recorded already`);
        continue;
      }
      const delivered = new Date(r.deliveredAt);
      if (Number.isNaN(delivered.getTime())) {
        reject('deliveredAt is not a date-time');
        continue;
      }
      if (delivered > o.expiresAt) {
        reject(`delivered at ${delivered.toISOString()}, after the order expired at ${o.expiresAt.toISOString()}`);
        continue;
      }
      if (now.getTime() > o.expiresAt.getTime() + WORK_ORDER_LIMITS.uploadGraceHours * HOUR) {
        reject(`the order expired at ${o.expiresAt.toISOString()} and its ${WORK_ORDER_LIMITS.uploadGraceHours}-hour upload window has closed`);
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = fromHex(hex);
      } catch {
        reject('the response is not hex');
        continue;
      }
      const { keys, acb } = await keysOf(c.deviceEui);
      const spec = USE_CASES[c.useCase]!;
      const check = await verifyLocalResponse(bytes, { device: c.deviceEui, user, counter: c.counter, messageCode: spec.messageCode, critical: spec.critical }, keys, acb);
      if (!check.ok) {
        reject(check.reason);
        continue;
      }
      // The payload is decoded once, for the outcome and for the values shown (it was decoded twice).
      let tree: ReturnType<PayloadDecoder> | undefined;
      const decode: PayloadDecoder = () => (tree ??= decodePayload(check.frame.apdu));
      const out = outcomeOf(c.useCase, c.pence, check, decode);
      seen.set(key, hex);
      record.push({ orderId: c.orderId, seq: c.seq, state: out.state, response: hex, responseKind: check.kind, outcome: out.outcome, deliveredAt: delivered, uploadedAt: now });
      effects.set(o.premiseId, [...(effects.get(o.premiseId) ?? []), out]);
      results.push({ orderId: r.orderId, seq: r.seq, status: 'recorded', state: out.state, outcome: out.outcome, values: decodedValues(check.frame.apdu, decode) });
    }
    await tx.workOrders.recordResponses(record);
    // An order is complete when none of its commands is still pending.
    const answered = new Set(record.map((x) => `${x.orderId}#${x.seq}`));
    const pending = new Set<string>();
    for (const [key, c] of commands) if (c.state === 'pending' && !answered.has(key)) pending.add(c.orderId);
    for (const id of new Set(record.map((x) => x.orderId))) {
      if (!pending.has(id) && orders.get(id)!.state !== 'expired') await tx.workOrders.setState(id, { state: 'completed', closedAt: now });
    }
    await applyEffects(tx, effects, now);
    const count = (s: UploadResult['status']) => results.filter((x) => x.status === s).length;
    // An upload naming no order of the caller's (missing ones, or another party's, which answer
    // alike) touched nothing of it: refused row by row, and like any refused request not audited.
    if (!rows.some((r) => orders.get(String(r.orderId))?.supplierPartyId === actor.id)) return results;
    await audit(tx, now, actor.id, 'hht.upload', `hht-upload/${orderIds.slice(0, 3).join(',')}${orderIds.length > 3 ? ',…' : ''}`, {
      by: person,
      rows: rows.length,
      recorded: count('recorded'),
      duplicate: count('duplicate'),
      rejected: count('rejected'),
    });
    return results;
  });
}

/** Responses are the freshest word on a no-WAN premise's supply and credit. */
async function applyEffects(tx: StoreTx, effects: Map<string, Outcome[]>, now: Date): Promise<void> {
  const updates: PremiseWanStatus[] = [];
  const known = new Map((await tx.wan.statuses([...effects.keys()])).map((s) => [s.premiseId, s]));
  for (const [premiseId, outs] of effects) {
    const s = known.get(premiseId);
    if (!s) continue;
    let { supply, creditPence } = s;
    for (const o of outs) {
      if (o.state !== 'executed') continue;
      if (o.supply) supply = o.supply;
      if (o.creditAddedPence) creditPence = (creditPence ?? 0) + o.creditAddedPence;
    }
    updates.push({ ...s, supply, creditPence, statusAt: now, updatedAt: now });
  }
  await tx.wan.upsertStatus(updates);
}
