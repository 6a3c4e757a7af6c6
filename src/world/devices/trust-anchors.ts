import type { KeyObject, X509Certificate } from 'node:crypto';
import { KeyCodec } from './key-codec.ts';
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

  /** The fleet's key and certificate conversions (a fresh one for a device on its own). */
  constructor(readonly codec: KeyCodec = new KeyCodec()) {}

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
      { partyEui: c.partyEui, spki: this.codec.spkiOf(c.publicKey), ski: Buffer.from(c.subjectKeyId).toString('hex'), floor: c.floor.toString() },
    ]);
  }

  restore(cells: Array<[string, { partyEui: string; spki: string; ski: string; floor: string }]>): void {
    this.#cells.clear();
    for (const [id, c] of cells) {
      this.#cells.set(id, {
        partyEui: c.partyEui as Eui,
        publicKey: this.codec.keyOf(c.spki),
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
