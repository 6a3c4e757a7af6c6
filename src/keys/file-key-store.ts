import { createPrivateKey, createPublicKey, diffieHellman, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEui, type Eui } from '../domain/eui.ts';
import { KeyNotFoundError, type KeyStore, type KeyUsage } from '../gbcs/key-store.ts';
import { signRaw } from '../gbcs/signature.ts';

const FILE = /^([0-9a-fA-F]{16})(-pp)?-(ds|ka)\.(pem|key)$/;

interface Entry {
  certPath?: string;
  keyPath?: string;
  publicKey?: KeyObject;
  privateKey?: KeyObject;
  certificate?: X509Certificate;
}

/**
 * A keystore over a directory in the DCC Boxed layout: `<eui>[-pp]-<ds|ka>.pem` holds a
 * certificate (public), `.key` a PKCS#8 PEM private key. Files are read when first needed.
 */
export class FileKeyStore implements KeyStore {
  readonly #entries = new Map<string, Entry>();

  readonly #passphrase: string | undefined;

  /** `passphrase` opens encrypted PKCS#8 keys (those meterops writes); DCC Boxed keys are in the clear. */
  constructor(
    readonly dir: string,
    passphrase?: string,
  ) {
    this.#passphrase = passphrase;
    if (!existsSync(dir)) throw new Error(`keystore directory ${dir} does not exist`);
    for (const name of readdirSync(dir)) {
      const m = FILE.exec(name);
      if (!m) continue;
      const key = `${m[1]!.toUpperCase()}/${m[2] ? 'pp-ka' : m[3]}`;
      const e = this.#entries.get(key) ?? {};
      if (m[4] === 'pem') e.certPath = join(dir, name);
      else e.keyPath = join(dir, name);
      this.#entries.set(key, e);
    }
  }

  /** The EUIs and usages this directory holds, for listings and conformance reports. */
  list(): Array<{ eui: Eui; usage: KeyUsage; certificate: boolean; privateKey: boolean }> {
    return [...this.#entries].map(([k, e]) => {
      const [eui, usage] = k.split('/') as [string, KeyUsage];
      return { eui: parseEui(eui), usage, certificate: !!e.certPath, privateKey: !!e.keyPath };
    });
  }

  #entry(eui: Eui, usage: KeyUsage): Entry | undefined {
    return this.#entries.get(`${eui}/${usage}`);
  }

  async certificate(eui: Eui, usage: KeyUsage): Promise<X509Certificate | undefined> {
    return this.#certificate(eui, usage);
  }

  #certificate(eui: Eui, usage: KeyUsage): X509Certificate | undefined {
    const e = this.#entry(eui, usage);
    if (!e?.certPath) return undefined;
    e.certificate ??= new X509Certificate(readFileSync(e.certPath));
    return e.certificate;
  }

  #privateKey(eui: Eui, usage: KeyUsage): KeyObject | undefined {
    const e = this.#entry(eui, usage);
    if (!e?.keyPath) return undefined;
    if (!e.privateKey) {
      const pem = readFileSync(e.keyPath, 'utf8');
      if (pem.includes('ENCRYPTED PRIVATE KEY') && !this.#passphrase) {
        throw new Error(`${e.keyPath} is encrypted: give the keystore passphrase (METEROPS_KEYSTORE_PASSPHRASE)`);
      }
      try {
        e.privateKey = createPrivateKey(this.#passphrase ? { key: pem, passphrase: this.#passphrase } : pem);
      } catch (err) {
        throw new Error(`cannot read ${e.keyPath}: ${(err as Error).message} (wrong passphrase?)`, { cause: err });
      }
    }
    return e.privateKey;
  }

  async publicKey(eui: Eui, usage: KeyUsage): Promise<KeyObject | undefined> {
    const e = this.#entry(eui, usage);
    if (!e) return undefined;
    if (!e.publicKey) {
      const cert = this.#certificate(eui, usage);
      const priv = cert ? undefined : this.#privateKey(eui, usage);
      e.publicKey = cert ? cert.publicKey : priv ? createPublicKey(priv) : undefined;
    }
    return e.publicKey;
  }

  async hasPrivateKey(eui: Eui, usage: KeyUsage): Promise<boolean> {
    return !!this.#entry(eui, usage)?.keyPath;
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
