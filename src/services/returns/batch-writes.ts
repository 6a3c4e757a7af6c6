import { createHash } from 'node:crypto';
import type { Eui, NewDeviceEvent, Party, ReturnEvent, ReturnLine } from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';
import { audit } from '../audit.ts';

/** What a batch step changed, gathered line by line and written one statement per kind. */
export interface BatchWrites {
  readonly lines: ReturnLine[];
  readonly assets: Parameters<StoreTx['devices']['setAssetMany']>[0][number][];
  readonly deviceEvents: NewDeviceEvent[];
  readonly lineEvents: Array<Omit<ReturnEvent, 'id'>>;
  readonly states: Array<{ eui: Eui; state: unknown }>;
}

export const noWrites = (): BatchWrites => ({ lines: [], assets: [], deviceEvents: [], lineEvents: [], states: [] });

/**
 * Writes a batch and appends one audit entry for it, naming the SHA-256 of its line ids (each
 * line's own events are kept in full), so the chain still covers every line the batch changed.
 */
export async function writeBatch(tx: StoreTx, w: BatchWrites, o: { actor: Party; action: string; fleetId: string; now: Date; details: Record<string, unknown> }): Promise<void> {
  await tx.returns.saveLines(w.lines);
  await tx.devices.setAssetMany(w.assets, o.now);
  await tx.events.appendMany(w.deviceEvents);
  await tx.returns.appendEvents(w.lineEvents);
  await tx.simulation.saveDeviceStates(w.states, o.fleetId, o.now);
  const digest = createHash('sha256').update(w.lines.map((l) => l.id).sort().join(',')).digest('hex');
  await audit(tx, o.now, o.actor.id, o.action, `return-batch/${digest.slice(0, 16)}`, { lines: w.lines.length, linesSha256: digest, ...o.details });
}
