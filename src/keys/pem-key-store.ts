import { createPrivateKey, createPublicKey, diffieHellman, X509Certificate, type KeyObject } from 'node:crypto';
import type { Eui } from '../domain/eui.ts';
import { KeyNotFoundError, type KeyStore, type KeyUsage } from '../gbcs/key-store.ts';
import { signRaw } from '../gbcs/signature.ts';

/** Where one key's PEM texts come from, and a name for messages. */
export interface PemSource {
  readonly label: string;
  certificate?(): string | Buffer;
  privateKey?(): string | Buffer;
}

interface Loaded {
  certificate?: X509Certificate;
  publicKey?: KeyObject;
  privateKey?: KeyObject;
}

/**
 * A keystore over PEM texts (certificates and PKCS#8 keys), parsed when first used and cached.
 * Encrypted PKCS#8 keys need the passphrase.
 */
export abstract class PemKeyStore implements KeyStore {
  readonly #loaded = new Map<string, { src: PemSource; l: Loaded } | null>();
  constructor(readonly passphrase?: string) {}

  protected abstract source(eui: Eui, usage: KeyUsage): PemSource | undefined;

  /** The key's source and what has been parsed from it, looked up once per key. */
  #get(eui: Eui, usage: KeyUsage): { src: PemSource; l: Loaded } | undefined {
    const k = `${eui}/${usage}`;
    let e = this.#loaded.get(k);
    if (e === undefined) {
      const src = this.source(eui, usage);
      e = src ? { src, l: {} } : null;
      this.#loaded.set(k, e);
    }
    return e ?? undefined;
  }

  async certificate(eui: Eui, usage: KeyUsage): Promise<X509Certificate | undefined> {
    const e = this.#get(eui, usage);
    if (!e?.src.certificate) return undefined;
    e.l.certificate ??= new X509Certificate(e.src.certificate());
    return e.l.certificate;
  }

  #privateKey(eui: Eui, usage: KeyUsage): KeyObject | undefined {
    const e = this.#get(eui, usage);
    if (!e?.src.privateKey) return undefined;
    if (!e.l.privateKey) {
      const pem = e.src.privateKey().toString();
      if (pem.includes('ENCRYPTED PRIVATE KEY') && !this.passphrase) {
        throw new Error(`${e.src.label} is encrypted: give the keystore passphrase (METEROPS_KEYSTORE_PASSPHRASE)`);
      }
      try {
        e.l.privateKey = createPrivateKey(this.passphrase && pem.includes('ENCRYPTED') ? { key: pem, passphrase: this.passphrase } : pem);
      } catch (err) {
        throw new Error(`cannot read ${e.src.label}: ${(err as Error).message} (wrong passphrase?)`, { cause: err });
      }
    }
    return e.l.privateKey;
  }

  async publicKey(eui: Eui, usage: KeyUsage): Promise<KeyObject | undefined> {
    const e = this.#get(eui, usage);
    if (!e) return undefined;
    if (!e.l.publicKey) {
      const cert = await this.certificate(eui, usage);
      const priv = cert ? undefined : this.#privateKey(eui, usage);
      e.l.publicKey = cert ? cert.publicKey : priv ? createPublicKey(priv) : undefined;
    }
    return e.l.publicKey;
  }

  async hasPrivateKey(eui: Eui, usage: KeyUsage): Promise<boolean> {
    return !!this.#get(eui, usage)?.src.privateKey;
  }

  async sign(eui: Eui, usage: 'ds', data: Uint8Array): Promise<Uint8Array> {
    const k = this.#privateKey(eui, usage);
    if (!k) throw new KeyNotFoundError(eui, usage, 'private');
    return signRaw(k, data);
  }

  async agree(eui: Eui, usage: 'ka' | 'pp-ka', peer: KeyObject): Promise<Uint8Array> {
    const k = this.#privateKey(eui, usage);
    if (!k) throw new KeyNotFoundError(eui, usage, 'private');
    return diffieHellman({ privateKey: k, publicKey: peer });
  }
}
