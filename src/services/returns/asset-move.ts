import { assertAssetTransition, type AssetStatus, type Device, type Party } from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';

/** One asset-lifecycle move inside the caller's transaction: the rule, the update, the event. */
export async function moveAsset(
  tx: StoreTx,
  actor: Party,
  device: Device,
  to: AssetStatus,
  now: Date,
  why: { reason: string; location?: string | null; patch?: { custodianPartyId?: string | null; premiseId?: string | null; supplierPartyId?: string | null } },
): Promise<void> {
  assertAssetTransition(device.assetStatus, to);
  await tx.devices.update(device.eui, { assetStatus: to, ...why.patch }, now);
  await tx.events.appendMany([
    {
      deviceEui: device.eui,
      lifecycle: 'asset',
      fromStatus: device.assetStatus,
      toStatus: to,
      actorPartyId: actor.id,
      occurredAt: now,
      location: why.location ?? null,
      reason: why.reason,
    },
  ]);
}
