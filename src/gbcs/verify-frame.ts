import type { Eui } from '../domain/eui.ts';
import { frameMac, macEquals } from './frame-mac.ts';
import { macSecret } from './mac-secret.ts';
import type { GbcsFrame } from './frame.ts';
import type { KeyStore } from './key-store.ts';
import { verifyRaw } from './signature.ts';

/** valid / invalid, or why it could not be checked (no signature, no key to check it with). */
export type Verdict =
  { readonly status: 'valid' } | { readonly status: 'invalid' } | { readonly status: 'not-present' } | { readonly status: 'unverifiable'; readonly reason: string };

export interface FrameVerdicts {
  readonly signature: Verdict;
  readonly mac: Verdict;
}

export const DCC_BOXED_ACB: Eui = '90B3D51F30000002' as Eui;

/** Checks the originator's signature and the General-Ciphering MAC with what the keystore holds. */
export async function verifyFrame(frame: GbcsFrame, keys: KeyStore, acb: Eui = DCC_BOXED_ACB): Promise<FrameVerdicts> {
  return { signature: await verifySignature(frame, keys), mac: await verifyMac(frame, keys, acb) };
}

export async function verifySignature(frame: GbcsFrame, keys: KeyStore): Promise<Verdict> {
  const { apdu } = frame;
  if (!apdu.signature) return { status: 'not-present' };
  const pub = await keys.publicKey(apdu.originator, 'ds');
  if (!pub) return { status: 'unverifiable', reason: `no DS certificate for originator ${apdu.originator}` };
  return { status: verifyRaw(pub, apdu.signedBytes, apdu.signature) ? 'valid' : 'invalid' };
}

export async function verifyMac(frame: GbcsFrame, keys: KeyStore, acb: Eui): Promise<Verdict> {
  if (!frame.ciphering) return { status: 'not-present' };
  const z = await macSecret(frame.apdu, keys, acb);
  if (typeof z === 'string') return { status: 'unverifiable', reason: z };
  return { status: macEquals(frameMac(z, frame.apdu, frame.apdu.bytes), frame.ciphering.mac) ? 'valid' : 'invalid' };
}
