import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ForbiddenError, NotFoundError, SIGN_IN_POLICY, UnauthorizedError, ValidationError, type MeteropsError, type Party } from '../../src/domain/index.ts';
import type { Acting } from '../../src/services/acting.ts';
import { issueApiKey, listApiKeys, revokeApiKey, rotateApiKey, showApiKey } from '../../src/services/api-keys.ts';
import { authenticateApiKey, hashApiKey } from '../../src/services/authenticate.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { authenticateSession, signIn, signOut } from '../../src/services/sign-in.ts';
import { addUser, listUsers, unlockUser, updateUser } from '../../src/services/users.ts';
import type { Store } from '../../src/store/store.ts';
import { auditedBy, refusedUnaudited } from '../support/audit.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties } from '../support/builders.ts';

const adminOf = (party: Party, id = 'u-admin'): Acting => ({ party, principal: { kind: 'user', id, person: `admin-${party.id}`, partyId: party.id, roles: ['administrator'] } });
const auditorOf = (party: Party): Acting => ({ party, principal: { kind: 'api_key', id: 'k-aud', person: 'auditor key', partyId: party.id, roles: ['auditor'] } });
const coded = (code: string, rule: string) => (e: unknown) => (e as MeteropsError).code === code && (e as MeteropsError).rule === rule;

for (const backend of BACKENDS) {
  describe(`people, sign-in and API keys on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let now = new Date('2026-12-01T09:00:00Z');
    const platform = aParty({ role: 'dcc' });
    const supplier = aParty({ role: 'supplier' });
    const other = aParty({ role: 'supplier' });
    const PASSWORD = 'correct horse battery';
    before(async () => {
      store = await backend.open();
      deps = depsFor(store, () => now);
      await withParties(store, platform, supplier, other);
    });
    after(() => store?.close());

    it("adds people to a party (its administrators may; another party's may not)", async () => {
      const { result } = await auditedBy(
        store,
        (r: Awaited<ReturnType<typeof addUser>>) => [{ action: 'user.created', entity: `user/${r.user.id}`, actor: supplier.id }],
        () => addUser(deps, adminOf(supplier), { username: 'Alice@Example', name: 'Alice', roles: ['operator', 'field_engineer'], password: PASSWORD }),
      );
      assert.deepEqual([result.user.username, result.user.partyId, result.password], ['alice@example', supplier.id, null]);
      const generated = await addUser(deps, adminOf(supplier), { username: 'bob', name: 'Bob', roles: ['approver'] });
      assert.match(generated.password ?? '', /^[A-Za-z0-9_-]{24}$/, 'a generated password is shown once');
      await assert.rejects(addUser(deps, adminOf(other), { partyId: supplier.id, username: 'mallory', name: 'M', roles: ['operator'] }), (e) => e instanceof NotFoundError);
      await assert.rejects(
        addUser(deps, auditorOf(supplier), { username: 'eve', name: 'E', roles: ['operator'] }),
        (e) => e instanceof ForbiddenError && e.rule === 'permission-users-manage',
      );
    });

    it('refuses bad people: unknown role, taken username, short password', async () => {
      const a = adminOf(supplier);
      await refusedUnaudited(
        store,
        () => addUser(deps, a, { username: 'carol', name: 'C', roles: ['wizard'] }),
        (e) => e instanceof ValidationError && e.field === 'roles' && /"wizard"/.test(e.message),
      );
      await refusedUnaudited(
        store,
        () => addUser(deps, a, { username: 'alice@example', name: 'A2', roles: ['operator'] }),
        (e) => e instanceof ConflictError && e.field === 'username',
      );
      await refusedUnaudited(
        store,
        () => addUser(deps, a, { username: 'carol', name: 'C', roles: ['operator'], password: 'short' }),
        (e) => e instanceof ValidationError && e.field === 'password',
      );
      await refusedUnaudited(
        store,
        () => addUser(deps, a, { username: '-x', name: 'C', roles: ['operator'] }),
        (e) => e instanceof ValidationError && e.field === 'username',
      );
    });

    it('signs in into a database session; changes need the CSRF token', async () => {
      const s = await signIn(deps, { username: 'alice@example', password: PASSWORD, source: '192.0.2.1' });
      const who = await authenticateSession(deps, s.token, { method: 'GET', csrfToken: undefined });
      assert.deepEqual([who.party.id, who.principal.person, who.principal.roles], [supplier.id, 'alice@example', ['operator', 'field_engineer']]);
      await assert.rejects(authenticateSession(deps, s.token, { method: 'POST', csrfToken: undefined }), coded('CSRF_FAILED', 'csrf-token'));
      await assert.rejects(authenticateSession(deps, s.token, { method: 'POST', csrfToken: 'x'.repeat(43) }), coded('CSRF_FAILED', 'csrf-token'));
      assert.equal((await authenticateSession(deps, s.token, { method: 'POST', csrfToken: s.csrfToken })).principal.id, s.user.id);
      // Sessions live in the database: a second store on it (another process) sees the same one.
      const stored = await store.read.sessions.byToken(hashApiKey(s.token));
      assert.equal(stored?.user.username, 'alice@example');
      now = new Date(now.getTime() + (SIGN_IN_POLICY.idleMinutes + 1) * 60_000);
      await assert.rejects(authenticateSession(deps, s.token, { method: 'GET', csrfToken: undefined }), (e) => e instanceof UnauthorizedError && /expired/.test(e.message));
      const again = await signIn(deps, { username: 'alice@example', password: PASSWORD, source: '192.0.2.1' });
      await signOut(deps, again.token);
      await assert.rejects(authenticateSession(deps, again.token, { method: 'GET', csrfToken: undefined }), (e) => e instanceof UnauthorizedError && /ended/.test(e.message));
    });

    it(`locks the account after ${SIGN_IN_POLICY.lockAfterFailures} wrong passwords, even to the right one, until unlocked`, async () => {
      const wrong = () => signIn(deps, { username: 'alice@example', password: 'not the password', source: '192.0.2.2' });
      for (let i = 1; i < SIGN_IN_POLICY.lockAfterFailures; i++)
        await assert.rejects(wrong(), (e) => e instanceof UnauthorizedError && /username or password is wrong/.test(e.message));
      await assert.rejects(wrong(), coded('ACCOUNT_LOCKED', 'account-locked'));
      await assert.rejects(signIn(deps, { username: 'alice@example', password: PASSWORD, source: '192.0.2.2' }), coded('ACCOUNT_LOCKED', 'account-locked'));
      const locked = (await store.read.users.byUsername('alice@example'))!;
      assert.equal(locked.lockedUntil?.getTime(), now.getTime() + SIGN_IN_POLICY.lockMinutes * 60_000);
      await unlockUser(deps, adminOf(supplier), locked.id);
      assert.ok(await signIn(deps, { username: 'alice@example', password: PASSWORD, source: '192.0.2.2' }));
      // The failures were committed although each sign-in was refused.
      const failures = (await store.read.audit.page(0, 10_000)).filter(
        (e) => e.entity === `user/${locked.id}` && (e.action === 'user.sign_in_failed' || e.action === 'user.locked'),
      );
      assert.equal(failures.length, SIGN_IN_POLICY.lockAfterFailures);
    });

    it('rate-limits sign-in per username, and answers an unknown one as a wrong password', async () => {
      await assert.rejects(
        signIn(deps, { username: 'nobody', password: 'whatever-it-is', source: '192.0.2.3' }),
        (e) => e instanceof UnauthorizedError && /username or password is wrong/.test(e.message),
      );
      now = new Date(now.getTime() + 60 * 60_000);
      for (let i = 0; i < SIGN_IN_POLICY.attemptsPerUsername; i++) await assert.rejects(signIn(deps, { username: 'ghost', password: 'whatever-it-is', source: `198.51.100.${i}` }));
      await assert.rejects(signIn(deps, { username: 'ghost', password: 'whatever-it-is', source: '198.51.100.200' }), coded('TOO_MANY_REQUESTS', 'sign-in-rate'));
    });

    it('disabling a person ends their sessions; lists filter and page', async () => {
      const s = await signIn(deps, { username: 'alice@example', password: PASSWORD, source: '192.0.2.4' });
      const bob = (await store.read.users.byUsername('bob'))!;
      await updateUser(deps, adminOf(supplier), bob.id, { status: 'disabled' });
      const approvers = await listUsers(deps, auditorOf(supplier), { role: 'approver' });
      assert.deepEqual(
        approvers.items.map((u) => [u.username, u.status]),
        [['bob', 'disabled']],
      );
      const page1 = await listUsers(deps, adminOf(supplier), { limit: 1 });
      assert.equal(page1.items.length, 1);
      const page2 = await listUsers(deps, adminOf(supplier), { limit: 1, cursor: page1.next! });
      assert.equal(page2.next, null);
      assert.deepEqual([...page1.items, ...page2.items].map((u) => u.username).sort(), ['alice@example', 'bob']);
      await assert.rejects(listUsers(deps, adminOf(other), { partyId: supplier.id }), (e) => e instanceof NotFoundError);
      await assert.rejects(listUsers(deps, adminOf(supplier), { status: 'asleep' }), (e) => e instanceof ValidationError && e.field === 'status');
      assert.ok(await authenticateSession(deps, s.token, { method: 'GET', csrfToken: undefined }));
    });

    it('issues a key whose secret is stored only hashed; every use is audited', async () => {
      const { result } = await auditedBy(
        store,
        (r: Awaited<ReturnType<typeof issueApiKey>>) => [{ action: 'api_key.issued', entity: `api-key/${r.key.id}`, actor: supplier.id }],
        () => issueApiKey(deps, adminOf(supplier), { name: 'billing system', roles: ['operator'], expiresAt: new Date(now.getTime() + 86_400_000) }),
      );
      assert.match(result.secret, /^mo_[A-Za-z0-9_-]{43}$/);
      const stored = await store.read.apiKeys.byHash(hashApiKey(result.secret));
      assert.equal(stored?.key.id, result.key.id);
      assert.ok(!JSON.stringify(await showApiKey(deps, adminOf(supplier), result.key.id)).includes(result.secret), 'the secret is never shown again');
      const use = { method: 'GET', url: '/v1/devices?limit=5' };
      const { result: who } = await auditedBy(store, [{ action: 'api_key.used', entity: `api-key/${result.key.id}`, actor: supplier.id }], () =>
        authenticateApiKey(deps, `Bearer ${result.secret}`, use),
      );
      assert.deepEqual([who.person, who.principal.roles], ['billing system', ['operator']]);
      assert.equal((await showApiKey(deps, adminOf(supplier), result.key.id)).lastUsedAt?.getTime(), now.getTime());
      await assert.rejects(issueApiKey(deps, adminOf(supplier), { name: 'billing system', roles: ['operator'] }), (e) => e instanceof ConflictError && e.field === 'name');
      await assert.rejects(issueApiKey(deps, adminOf(supplier), { name: 'x', roles: ['root'] }), (e) => e instanceof ValidationError && e.field === 'roles');
      await assert.rejects(
        issueApiKey(deps, adminOf(supplier), { name: 'x', roles: ['operator'], expiresAt: new Date(now.getTime() - 1) }),
        (e) => e instanceof ValidationError && e.field === 'expiresAt',
      );
      await assert.rejects(
        issueApiKey(deps, adminOf(supplier), { name: 'x', roles: ['operator'], expiresAt: new Date(now.getTime() + 731 * 86_400_000) }),
        (e) => e instanceof ValidationError && e.field === 'expiresAt',
      );
      await assert.rejects(issueApiKey(deps, adminOf(other), { partyId: supplier.id, name: 'x', roles: ['operator'] }), (e) => e instanceof NotFoundError);
    });

    it('refuses an expired key at once, and audits the refusal', async () => {
      const k = await issueApiKey(deps, adminOf(supplier), { name: 'short-lived', roles: ['auditor'], expiresAt: new Date(now.getTime() + 60_000) });
      now = new Date(now.getTime() + 60_000);
      await auditedBy(store, [{ action: 'api_key.refused', entity: `api-key/${k.key.id}`, actor: supplier.id }], () =>
        assert.rejects(
          authenticateApiKey(deps, `Bearer ${k.secret}`, { method: 'GET', url: '/v1/devices' }),
          (e) => e instanceof UnauthorizedError && /expired at/.test(e.message),
        ),
      );
      const expired = await listApiKeys(deps, adminOf(supplier), { state: 'expired' });
      assert.deepEqual(
        expired.items.map((x) => x.name),
        ['short-lived'],
      );
      await assert.rejects(rotateApiKey(deps, adminOf(supplier), k.key.id), (e) => e instanceof ConflictError && e.rule === 'key-expired');
    });

    it('rotates (the old secret refused at once) and revokes, both audited', async () => {
      const k = await issueApiKey(deps, adminOf(supplier), { name: 'hht fleet', roles: ['field_engineer'], expiresAt: new Date(now.getTime() + 10 * 86_400_000) });
      now = new Date(now.getTime() + 86_400_000);
      const { result: rotated } = await auditedBy(
        store,
        (r: Awaited<ReturnType<typeof rotateApiKey>>) => [
          { action: 'api_key.revoked', entity: `api-key/${k.key.id}`, actor: supplier.id },
          { action: 'api_key.issued', entity: `api-key/${r.key.id}`, actor: supplier.id },
        ],
        () => rotateApiKey(deps, adminOf(supplier), k.key.id),
      );
      assert.deepEqual([rotated.key.name, rotated.key.roles, rotated.key.rotatedFrom], ['hht fleet', ['field_engineer'], k.key.id]);
      assert.equal(rotated.key.expiresAt?.getTime(), now.getTime() + 10 * 86_400_000, 'the new key gets the old one’s lifetime');
      await assert.rejects(authenticateApiKey(deps, `Bearer ${k.secret}`, { method: 'GET', url: '/v1/me' }), (e) => e instanceof UnauthorizedError && /revoked at/.test(e.message));
      assert.ok(await authenticateApiKey(deps, `Bearer ${rotated.secret}`, { method: 'GET', url: '/v1/me' }));
      await auditedBy(store, [{ action: 'api_key.revoked', entity: `api-key/${rotated.key.id}`, actor: supplier.id }], () =>
        revokeApiKey(deps, adminOf(supplier), rotated.key.id, 'laptop lost'),
      );
      await assert.rejects(
        authenticateApiKey(deps, `Bearer ${rotated.secret}`, { method: 'GET', url: '/v1/me' }),
        (e) => e instanceof UnauthorizedError && /revoked/.test(e.message),
      );
      await assert.rejects(revokeApiKey(deps, adminOf(supplier), rotated.key.id), (e) => e instanceof ConflictError && e.rule === 'key-revoked');
      await assert.rejects(revokeApiKey(deps, adminOf(other), k.key.id), (e) => e instanceof NotFoundError, "another party's key answers as a missing one");
      await assert.rejects(revokeApiKey(deps, auditorOf(supplier), k.key.id), (e) => e instanceof ForbiddenError);
      const revoked = await listApiKeys(deps, auditorOf(supplier), { state: 'revoked' });
      assert.deepEqual(revoked.items.map((x) => x.name).sort(), ['hht fleet', 'hht fleet']);
      const all = await listApiKeys(deps, adminOf(platform), {});
      assert.ok(all.items.some((x) => x.partyId === other.id) && all.items.some((x) => x.partyId === supplier.id), 'the platform sees every party’s keys');
    });
  });
}
