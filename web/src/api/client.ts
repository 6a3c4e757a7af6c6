// The one way the pages reach meterops: its HTTP API on the same origin. The session is the
// HTTP-only cookie the server sets at sign-in; changes carry the CSRF token it answered then.
import { ApiError, type Problem } from './problem.ts';

const CSRF_KEY = 'meterops.csrf';

export const csrf = {
  get: (): string | null => localStorage.getItem(CSRF_KEY),
  set: (token: string | null): void => (token === null ? localStorage.removeItem(CSRF_KEY) : localStorage.setItem(CSRF_KEY, token)),
};

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  /** Sent as Idempotency-Key: the same key gives the same answer, however often it is sent. */
  readonly idempotencyKey?: string;
  readonly query?: Record<string, string | number | boolean | undefined | null>;
  readonly signal?: AbortSignal;
}

export function urlOf(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Calls the API; resolves to the JSON answer (null for 204), rejects with an ApiError. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrf.get();
    if (token) headers['x-csrf-token'] = token;
  }
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  const res = await fetch(urlOf(path, opts.query), {
    method,
    headers,
    credentials: 'same-origin',
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (res.status === 204) return null as T;
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const p = (json ?? {}) as Partial<Problem>;
    throw new ApiError({
      status: res.status,
      code: p.code ?? `HTTP_${res.status}`,
      detail: p.detail ?? `${res.status} ${res.statusText}`,
      ...(p.title ? { title: p.title } : {}),
      ...(p.field ? { field: p.field } : {}),
      ...(p.rule ? { rule: p.rule } : {}),
      ...(p.errors ? { errors: p.errors } : {}),
    });
  }
  return json as T;
}

/** A page of a list: its items under the collection's name, and the cursor of the next page. */
export type Page<K extends string, T> = { readonly [P in K]: T[] } & { readonly next: string | null };
