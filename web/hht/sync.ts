// The upload (SRV 8.13): every response the tablet keeps for an order goes up; the platform
// verifies each and answers per row (recorded, duplicate, rejected), which the tablet keeps.
// Safe to repeat: a response already recorded is answered duplicate and changes nothing.
import { upload } from './platform.ts';
import { kept, uploadRows, waitingRows } from './store.ts';

const inFlight = new Map<string, Promise<void>>();

export function uploadKept(id: string): Promise<void> {
  const running = inFlight.get(id);
  if (running) return running;
  const p = (async () => {
    const o = await kept.get(id);
    if (!o) return;
    const a = await upload(uploadRows(o));
    const now = (await kept.get(id)) ?? o;
    await kept.put({ ...now, uploads: [...now.uploads, { at: new Date().toISOString(), ...a }] });
  })().finally(() => inFlight.delete(id));
  inFlight.set(id, p);
  return p;
}

/** When the network returns: every order with responses no upload has answered yet. */
export async function uploadWaiting(): Promise<number> {
  let n = 0;
  for (const o of await kept.all()) {
    if (waitingRows(o).length === 0) continue;
    await uploadKept(o.id);
    n++;
  }
  return n;
}
