import { MeteropsError } from '../domain/errors.ts';

/**
 * Why a DUIS document was refused. Each reason is its own rule, so a caller (and a test) can tell a
 * missing signature from a bad one, an unknown signer from one who is not the originator.
 */
export type DuisRefusal =
  | 'xml-malformed'
  | 'schema-invalid'
  | 'not-duis'
  | 'request-id'
  | 'command-variant'
  | 'signature-missing'
  | 'signature-form'
  | 'signer-serial-missing'
  | 'signer-unknown'
  | 'signer-not-originator'
  | 'signer-role'
  | 'signature-invalid'
  | 'counter-replayed'
  | 'pre-command';

/** A refused DUIS document: HTTP 400, code `DUIS`, the rule saying which check it failed. */
export class DuisError extends MeteropsError {
  constructor(
    readonly refusal: DuisRefusal,
    message: string,
    opts: { field?: string; cause?: unknown } = {},
  ) {
    super('DUIS', 400, message, {
      rule: `duis-${refusal}`,
      ...(opts.field !== undefined ? { field: opts.field } : {}),
      ...(opts.cause !== undefined ? { cause: opts.cause } : {}),
    });
  }
}
