// A change whose answer comes as it happens: the API streams application/x-ndjson (one JSON
// object a line) when asked. Sent as api() sends (same origin, the session cookie, the CSRF
// token); a refusal before the stream begins is problem+json, rejected as the ApiError api() gives.
import { csrf } from './client.ts';
import { ApiError, type Problem } from './problem.ts';

/** One line of a stream: its kind, and what that kind carries. */
export type StreamEvent = { readonly kind: string } & Record<string, unknown>;

/** The problem a refusal or a 'problem' line carries, as an ApiError. */
function apiErrorOf(status: number, statusText: string, p: Partial<Problem>): ApiError {
  return new ApiError({
    status: p.status ?? status,
    code: p.code ?? `HTTP_${status}`,
    detail: p.detail ?? `${status} ${statusText}`,
    ...(p.title ? { title: p.title } : {}),
    ...(p.field ? { field: p.field } : {}),
    ...(p.rule ? { rule: p.rule } : {}),
    ...(p.errors ? { errors: p.errors } : {}),
  });
}

/**
 * POSTs body and calls onEvent with each line as it arrives. Resolves with the last line; a
 * 'problem' line (the change failed after it began, and was rolled back) rejects as an ApiError.
 */
export async function postStreamed(path: string, body: unknown, onEvent: (e: StreamEvent) => void, signal?: AbortSignal): Promise<StreamEvent> {
  const headers: Record<string, string> = { accept: 'application/x-ndjson, application/problem+json', 'content-type': 'application/json' };
  const token = csrf.get();
  if (token) headers['x-csrf-token'] = token;
  const res = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body), ...(signal ? { signal } : {}) });
  if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('application/x-ndjson')) {
    const text = await res.text();
    let p: Partial<Problem> = {};
    try {
      p = text ? (JSON.parse(text) as Partial<Problem>) : {};
    } catch {
      // Not JSON (a proxy's page): the status says what happened.
    }
    if (res.ok) throw apiErrorOf(0, 'not a stream', { code: 'NOT_A_STREAM', detail: 'meterops answered without streaming' });
    throw apiErrorOf(res.status, res.statusText, p);
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let last: StreamEvent | null = null;
  const take = (line: string) => {
    if (!line.trim()) return;
    const e = JSON.parse(line) as StreamEvent;
    last = e;
    if (e.kind === 'problem') throw apiErrorOf(500, 'problem', e as Partial<Problem>);
    onEvent(e);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      take(line);
    }
  }
  take(buffered + decoder.decode());
  if (!last) throw apiErrorOf(0, 'empty stream', { code: 'STREAM_ENDED', detail: 'the stream ended before any answer' });
  return last;
}
