import { ConflictError, MeteropsError, ValidationError } from '../domain/errors.ts';

/**
 * Constraint violations that slip past the services' own checks (a race between two requests,
 * say) become coded errors instead of raw driver errors. Both drivers expose SQLSTATE as `code`.
 */
export function translateDbError(err: unknown): unknown {
  if (err instanceof MeteropsError || typeof err !== 'object' || err === null) return err;
  const e = err as { code?: string; constraint?: string; message?: string; detail?: string };
  switch (e.code) {
    case '23505':
      return new ConflictError('unique', `already exists (${e.constraint ?? 'unique constraint'})`, e.constraint);
    case '23503':
      return new ValidationError(e.constraint ?? 'reference', 'foreign-key', `refers to something that does not exist (${e.constraint ?? ''})`);
    case '23514':
      return new ValidationError(e.constraint ?? 'check', 'check-constraint', `violates ${e.constraint ?? 'a check constraint'}`);
    default:
      return err;
  }
}
