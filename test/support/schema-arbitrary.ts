import fc from 'fast-check';

/** A JSON Schema node as @fastify/swagger prints the routes' zod schemas into /openapi.json. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly format?: string;
  readonly $ref?: string;
}

/**
 * Strings a careless or hostile client sends: empty, NUL, a lone surrogate, formula and path and
 * SQL shapes, right-to-left marks, a very long one. The fuzz test mixes them into every field.
 */
const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '=1+1',
  '@SUM(A1)',
  '../../etc/passwd',
  "' OR 1=1 --",
  '\u202e',
  'null',
  '-1',
  'NaN',
  '0x',
  '%00',
  'é'.normalize('NFD'),
];

/** Numbers at the edges: signs, zero, fractions, past 32 and 53 bits. */
const EDGE_NUMBERS = [0, -1, 1, 0.5, -0.5, 2 ** 31, 2 ** 32, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308];

/** What values are drawn from: ids that exist, how `$ref`s resolve, and whether to keep to the schema's shape. */
export interface Ctx {
  readonly pool: () => readonly string[];
  readonly resolve?: (ref: string) => JsonSchema;
  /** Only values of the schema's shape (clean), or hostile ones mixed in at every level. */
  readonly clean?: boolean;
}

/**
 * A fast-check arbitrary of values for a JSON schema: mostly values of the schema's shape, drawn
 * from `pool` (ids that exist) where a string is wanted, with edge and hostile values mixed in at
 * every level, and now and then a value of another type altogether. It is a generator of inputs
 * for a fuzz test, not a validator: it means to produce what a client could send.
 */
export function arbitraryFor(schema: JsonSchema | undefined, ctx: Ctx, depth = 0): fc.Arbitrary<unknown> {
  if (!schema) return fc.jsonValue({ maxDepth: 2 });
  if (schema.$ref && ctx.resolve) return arbitraryFor(ctx.resolve(schema.$ref), ctx, depth);
  const shaped = shapedFor(schema, ctx, depth);
  if (ctx.clean) return shaped;
  // One value in ten is of any type at all (a string where a number is wanted, an object for a list).
  return fc.oneof({ arbitrary: shaped, weight: 9 }, { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 });
}

function shapedFor(s: JsonSchema, ctx: Ctx, depth: number): fc.Arbitrary<unknown> {
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => arbitraryFor(a, ctx, depth + 1)));
  if (s.allOf?.length) return arbitraryFor(s.allOf[0], ctx, depth + 1);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length && ctx.clean) return fc.constantFrom(...s.enum);
  if (s.enum?.length) return fc.oneof({ arbitrary: fc.constantFrom(...s.enum), weight: 4 }, { arbitrary: fc.constantFrom(...NASTY, 'not-a-member'), weight: 1 });
  const types = [s.type ?? (s.properties ? 'object' : undefined)].flat().filter((t): t is string => typeof t === 'string');
  if (types.length > 1) return fc.oneof(...types.map((t) => shapedFor({ ...s, type: t }, ctx, depth)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1_000_000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000_000);
      const inRange =
        types[0] === 'integer' ? fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) }) : fc.double({ min, max, noNaN: true });
      return ctx.clean ? inRange : fc.oneof({ arbitrary: inRange, weight: 3 }, { arbitrary: fc.constantFrom(...EDGE_NUMBERS, min - 1, max + 1), weight: 1 });
    }
    case 'string':
      return stringFor(s, ctx);
    case 'array': {
      const maxItems = Math.min(s.maxItems ?? 3, 3);
      return fc.array(arbitraryFor(s.items, ctx, depth + 1), { minLength: 0, maxLength: Math.max(maxItems, s.minItems ?? 0) });
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = s.properties ?? {};
      const keys = Object.keys(props);
      const required = new Set(s.required ?? []);
      const record = fc.record(Object.fromEntries(keys.map((k) => [k, arbitraryFor(props[k], ctx, depth + 1)])), {
        requiredKeys: keys.filter((k) => required.has(k)),
      });
      if (ctx.clean) return record;
      // Now and then a required field missing, or a field the schema does not know.
      return fc.oneof(
        { arbitrary: record, weight: 6 },
        {
          arbitrary: fc.tuple(record, fc.constantFrom(...(keys.length ? keys : ['x']))).map(([r, k]) => {
            const copy: Record<string, unknown> = { ...(r as Record<string, unknown>) };
            delete copy[k];
            return copy;
          }),
          weight: 1,
        },
        { arbitrary: fc.tuple(record, fc.jsonValue({ maxDepth: 1 })).map(([r, v]) => ({ ...(r as object), unexpectedField: v })), weight: 1 },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(s: JsonSchema, ctx: Ctx): fc.Arbitrary<string> {
  const max = s.maxLength ?? 64;
  const min = s.minLength ?? 0;
  const pooled = fc.constant(null).chain(() => {
    const pool = ctx.pool();
    return pool.length ? fc.constantFrom(...pool) : fc.string({ maxLength: 8 });
  });
  const dated =
    s.format === 'date-time'
      ? fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString())
      : fc.constantFrom('2026-12-01T10:00:00Z');
  if (ctx.clean) return fc.oneof({ arbitrary: pooled, weight: 3 }, s.format === 'date-time' ? dated : fc.string({ minLength: Math.max(min, 1), maxLength: Math.min(max, 24) }));
  return fc.oneof(
    { arbitrary: pooled, weight: 4 },
    { arbitrary: s.format === 'date-time' ? dated : fc.string({ minLength: min, maxLength: Math.min(max, 24) }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: Math.min(max, 16) }), weight: 1 },
    { arbitrary: fc.constantFrom(...NASTY), weight: 2 },
    // Exactly at the limit, and one past it.
    { arbitrary: fc.constantFrom('x'.repeat(Math.min(max, 100_000)), 'y'.repeat(Math.min(max + 1, 100_001))), weight: 1 },
  );
}

/** Every place in a request schema where a string has no length bound or a list no item bound. */
export function unboundedIn(schema: JsonSchema | undefined, where: string, resolve: (ref: string) => JsonSchema, seen = new Set<JsonSchema>()): string[] {
  if (!schema || seen.has(schema)) return [];
  seen.add(schema);
  if (schema.$ref) return unboundedIn(resolve(schema.$ref), where, resolve, seen);
  const out: string[] = [];
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) out.push(...unboundedIn(alt, where, resolve, seen));
  const types = [schema.type].flat();
  if (types.includes('string') && schema.maxLength === undefined && !schema.enum && schema.const === undefined) out.push(`${where}: a string with no maxLength`);
  if (types.includes('array') && schema.maxItems === undefined) out.push(`${where}: a list with no maxItems`);
  for (const [k, v] of Object.entries(schema.properties ?? {})) out.push(...unboundedIn(v, `${where}.${k}`, resolve, seen));
  if (schema.items) out.push(...unboundedIn(schema.items, `${where}[]`, resolve, seen));
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') out.push(...unboundedIn(schema.additionalProperties, `${where}.*`, resolve, seen));
  return out;
}
