import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/api/app.ts';
import { duisPorts } from '../../src/composition/duis-wiring.ts';
import { simulatedWorldWiring } from '../../src/composition/simulated-world-wiring.ts';
import { noKeySource } from '../../src/services/keystore-key-source.ts';
import { BACKENDS } from '../support/backends.ts';
import { silentLog, testAuditKey } from '../support/builders.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { DSP_CERTS, KEYSTORE_JSON, RESPONSES_DIR, SIGNING_DIR, SKIP_DUIS } from './duis-support.ts';

describe('DUIS configuration', () => {
  it('needs no DCC by default: the simulated world alone', () => {
    const c = loadConfig({});
    assert.equal(c.dccUrl, undefined);
    assert.equal(c.dccEui, '90B3D51F30000002');
    assert.equal(duisPorts(c), undefined);
  });

  it('refuses a DCC address without the XmlSign keys and DSP certificates, and one that is not a URL', () => {
    assert.throws(
      () => loadConfig({ METEROPS_DCC_URL: 'http://127.0.0.1:8079' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'duisKeystore' && /METEROPS_DUIS_KEYSTORE/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ METEROPS_DCC_URL: 'dccboxed:8079' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'dccUrl' && /METEROPS_DCC_URL/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ METEROPS_DCC_HEADERS: '["x"]' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'dccHeaders',
    );
  });

  it('with METEROPS_DCC_URL, the ports are built and the receiver takes a DSP-signed response', { skip: SKIP_DUIS }, async () => {
    const config = loadConfig({
      METEROPS_DCC_URL: 'http://127.0.0.1:8079',
      METEROPS_DUIS_KEYSTORE: KEYSTORE_JSON,
      METEROPS_DUIS_DSP_CERTS: DSP_CERTS.map((f) => join(SIGNING_DIR, f)).join(','),
      METEROPS_DCC_HEADERS: '{"x-proxy":"1"}',
    });
    assert.deepEqual(config.dccHeaders, { 'x-proxy': '1' });
    const ports = duisPorts(config)!;
    const ok = await ports.receiver.receive(readFileSync(join(RESPONSES_DIR, 'read-inventory-response-4g.xml'), 'utf8'));
    assert.equal(ok.status, 204);
    const bad = await ports.receiver.receive(readFileSync(join(RESPONSES_DIR, 'readfw-response-badsignature.xml'), 'utf8'));
    assert.equal(bad.status, 400);
    assert.equal(bad.status === 400 && bad.error.rule, 'duis-signature-invalid');
  });

  it('the server wired with METEROPS_DCC_URL serves POST /duis/receive without an API key: 204 signed, 400 unsigned', { skip: SKIP_DUIS }, async () => {
    const config = loadConfig({
      METEROPS_DCC_URL: 'http://127.0.0.1:8079',
      METEROPS_DUIS_KEYSTORE: KEYSTORE_JSON,
      METEROPS_DUIS_DSP_CERTS: DSP_CERTS.map((f) => join(SIGNING_DIR, f)).join(','),
    });
    const store = await BACKENDS[0]!.open();
    try {
      const wiring = simulatedWorldWiring();
      const deps = await wiring.wire({ store, clock: () => new Date(), log: silentLog, auditKey: testAuditKey }, config, noKeySource());
      const app = await buildApp(deps, { plugins: [(a) => wiring.routes!(a, deps)] });
      const signed = readFileSync(join(RESPONSES_DIR, 'readfw-response.xml'), 'utf8');
      const ok = await app.inject({ method: 'POST', url: '/duis/receive', headers: { 'content-type': 'application/xml' }, payload: signed });
      assert.equal(ok.statusCode, 204);
      const unsigned = readFileSync(join(RESPONSES_DIR, 'readfw-response-no-signature.xml'), 'utf8');
      const bad = await app.inject({ method: 'POST', url: '/duis/receive', headers: { 'content-type': 'application/xml' }, payload: unsigned });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().rule, 'duis-signature-missing');
      await app.close();
    } finally {
      await store.close();
    }
  });
});
