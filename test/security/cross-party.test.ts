// Issue 14, item 1: every mutating operation of /openapi.json, and every read of a single
// resource, tried by every demo party that is not a rightful one: none is accepted (403 or 404),
// and the database is as it was; then by the rightful party, which is accepted (so the loop is not
// vacuous); and by the rightful party with a key that lacks the permission the act needs (403).
// The operations come from the app's own /openapi.json: a new route without a case fails here.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ForbiddenError, PERSON_ROLES, ROLE_PERMISSIONS, type Eui, type Principal } from '../../src/domain/index.ts';
import { submitCommandRequest } from '../../src/services/anomaly-detection.ts';
import { recordDeviceAlert } from '../../src/services/device-alerts.ts';
import { changeAssetStatus, changeInventoryStatus } from '../../src/services/device-lifecycle.ts';
import { closeDuty, exemptDuty, recordArrangement, recordVulnerability } from '../../src/services/obligations.ts';
import { judgeMateriality, recordAwareness } from '../../src/services/vulnerability-awareness.ts';
import { createPremise, installDevice } from '../../src/services/premises.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import { refurbish, reinstall, scrap } from '../../src/services/returns/refurbish.ts';
import { grantSecureStatus, revokeSecureStatus } from '../../src/services/returns/facility-grants.ts';
import { createReturn, registerFacility } from '../../src/services/returns/returns.ts';
import { handOver, triage } from '../../src/services/returns/triage.ts';
import { vend } from '../../src/services/vending.ts';
import { importCoverage, recordWanObservation } from '../../src/services/wan-routing.ts';
import { createWorkOrder } from '../../src/services/work-orders.ts';
import { BACKENDS } from '../support/backends.ts';
import { ACCESS_CASES } from './cross-party-access-cases.ts';
import type { Attempt, Case, Exempt } from './cross-party-case.ts';
import { FLEET_CASES } from './cross-party-fleet-cases.ts';
import { READ_CASES } from './cross-party-read-cases.ts';
import { RETURNS_CASES } from './cross-party-returns-cases.ts';
import { NOTICE_CASES, NOTICE_READ_CASES } from './cross-party-notice-cases.ts';
import { changedTables, fingerprint, openWorld, type World } from './cross-party-world.ts';

const MUTATING = [...ACCESS_CASES, ...FLEET_CASES, ...RETURNS_CASES, ...NOTICE_CASES];
const READS = [...READ_CASES, ...NOTICE_READ_CASES];

/** Operations no party uses to act on another's resource, and why. */
const EXEMPT: readonly Exempt[] = [
  { op: 'POST /v1/sessions', why: 'signing in: made before any party acts (no key, no session); the username names the party' },
  { op: 'DELETE /v1/sessions/current', why: "signing out: ends the caller's own session, names no resource" },
  { op: 'GET /v1/oidc/{partyId}/login', why: 'the start of a sign-in at the named party’s identity provider, before any party acts' },
  { op: 'POST /v1/webhooks', why: "creates an endpoint of the caller's own party, names no other party's resource (GET and PATCH /v1/webhooks/{id} have their cases)" },
  {
    op: 'POST /v1/reports/no-wan-options',
    why: "a simulation on a fleet it generates itself: names and changes no party's resource; the job it makes is the caller's own (GET /v1/jobs/{id} has its case)",
  },
];

const MUTATING_METHODS = ['post', 'put', 'patch', 'delete'];

function operations(spec: { paths: Record<string, Record<string, unknown>> }) {
  const mutating: string[] = [];
  const reads: string[] = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const m of Object.keys(ops)) {
      if (MUTATING_METHODS.includes(m)) mutating.push(`${m.toUpperCase()} ${path}`);
      else if (m === 'get' && path.includes('{')) reads.push(`GET ${path}`);
    }
  }
  return { mutating: mutating.sort(), reads: reads.sort() };
}

const is2xx = (r: LightMyRequestResponse) => r.statusCode >= 200 && r.statusCode < 300;
const refusedByDefault = (r: LightMyRequestResponse) => r.statusCode === 403 || r.statusCode === 404;
const label = (c: Case) => `${c.op}${c.variant ? ` (${c.variant})` : ''}`;

/** The roles that do not hold the permission, or none when every role holds it (read). */
const lacking = (c: Case) => PERSON_ROLES.filter((r) => !ROLE_PERMISSIONS[r].includes(c.permission));

interface Tally {
  attempts: number;
  accepted: number;
  rightful: number;
  roleRefused: number;
  problems: string[];
}

async function runCases(w: World, cases: readonly Case[]): Promise<Tally> {
  const tally: Tally = { attempts: 0, accepted: 0, rightful: 0, roleRefused: 0, problems: [] };
  for (const c of cases) {
    if (process.env.XP_TRACE) console.error(new Date().toISOString(), label(c));
    const p = await c.prepare(w);
    const request = typeof p.request === 'function' ? p.request : () => p.request as Attempt;
    const send = async (party: string, auth: Record<string, string>) => {
      const a = request(party);
      return w.app.inject({ method: a.method, url: a.url, headers: { ...auth, ...(a.headers ?? {}) }, ...(a.payload !== undefined ? { payload: a.payload as object } : {}) });
    };
    const refused = p.refused ?? refusedByDefault;
    const accepted = p.accepted ?? is2xx;
    const first = p.rightful[0]!;
    const noPermission = lacking(c);
    // Keys are issued before the fingerprint: issuing one is a write.
    if (noPermission.length) await w.auth(first, noPermission);
    const before = await fingerprint(w.store);
    for (const party of w.parties.filter((x) => !p.rightful.includes(x))) {
      tally.attempts++;
      const r = await send(party, await w.auth(party));
      // Accepted: as the case defines it, or any 2xx the case does not count as a refusal.
      if (accepted(r) || (is2xx(r) && !refused(r))) tally.accepted++;
      if (accepted(r) || !refused(r)) tally.problems.push(`${label(c)} by ${party}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    }
    if (noPermission.length) {
      const r = await send(first, await w.auth(first, noPermission));
      const rule = `permission-${c.permission.replace('.', '-')}`;
      if (r.statusCode === 403 && r.json().rule === rule) tally.roleRefused++;
      else tally.problems.push(`${label(c)} by ${first} as ${noPermission.join('+')}: want 403 ${rule}, got ${r.statusCode} ${r.body.slice(0, 300)}`);
    }
    const changed = changedTables(before, await fingerprint(w.store));
    if (changed.length) tally.problems.push(`${label(c)}: refused requests changed ${changed.join(', ')}`);
    // A read is made by every rightful party; an act once, unless the case says otherwise.
    const once = p.once ?? request(first).method !== 'GET';
    for (const party of once ? [first] : p.rightful) {
      const r = await send(party, await w.auth(party));
      if (accepted(r)) tally.rightful++;
      else tally.problems.push(`${label(c)} by rightful ${party} (${p.rule}): ${r.statusCode} ${r.body.slice(0, 300)}`);
      if (party === first && p.after && accepted(r)) await p.after(r, w);
    }
  }
  return tally;
}

/** A stand-in identity provider: its discovery document is all meterops asks for when configuring one. */
async function discoveryServer(): Promise<{ server: Server; issuer: string }> {
  let issuer = '';
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/openid-configuration') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { server, issuer };
}

for (const backend of BACKENDS) {
  describe(`authorisation across parties on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let w: World;
    let idp: { server: Server; issuer: string };
    before(async () => {
      w = await openWorld(await backend.open());
      idp = await discoveryServer();
      w.ctx.set('issuer', idp.issuer);
    });
    after(async () => {
      await w?.close();
      if (idp) await new Promise((resolve) => idp.server.close(resolve));
    });

    it('has a case, or a stated exemption, for every mutating operation and every single-resource read of /openapi.json', async () => {
      const spec = (await w.app.inject({ url: '/openapi.json' })).json();
      const { mutating, reads } = operations(spec);
      const exempt = new Set(EXEMPT.map((e) => e.op));
      const covered = (cases: readonly Case[]) => new Set(cases.map((c) => c.op));
      assert.deepEqual(
        mutating.filter((op) => !covered(MUTATING).has(op) && !exempt.has(op)),
        [],
        'mutating operations without a cross-party case',
      );
      assert.deepEqual(
        reads.filter((op) => !covered(READS).has(op) && !exempt.has(op)),
        [],
        'single-resource reads without a cross-party case',
      );
      // And no case or exemption names an operation the API no longer has.
      const all = new Set([...mutating, ...reads]);
      assert.deepEqual(
        [...covered(MUTATING), ...covered(READS), ...exempt].filter((op) => !all.has(op)),
        [],
      );
      assert.ok(mutating.length >= 39, `${mutating.length} mutating operations`);
    });

    it('accepts no mutating request from a party other than the rightful ones, writes nothing for it, and accepts the rightful one', async (t) => {
      const tally = await runCases(w, MUTATING);
      t.diagnostic(
        `${MUTATING.length} cases: ${tally.attempts} cross-party attempts, ${tally.accepted} accepted; ${tally.rightful} rightful requests accepted; ${tally.roleRefused} refused for the person's role`,
      );
      assert.deepEqual(tally.problems, []);
      assert.equal(tally.accepted, 0);
      assert.ok(tally.attempts > 600, `${tally.attempts} attempts`);
    });

    it("refuses the issue's evidence by its rule, and writes nothing: another Supplier's ESME, the SSC, a target that is no device", async () => {
      const before = await fingerprint(w.store);
      const ask = async (party: string, payload: object) => {
        const r = await w.app.inject({ method: 'POST', url: '/v1/command-requests', headers: await w.auth(party), payload });
        return [r.statusCode, r.json().rule ?? r.json().code, r.json().field];
      };
      assert.deepEqual(await ask('supplier-b', { commandType: 'disable_supply', target: w.ids.vendEsme }), [404, 'not_found', 'target']);
      assert.deepEqual(await ask('ssc', { commandType: 'credential_replacement', target: w.ids.vendEsme }), [403, 'command-sender-role', 'commandType']);
      assert.deepEqual(await ask('map-a', { commandType: 'disable_supply', target: w.ids.vendEsme }), [403, 'command-sender-role', 'commandType']);
      assert.deepEqual(await ask('dcc', { commandType: 'disable_supply', target: w.ids.vendEsme }), [403, 'command-sender-role', 'commandType']);
      assert.deepEqual(await ask('supplier-a', { commandType: 'disable_supply', target: 'anything-at-all' }), [422, 'eui-64', 'target']);
      assert.deepEqual(await ask('supplier-a', { commandType: 'disable_supply', target: '0F8F000000000000' }), [422, 'device-type', 'target'], 'a hub has no supply to disable');
      const other = w.dnoOf((await w.premiseOf(w.ids.vendEsme)).distributorId) === 'dno-10' ? 'dno-11' : 'dno-10';
      assert.deepEqual(await ask(other, { commandType: 'credential_replacement', target: w.ids.vendEsme }), [404, 'not_found', 'target']);
      assert.deepEqual(changedTables(before, await fingerprint(w.store)), []);
    });

    it("checks the person's permission in the use case too, before anything else, for a caller that is not the HTTP hook", async () => {
      const supplier = await w.party('supplier-a');
      const auditor: Principal = { kind: 'api_key', id: 'key-x', person: 'audrey', partyId: supplier.id, roles: ['auditor'] };
      const eui = w.ids.vendEsme as Eui;
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['submitCommandRequest', () => submitCommandRequest(w.deps, supplier, 'audrey', { commandType: 'disable_supply', target: eui }, undefined, auditor)],
        ['registerDevices', () => registerDevices(w.deps, supplier, [], undefined, null, [], auditor)],
        ['changeInventoryStatus', async () => changeInventoryStatus(w.deps, supplier, eui, { to: 'Pending' }, auditor)],
        ['changeAssetStatus', async () => changeAssetStatus(w.deps, supplier, eui, { to: 'removed' }, auditor)],
        ['createPremise', () => createPremise(w.deps, supplier, { postcode: 'CF10 1AA' }, auditor)],
        ['installDevice', () => installDevice(w.deps, supplier, 'p', { eui }, auditor)],
        ['recordWanObservation', () => recordWanObservation(w.deps, supplier, 'p', {}, auditor)],
        ['importCoverage', () => importCoverage(w.deps, supplier, [], auditor)],
        [
          'recordVulnerability',
          () => recordVulnerability(w.deps, supplier, { title: 't', manufacturer: 'm', component: 'user_systems_software', awareAt: w.clock.now }, undefined, auditor),
        ],
        ['recordArrangement', () => recordArrangement(w.deps, supplier, 'm', false, auditor)],
        ['recordAwareness', () => recordAwareness(w.deps, supplier, 'v', { basis: 'acknowledged' }, undefined, auditor)],
        ['judgeMateriality', () => judgeMateriality(w.deps, supplier, 'v', { material: true, reason: 'r' }, auditor)],
        ['closeDuty', () => closeDuty(w.deps, supplier, 'd', 'e', auditor)],
        ['exemptDuty', () => exemptDuty(w.deps, supplier, 'd', 'r', auditor)],
        ['vend', () => vend(w.deps, supplier, 'audrey', 'k1', { kind: 'credit', deviceEui: eui, value: 1, valueClass: 'pounds' }, auditor)],
        ['createWorkOrder', () => createWorkOrder(w.deps, supplier, 'audrey', { premiseId: 'p', commands: [] }, auditor)],
        ['recordDeviceAlert', () => recordDeviceAlert(w.deps, supplier, '00', auditor)],
        ['registerFacility', () => registerFacility(w.deps, supplier, { id: 'f', name: 'f' }, auditor)],
        ['grantSecureStatus', () => grantSecureStatus(w.deps, supplier, 'f', { basis: 'b' }, auditor)],
        ['revokeSecureStatus', () => revokeSecureStatus(w.deps, supplier, 'f', { reason: 'r' }, auditor)],
        ['createReturn', () => createReturn(w.deps, supplier, 'audrey', { lines: [] }, auditor)],
        ['handOver', () => handOver(w.deps, supplier, 'l', { toPartyId: supplier.id, site: 's' }, auditor)],
        ['triage', () => triage(w.deps, supplier, 'l', { facilityId: 'f', method: 'gold' }, auditor)],
        ['refurbish', () => refurbish(w.deps, supplier, 'l', { grade: 'A', location: 'x' }, auditor)],
        ['scrap', () => scrap(w.deps, supplier, 'l', 'r', auditor)],
        ['reinstall', () => reinstall(w.deps, supplier, 'l', 'p', auditor)],
      ];
      const before = await fingerprint(w.store);
      for (const [name, call] of calls) {
        await assert.rejects(call(), (e: unknown) => e instanceof ForbiddenError && e.rule === 'permission-operate', name);
      }
      assert.deepEqual(changedTables(before, await fingerprint(w.store)), []);
    });

    it('answers no single-resource read to a party other than the rightful ones, and answers the rightful ones', async (t) => {
      const tally = await runCases(w, READS);
      t.diagnostic(`${READS.length} cases: ${tally.attempts} cross-party attempts, ${tally.accepted} accepted; ${tally.rightful} rightful reads answered`);
      assert.deepEqual(tally.problems, []);
      assert.equal(tally.accepted, 0);
    });
  });
}
