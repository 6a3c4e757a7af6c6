/**
 * Coded errors. Each knows its stable code, its HTTP status and, where one input is to blame, the
 * field and the rule it broke, so every adapter (HTTP problem+json, CLI, import report) can say
 * exactly what is wrong without re-interpreting messages.
 */
export interface ErrorDetail {
  readonly field?: string;
  readonly rule?: string;
  readonly message: string;
}

export class MeteropsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;
  readonly rule: string | undefined;
  readonly details: readonly ErrorDetail[];

  constructor(code: string, status: number, message: string, opts: { field?: string; rule?: string; details?: readonly ErrorDetail[]; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.field = opts.field;
    this.rule = opts.rule;
    this.details = opts.details ?? [];
  }
}

/** Input that does not satisfy a format or business rule (HTTP 422). */
export class ValidationError extends MeteropsError {
  constructor(field: string, rule: string, message: string, details?: readonly ErrorDetail[]) {
    super('VALIDATION_FAILED', 422, message, { field, rule, ...(details ? { details } : {}) });
  }
}

export class NotFoundError extends MeteropsError {
  constructor(what: string, id: string, field?: string) {
    super('NOT_FOUND', 404, `${what} ${id} not found`, field ? { field } : {});
  }
}

/** Authenticated, but the party may not act on this thing. */
export class ForbiddenError extends MeteropsError {
  constructor(rule: string, message: string, field?: string) {
    super('FORBIDDEN', 403, message, { rule, ...(field ? { field } : {}) });
  }
}

export class UnauthorizedError extends MeteropsError {
  /** `where` names what was not accepted: the API key (the default), a password sign-in, a session. */
  constructor(
    message = 'a valid party API key is required (Authorization: Bearer <key>)',
    where: { field: string; rule: string } = { field: 'authorization', rule: 'bearer-api-key' },
  ) {
    super('UNAUTHORIZED', 401, message, where);
  }
}

export class ConflictError extends MeteropsError {
  constructor(rule: string, message: string, field?: string) {
    super('CONFLICT', 409, message, { rule, ...(field ? { field } : {}) });
  }
}

/**
 * The DCC's E5 response: the requested status does not fit the device's current status or the
 * requester may not set it. Same meaning, same code, so operators recognise it.
 */
export class StatusIncompatibleError extends MeteropsError {
  constructor(field: string, message: string) {
    super('E5', 409, message, { field, rule: 'status-incompatible' });
  }
}

/** Too many requests for one key or address in the window; the client may retry after `retryAfterSeconds`. */
export class RateLimitedError extends MeteropsError {
  readonly retryAfterSeconds: number;
  constructor(field: 'api-key' | 'address' | 'sign-in', message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', 429, message, { field, rule: 'rate-limit' });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
