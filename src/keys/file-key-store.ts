import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEui, type Eui } from '../domain/eui.ts';
import type { KeyUsage } from '../gbcs/key-store.ts';
import { PemKeyStore, type PemSource } from './pem-key-store.ts';

const FILE = /^([0-9a-fA-F]{16})(-pp)?-(ds|ka)\.(pem|key)$/;

/**
 * A keystore over a directory in the DCC Boxed layout: `<eui>[-pp]-<ds|ka>.pem` holds a
 * certificate, `.key` a PKCS#8 PEM private key (encrypted when meterops wrote it). Files are read
 * when first needed.
 */
export class FileKeyStore extends PemKeyStore {
  readonly #paths = new Map<string, { cert?: string; key?: string }>();

  constructor(
    readonly dir: string,
    passphrase?: string,
  ) {
    super(passphrase);
    if (!existsSync(dir)) throw new Error(`keystore directory ${dir} does not exist`);
    for (const name of readdirSync(dir)) {
      const m = FILE.exec(name);
      if (!m) continue;
      const key = `${m[1]!.toUpperCase()}/${m[2] ? 'pp-ka' : m[3]}`;
      const e = this.#paths.get(key) ?? {};
      if (m[4] === 'pem') e.cert = join(dir, name);
      else e.key = join(dir, name);
      this.#paths.set(key, e);
    }
  }

  protected source(eui: Eui, usage: KeyUsage): PemSource | undefined {
    const p = this.#paths.get(`${eui}/${usage}`);
    if (!p) return undefined;
    return {
      label: p.key ?? p.cert!,
      ...(p.cert ? { certificate: () => readFileSync(p.cert!) } : {}),
      ...(p.key ? { privateKey: () => readFileSync(p.key!) } : {}),
    };
  }

  /** The EUIs and usages this directory holds. */
  list(): Array<{ eui: Eui; usage: KeyUsage; certificate: boolean; privateKey: boolean }> {
    return [...this.#paths].map(([k, e]) => {
      const [eui, usage] = k.split('/') as [string, KeyUsage];
      return { eui: parseEui(eui), usage, certificate: !!e.cert, privateKey: !!e.key };
    });
  }
}
