import type { X509Certificate } from 'node:crypto';

/** GBCS remote-party roles as organisation certificates carry them: two hex digits in the subject OU. */
export const ROLE_NAMES: Readonly<Record<number, string>> = {
  0x00: 'root', 0x01: 'recovery', 0x02: 'supplier', 0x03: 'network operator', 0x04: 'ACB', 0x05: 'transitional CoS',
  0x06: 'WAN provider', 0x07: 'issuing authority', 0x08: 'load controller', 0x7f: 'other',
};

export const ROLE_CODES = { supplier: 0x02, networkOperator: 0x03, recovery: 0x01, acb: 0x04 } as const;

/** The role of an organisation certificate, or undefined for a device certificate (no role OU). */
export function certificateRole(cert: X509Certificate): number | undefined {
  const ou = /(?:^|\n)OU=([0-9A-Fa-f]{2})(?:\n|$)/.exec(cert.subject);
  return ou ? parseInt(ou[1]!, 16) : undefined;
}
