import type { Eui } from '../domain/eui.ts';
import { encryptionTarget } from './decrypt-payload.ts';
import type { GeneralSigningApdu } from './frame.ts';
import type { KeyStore } from './key-store.ts';
import type { PayloadKeys } from './payloads/payload-keys.ts';
import { decodePayload } from './payloads/decode-payload.ts';
import { dlmsUseCase, payloadFamily } from './payloads/payload-registry.ts';
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
 * Whether a payload announces encrypted parts before it is read: a GBZ component whose extended
 * header control has the encrypted bit (0x02), or a DLMS response or alert of a use case whose
 * protected attributes the registry lists. A cheap guess either way: a payload it misses is still
 * decoded again with keys when its first reading finds encrypted parts.
 */
function mayHoldEncryptedParts(apdu: Parameters<typeof decodePayload>[0]): boolean {
  const b = apdu.content;
  const family = payloadFamily(b);
  if (family === 'dlms') {
    if (apdu.cra === 'command') return false;
    const u = dlmsUseCase(apdu.messageCode);
    return u.protectedObjects !== undefined || u.alertBody !== undefined;
  }
  if (family !== 'gbz' || apdu.cra === 'command') return false;
  let p = apdu.cra === 'alert' ? 9 : 3;
  for (let i = 0; i < b[2]! && p + 5 <= b.length; i++) {
    if (b[p]! & 0x02) return true;
    p += 5 + ((b[p + 3]! << 8) | b[p + 4]!);
  }
  return false;
}

/**
 * A frame's payload decoded with the keys it needs: first without any (most payloads are plain),
 * then, only when it holds encrypted parts, again with the secrets fetched from the keystore.
 */
export async function decodeFramePayload(apdu: Parameters<typeof decodePayload>[0], keys: KeyStore): Promise<DecodedPayload> {
  // Where the header bytes already say that parts are encrypted, the keys are fetched first and the payload read once.
  if (mayHoldEncryptedParts(apdu)) return decodePayload(apdu, await payloadKeysFor(apdu, keys));
  const plain = decodePayload(apdu);
  if (!plain.encrypted.some((e) => e.status === 'unverifiable')) return plain;
  return decodePayload(apdu, await payloadKeysFor(apdu, keys));
}
