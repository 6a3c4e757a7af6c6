// What the tablet keeps, in IndexedDB (idb): each pulled order with what the visit did and what
// the uploads answered, and the tablet's own settings. Every delivered command's record is
// written before the next command is sent: its counter is spent on the meter, so losing it would
// lose the only proof of what was done.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OrderPackage, UploadAnswer } from './platform.ts';

/** One command as the HHT applied it: what came back, to carry home. */
export interface VisitRecord {
  readonly seq: number;
  readonly deviceEui: string;
  readonly useCase: string;
  readonly deliveredAt: string;
  readonly accepted: boolean;
  /** The frame to upload: the device's response, or its signed alert when it refused. */
  readonly carry: string | null;
  readonly detail: string | null;
}

export interface KeptOrder {
  readonly id: string;
  readonly pkg: OrderPackage;
  readonly pulledAt: string;
  readonly pulledBy: string;
  /** Devices whose join window was opened, and those paired, with when. */
  readonly joined: Record<string, string>;
  readonly paired: Record<string, string>;
  readonly records: VisitRecord[];
  /** The commands the engineer chose to deliver (absent: all not yet delivered). */
  readonly chosen?: number[];
  readonly uploads: Array<{ readonly at: string } & UploadAnswer>;
}

interface HhtDb extends DBSchema {
  orders: { key: string; value: KeptOrder };
  settings: { key: string; value: string };
}

let db: Promise<IDBPDatabase<HhtDb>> | null = null;
const open = () =>
  (db ??= openDB<HhtDb>('meterops-hht', 1, {
    upgrade(d) {
      d.createObjectStore('orders', { keyPath: 'id' });
      d.createObjectStore('settings');
    },
  }));

export const kept = {
  all: async (): Promise<KeptOrder[]> => (await (await open()).getAll('orders')).sort((a, b) => b.pulledAt.localeCompare(a.pulledAt)),
  get: async (id: string): Promise<KeptOrder | undefined> => (await open()).get('orders', id),
  put: async (o: KeptOrder): Promise<void> => void (await (await open()).put('orders', o)),
  remove: async (id: string): Promise<void> => (await open()).delete('orders', id),
};

export const settings = {
  get: async (k: string): Promise<string | undefined> => (await open()).get('settings', k),
  set: async (k: string, v: string): Promise<void> => void (await (await open()).put('settings', v, k)),
};

/** The rows an upload carries: every record with a frame to verify. */
export const uploadRows = (o: KeptOrder) => o.records.filter((r) => r.carry).map((r) => ({ orderId: o.id, seq: r.seq, response: r.carry!, deliveredAt: r.deliveredAt }));

/** The kept responses no upload has answered yet (each answered row is recorded, duplicate or rejected). */
export const waitingRows = (o: KeptOrder) => {
  const answered = new Set(o.uploads.flatMap((u) => u.results.map((r) => r.seq)));
  return uploadRows(o).filter((r) => !answered.has(r.seq));
};
