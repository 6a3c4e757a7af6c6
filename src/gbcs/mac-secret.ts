import type { Eui } from '../domain/eui.ts';
import { macParties } from './frame-mac.ts';
import type { GeneralSigningApdu } from './frame.ts';
import type { KeyStore } from './key-store.ts';

/**
 * Z for a frame's MAC pair (ACB and device for commands; originator and recipient otherwise), from
 * whichever side's private key the keystore holds, or the reason it cannot be had. Building and
 * verifying both use this.
 */
export async function macSecret(apdu: Pick<GeneralSigningApdu, 'cra' | 'originator' | 'recipient' | 'messageCode'>, keys: KeyStore, acb: Eui): Promise<Uint8Array | string> {
  const [a, b] = macParties(apdu, acb);
  for (const [mine, theirs] of [
    [a, b],
    [b, a],
  ] as const) {
    if (!(await keys.hasPrivateKey(mine, 'ka'))) continue;
    const pub = await keys.publicKey(theirs, 'ka');
    if (pub) return keys.agree(mine, 'ka', pub);
  }
  return `no KA private key for ${a} or ${b} with the other's certificate`;
}
