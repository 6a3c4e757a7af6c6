import {
  assertAssetTransition,
  assertInventoryTransition,
  deviceRelation,
  NotFoundError,
  ValidationError,
  type AssetStatus,
  type Device,
  type DeviceEvent,
  type Eui,
  type InventoryStatus,
  type Page,
  type PageQuery,
  type Party,
  pageRequest,
  toPage,
} from '../domain/index.ts';
import type { DevicePageFilter, StoreTx } from '../store/ports.ts';
import { LIMITS, type ServiceDeps } from './deps.ts';
import { audit } from './audit.ts';
import { mayAct } from './acting.ts';
import { dnoParties, recordRemovals } from './notices/outbox.ts';
import type { Principal } from '../domain/index.ts';

export interface TransitionRequest<S> {
  readonly to: S;
  readonly reason?: string | null;
  readonly location?: string | null;
  /** When it happened in the world; defaults to now, never in the future. */
  readonly occurredAt?: Date;
}

/** Loads a device the actor may act on, or explains why not. */
export async function deviceInScope(tx: StoreTx, actor: Party, eui: Eui, forUpdate = false): Promise<Device> {
  const device = forUpdate ? await tx.devices.getForUpdate(eui) : await tx.devices.get(eui);
  if (!device) throw new NotFoundError('device', eui, 'eui');
  // Another party's device answers exactly as a missing one: its existence is not disclosed.
  if (!deviceRelation(actor, device)) throw new NotFoundError('device', eui, 'eui');
  return device;
}

function checkText(field: string, v: string | null | undefined): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (v.length > LIMITS.textLength) throw new ValidationError(field, 'max-length', `${field} is longer than ${LIMITS.textLength} characters`);
  return v;
}

function occurred(deps: ServiceDeps, at: Date | undefined): Date {
  const now = deps.clock();
  if (at === undefined) return now;
  if (Number.isNaN(at.getTime())) throw new ValidationError('occurredAt', 'date-time', 'occurredAt is not a date-time');
  if (at.getTime() > now.getTime() + 60_000) throw new ValidationError('occurredAt', 'not-in-future', 'occurredAt is in the future');
  return at;
}

/** One lifecycle move: lock, check scope and the transition rule, update, append the event. */
async function move<S extends string>(
  deps: ServiceDeps,
  actor: Party,
  eui: Eui,
  req: TransitionRequest<S>,
  lifecycle: 'inventory' | 'asset',
  check: (device: Device) => S,
): Promise<Device> {
  const reason = checkText('reason', req.reason);
  const location = checkText('location', req.location);
  const at = occurred(deps, req.occurredAt);
  return deps.store.transaction(async (tx) => {
    const device = await deviceInScope(tx, actor, eui, true);
    const from = check(device);
    const removed = lifecycle === 'asset' && req.to === 'removed';
    const patch =
      lifecycle === 'inventory'
        ? { inventoryStatus: req.to as unknown as InventoryStatus }
        : { assetStatus: req.to as unknown as AssetStatus, ...(removed ? { premiseId: null } : {}) };
    await tx.devices.update(eui, patch, deps.clock());
    await tx.events.appendMany([{ deviceEui: eui, lifecycle, fromStatus: from, toStatus: req.to, actorPartyId: actor.id, occurredAt: at, location, reason }]);
    // Every removal notifies the region's DNO, not a return's alone: the device leaves its premise.
    if (removed) await removeFromPremise(deps, tx, actor, eui, at, reason);
    await audit(tx, deps.clock(), actor.id, `device.${lifecycle}_status`, `device/${eui}`, { from, to: req.to, reason, location });
    return (await tx.devices.get(eui))!;
  });
}

/** An asset move to `removed` outside a return: uninstalled, and the removal notice to its DNO. */
async function removeFromPremise(deps: ServiceDeps, tx: StoreTx, actor: Party, eui: Eui, at: Date, reason: string | null): Promise<void> {
  const [inst] = await tx.premises.installationsOf([eui]);
  if (!inst) return;
  const [premise] = await tx.premises.getMany([inst.premiseId]);
  await tx.premises.uninstallMany([eui]);
  if (!premise?.distributorId) return;
  const dnos = await dnoParties(tx);
  await recordRemovals(deps, tx, [
    {
      premiseId: premise.id,
      deviceEui: eui,
      distributorId: premise.distributorId,
      dnoPartyId: dnos.get(premise.distributorId) ?? null,
      removedBy: actor.id,
      removedAt: at,
      ...(reason ? { reason } : {}),
    },
  ]);
}

export function changeInventoryStatus(deps: ServiceDeps, actor: Party, eui: Eui, req: TransitionRequest<InventoryStatus>, principal?: Principal): Promise<Device> {
  mayAct(principal);
  return move(deps, actor, eui, req, 'inventory', (d) => {
    assertInventoryTransition(d.type, d.inventoryStatus, req.to, actor.role);
    return d.inventoryStatus;
  });
}

export function changeAssetStatus(deps: ServiceDeps, actor: Party, eui: Eui, req: TransitionRequest<AssetStatus>, principal?: Principal): Promise<Device> {
  mayAct(principal);
  return move(deps, actor, eui, req, 'asset', (d) => {
    assertAssetTransition(d.assetStatus, req.to);
    return d.assetStatus;
  });
}

export async function showDevice(deps: ServiceDeps, actor: Party, eui: Eui): Promise<Device> {
  return deviceInScope(deps.store.read, actor, eui);
}

export async function deviceEvents(deps: ServiceDeps, actor: Party, eui: Eui, opts: { afterId?: number; limit?: number } = {}): Promise<DeviceEvent[]> {
  await deviceInScope(deps.store.read, actor, eui);
  return deps.store.read.events.forDevice(eui, { ...opts, limit: clampLimit(opts.limit) });
}

export type DeviceListQuery = Omit<DevicePageFilter, 'visibleTo'> & PageQuery;

/** The devices the actor may see (supplier of record, owner, custodian; the DCC all), in EUI order. */
export async function listDevices(deps: ServiceDeps, actor: Party, q: DeviceListQuery = {}): Promise<Page<Device>> {
  const { limit, cursor, ...filter } = q;
  const page = pageRequest({ limit, cursor }, ['string']);
  return toPage(await deps.store.read.devices.page({ ...filter, ...(actor.role === 'dcc' ? {} : { visibleTo: actor.id }) }, page));
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.pageSize) {
    throw new ValidationError('limit', 'page-size', `limit must be a whole number from 1 to ${LIMITS.pageSize}`);
  }
  return limit;
}
