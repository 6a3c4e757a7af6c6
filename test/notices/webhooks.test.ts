// Removal notices delivered as signed webhooks (Standard Webhooks) from the outbox, on each
// backend, to a real Fastify receiver on loopback that checks every message with the
// standardwebhooks package and counts duplicates by webhook-id.
//
// The rule, from the SECMP0010/SECMP0013 triage working group paper (Oct 2018): "From a
// Distribution Network Operator (DNO) perspective, it was raised that, should a meter be removed,
// then the DNO would need to be notified." So every removal notifies, a return's or not.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import type { Party } from '../../src/domain/index.ts';
import { openJobRuntime } from '../../src/jobs/pg-boss-runtime.ts';
import { platformJobKinds } from '../../src/jobs/platform-jobs.ts';
import { secretBoxOf } from '../../src/keys/secret-box.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { changeAssetStatus } from '../../src/services/device-lifecycle.ts';
import { listDeliveries, replayDelivery, showDelivery } from '../../src/services/notices/delivery-log.ts';
import { recordRemovals } from '../../src/services/notices/outbox.ts';
import { createEndpoint, updateEndpoint } from '../../src/services/notices/webhook-endpoints.ts';
import type { JobRuntime } from '../../src/services/ports/job-queue.ts';
import { createReturn } from '../../src/services/returns/returns.ts';
import type { Store } from '../../src/store/store.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties } from '../support/builders.ts';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver.ts';

const SEED = 'notices-webhooks';
// Short waits so the test sees the whole retry schedule: 3 attempts, 50 ms doubling, 400 ms timeout.
const RETRY = { attempts: 3, baseDelayMs: 50, maxDelayMs: 400, timeoutMs: 400 };

for (const backend of BACKENDS) {
  describe(`webhook notices (${backend.name})`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let jobs: JobRuntime;
    let deps: ServiceDeps;
    let rx: Receiver;
    let dno: Party;
    let otherDno: Party;
    let premise0: string;
    const fleet = new Fleet({ premises: 6, seed: SEED });
    const supplierOf = async (i: number) => (await store.read.parties.list()).find((x) => x.eui === fleet.premise(i).supplier)!;
    const dnoOf = async (i: number) => (await store.read.parties.list()).find((x) => x.role === 'network_operator' && x.distributorId === fleet.premise(i).distributorId)!;
    /** The DNO's only enabled endpoint: at `path` of the receiver (its secret given to the receiver). */
    const onlyEndpoint = async (party: Party, path: string) => {
      for (const e of await store.read.notices.endpointsOf(party.id)) if (e.enabled) await updateEndpoint(deps, party, e.id, { enabled: false });
      const r = await createEndpoint(deps, party, { url: `${rx.url}/${path}`, eventTypes: ['device.removed'] });
      rx.secret(path, r.secret);
      return r.endpoint;
    };
    const settledDelivery = (party: Party, endpointId: string) =>
      until(`a settled delivery to ${endpointId}`, async () => {
        const d = (await listDeliveries(deps, party, { endpointId })).items[0];
        return d && d.state !== 'pending' ? d : undefined;
      });

    before(async () => {
      store = await backend.open();
      const dcc = aParty({ role: 'dcc' });
      await withParties(store, dcc);
      await generateFleet(depsFor(store), dcc, { premises: 6, seed: SEED });
      const base = { ...depsFor(store, () => new Date(), { policy: { webhookRetry: RETRY } }), secrets: secretBoxOf(randomBytes(32)) };
      jobs = await openJobRuntime(store, pino({ level: 'silent' }), { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
      deps = { ...base, jobs };
      for (const k of platformJobKinds(deps)) if (k.name.startsWith('notice-')) await jobs.register(k);
      await jobs.work(2);
      rx = await startReceiver(1_000);
      dno = await dnoOf(0);
      premise0 = (await store.read.premises.installationsOf([fleet.premise(0).devices.ESME!]))[0]!.premiseId;
      otherDno = (await store.read.parties.list()).find((x) => x.role === 'network_operator' && x.distributorId !== dno.distributorId)!;
    });
    after(async () => {
      await jobs?.stop(2_000);
      await rx?.close();
      await store?.close();
    });

    it('a device returned from a premise: its DNO webhook delivered once, verified, with the removal in it', async () => {
      const ep = await onlyEndpoint(dno, 'dno-a');
      const bystander = await onlyEndpoint(otherDno, 'other-dno');
      const supplier = await supplierOf(0);
      const eui = fleet.premise(0).devices.ESME!;
      await createReturn(deps, supplier, 'clerk', { lines: [{ deviceEui: eui, reason: 'meter-exchange' }] });
      const d = await settledDelivery(dno, ep.id);
      assert.equal(d.state, 'delivered');
      assert.equal(d.attempts, 1);
      // Long enough for a second, duplicate delivery to arrive if one were sent.
      await new Promise((r) => setTimeout(r, 1_500));
      const got = rx.received.filter((m) => m.path === 'dno-a');
      assert.equal(got.length, 1, 'delivered once');
      assert.equal(got[0]!.verified, true);
      assert.equal(got[0]!.id, d.noticeId, 'the webhook-id is the notice id');
      assert.equal(rx.accepted(d.noticeId), 1);
      const body = JSON.parse(got[0]!.body) as { type: string; timestamp: string; data: Record<string, unknown> };
      assert.equal(body.type, 'device.removed');
      assert.deepEqual(
        { eui: body.data.deviceEui, premise: body.data.premiseId, distributor: body.data.distributorId, by: body.data.removedBy },
        { eui, premise: premise0, distributor: fleet.premise(0).distributorId, by: supplier.id },
      );
      // The other region's DNO hears nothing of it.
      assert.equal(rx.received.filter((m) => m.path === 'other-dno').length, 0);
      assert.deepEqual((await listDeliveries(deps, otherDno, { endpointId: bystander.id })).items, []);
      const log = await showDelivery(deps, dno, d.id);
      assert.equal(log.attempts.length, 1);
      assert.equal(log.attempts[0]!.statusCode, 204);
      assert.ok(log.attempts[0]!.latencyMs >= 0);
    });

    it('"should a meter be removed, then the DNO would need to be notified": an asset move to removed outside a return notifies the DNO too', async () => {
      const ep = await onlyEndpoint(dno, 'dno-b');
      const supplier = await supplierOf(0);
      const eui = fleet.premise(0).devices.CHF!;
      await changeAssetStatus(deps, supplier, eui, { to: 'removed', reason: 'hub replaced on site' });
      const d = await settledDelivery(dno, ep.id);
      assert.equal(d.state, 'delivered');
      const m = rx.received.find((x) => x.path === 'dno-b')!;
      assert.equal(m.verified, true);
      const data = (JSON.parse(m.body) as { data: Record<string, unknown> }).data;
      assert.deepEqual([data.deviceEui, data.premiseId, data.reason], [eui, premise0, 'hub replaced on site']);
      // The device left its premise, and the removal is in the DNO's list of removal notices.
      assert.deepEqual(await store.read.premises.installationsOf([eui]), []);
      const listed = await store.read.returns.noticePage({ deviceEui: eui }, { limit: 10 });
      assert.equal(listed.items.length, 1);
      assert.equal(listed.items[0]!.dnoPartyId, dno.id);
    });

    it('a receiver answering 500 sees every retry (backed off), then the delivery is dead-lettered; a replay delivers once more', async () => {
      const ep = await onlyEndpoint(dno, 'dno-fail');
      rx.behave('dno-fail', 'fail');
      const supplier = await supplierOf(0);
      await createReturn(deps, supplier, 'clerk', { lines: [{ deviceEui: fleet.premise(0).devices.GSME!, reason: 'meter-exchange' }] });
      const d = await settledDelivery(dno, ep.id);
      assert.equal(d.state, 'dead');
      assert.equal(d.attempts, RETRY.attempts);
      const got = rx.received.filter((m) => m.path === 'dno-fail');
      assert.equal(got.length, RETRY.attempts);
      assert.ok(got.every((m) => m.verified && m.id === d.noticeId));
      // Each retry waits at least half its backoff (equal jitter): 25 ms, then 50 ms.
      assert.ok(got[1]!.at - got[0]!.at >= 25 && got[2]!.at - got[1]!.at >= 50, JSON.stringify(got.map((m) => m.at)));
      const log = await showDelivery(deps, dno, d.id);
      assert.deepEqual(
        log.attempts.map((a) => [a.attempt, a.statusCode, a.error]),
        [1, 2, 3].map((n) => [n, 500, 'answered 500']),
      );
      // The receiver comes back; the party replays the dead letter.
      rx.behave('dno-fail', 'ok');
      const replayed = await replayDelivery(deps, dno, d.id);
      assert.equal(replayed.state, 'pending');
      const done = await until('the replay', async () => {
        const x = (await showDelivery(deps, dno, d.id)).delivery;
        return x.state === 'delivered' ? x : undefined;
      });
      assert.equal(done.attempts, RETRY.attempts + 1);
      await new Promise((r) => setTimeout(r, 1_000));
      assert.equal(rx.received.filter((m) => m.path === 'dno-fail').length, RETRY.attempts + 1, 'once more, no more');
      assert.equal(rx.accepted(d.noticeId), 1);
      const last = (await showDelivery(deps, dno, d.id)).attempts.at(-1)!;
      assert.deepEqual([last.statusCode, last.replay], [204, true]);
      // A delivered one may be replayed again; one still pending is refused with its reason.
      await assert.rejects(replayDelivery(deps, otherDno, d.id), { code: 'NOT_FOUND' });
    });

    it('a receiver that does not answer in time: each attempt logged as a timeout, then the dead letter', async () => {
      const ep = await onlyEndpoint(dno, 'dno-slow');
      rx.behave('dno-slow', 'slow');
      const supplier = await supplierOf(0);
      const eui = fleet.premise(0).devices.GPF ?? fleet.premise(0).devices.ESME!;
      // A notice written directly through the outbox: the premise's other devices are gone by now.
      await store.transaction((tx) =>
        recordRemovals(deps, tx, [{ premiseId: premise0, deviceEui: eui, distributorId: dno.distributorId!, dnoPartyId: dno.id, removedBy: supplier.id, removedAt: new Date() }]),
      );
      const d = await settledDelivery(dno, ep.id);
      assert.equal(d.state, 'dead');
      const log = await showDelivery(deps, dno, d.id);
      assert.deepEqual(
        log.attempts.map((a) => [a.statusCode, a.error]),
        [1, 2, 3].map(() => [null, `no answer within ${RETRY.timeoutMs} ms`]),
      );
      assert.ok(log.attempts.every((a) => a.latencyMs >= RETRY.timeoutMs - 5));
    });

    it("a forged, altered or replayed message is refused by the receiver's check", async () => {
      const genuine = rx.received.find((m) => m.path === 'dno-a' && m.verified)!;
      const send = (headers: Record<string, string>, body: string) =>
        fetch(`${rx.url}/dno-a`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((r) => r.status);
      const h = { 'webhook-id': genuine.id, 'webhook-timestamp': genuine.timestamp, 'webhook-signature': genuine.signature };
      // Another secret's signature (a forger without the endpoint's secret).
      const forger = new Webhook(`whsec_${randomBytes(32).toString('base64')}`);
      const now = new Date();
      assert.equal(
        await send({ ...h, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': forger.sign(genuine.id, now, genuine.body) }, genuine.body),
        401,
      );
      // The genuine signature over an altered body.
      assert.equal(await send(h, genuine.body.replace('device.removed', 'device.installed')), 401);
      // The genuine message again: its webhook-id was accepted already (the receiver's idempotency check).
      const before = rx.accepted(genuine.id);
      await send(h, genuine.body);
      assert.equal(rx.accepted(genuine.id), before, 'a duplicate webhook-id is not accepted twice');
      assert.equal(rx.received.at(-1)!.duplicate, true);
      // Replayed later than the specification's tolerance: the timestamp check refuses it.
      const realNow = Date.now;
      Date.now = () => realNow() + 6 * 60_000;
      try {
        assert.throws(() => new Webhook(rx.secretFor('dno-a')).verify(genuine.body, h), /timestamp/i);
      } finally {
        Date.now = realNow;
      }
    });

    it('a removal whose transaction rolls back sends nothing', async () => {
      const ep = await onlyEndpoint(dno, 'dno-rollback');
      const supplier = await supplierOf(0);
      const removedAt = new Date();
      await assert.rejects(
        store.transaction(async (tx) => {
          await recordRemovals(deps, tx, [
            { premiseId: premise0, deviceEui: fleet.premise(0).devices.ESME!, distributorId: dno.distributorId!, dnoPartyId: dno.id, removedBy: supplier.id, removedAt },
          ]);
          // The notice, its delivery and its queue job are in this transaction, which now fails.
          assert.equal((await tx.notices.deliveryPage({ endpointId: ep.id }, { limit: 10 })).items.length, 1);
          throw new Error('the removal fails after its notice was written');
        }),
        /fails after its notice/,
      );
      await new Promise((r) => setTimeout(r, 2_000));
      assert.equal(rx.received.filter((m) => m.path === 'dno-rollback').length, 0);
      assert.deepEqual((await listDeliveries(deps, dno, { endpointId: ep.id })).items, []);
    });
  });
}
