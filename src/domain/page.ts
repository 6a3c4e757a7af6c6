import { ValidationError } from './errors.ts';

/**
 * Keyset pagination. A list is ordered by a unique key (one or more columns); a page is the rows
 * after a key, and the cursor a client gets back is that key, opaque to it (base64url JSON), so the
 * order can change without breaking clients. Pages never overlap and never skip: a row inserted
 * behind the cursor shows on no later page, one inserted ahead of it shows once.
 */
export type PageKeyPart = string | number;
export type PageKey = readonly PageKeyPart[];
/** The type of each part of a list's key: 'date' parts travel as ISO 8601 strings. */
export type PageKeyShape = ReadonlyArray<'string' | 'number' | 'date'>;

/** What a store gives back: the rows of one page, and the key to continue after (null at the end). */
export interface KeyedPage<T> {
  readonly items: T[];
  readonly nextKey: PageKey | null;
}

/** What a use case gives back: the rows, and the opaque cursor of the next page (null at the end). */
export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

/** What a client asks for: a page size and the cursor it was given. */
export interface PageQuery {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** A request for one page, as the store takes it. */
export interface PageRequest {
  readonly after?: PageKey;
  readonly limit: number;
}

/** Page sizes: meterops defaults, the same for every list. */
export const PAGE_LIMITS = Object.freeze({ default: 100, max: 500, cursorLength: 512 });

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const badCursor = () => new ValidationError('cursor', 'cursor', 'cursor is not one this list gave (pass the "next" of the previous page as it came)');

/** Reads a cursor back into a key of the list's shape, or says it is not one. */
export function decodeCursor(cursor: string, shape: PageKeyShape): PageKey {
  if (cursor.length > PAGE_LIMITS.cursorLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(key) || key.length !== shape.length) throw badCursor();
  return key.map((part: unknown, i) => {
    const kind = shape[i];
    if (kind === 'number' && typeof part === 'number' && Number.isSafeInteger(part)) return part;
    if (kind === 'string' && typeof part === 'string' && part.length <= 200) return part;
    if (kind === 'date' && typeof part === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(part) && !Number.isNaN(Date.parse(part))) return part;
    throw badCursor();
  });
}

/** The page size asked for, checked: 1 to PAGE_LIMITS.max, PAGE_LIMITS.default when not given. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return PAGE_LIMITS.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMITS.max) {
    throw new ValidationError('limit', 'page-size', `limit must be a whole number from 1 to ${PAGE_LIMITS.max}`);
  }
  return limit;
}

/** A client's `limit` and `cursor`, as the store takes them. */
export function pageRequest(input: PageQuery, shape: PageKeyShape): PageRequest {
  const limit = pageLimit(input.limit);
  return input.cursor ? { limit, after: decodeCursor(input.cursor, shape) } : { limit };
}

export function toPage<T>(p: KeyedPage<T>): Page<T> {
  return { items: p.items, next: p.nextKey ? encodeCursor(p.nextKey) : null };
}
