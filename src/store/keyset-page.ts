import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { KeyedPage, PageKey, PageKeyPart, PageRequest } from '../domain/page.ts';

/** A list's order: columns that together are unique, all ascending or all descending. */
export interface KeysetOrder {
  readonly columns: readonly string[];
  readonly direction: 'asc' | 'desc';
}

/**
 * One page of a query in keyset order: rows whose key (a row comparison, so one index range scan)
 * comes after `after`, one more than the limit fetched to know whether a next page exists.
 */
export async function keysetPage<DB, TB extends keyof DB, O, T>(
  q: SelectQueryBuilder<DB, TB, O>,
  order: KeysetOrder,
  page: PageRequest,
  toItem: (row: O) => T,
  keyOf: (row: O) => PageKey,
): Promise<KeyedPage<T>> {
  let query = q;
  const cols = sql.join(order.columns.map((c) => sql.ref(c)));
  if (page.after) {
    const values = sql.join(page.after.map((v: PageKeyPart) => sql`${v}`));
    query = query.where(sql<SqlBool>`(${cols}) ${sql.raw(order.direction === 'asc' ? '>' : '<')} (${values})`);
  }
  for (const c of order.columns) query = query.orderBy(sql.ref(c), order.direction);
  const rows = await query.limit(page.limit + 1).execute();
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  return { items: kept.map(toItem), nextKey: more ? keyOf(kept.at(-1)!) : null };
}

/**
 * A timestamp as a key part: ISO 8601 with milliseconds. Exact for the columns lists order by
 * (work orders' and vends' created_at, duties' deadline), which the services write from their
 * clock in milliseconds; a column filled by the database's now() (microseconds) would not be.
 */
export const dateKey = (d: Date | string): string => new Date(d).toISOString();
