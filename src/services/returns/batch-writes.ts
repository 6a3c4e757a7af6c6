import { createHash } from 'node:crypto';
import type { NewDeviceEvent, Party, ReturnEvent, ReturnLine } from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';
import { audit } from '../audit.ts';

/** What a batch step changed, gathered line by line and written one statement per kind. */
export interface BatchWrites {
  readonly lines: ReturnLine[];
  readonly assets: Parameters<StoreTx['devices']['setAssetMany']>[0][number][];
  readonly deviceEvents: NewDeviceEvent[];
  readonly lineEvents: Array<Omit<ReturnEvent, 'id'>>;
}

export const noWrites = (): BatchWrites => ({ lines: [], assets: [], deviceEvents: [], lineEvents: [] });

/**
 * Writes a batch and appends one audit entry for it, naming the SHA-256 of its line ids (each
 * line's own events are kept in full), so the chain still covers every line the batch changed.
 */
export async function writeBatch(tx: StoreTx, w: BatchWrites, o: { actor: Party; action: string; now: Date; details: Record<string, unknown> }): Promise<void> {
  await tx.returns.saveLines(w.lines);
  await tx.devices.setAssetMany(w.assets, o.now);
  await tx.events.appendMany(w.deviceEvents);
  await tx.returns.appendEvents(w.lineEvents);
  const digest = createHash('sha256')
    .update(
      w.lines
        .map((l) => l.id)
        .sort()
        .join(','),
    )
    .digest('hex');
  await audit(tx, o.now, o.actor.id, o.action, `return-batch/${digest.slice(0, 16)}`, { lines: w.lines.length, linesSha256: digest, ...o.details });
}
