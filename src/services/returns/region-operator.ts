import { ValidationError, type Eui } from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';
import type { PlatformKeys } from '../ports/key-source.ts';

/**
 * The Network Operator of a DNO region whose credentials go into a reinstalled device's NO cell:
 * the registered NO party of that region whose certificate the key source holds for the device.
 */
export async function regionNetworkOperator(tx: StoreTx, platform: PlatformKeys, distributorId: number, field = 'premiseId'): Promise<Eui> {
  const candidates = (await tx.parties.list()).filter((p) => p.role === 'network_operator' && p.distributorId === distributorId && p.eui);
  for (const p of candidates) if (await platform.keys.publicKey(p.eui!, 'ds')) return p.eui!;
  throw new ValidationError(field, 'dno-keys', `no Network Operator keys for region ${distributorId}`);
}
