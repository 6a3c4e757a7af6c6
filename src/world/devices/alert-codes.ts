/**
 * The codes simulated devices answer refusals with. UTRN codes are GBCS alert codes (gbcs.md
 * section 5). For failed authentication, authority or counter checks the public material does not
 * fix the code (gbcs-payloads.md section 4.3); these defaults follow the candidates it names and
 * are settings of the device model.
 */
export const ALERT = {
  integrityCheckFailed: 0x8f1e,
  sourceNotAuthorised: 0x8f30,
  trustedSourceAuthenticationFailure: 0x8f3d,
  duplicateUtrn: 0x8f51,
  otherAuthenticationFailure: 0x8f53,
  utrnExceedsMaxCredit: 0x8f5b,
  utrnNotAuthentic: 0x8f63,
  utrnNotForThisDevice: 0x8f64,
  utrnManualEntrySuspended: 0x81c4,
  utrnRejectedLockedOut: 0x81c5,
} as const;

export type RefusalReason =
  | 'malformed'
  | 'wrong-recipient'
  | 'mac-invalid'
  | 'signature-invalid'
  | 'signer-not-authorised'
  | 'counter-not-increasing'
  | 'unsupported-command'
  | 'utrn-duplicate'
  | 'utrn-not-authentic'
  | 'utrn-exceeds-max-credit'
  | 'utrn-locked-out'
  | 'config-code-stale'
  | 'credential-rule';

export const REFUSAL_ALERT: Readonly<Record<RefusalReason, number>> = {
  malformed: ALERT.integrityCheckFailed,
  'wrong-recipient': ALERT.otherAuthenticationFailure,
  'mac-invalid': ALERT.trustedSourceAuthenticationFailure,
  'signature-invalid': ALERT.trustedSourceAuthenticationFailure,
  'signer-not-authorised': ALERT.sourceNotAuthorised,
  'counter-not-increasing': ALERT.otherAuthenticationFailure,
  'unsupported-command': ALERT.integrityCheckFailed,
  'utrn-duplicate': ALERT.duplicateUtrn,
  'utrn-not-authentic': ALERT.utrnNotAuthentic,
  'utrn-exceeds-max-credit': ALERT.utrnExceedsMaxCredit,
  'utrn-locked-out': ALERT.utrnRejectedLockedOut,
  'config-code-stale': ALERT.duplicateUtrn,
  'credential-rule': ALERT.sourceNotAuthorised,
};
