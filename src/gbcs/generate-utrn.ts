import { KeyNotFoundError, type KeyStore } from './key-store.ts';
import { buildUtrn, type UtrnFields } from './utrn.ts';

/** A UTRN from the keystore: Z = ECDH(Supplier PP-KA private key, device KA public key). */
export async function generateUtrn(keys: KeyStore, f: UtrnFields): Promise<string> {
  const devicePub = await keys.publicKey(f.device, 'ka');
  if (!devicePub) throw new KeyNotFoundError(f.device, 'ka', 'public');
  return buildUtrn(await keys.agree(f.supplier, 'pp-ka', devicePub), f);
}
