import { createHash } from 'node:crypto';
import type { Eui } from '../domain/eui.ts';

/** KDF modes: the CRA flag for command MACs, 04 for payload encryption. */
export const KDF_MODE = { command: 1, response: 2, alert: 3, encryption: 4 } as const;

const ALGORITHM_ID = Uint8Array.of(0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00);

function counterBytes(counter: bigint): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, counter));
  return b;
}

/** GBCS single-step KDF (NIST SP 800-56A, SHA-256): the first 16 bytes are the AES-128 key. */
export function deriveKey(z: Uint8Array, originator: Eui, mode: number, counter: bigint, recipient: Eui): Buffer {
  // One buffer, one hash update: this runs for every MAC and UTRN.
  const b = Buffer.allocUnsafe(4 + z.length + 7 + 8 + 2 + 8 + 8);
  let o = b.writeUInt32BE(1, 0);
  o += Buffer.from(z.buffer, z.byteOffset, z.length).copy(b, o);
  o += ALGORITHM_ID_BUF.copy(b, o);
  o += b.write(originator, o, 8, 'hex');
  b[o++] = 0x09;
  b[o++] = mode;
  o = b.writeBigUInt64BE(BigInt.asUintN(64, counter), o);
  b.write(recipient, o, 8, 'hex');
  return createHash('sha256').update(b).digest().subarray(0, 16);
}

const ALGORITHM_ID_BUF = Buffer.from(ALGORITHM_ID);

export { counterBytes };
