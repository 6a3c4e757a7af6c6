/**
 * GBCS alert codes met in the RTDS and in gbcs-payloads.md section 4, with their names. The GBCS
 * alert table itself is not in the local material: names come from gbcs-payloads.md and the
 * use cases whose frames raise them; a code not listed reads as its hex value.
 */
export const ALERT_CODES: ReadonlyMap<number, string> = new Map([
  [0x8f30, 'Source does not have authority for command'],
  [0x8f3d, 'Trusted source authentication failure'],
  [0x8f51, 'Duplicate UTRN entered'],
  [0x8f53, 'Failed authentication or authorisation not covered by other codes'],
  [0x8f5b, 'UTRN exceeds maximum credit threshold'],
  [0x8f63, 'UTRN not authentic'],
  [0x8f64, 'UTRN not for this device'],
  [0x8f1e, 'Integrity check of content or format of command failed'],
  [0x8f60, 'Unusual numbers of malformed, out-of-order or unexpected commands'],
  [0x8f66, 'Update security credentials: success (future-dated)'],
  [0x8f67, 'Update security credentials: failure (future-dated)'],
  [0x810e, 'Credit added locally'],
  [0x81c4, 'UTRN manual entry suspended'],
  [0x81c5, 'UTRN rejected as locked out'],
  [0x8f0a, 'Billing data log updated'],
]);

export function alertCodeText(code: number): string {
  const hexCode = `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = ALERT_CODES.get(code);
  return name ? `${hexCode} ${name}` : hexCode;
}
