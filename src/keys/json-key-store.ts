import { readFileSync } from 'node:fs';
import { parseEui, type Eui } from '../domain/eui.ts';
import type { KeyUsage } from '../gbcs/key-store.ts';
import { PemKeyStore, type PemSource } from './pem-key-store.ts';

interface JsonEntry {
  certificate?: string;
  privateKey?: string;
  name?: string;
  role?: number;
}
type JsonKeystore = Record<string, Partial<Record<'digitalSignature' | 'keyAgreement', Record<string, JsonEntry>>>>;

/**
 * The DCC Boxed keystore.json: per EUI, several certificates per usage (the Z1 and Z1b sets, XML
 * signing keys). One set is chosen by its name prefix; a Supplier's prepayment KA is the entry
 * whose name ends "PP-ka".
 */
export class JsonKeyStore extends PemKeyStore {
  readonly #entries = new Map<string, JsonEntry>();

  constructor(path: string, opts: { set?: string; passphrase?: string } = {}) {
    super(opts.passphrase);
    const set = opts.set ?? 'Z1';
    let data: JsonKeystore;
    try {
      data = JSON.parse(readFileSync(path, 'utf8')) as JsonKeystore;
    } catch (e) {
      throw new Error(`cannot read keystore ${path}: ${(e as Error).message}`, { cause: e });
    }
    for (const [euiText, usages] of Object.entries(data)) {
      const eui = parseEui(euiText, 'keystore.json EUI');
      const pick = (group: Record<string, JsonEntry> | undefined, test: (name: string) => boolean) => {
        const all = Object.values(group ?? {}).filter((e) => e.name && test(e.name));
        return all.find((e) => e.name!.startsWith(`${set}-`)) ?? all.find((e) => !/xml-sign/.test(e.name!));
      };
      const ds = pick(usages.digitalSignature, (n) => n.endsWith('-ds'));
      const ka = pick(usages.keyAgreement, (n) => n.endsWith('-ka') && !/PP-ka$/.test(n));
      const pp = pick(usages.keyAgreement, (n) => /PP-ka$/.test(n));
      if (ds) this.#entries.set(`${eui}/ds`, ds);
      if (ka) this.#entries.set(`${eui}/ka`, ka);
      if (pp) this.#entries.set(`${eui}/pp-ka`, pp);
    }
  }

  protected source(eui: Eui, usage: KeyUsage): PemSource | undefined {
    const e = this.#entries.get(`${eui}/${usage}`);
    if (!e) return undefined;
    return {
      label: `keystore.json ${e.name ?? eui}`,
      ...(e.certificate ? { certificate: () => e.certificate! } : {}),
      ...(e.privateKey ? { privateKey: () => e.privateKey! } : {}),
    };
  }
}
