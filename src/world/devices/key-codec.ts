import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

/**
 * A fleet's memory of key and certificate encodings. Its cells hold a few dozen distinct keys and
 * the same few party certificates arrive in thousands of CS02b commands, while saving and loading
 * device state converts them thousands of times: each is converted once, per fleet.
 */
export class KeyCodec {
  readonly #spkis = new WeakMap<KeyObject, string>();
  readonly #keys = new Map<string, KeyObject>();
  readonly #certificates = new Map<string, X509Certificate>();

  spkiOf(k: KeyObject): string {
    let s = this.#spkis.get(k);
    if (!s) this.#spkis.set(k, (s = k.export({ type: 'spki', format: 'der' }).toString('base64')));
    return s;
  }

  keyOf(spki: string): KeyObject {
    let k = this.#keys.get(spki);
    if (!k) {
      if (this.#keys.size >= 10_000) this.#keys.delete(this.#keys.keys().next().value!);
      this.#keys.set(spki, (k = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' })));
      this.#spkis.set(k, spki);
    }
    return k;
  }

  /** A certificate from its DER; throws when it cannot be read. */
  certificate(der: Uint8Array): X509Certificate {
    const key = Buffer.from(der).toString('base64');
    let c = this.#certificates.get(key);
    if (!c) {
      c = new X509Certificate(Buffer.from(der));
      if (this.#certificates.size >= 1_000) this.#certificates.delete(this.#certificates.keys().next().value!);
      this.#certificates.set(key, c);
    }
    return c;
  }
}
