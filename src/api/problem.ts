import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { MeteropsError, RateLimitedError } from '../domain/errors.ts';

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
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
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
      // Every problem names a field and a rule: the error's own, or the request and the error's code.
      field: err.field ?? 'request',
      rule: err.rule ?? err.code.toLowerCase(),
      ...(err.details.length ? { errors: err.details } : {}),
      instance,
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const errors = err.validation.flatMap((v) => {
      const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
      // A strict object names each field it does not know (zod's unrecognized_keys).
      if (v.keyword === 'unrecognized_keys') {
        const keys = (v.params as { keys?: unknown }).keys;
        return (Array.isArray(keys) ? keys.map(String) : ['?']).map((k) => {
          const field = [...path, k].join('.');
          return { field, rule: 'unknown-field', message: `${field}: unknown field in the ${where}` };
        });
      }
      const field = path.join('.') || where;
      return [{ field, rule: v.keyword, message: `${field}: ${v.message ?? 'invalid'}` }];
    });
    const first = errors[0];
    // One boundary for strings: a value over its length limit is refused as a NUL or a lone
    // surrogate is, 422 naming the field (rule max-length); other schema errors are 400.
    const overLong = err.validation.every((v) => v.keyword === 'too_big' && (v.params as { origin?: unknown }).origin === 'string');
    if (overLong) {
      const long = err.validation.map((v) => {
        const field = v.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.') || where;
        return { field, rule: 'max-length', message: `${field}: at most ${String((v.params as { maximum?: unknown }).maximum)} characters` };
      });
      return {
        type: 'https://meterops.dev/problems/validation_failed',
        title: TITLES[422]!,
        status: 422,
        detail: long.map((e) => e.message).join('; '),
        code: 'VALIDATION_FAILED',
        field: long[0]!.field,
        rule: 'max-length',
        errors: long,
        instance,
      };
    }
    return {
      type: 'https://meterops.dev/problems/request_invalid',
      title: TITLES[400]!,
      status: 400,
      detail: errors.map((e) => e.message).join('; '),
      code: 'REQUEST_INVALID',
      field: first?.field ?? where,
      rule: first?.rule ?? 'schema',
      errors,
      instance,
    };
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return frameworkProblem(fe, instance);
  return {
    type: 'https://meterops.dev/problems/internal',
    title: TITLES[500]!,
    status: 500,
    detail: 'an unexpected error occurred; it has been logged',
    code: 'INTERNAL',
    field: 'request',
    rule: 'internal',
    instance,
  };
}

/**
 * Fastify's own refusals (a body that is not JSON, a wrong content type, a body over the limit...)
 * in meterops' terms: the framework's FST_ERR_* codes are its business, not the client's.
 */
const FRAMEWORK: Readonly<Record<string, { code: string; field: string; rule: string; detail: string }>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type', rule: 'media-type', detail: 'the body must be application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'REQUEST_INVALID', field: 'content-length', rule: 'content-length', detail: 'the Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'REQUEST_INVALID', field: 'body', rule: 'json-body', detail: 'the body is empty; send a JSON object, or no content-type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', field: 'body', rule: 'body-limit', detail: 'the body is larger than this server accepts' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'REQUEST_INVALID', field: 'body', rule: 'json-body', detail: 'the body is not valid JSON' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URI_TOO_LONG', field: 'url', rule: 'param-length', detail: 'a path parameter is longer than this server accepts (200 characters)' },
  FST_ERR_BAD_URL: { code: 'REQUEST_INVALID', field: 'url', rule: 'url-encoding', detail: 'the URL is not validly percent-encoded' },
  FST_ERR_VALIDATION: { code: 'REQUEST_INVALID', field: 'request', rule: 'schema', detail: 'the request does not match its schema' },
};

function frameworkProblem(fe: FastifyError, instance: string): Problem {
  const known = fe.code ? FRAMEWORK[fe.code] : undefined;
  // A body that is not JSON comes as a SyntaxError with status 400 (and, in some versions, no code).
  const badJson = !known && fe instanceof SyntaxError;
  const m =
    known ??
    (badJson ? FRAMEWORK.FST_ERR_CTP_INVALID_JSON_BODY! : { code: 'REQUEST_INVALID', field: 'request', rule: 'http', detail: `the request was refused (HTTP ${fe.statusCode})` });
  const status = fe.statusCode!;
  return {
    type: `https://meterops.dev/problems/${m.code.toLowerCase()}`,
    title: TITLES[status] ?? 'Bad Request',
    status,
    detail: m.detail,
    code: m.code,
    field: m.field,
    rule: m.rule,
    instance,
  };
}

export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = problemFor(err, req.url);
  if (problem.status >= 500) req.log.error({ err }, 'request failed');
  if (err instanceof RateLimitedError) void reply.header('retry-after', String(err.retryAfterSeconds));
  return reply.code(problem.status).type('application/problem+json').send(problem);
}
