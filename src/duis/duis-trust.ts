import { X509Certificate } from 'node:crypto';
import type { Eui } from '../domain/eui.ts';
import { certificateEui } from '../gbcs/certificate-role.ts';

/**
 * XmlSign roles (the subject OU of an XmlSign certificate): a User's (0x87 = 135) and the DSP's
 * (0x89 = 137), as the DCC Boxed keystore and signing tool carry them.
 */
export const XML_SIGN_ROLE = { user: 135, dsp: 137 } as const;

/** One certificate a DUIS signature may name in its X509IssuerSerial. */
export interface TrustedSigner {
  readonly certificate: X509Certificate;
  /** The serial in decimal, as X509SerialNumber carries it. */
  readonly serial: string;
  /** RFC 2253 form of the issuer (`CN=Z1,OU=07`), as DCC Boxed writes X509IssuerName. */
  readonly issuerName: string;
  readonly eui: Eui | undefined;
  readonly role: number | undefined;
}

/**
 * The XmlSign role in a certificate's subject OU. Most are two hex digits (`89`); the DSP
 * certificate of DCC Boxed before 1.4.1 writes the role in decimal (`137`), so a three-digit OU is read as decimal.
 */
export function xmlSignRole(cert: X509Certificate): number | undefined {
  const ou = /(?:^|\n)OU=([0-9A-Fa-f]{2,3})(?:\n|$)/.exec(cert.subject)?.[1];
  if (!ou) return undefined;
  return ou.length === 3 ? Number.parseInt(ou, 10) : Number.parseInt(ou, 16);
}

/** `OU=07\nCN=Z1` (node's order, first RDN first) → `CN=Z1,OU=07` (RFC 2253: last RDN first). */
export function rfc2253(name: string): string {
  return name.split('\n').filter(Boolean).reverse().join(',');
}

/** Issuer names compared without the spaces some writers put after commas (`CN=U1, OU=07`). */
const sameName = (a: string, b: string) => a.replace(/\s*,\s*/g, ',').toUpperCase() === b.replace(/\s*,\s*/g, ',').toUpperCase();

export function trustedSigner(pem: string | Buffer): TrustedSigner {
  const certificate = new X509Certificate(pem);
  return {
    certificate,
    serial: BigInt(`0x${certificate.serialNumber}`).toString(10),
    issuerName: rfc2253(certificate.issuer),
    eui: certificateEui(certificate) as Eui | undefined,
    role: xmlSignRole(certificate),
  };
}

/**
 * The certificates a verifier accepts, looked up by issuer and serial. Which set is in force is
 * configuration: DCC Boxed changed its DSP certificate at 1.4.1, so a User talking to an older
 * appliance trusts the older one too.
 */
export class DuisTrust {
  readonly #signers: TrustedSigner[];

  constructor(certificates: readonly (string | Buffer | TrustedSigner)[]) {
    this.#signers = certificates.map((c) => (typeof c === 'string' || Buffer.isBuffer(c) ? trustedSigner(c) : c));
  }

  find(issuerName: string, serial: string): TrustedSigner | undefined {
    const s = serial.trim();
    return this.#signers.find((t) => t.serial === s && sameName(t.issuerName, issuerName.trim()));
  }

  get signers(): readonly TrustedSigner[] {
    return this.#signers;
  }
}
