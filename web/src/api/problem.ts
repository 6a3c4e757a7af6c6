/** An RFC 9457 problem as meterops answers it: a stable code, and the field and rule it names. */
export interface Problem {
  readonly status: number;
  readonly title?: string;
  readonly detail: string;
  readonly code: string;
  readonly field?: string;
  readonly rule?: string;
  readonly errors?: ReadonlyArray<{ field?: string; rule?: string; message: string }>;
}

/** A refusal from the API (or the network), carrying the problem to show in place. */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
}

/** The problem of any thrown value: an ApiError's own, else one that says what happened. */
export function problemOf(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem;
  const message = err instanceof Error ? err.message : String(err);
  return { status: 0, code: 'NETWORK', detail: `the server could not be reached: ${message}` };
}
