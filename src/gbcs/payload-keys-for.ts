import type { Eui } from '../domain/eui.ts';
import { encryptionTarget } from './decrypt-payload.ts';
import type { GeneralSigningApdu } from './frame.ts';
import type { KeyStore } from './key-store.ts';
import type { PayloadKeys } from './payloads/payload-keys.ts';
import { decodePayload } from './payloads/decode-payload.ts';
import type { DecodedPayload } from './payloads/payload-tree.ts';

/**
 * Fetches, through the KeyStore port, the ECDH secrets a frame's encrypted payload may need: the
 * device's KA key with the frame's other party and with any supplementary remote party that
 * Other-Information names. Each from whichever side's private key the keystore holds.
 */
export async function payloadKeysFor(
  apdu: Pick<GeneralSigningApdu, 'cra' | 'originator' | 'recipient' | 'originatorCounter' | 'otherInformation'>,
  keys: KeyStore,
): Promise<PayloadKeys> {
  const device = apdu.cra === 'command' ? apdu.recipient : apdu.originator;
  const parties = new Set<Eui>([apdu.cra === 'command' ? apdu.originator : apdu.recipient, encryptionTarget(apdu).party]);
  const secrets = new Map<string, Uint8Array | string>();
  for (const party of parties) secrets.set(`${device}/${party}`, await secretBetween(keys, device, party));
  return { secret: (d, p) => secrets.get(`${d}/${p}`) ?? `no payload key fetched for ${d} with ${p}` };
}

async function secretBetween(keys: KeyStore, device: Eui, party: Eui): Promise<Uint8Array | string> {
  for (const [mine, theirs] of [
    [party, device],
    [device, party],
  ] as const) {
    if (!(await keys.hasPrivateKey(mine, 'ka'))) continue;
    const pub = await keys.publicKey(theirs, 'ka');
    if (pub) return keys.agree(mine, 'ka', pub);
  }
  return `no KA private key for ${party} or ${device} with the other's certificate`;
}

/**
 * A frame's payload decoded with the keys it needs: first without any (most payloads are plain),
 * then, only when it holds encrypted parts, again with the secrets fetched from the keystore.
 */
export async function decodeFramePayload(apdu: Parameters<typeof decodePayload>[0], keys: KeyStore): Promise<DecodedPayload> {
  const plain = decodePayload(apdu);
  if (!plain.encrypted.some((e) => e.status === 'unverifiable')) return plain;
  return decodePayload(apdu, await payloadKeysFor(apdu, keys));
}
