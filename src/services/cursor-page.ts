import { ValidationError } from '../domain/index.ts';
import { LIMITS } from './deps.ts';

/** A page of a list: the items, and the cursor of the next page (null on the last). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

/** The default page size, a meterops default; the most a client may ask for is LIMITS.pageSize. */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * Checks a page request: a limit from 1 to LIMITS.pageSize (a larger one is refused, never cut
 * down in silence) and a cursor this list gave out. Cursors are opaque: base64url of the last key.
 */
export function pageRequest(req: PageRequest): { limit: number; after: string | undefined } {
  const limit = req.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.pageSize) throw new ValidationError('limit', 'page-size', `limit is a whole number from 1 to ${LIMITS.pageSize}`);
  if (req.cursor === undefined) return { limit, after: undefined };
  const after = /^[A-Za-z0-9_-]{1,400}$/.test(req.cursor) ? Buffer.from(req.cursor, 'base64url').toString('utf8') : '';
  if (!after.startsWith('k:') || after.length < 3) throw new ValidationError('cursor', 'page-cursor', 'cursor is not one this list gave out (use the "next" of the previous page)');
  return { limit, after: after.slice(2) };
}

/** Fetches limit + 1 to know whether another page follows; `keyOf` gives the sort key of an item. */
export async function fetchPage<T>(req: PageRequest, fetch: (after: string | undefined, limit: number) => Promise<T[]>, keyOf: (t: T) => string): Promise<Page<T>> {
  const { limit, after } = pageRequest(req);
  const rows = await fetch(after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? Buffer.from(`k:${keyOf(last)}`, 'utf8').toString('base64url') : null };
}
