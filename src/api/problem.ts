import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { MeteropsError } from '../domain/errors.ts';

/** RFC 9457 problem details, with meterops' stable code and the offending field and rule. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  rule?: string;
  instance?: string;
  errors?: ReadonlyArray<{ field?: string; rule?: string; message: string }>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemFor(err: unknown, instance: string): Problem {
  if (err instanceof MeteropsError) {
    return {
      type: `https://meterops.dev/problems/${err.code.toLowerCase()}`,
      title: TITLES[err.status] ?? 'Error',
      status: err.status,
      detail: err.message,
      code: err.code,
      ...(err.field ? { field: err.field } : {}),
      ...(err.rule ? { rule: err.rule } : {}),
      ...(err.details.length ? { errors: err.details } : {}),
      instance,
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = err.validation.map((v) => {
      const path = (v.params as { issue?: { path?: PropertyKey[] } }).issue?.path ?? [];
      const field = path.length ? path.map(String).join('.') : v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { field: field || err.validationContext || 'body', rule: v.keyword, message: `${field || err.validationContext}: ${v.message ?? 'invalid'}` };
    });
    const first = errors[0];
    return {
      type: 'https://meterops.dev/problems/request_invalid',
      title: TITLES[400]!,
      status: 400,
      detail: errors.map((e) => e.message).join('; '),
      code: 'REQUEST_INVALID',
      ...(first ? { field: first.field, rule: first.rule } : {}),
      errors,
      instance,
    };
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      type: `https://meterops.dev/problems/${(fe.code ?? 'bad_request').toLowerCase()}`,
      title: TITLES[fe.statusCode] ?? 'Bad Request',
      status: fe.statusCode,
      detail: fe.message,
      code: fe.code ?? 'BAD_REQUEST',
      instance,
    };
  }
  return {
    type: 'https://meterops.dev/problems/internal',
    title: TITLES[500]!,
    status: 500,
    detail: 'an unexpected error occurred; it has been logged',
    code: 'INTERNAL',
    instance,
  };
}

export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = problemFor(err, req.url);
  if (problem.status >= 500) req.log.error({ err }, 'request failed');
  return reply.code(problem.status).type('application/problem+json').send(problem);
}
