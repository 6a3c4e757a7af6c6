import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseEui, type Eui } from '../domain/eui.ts';
import { trustedSigner, XML_SIGN_ROLE, type TrustedSigner } from './duis-trust.ts';
import type { XmlSigner } from './duis-signature.ts';

interface JsonEntry {
  readonly certificate?: string;
  readonly privateKey?: string;
  readonly name?: string;
  readonly role?: number;
}
type JsonKeystore = Record<string, Partial<Record<'digitalSignature' | 'keyAgreement', Record<string, JsonEntry>>>>;

/** The XmlSign certificates (and, where present, keys) of a DCC Boxed keystore.json: its role-135 entries. */
export interface XmlSignKeys {
  /** Signers whose private key the file holds, by EUI. */
  readonly signers: ReadonlyMap<Eui, XmlSigner>;
  /** Every XmlSign certificate in the file (for a verifier's trust set). */
  readonly certificates: readonly TrustedSigner[];
}

export function readXmlSignKeys(path: string): XmlSignKeys {
  let data: JsonKeystore;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as JsonKeystore;
  } catch (e) {
    throw new Error(`cannot read keystore ${path}: ${(e as Error).message}`, { cause: e });
  }
  const signers = new Map<Eui, XmlSigner>();
  const certificates: TrustedSigner[] = [];
  for (const [euiText, usages] of Object.entries(data)) {
    const eui = parseEui(euiText, 'keystore.json EUI');
    for (const e of Object.values(usages.digitalSignature ?? {})) {
      if (e.role !== XML_SIGN_ROLE.user && e.role !== XML_SIGN_ROLE.dsp) continue;
      if (!e.certificate) continue;
      const signer = trustedSigner(e.certificate);
      certificates.push(signer);
      if (e.privateKey && signer.eui === eui) signers.set(eui, { signer, privateKey: createPrivateKey(e.privateKey) });
    }
  }
  return { signers, certificates };
}
