import type { Eui } from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import type { ServiceDeps } from './deps.ts';
import type { PlatformKeys } from './ports/key-source.ts';

/**
 * The key source, asked once per device for the length of one use case (a batch touches many
 * devices; the source itself keeps what is worth keeping across use cases).
 */
export function keysMemo(deps: ServiceDeps, tx: StoreTx): (eui: Eui) => Promise<PlatformKeys> {
  const seen = new Map<Eui, Promise<PlatformKeys>>();
  return (eui) => {
    let k = seen.get(eui);
    if (!k) seen.set(eui, (k = deps.keySource.forDevice(tx, eui)));
    return k;
  };
}
