import type { KeyObject, X509Certificate } from 'node:crypto';
import type { Eui } from '../domain/eui.ts';
import { KeyNotFoundError, type KeyStore, type KeyUsage } from '../gbcs/key-store.ts';

/** Several keystores as one: each question goes to the first that can answer (an HSM for private keys, files for certificates). */
export class CompositeKeyStore implements KeyStore {
  constructor(private readonly stores: readonly KeyStore[]) {}

  async publicKey(eui: Eui, usage: KeyUsage): Promise<KeyObject | undefined> {
    for (const s of this.stores) {
      const k = await s.publicKey(eui, usage);
      if (k) return k;
    }
    return undefined;
  }
  async certificate(eui: Eui, usage: KeyUsage): Promise<X509Certificate | undefined> {
    for (const s of this.stores) {
      const c = await s.certificate(eui, usage);
      if (c) return c;
    }
    return undefined;
  }
  async hasPrivateKey(eui: Eui, usage: KeyUsage): Promise<boolean> {
    for (const s of this.stores) if (await s.hasPrivateKey(eui, usage)) return true;
    return false;
  }
  async #holder(eui: Eui, usage: KeyUsage): Promise<KeyStore> {
    for (const s of this.stores) if (await s.hasPrivateKey(eui, usage)) return s;
    throw new KeyNotFoundError(eui, usage, 'private');
  }
  async sign(eui: Eui, usage: 'ds', data: Uint8Array): Promise<Uint8Array> {
    return (await this.#holder(eui, usage)).sign(eui, usage, data);
  }
  async agree(eui: Eui, usage: 'ka' | 'pp-ka', peer: KeyObject): Promise<Uint8Array> {
    return (await this.#holder(eui, usage)).agree(eui, usage, peer);
  }
}
