import { createHash } from 'node:crypto';
import { euiToBytes, type Eui } from '../domain/eui.ts';

/** KDF modes: the CRA flag for command MACs, 04 for payload encryption. */
export const KDF_MODE = { command: 1, response: 2, alert: 3, encryption: 4 } as const;

const ALGORITHM_ID = Uint8Array.of(0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00);
const COUNTER_1 = Uint8Array.of(0, 0, 0, 1);

function counterBytes(counter: bigint): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, counter));
  return b;
}

/** GBCS single-step KDF (NIST SP 800-56A, SHA-256): the first 16 bytes are the AES-128 key. */
export function deriveKey(z: Uint8Array, originator: Eui, mode: number, counter: bigint, recipient: Eui): Buffer {
  return createHash('sha256')
    .update(COUNTER_1)
    .update(z)
    .update(ALGORITHM_ID)
    .update(euiToBytes(originator))
    .update(Uint8Array.of(0x09, mode))
    .update(counterBytes(counter))
    .update(euiToBytes(recipient))
    .digest()
    .subarray(0, 16);
}

export { counterBytes };
