import { freshPglite } from '../support/backends.ts';
import { storeOn } from '../../src/store/store.ts';
import { openWorld, fingerprint } from './cross-party-world.ts';
const t0 = Date.now();
const w = await openWorld(storeOn(await freshPglite()));
console.log('world', Date.now() - t0);
const f = await fingerprint(w.store);
console.log('fp', Date.now() - t0, f.size);
await w.close();
