import type { Kysely, Selectable } from 'kysely';
import { executeOn } from '../database.ts';
import { dateKey, keysetPage } from '../keyset-page.ts';
import type { JobRecord, JobRepository } from '../ports.ts';
import type { DB, JobsTable } from '../schema.ts';

const toRecord = (r: Selectable<JobsTable>): JobRecord => ({
  id: r.id,
  name: r.name,
  partyId: r.party_id,
  parentId: r.parent_id,
  progressDone: Number(r.progress_done),
  progressTotal: r.progress_total === null ? null : Number(r.progress_total),
  committedAt: r.committed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function jobRepository(db: Kysely<DB>): JobRepository {
  return {
    executeSql: (text, values) => executeOn(db, text, values),
    async insert(r) {
      await db
        .insertInto('jobs')
        .values({ id: r.id, name: r.name, party_id: r.partyId, parent_id: r.parentId, progress_total: r.progressTotal, created_at: r.createdAt, updated_at: r.createdAt })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    page: (partyId, page) =>
      keysetPage(db.selectFrom('jobs').selectAll().where('party_id', '=', partyId), { columns: ['created_at', 'id'], direction: 'desc' }, page, toRecord, (r) => [
        dateKey(r.created_at),
        r.id,
      ]),
    async children(parentId) {
      const rows = await db.selectFrom('jobs').selectAll().where('parent_id', '=', parentId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toRecord);
    },
    async setProgress(id, done, total, at) {
      await db.updateTable('jobs').set({ progress_done: done, progress_total: total, updated_at: at }).where('id', '=', id).execute();
    },
    async addProgress(id, done, at) {
      await db
        .updateTable('jobs')
        .set((eb) => ({ progress_done: eb('progress_done', '+', done), updated_at: at }))
        .where('id', '=', id)
        .execute();
    },
    async markCommitted(id, at) {
      const r = await db.updateTable('jobs').set({ committed_at: at, updated_at: at }).where('id', '=', id).where('committed_at', 'is', null).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
  };
}
