import type { KeyObject } from 'node:crypto';
import { euiFromBytes, euiToBytes, type Eui } from '../domain/eui.ts';
import { GbcsDecodeError } from './gbcs-error.ts';
import type { KeyStore } from './key-store.ts';
import { verifyRaw } from './signature.ts';

/**
 * A signed device pairing carried with an HHT work order ("signed commands and signed device
 * pairing pre-loaded on device together with the work-order", 2012 options paper). GBCS does not
 * define its bytes: this is a meterops extension, and the simulated devices check it against the
 * DS cells they hold: `MOPA` 01 ‖ HHT EUI ‖ device EUI ‖ not-after (ms, 8) ‖ signer EUI ‖ signature(64).
 */
export interface PairingAuthorisation {
  readonly hht: Eui;
  readonly device: Eui;
  readonly notAfter: Date;
  readonly signer: Eui;
  readonly signature: Uint8Array;
  readonly signedBytes: Uint8Array;
}

const MAGIC = Buffer.from('MOPA\x01', 'latin1');
const BODY = 5 + 8 + 8 + 8 + 8;

function body(hht: Eui, device: Eui, notAfter: Date, signer: Eui): Buffer {
  const b = Buffer.alloc(BODY);
  MAGIC.copy(b, 0);
  b.set(euiToBytes(hht), 5);
  b.set(euiToBytes(device), 13);
  b.writeBigUInt64BE(BigInt(notAfter.getTime()), 21);
  b.set(euiToBytes(signer), 29);
  return b;
}

export async function signPairing(keys: KeyStore, signer: Eui, hht: Eui, device: Eui, notAfter: Date): Promise<Uint8Array> {
  const b = body(hht, device, notAfter, signer);
  return Buffer.concat([b, await keys.sign(signer, 'ds', b)]);
}

export function readPairing(bytes: Uint8Array): PairingAuthorisation {
  if (bytes.length !== BODY + 64 || !Buffer.from(bytes.subarray(0, 5)).equals(MAGIC))
    throw new GbcsDecodeError(0, `a pairing authorisation is ${BODY + 64} bytes starting MOPA 01`);
  const b = Buffer.from(bytes);
  return {
    hht: euiFromBytes(b.subarray(5, 13)),
    device: euiFromBytes(b.subarray(13, 21)),
    notAfter: new Date(Number(b.readBigUInt64BE(21))),
    signer: euiFromBytes(b.subarray(29, 37)),
    signature: b.subarray(BODY),
    signedBytes: b.subarray(0, BODY),
  };
}

export function pairingSignatureValid(p: PairingAuthorisation, signerKey: KeyObject): boolean {
  return verifyRaw(signerKey, p.signedBytes, p.signature);
}
