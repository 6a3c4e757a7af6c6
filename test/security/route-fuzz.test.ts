import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import fc from 'fast-check';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_API_LIMITS } from '../../src/api/api-limits.ts';
import type { App } from '../../src/api/app.ts';
import { cliActing } from '../../src/services/acting.ts';
import { issueApiKey } from '../../src/services/api-keys.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { initPlatform } from '../../src/services/init-platform.ts';
import type { Store } from '../../src/store/store.ts';
import { demoApiKey, demoApproverKey, seedDemo } from '../../src/world/seed-demo.ts';
import { BACKENDS } from '../support/backends.ts';
import { appFor, depsFor } from '../support/builders.ts';
import { arbitraryFor, unboundedIn, type JsonSchema } from '../support/schema-arbitrary.ts';

/** Generated requests per route and backend (METEROPS_FUZZ_RUNS; CI runs the default). */
const RUNS = Number(process.env.METEROPS_FUZZ_RUNS ?? 24);

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: ReadonlyArray<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: JsonSchema }>;
  readonly body: JsonSchema | undefined;
}
interface Spec {
  readonly paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  readonly components?: { schemas?: Record<string, JsonSchema> };
}

const CHANGING = new Set(['post', 'put', 'patch', 'delete']);

function operations(spec: Spec): Operation[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

/**
 * A digest of everything the API can change, so a refusal can be shown to have written nothing:
 * every table's rows, but for what every request writes by design (the key's use, with its
 * audit entry and pending leaf, and when the key was last used).
 */
async function stateDigest(store: Store, tables: readonly string[]): Promise<string> {
  const parts = tables.map((t) => {
    const where = t === 'audit_log' ? ` WHERE action NOT LIKE 'api_key.%'` : '';
    return `SELECT '${t}' AS t, count(*)::int AS n, coalesce(md5(string_agg(md5((to_jsonb(x) - 'last_used_at')::text), ',' ORDER BY md5((to_jsonb(x) - 'last_used_at')::text))), '') AS h FROM ${t} x${where}`;
  });
  const rows = (await sql.raw<{ t: string; n: number; h: string }>(parts.join(' UNION ALL ')).execute(store.database.db)).rows;
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

/**
 * Percent-encodes as a client could: a lone surrogate goes as its three WTF-8 bytes (which
 * encodeURIComponent refuses to make), so the server sees the malformed sequence.
 */
function pct(s: string): string {
  let out = '';
  for (const ch of s) {
    const u = ch.charCodeAt(0);
    if (ch.length === 1 && u >= 0xd800 && u <= 0xdfff)
      out += [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** Ids worth aiming at: every id-like string value in an answer. */
function harvest(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && v.length <= 120 && /(^id$|Id$|^eui$|Eui$)/.test(k)) into.add(v);
    else harvest(v, into, depth + 1);
  }
}

for (const backend of BACKENDS) {
  describe(`every changing route, fuzzed from its own schema (${backend.name})`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let app: App;
    let spec: Spec;
    let tables: string[];
    const pool = new Set<string>();
    // The fuzzing principals' own parties and keys are kept out of the pool: suspending the party or
    // revoking the key the fuzz runs with would make every later request a 401.
    const protectedIds = new Set(['dcc', 'supplier-a']);
    const principals: Record<string, string> = {};

    before(async () => {
      store = await backend.open();
      deps = depsFor(store);
      await initPlatform(deps);
      await seedDemo(deps);
      const dcc = (await store.read.parties.list()).find((p) => p.id === 'dcc')!;
      const supplierA = (await store.read.parties.list()).find((p) => p.id === 'supplier-a')!;
      for (const [name, party, roles] of [
        ['dcc-admin', dcc, ['administrator'] as const],
        ['supplier-a-admin', supplierA, ['administrator'] as const],
      ] as const) {
        const k = await issueApiKey(deps, cliActing(dcc), { partyId: party.id, name, roles: [...roles] });
        principals[name] = k.secret;
        protectedIds.add(k.key.id);
      }
      principals['dcc-operator'] = demoApiKey('dcc');
      principals['supplier-a-operator'] = demoApiKey('supplier-a');
      principals['supplier-a-approver'] = demoApproverKey('supplier-a');
      for (const partyId of ['dcc', 'supplier-a']) for (const k of await store.read.apiKeys.page({ partyId, now: new Date(), limit: 500 })) protectedIds.add(k.id);
      const unlimited = { max: 1e9, windowSeconds: 60 };
      app = await appFor(deps, { limits: { ...DEFAULT_API_LIMITS, perKey: unlimited, perAddress: unlimited, signIn: unlimited } });
      spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as Spec;
      for (const list of [
        '/v1/devices',
        '/v1/premises',
        '/v1/parties',
        '/v1/users',
        '/v1/returns',
        '/v1/return-lines',
        '/v1/work-orders',
        '/v1/duties',
        '/v1/vends',
        '/v1/facilities',
      ]) {
        const r = await app.inject({ method: 'GET', url: `${list}?limit=50`, headers: { authorization: `Bearer ${principals['dcc-operator']}` } });
        if (r.statusCode === 200) harvest(r.json(), pool);
        const s = await app.inject({ method: 'GET', url: `${list}?limit=50`, headers: { authorization: `Bearer ${principals['supplier-a-operator']}` } });
        if (s.statusCode === 200) harvest(s.json(), pool);
      }
      for (const id of protectedIds) pool.delete(id);
      const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(store.database.db)).rows[0]!.s;
      tables = (await sql<{ t: string }>`SELECT tablename AS t FROM pg_tables WHERE schemaname = ${schema} ORDER BY tablename`.execute(store.database.db)).rows
        .map((r) => r.t)
        .filter((t) => t !== 'audit_pending');
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    const resolve = (ref: string): JsonSchema => spec.components?.schemas?.[ref.split('/').pop()!] ?? {};

    it('bounds every string and list a request can carry, in body, query, path and headers', () => {
      const unbounded = operations(spec).flatMap((op) => [
        ...op.parameters.flatMap((p) => unboundedIn(p.schema, `${op.method} ${op.path} ${p.in} ${p.name}`, resolve)),
        ...unboundedIn(op.body, `${op.method} ${op.path} body`, resolve),
      ]);
      assert.ok(operations(spec).length >= 60, `${operations(spec).length} operations`);
      assert.deepEqual(unbounded, []);
    });

    it(`answers ${RUNS} generated requests per changing route without a 5xx, and writes nothing when it refuses`, { timeout: 1_200_000 }, async (t) => {
      const changing = operations(spec).filter((op) => CHANGING.has(op.method.toLowerCase()));
      assert.ok(changing.length >= 40, `${changing.length} changing operations`);
      let digest = await stateDigest(store, tables);
      const seen = { accepted: 0, refused: 0 };
      const failures: string[] = [];
      for (const [i, op] of changing.entries()) {
        const pathParams = op.parameters.filter((p) => p.in === 'path');
        const queryParams = op.parameters.filter((p) => p.in === 'query');
        const headerParams = op.parameters.filter((p) => p.in === 'header');
        // Half the requests keep to the schema's shapes (to reach the use cases), half are hostile.
        const requestOf = (clean: boolean) => {
          const ctx = { pool: () => [...pool], resolve, clean };
          return fc.record({
            principal: fc.constantFrom(...Object.keys(principals), ...(clean ? [] : ['none'])),
            path: fc.tuple(...pathParams.map((p) => arbitraryFor(p.schema, ctx).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))), fc.constant('')),
            query: fc.tuple(...queryParams.map((p) => fc.option(arbitraryFor(p.schema, ctx), { nil: undefined })), fc.constant(undefined)),
            headers: fc.tuple(
              ...headerParams.map(() =>
                fc.option(
                  fc.oneof(
                    fc.uuid(),
                    fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
                  ),
                  { nil: clean ? (randomUUID() as string) : undefined },
                ),
              ),
              fc.constant(undefined),
            ),
            body: op.body ? arbitraryFor(op.body, ctx) : fc.constant(undefined),
          });
        };
        const request = fc.oneof(requestOf(true), requestOf(false));
        await fc.assert(
          fc.asyncProperty(request, async (r) => {
            let url = op.path;
            pathParams.forEach((p, j) => (url = url.replace(`{${p.name}}`, pct(String(r.path[j])) || '-')));
            const qs = queryParams
              .map((p, j) => (r.query[j] === undefined ? null : `${pct(p.name)}=${pct(typeof r.query[j] === 'string' ? r.query[j] : JSON.stringify(r.query[j]))}`))
              .filter(Boolean)
              .join('&');
            const headers: Record<string, string> = { 'content-type': 'application/json' };
            if (r.principal !== 'none') headers.authorization = `Bearer ${principals[r.principal]}`;
            headerParams.forEach((p, j) => {
              if (r.headers[j] !== undefined) headers[p.name] = r.headers[j];
            });
            const res = await app.inject({
              method: op.method as 'POST',
              url: qs ? `${url}?${qs}` : url,
              headers,
              ...(r.body === undefined ? {} : { payload: JSON.stringify(r.body) }),
            });
            const what = `${op.method} ${url}${qs ? `?${qs}` : ''} as ${r.principal}: ${res.statusCode} ${res.body.slice(0, 300)}`;
            if (res.statusCode >= 500) failures.push(what);
            assert.ok(res.statusCode < 500, what);
            if (res.statusCode >= 400) {
              seen.refused++;
              // A refusal is a problem, or, for a batch, the result per row with nothing written.
              const batch = /^application\/json/.test(String(res.headers['content-type'])) && (JSON.parse(res.body) as { written?: number; rows?: unknown }).written === 0;
              assert.ok(batch || /^application\/problem\+json/.test(String(res.headers['content-type'])), what);
              // A failed sign-in is counted against the account by design (it locks after repeats).
              if (op.path === '/v1/sessions') {
                digest = await stateDigest(store, tables);
                return;
              }
              const now = await stateDigest(store, tables);
              assert.equal(now, digest, `a refusal wrote something: ${what}`);
            } else {
              seen.accepted++;
              if (res.body.startsWith('{') || res.body.startsWith('[')) harvest(JSON.parse(res.body), pool);
              for (const id of protectedIds) pool.delete(id);
              digest = await stateDigest(store, tables);
            }
          }),
          { numRuns: RUNS, seed: 20261202 + i, endOnFailure: true, includeErrorInReport: true },
        );
      }
      t.diagnostic(`${changing.length} routes, ${seen.accepted} requests accepted, ${seen.refused} refused`);
      assert.deepEqual(failures, []);
      // The fuzz reaches the use cases: some generated requests are accepted, most refused.
      assert.ok(seen.accepted > 0 && seen.refused > seen.accepted, JSON.stringify(seen));
    });
  });
}
