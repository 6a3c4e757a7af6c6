import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';

// A fleet's cells hold a few dozen distinct keys; saving and loading device state converts them
// thousands of times, so both directions are remembered.
const spkis = new WeakMap<KeyObject, string>();
const keys = new Map<string, KeyObject>();
function spkiOf(k: KeyObject): string {
  let s = spkis.get(k);
  if (!s) spkis.set(k, (s = k.export({ type: 'spki', format: 'der' }).toString('base64')));
  return s;
}
function keyOf(spki: string): KeyObject {
  let k = keys.get(spki);
  if (!k) {
    if (keys.size >= 10_000) keys.delete(keys.keys().next().value!);
    keys.set(spki, (k = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' })));
    spkis.set(k, spki);
  }
  return k;
}
import type { Eui } from '../../domain/eui.ts';
import type { KeyUsageBits, TaCell } from '../../gbcs/payloads/credentials.ts';

/** One trust-anchor cell: whose key it holds, the key, its subject key id, and the floor sequence number. */
export interface Cell {
  readonly partyEui: Eui;
  readonly publicKey: KeyObject;
  readonly subjectKeyId: Uint8Array;
  floor: bigint;
}

export const cellId = (role: number, keyUsage: KeyUsageBits, cellUsage = 0) => `${role}/${keyUsage}${cellUsage ? `/${cellUsage}` : ''}`;
export const cellIdOf = (c: TaCell) => cellId(c.role, c.keyUsage, c.cellUsage ?? 0);

/** Subject key id of a certificate (the extension's 8 bytes, as GBCS certificates carry). */
export function subjectKeyIdOf(cert: X509Certificate): Uint8Array {
  const raw = cert.raw;
  // 2.5.29.14 then OCTET STRING { OCTET STRING ski }
  const at = raw.indexOf(Buffer.from('0603551d0e', 'hex'));
  if (at < 0) return new Uint8Array(8);
  const inner = raw.subarray(at + 5);
  const len = inner[3]!;
  return Uint8Array.from(inner.subarray(4, 4 + len));
}

/** The device's cells, by role / key usage / cell usage. */
export class TrustAnchors {
  readonly #cells = new Map<string, Cell>();

  get(role: number, keyUsage: KeyUsageBits, cellUsage = 0): Cell | undefined {
    return this.#cells.get(cellId(role, keyUsage, cellUsage));
  }
  set(role: number, keyUsage: KeyUsageBits, cell: Cell, cellUsage = 0): void {
    this.#cells.set(cellId(role, keyUsage, cellUsage), cell);
  }
  /** The roles whose cells hold this party's keys. */
  rolesOf(eui: Eui): number[] {
    const roles = new Set<number>();
    for (const [id, c] of this.#cells) if (c.partyEui === eui) roles.add(Number(id.split('/')[0]));
    return [...roles];
  }
  floorOf(role: number): bigint {
    let f = 0n;
    for (const [id, c] of this.#cells) if (Number(id.split('/')[0]) === role && c.floor > f) f = c.floor;
    return f;
  }
  setFloor(role: number, floor: bigint): void {
    for (const [id, c] of this.#cells) if (Number(id.split('/')[0]) === role) c.floor = floor;
  }
  entries(): Array<[string, Cell]> {
    return [...this.#cells];
  }
  export(): Array<[string, { partyEui: string; spki: string; ski: string; floor: string }]> {
    return this.entries().map(([id, c]) => [
      id,
      { partyEui: c.partyEui, spki: spkiOf(c.publicKey), ski: Buffer.from(c.subjectKeyId).toString('hex'), floor: c.floor.toString() },
    ]);
  }

  restore(cells: Array<[string, { partyEui: string; spki: string; ski: string; floor: string }]>): void {
    this.#cells.clear();
    for (const [id, c] of cells) {
      this.#cells.set(id, {
        partyEui: c.partyEui as Eui,
        publicKey: keyOf(c.spki),
        subjectKeyId: Uint8Array.from(Buffer.from(c.ski, 'hex')),
        floor: BigInt(c.floor),
      });
    }
  }

  /** A copy, for tests that compare state before and after a refusal. */
  snapshot(): Record<string, { partyEui: string; floor: string; ski: string }> {
    return Object.fromEntries(this.entries().map(([id, c]) => [id, { partyEui: c.partyEui, floor: c.floor.toString(), ski: Buffer.from(c.subjectKeyId).toString('hex') }]));
  }
}
