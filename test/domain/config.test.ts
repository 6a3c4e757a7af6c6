import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { ValidationError } from '../../src/domain/errors.ts';

describe('configuration', () => {
  it('has documented defaults, takes the environment, and lets flags win', () => {
    const d = loadConfig({});
    assert.deepEqual([d.port, d.host, d.demo, d.logLevel, d.auditRetentionDays, d.anomalyAlertMinutes], [8080, 'localhost', true, 'info', 2557, 30]);
    assert.ok(Object.isFrozen(d), 'frozen');
    const e = loadConfig(
      { METEROPS_PORT: '9000', METEROPS_DEMO: 'false', METEROPS_DUTY_SLA_DAYS: '{"notify_ssc":1}', METEROPS_ANOMALY_LIMITS: '{"disable_supply":{"max":10,"windowMinutes":15}}' },
      { port: '9100' },
    );
    assert.deepEqual([e.port, e.demo, e.dutySlaDays, e.anomalyLimits], [9100, false, { notify_ssc: 1 }, { disable_supply: { max: 10, windowMinutes: 15 } }]);
  });
  it('refuses a bad value, naming the setting and its variable', () => {
    assert.throws(
      () => loadConfig({ METEROPS_PORT: 'eighty' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'port' && /METEROPS_PORT/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ METEROPS_ANOMALY_LIMITS: '{"disable_supply":{"max":0,"windowMinutes":5}}' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'anomalyLimits',
    );
    assert.throws(
      () => loadConfig({ METEROPS_DATABASE_URL: 'mysql://x' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'databaseUrl',
    );
    assert.throws(
      () => loadConfig({ METEROPS_RETURN_COSTS: '{"nffTestPence":-1}' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'returnCosts',
    );
    assert.throws(
      () => loadConfig({ METEROPS_PPMID_RELAY: 'perhaps' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'ppmidRelay',
    );
  });
  it('takes the returns costs and the PPMID relay switch', () => {
    const c = loadConfig({ METEROPS_RETURN_COSTS: '{"nffTestPence":800}', METEROPS_PPMID_RELAY: 'true' });
    assert.deepEqual([c.returnCosts, c.ppmidRelay, loadConfig({}).ppmidRelay], [{ nffTestPence: 800 }, true, false]);
  });
  it('chooses the keystore: an HSM needs its token and PIN; the ACB and Recovery are EUIs', () => {
    const c = loadConfig({
      METEROPS_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so',
      METEROPS_PKCS11_TOKEN: 'meterops',
      METEROPS_PKCS11_PIN: '1234',
      METEROPS_KEYSTORE_RECOVERY: '90b3d51f30000001',
    });
    assert.deepEqual(
      [c.pkcs11Module, c.pkcs11Token, c.keystoreAcb, c.keystoreRecovery, c.keypadLockoutMinutes],
      ['/usr/lib/softhsm/libsofthsm2.so', 'meterops', '90B3D51F30000002', '90B3D51F30000001', 60],
    );
    assert.throws(
      () => loadConfig({ METEROPS_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'pkcs11Token' && /METEROPS_PKCS11_TOKEN/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ METEROPS_KEYSTORE_ACB: 'not-an-eui' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'keystoreAcb' && /METEROPS_KEYSTORE_ACB/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ METEROPS_KEYPAD_LOCKOUT_MINUTES: '0' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'keypadLockoutMinutes',
    );
  });
});
