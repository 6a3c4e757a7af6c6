import { sql, type Kysely } from 'kysely';
import { ConflictError, type Eui } from '../../domain/index.ts';
import type { DuisCounterRepository } from '../ports.ts';
import type { DB } from '../schema.ts';

const LIMIT = 1n << 64n;

export function duisCounterRepository(db: Kysely<DB>): DuisCounterRepository {
  return {
    async next(originator, n) {
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new RangeError(`allocate 1 to 10000 DUIS counters at a time, not ${n}`);
      // One statement: the row is created or raised under its lock, so concurrent senders never share a counter.
      const r = await sql<{ c: string }>`INSERT INTO duis_request_counters AS d (originator_eui, last_counter) VALUES (${originator}, ${n})
        ON CONFLICT (originator_eui) DO UPDATE SET last_counter = d.last_counter + ${n} WHERE d.last_counter + ${n} < ${LIMIT.toString()}::numeric
        RETURNING last_counter::text AS c`.execute(db);
      if (!r.rows.length) throw new ConflictError('duis-counter-exhausted', `the DUIS counters of ${originator} would pass 2^64 - 1`, 'counter');
      const last = BigInt(r.rows[0]!.c);
      return Array.from({ length: n }, (_, i) => last - BigInt(n - 1 - i));
    },
    async claim(originator, counter) {
      if (counter < 0n || counter >= LIMIT) throw new RangeError(`a DUIS counter is below 2^64, not ${counter}`);
      const r = await sql<{ c: string }>`INSERT INTO duis_request_counters AS d (originator_eui, last_counter) VALUES (${originator}, ${counter.toString()}::numeric)
        ON CONFLICT (originator_eui) DO UPDATE SET last_counter = EXCLUDED.last_counter WHERE d.last_counter < EXCLUDED.last_counter
        RETURNING last_counter::text AS c`.execute(db);
      if (!r.rows.length) throw new ConflictError('duis-counter-not-increasing', `DUIS counter ${counter} of ${originator} is not above the last one it used`, 'counter');
    },
    async last(originator: Eui) {
      const r = await sql<{ c: string }>`SELECT last_counter::text AS c FROM duis_request_counters WHERE originator_eui = ${originator}`.execute(db);
      return r.rows[0] ? BigInt(r.rows[0].c) : undefined;
    },
  };
}
