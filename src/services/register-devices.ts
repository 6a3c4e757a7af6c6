import {
  assertAssetTransition,
  assertInventoryTransition,
  canRegisterDevices,
  ForbiddenError,
  MeteropsError,
  ValidationError,
  type ErrorDetail,
  type NewDevice,
  type Party,
} from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import type { ServiceDeps } from './deps.ts';
import { audit } from './audit.ts';
import { parseDeviceInput, type DeviceInput } from './device-input.ts';
import { mayAct } from './acting.ts';
import type { Principal } from '../domain/index.ts';

/** The outcome for one row of a batch: its position (or file line), and what is wrong with it. */
export interface RowResult {
  readonly row: number;
  readonly eui: string | null;
  readonly ok: boolean;
  readonly errors: readonly ErrorDetail[];
}

export interface BatchResult {
  /** Rows written: all of them, or none when any row failed. */
  readonly written: number;
  readonly failed: number;
  readonly rows: readonly RowResult[];
}

export interface NumberedInput {
  /** The row number reported back: the file line for an import, the array index for the API. */
  readonly row: number;
  readonly input: DeviceInput;
}

export type Progress = (phase: 'validate' | 'write', done: number, total: number) => void;

const WRITE_CHUNK = 5_000;

/**
 * Registers devices all-or-nothing: every row is checked (format, lifecycle entry rules, parties,
 * duplicates within the batch and against the registry) and nothing is written unless all pass.
 * One transaction; the batch is one registration act, which each device's history begins with.
 */
export async function registerDevices(
  deps: ServiceDeps,
  actor: Party,
  inputs: readonly NumberedInput[],
  onProgress: Progress = () => {},
  source: string | null = null,
  /** Rows the reader could not read as a record (bad JSON, a short CSV line): failures like any other, before any write. */
  unreadable: readonly RowResult[] = [],
  principal?: Principal,
): Promise<BatchResult> {
  mayAct(principal);
  if (!canRegisterDevices(actor)) {
    throw new ForbiddenError('register-devices', `a ${actor.role} may not register devices (suppliers, MAPs, manufacturers and the DCC may)`);
  }
  if (inputs.length === 0 && unreadable.length === 0) throw new ValidationError('devices', 'no-rows', 'there are no devices to register (the file or list is empty)');
  const now = deps.clock();
  const results: RowResult[] = [...unreadable];
  const valid: NewDevice[] = [];
  const seen = new Map<string, number>();

  inputs.forEach(({ row, input }, i) => {
    const parsed = parseDeviceInput(input);
    if (!parsed.ok) {
      results.push({ row, eui: typeof input.eui === 'string' ? input.eui : null, ok: false, errors: parsed.errors });
      return;
    }
    const d = withActorDefaults(parsed.device, actor);
    const errors = entryRuleErrors(d, actor);
    const dup = seen.get(d.eui);
    if (dup !== undefined) errors.push({ field: 'eui', rule: 'unique-in-batch', message: `eui ${d.eui} already appears at row ${dup}` });
    else seen.set(d.eui, row);
    results.push({ row, eui: d.eui, ok: errors.length === 0, errors });
    if (errors.length === 0) valid.push(d);
    if (i % 10_000 === 0) onProgress('validate', i, inputs.length);
  });
  onProgress('validate', inputs.length, inputs.length);
  // Authorisation before the rest: a row naming none of the caller refuses the whole batch (403).
  const notOwn = results.filter((r) => r.errors.some((e) => e.rule === 'register-own-devices')).map((r) => r.row);
  if (notOwn.length) {
    throw new ForbiddenError(
      'register-own-devices',
      `${actor.id} may register only devices it owns, supplies or holds (the DCC any): row${notOwn.length > 1 ? 's' : ''} ${notOwn.slice(0, 10).join(', ')}${notOwn.length > 10 ? ', …' : ''} name${notOwn.length > 1 ? '' : 's'} none of it; nothing was written`,
      'ownerPartyId',
    );
  }

  return deps.store.transaction(async (tx) => {
    await checkAgainstRegistry(tx, valid, results);
    const failed = results.filter((r) => !r.ok).length;
    if (failed > 0 || valid.length === 0) return { written: 0, failed, rows: [...results].sort((a, b) => a.row - b.row) };

    const registrationId = await tx.events.recordRegistration({ actorPartyId: actor.id, at: now, deviceCount: valid.length, source });
    for (let i = 0; i < valid.length; i += WRITE_CHUNK) {
      await tx.devices.insertMany(valid.slice(i, i + WRITE_CHUNK), now, registrationId);
      onProgress('write', Math.min(i + WRITE_CHUNK, valid.length), valid.length);
    }
    await audit(tx, now, actor.id, 'devices.registered', `registration/${registrationId}`, { count: valid.length, first: valid[0]?.eui, last: valid.at(-1)?.eui, source });
    deps.log.info({ actor: actor.id, count: valid.length }, 'devices registered');
    return { written: valid.length, failed: 0, rows: results };
  });
}

function withActorDefaults(d: NewDevice, actor: Party): NewDevice {
  return {
    ...d,
    ownerPartyId: d.ownerPartyId ?? (actor.role === 'meter_asset_provider' ? actor.id : null),
    supplierPartyId: d.supplierPartyId ?? (actor.role === 'supplier' ? actor.id : null),
    custodianPartyId: d.custodianPartyId ?? actor.id,
  };
}

function entryRuleErrors(d: NewDevice, actor: Party): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const check = (field: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof MeteropsError)) throw e;
      errors.push({ field, rule: e.rule ?? e.code, message: e.message });
    }
  };
  check('inventoryStatus', () => assertInventoryTransition(d.type, null, d.inventoryStatus, actor.role));
  check('assetStatus', () => assertAssetTransition(null, d.assetStatus));
  if (actor.role !== 'dcc' && ![d.ownerPartyId, d.supplierPartyId, d.custodianPartyId].includes(actor.id)) {
    errors.push({
      field: 'ownerPartyId',
      rule: 'register-own-devices',
      message: `${actor.id} may register only devices it owns, supplies or holds`,
    });
  }
  return errors;
}

async function checkAgainstRegistry(tx: StoreTx, valid: NewDevice[], results: RowResult[]): Promise<void> {
  const partyIds = new Set<string>();
  for (const d of valid) for (const p of [d.ownerPartyId, d.supplierPartyId, d.custodianPartyId]) if (p) partyIds.add(p);
  const unknownParties = new Set<string>();
  for (const id of partyIds) if (!(await tx.parties.get(id))) unknownParties.add(id);

  const existing = new Set<string>();
  for (let i = 0; i < valid.length; i += WRITE_CHUNK) {
    for (const e of await tx.devices.existing(valid.slice(i, i + WRITE_CHUNK).map((d) => d.eui))) existing.add(e);
  }
  if (unknownParties.size === 0 && existing.size === 0) return;

  const byEui = new Map(valid.map((d) => [d.eui as string, d]));
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (!r.ok || r.eui === null) continue;
    const d = byEui.get(r.eui)!;
    const errors: ErrorDetail[] = [];
    if (existing.has(d.eui)) errors.push({ field: 'eui', rule: 'unique', message: `eui ${d.eui} is already registered` });
    for (const field of ['ownerPartyId', 'supplierPartyId', 'custodianPartyId'] as const) {
      const p = d[field];
      if (p && unknownParties.has(p)) errors.push({ field, rule: 'known-party', message: `${field}: party ${p} does not exist` });
    }
    if (errors.length) results[i] = { ...r, ok: false, errors };
  }
}
