import type { Kysely } from 'kysely';
import type { MetaRepository } from '../ports.ts';
import type { DB } from '../schema.ts';

export function metaRepository(db: Kysely<DB>): MetaRepository {
  return {
    async get(key) {
      const r = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
      return r?.value;
    },
    async set(key, value) {
      await db
        .insertInto('meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}
