import { ConflictError, MeteropsError, ValidationError } from '../domain/errors.ts';

/**
 * Unique constraints a client can run into, in the domain's words: the field to blame and what it
 * means (the constraint's name is the schema's business, not the client's).
 */
const UNIQUE: Readonly<Record<string, { field: string; rule: string; message: string }>> = {
  premises_mpan_key: { field: 'mpan', rule: 'mpan-unique', message: 'a premise with this MPAN core is recorded already' },
  premises_mprn_key: { field: 'mprn', rule: 'mprn-unique', message: 'a premise with this MPRN is recorded already' },
  parties_pkey: { field: 'id', rule: 'party-unique', message: 'a party with this id exists already' },
  parties_eui_key: { field: 'eui', rule: 'party-eui-unique', message: 'a party with this EUI exists already' },
  facilities_pkey: { field: 'id', rule: 'facility-unique', message: 'a facility with this id exists already' },
  installations_pkey: { field: 'eui', rule: 'installed-once', message: 'this device is installed already' },
};

/**
 * Constraint violations that slip past the services' own checks (a race between two requests,
 * say) become coded errors instead of raw driver errors. Both drivers expose SQLSTATE as `code`.
 */
export function translateDbError(err: unknown): unknown {
  if (err instanceof MeteropsError || typeof err !== 'object' || err === null) return err;
  const e = err as { code?: string; constraint?: string; message?: string; detail?: string };
  switch (e.code) {
    case '23505': {
      const known = e.constraint ? UNIQUE[e.constraint] : undefined;
      if (known) return new ConflictError(known.rule, known.message, known.field);
      return new ConflictError('unique', 'already exists', 'request');
    }
    case '23503':
      return new ValidationError(e.constraint ?? 'reference', 'foreign-key', `refers to something that does not exist (${e.constraint ?? ''})`);
    case '23514':
      return new ValidationError(e.constraint ?? 'check', 'check-constraint', `violates ${e.constraint ?? 'a check constraint'}`);
    default:
      return err;
  }
}
