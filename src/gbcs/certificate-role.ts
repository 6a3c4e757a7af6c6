import type { X509Certificate } from 'node:crypto';

/** GBCS remote-party roles as organisation certificates carry them: two hex digits in the subject OU. */
export const ROLE_NAMES: Readonly<Record<number, string>> = {
  0x00: 'root',
  0x01: 'recovery',
  0x02: 'supplier',
  0x03: 'network operator',
  0x04: 'ACB',
  0x05: 'transitional CoS',
  0x06: 'WAN provider',
  0x07: 'issuing authority',
  0x08: 'load controller',
  0x7f: 'other',
};

export const ROLE_CODES = { supplier: 0x02, networkOperator: 0x03, recovery: 0x01, acb: 0x04 } as const;

/** The role of an organisation certificate, or undefined for a device certificate (no role OU). */
export function certificateRole(cert: X509Certificate): number | undefined {
  const ou = /(?:^|\n)OU=([0-9A-Fa-f]{2})(?:\n|$)/.exec(cert.subject);
  return ou ? parseInt(ou[1]!, 16) : undefined;
}

const HW_TYPE_THEN_EUI = Buffer.from('060d2a863a0001848fb90f010202010408', 'hex');
// OID 2.5.4.45 x500UniqueIdentifier, then BIT STRING of 9 bytes with 0 unused bits.
const UNIQUE_ID_THEN_EUI = Buffer.from('060355042d030900', 'hex');

/**
 * The EUI a certificate is for: an organisation's x500UniqueIdentifier (a BIT STRING with a zero
 * unused-bits byte), or a device's hardwareModuleName serial in the subjectAltName.
 */
export function certificateEui(cert: X509Certificate): string | undefined {
  // Read from the DER: node renders the BIT STRING value of the subject as lossy text.
  for (const marker of [UNIQUE_ID_THEN_EUI, HW_TYPE_THEN_EUI]) {
    const at = cert.raw.indexOf(marker);
    if (at >= 0)
      return cert.raw
        .subarray(at + marker.length, at + marker.length + 8)
        .toString('hex')
        .toUpperCase();
  }
  return undefined;
}
