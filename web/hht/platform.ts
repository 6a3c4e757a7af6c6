// The platform's API, as the HHT reaches it when it has a network: the same origin, the session
// cookie of a sign-in, the CSRF token on changes. (web/src/api/client.ts does the same for the
// operations app; the HHT keeps its own so its bundle stays small and its errors say "offline".)

const CSRF_KEY = 'meterops.csrf';

/** An RFC 9457 problem as meterops answers it, or a network failure (status 0). */
export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title?: string;
  readonly field?: string;
  readonly rule?: string;
}

export class Refusal extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail);
    this.problem = problem;
  }
}

export const problemOf = (e: unknown): Problem =>
  e instanceof Refusal ? e.problem : { status: 0, code: 'NETWORK', detail: `not reachable: ${e instanceof Error ? e.message : String(e)}` };

/** True when the failure was the network (no answer at all), not a refusal. */
export const isOffline = (e: unknown): boolean => problemOf(e).status === 0;

/** A JSON POST or GET to `url`; resolves to the answer, rejects with a Refusal (status 0: no answer). */
export async function call<T>(url: string, method: 'GET' | 'POST' | 'DELETE' = 'GET', body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = localStorage.getItem(CSRF_KEY);
  if (method !== 'GET' && token && url.startsWith('/v1/')) headers['x-csrf-token'] = token;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (e) {
    throw new Refusal(problemOf(e));
  }
  if (res.status === 204) return null as T;
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const p = json ?? {};
    throw new Refusal({
      status: res.status,
      code: typeof p.code === 'string' ? p.code : `HTTP_${res.status}`,
      detail: typeof p.detail === 'string' ? p.detail : `${res.status} ${res.statusText}`,
      ...(typeof p.title === 'string' ? { title: p.title } : {}),
      ...(typeof p.field === 'string' ? { field: p.field } : {}),
      ...(typeof p.rule === 'string' ? { rule: p.rule } : {}),
    });
  }
  return json as T;
}

export interface Me {
  readonly partyId: string;
  readonly person: string;
  readonly roles: string[];
  readonly permissions: string[];
}

export async function signIn(username: string, password: string): Promise<void> {
  const s = await call<{ csrfToken: string }>('/v1/sessions', 'POST', { username, password });
  localStorage.setItem(CSRF_KEY, s.csrfToken);
}

export async function signOut(): Promise<void> {
  try {
    await call('/v1/sessions/current', 'DELETE');
  } finally {
    localStorage.removeItem(CSRF_KEY);
  }
}

/** GET /v1/me: who the session is, or null when there is none (401). Rejects when offline. */
export async function me(): Promise<Me | null> {
  try {
    return await call<Me>('/v1/me');
  } catch (e) {
    if (e instanceof Refusal && e.problem.status === 401) return null;
    throw e;
  }
}

export interface WorkOrder {
  readonly id: string;
  readonly premiseId: string;
  readonly state: 'open' | 'pulled' | 'completed' | 'expired';
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly pulledBy: string | null;
  /** The field engineer it is assigned to; null: unassigned (the first to pull it takes it). */
  readonly assignedTo: string | null;
}

export interface OrderPackage {
  readonly format: 'meterops-hht-order/1';
  readonly order: { readonly id: string; readonly premiseId: string; readonly supplierEui: string; readonly expiresAt: string };
  readonly hht: string;
  readonly commands: ReadonlyArray<{ seq: number; deviceEui: string; useCase: string; name: string; variant: 2 | 6; critical: boolean; counter: string; frame: string }>;
  readonly pairings: ReadonlyArray<{ deviceEui: string; authorisation: string }>;
}

export type UploadResult =
  | { readonly orderId: string; readonly seq: number; readonly status: 'recorded'; readonly outcome: string }
  | { readonly orderId: string; readonly seq: number; readonly status: 'duplicate'; readonly outcome: string }
  | { readonly orderId: string; readonly seq: number; readonly status: 'rejected'; readonly reason: string };

export interface UploadAnswer {
  readonly recorded: number;
  readonly duplicate: number;
  readonly rejected: number;
  readonly results: UploadResult[];
}

const qs = (q: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** `assignee`: `me`, `none` (unassigned), usernames, comma-separated (the server's filter). */
export const listOrders = (q: { state?: string; premiseId?: string; assignee?: string; cursor?: string }) =>
  call<{ workOrders: WorkOrder[]; next: string | null }>(`/v1/work-orders${qs({ limit: '20', ...q })}`);

export const pullOrder = (id: string, hht: string) => call<OrderPackage>(`/v1/work-orders/${encodeURIComponent(id)}/pull`, 'POST', { hht });

export const upload = (responses: Array<{ orderId: string; seq: number; response: string; deliveredAt: string }>) => call<UploadAnswer>('/v1/hht/uploads', 'POST', { responses });
