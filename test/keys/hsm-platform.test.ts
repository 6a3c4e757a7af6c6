import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeMpanCore, type Eui, type Party } from '../../src/domain/index.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { verifyFrame } from '../../src/gbcs/verify-frame.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { openKeyStore, type OpenedKeyStore } from '../../src/keys/open-key-store.ts';
import { Pkcs11KeyStore } from '../../src/keys/pkcs11-key-store.ts';
import { keystoreKeySource } from '../../src/services/keystore-key-source.ts';
import { createPremise, installDevice } from '../../src/services/premises.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import { vend } from '../../src/services/vending.ts';
import { createWorkOrder } from '../../src/services/work-orders.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties } from '../support/builders.ts';
import { KEYSTORE_DIR, SKIP_DCCBOXED } from '../support/reference.ts';
import { freshToken, SKIP_SOFTHSM, SOFTHSM_LIBRARY } from '../support/softhsm.ts';

// The DCC Boxed test identities (shared/reference/dccboxed/keystore) and the RTDS's ESME.
const SUPPLIER = '90B3D51F30010000' as Eui;
const ACB = '90B3D51F30000002' as Eui;
const ESME = '00DB1234567890A0' as Eui;
const HUB = 'AB00000000000001' as Eui;
const PIN = '2468-1357';

/**
 * The platform's keys in an HSM for real: vending and a work order run through the configured
 * keystore (SoftHSM2 over PKCS#11 holding the private keys, a directory holding only certificates),
 * and the results are checked by an independent path: the RTDS known-answer UTRN, and the frame
 * verified with the DCC Boxed certificates.
 */
describe('vending and work orders with keys held in SoftHSM2', { skip: SKIP_SOFTHSM || SKIP_DCCBOXED }, () => {
  let certs: string;
  let token: { cleanup(): void };
  let opened: OpenedKeyStore;
  before(() => {
    token = freshToken('meterops-platform', PIN);
    const hsm = Pkcs11KeyStore.open({ library: SOFTHSM_LIBRARY!, tokenLabel: 'meterops-platform', pin: PIN });
    const key = (name: string) => createPrivateKey(readFileSync(join(KEYSTORE_DIR, name)));
    hsm.importPrivateKey(SUPPLIER, 'ds', key('90b3d51f30010000-ds.key'));
    hsm.importPrivateKey(SUPPLIER, 'pp-ka', key('90b3d51f30010000-pp-ka.key'));
    hsm.importPrivateKey(ACB, 'ka', key('90b3d51f30000002-ka.key'));
    hsm.close();
    // Certificates only: no private key is left anywhere but in the token.
    certs = mkdtempSync(join(tmpdir(), 'meterops-certs-'));
    for (const f of readdirSync(KEYSTORE_DIR).filter((n) => n.endsWith('.pem'))) copyFileSync(join(KEYSTORE_DIR, f), join(certs, f));
    opened = openKeyStore({ keystoreDir: certs, pkcs11Module: SOFTHSM_LIBRARY!, pkcs11Token: 'meterops-platform', pkcs11Pin: PIN })!;
  });
  after(() => {
    opened?.close();
    token?.cleanup();
    if (certs) rmSync(certs, { recursive: true, force: true });
  });

  for (const backend of BACKENDS) {
    describe(backend.name, { skip: backend.skip ?? false }, () => {
      let store: Store;
      let supplier: Party;
      before(async () => {
        store = await backend.open();
        [supplier] = await withParties(store, aParty({ id: 'hsm-supplier', role: 'supplier', eui: SUPPLIER }));
      });
      after(() => store?.close());

      it('is the configured PKCS#11 keystore, with no private key in the directory', () => {
        assert.equal(opened.kind, 'pkcs11');
        assert.equal(
          readdirSync(certs).some((n) => n.endsWith('.key')),
          false,
        );
      });

      it('vends the RTDS known-answer UTRN and builds a work order whose frame verifies with the DCC Boxed certificates', async () => {
        const deps = depsFor(store, () => new Date('2026-11-30T10:00:00Z'), { keys: keystoreKeySource(opened.keys, ACB) });
        const premise = await createPremise(deps, supplier, { mpan: makeMpanCore(12, 4_242_424), mprn: '7424242', postcode: 'SW1A 1AA' });
        const reg = await registerDevices(deps, supplier, [
          { row: 0, input: { eui: HUB, type: 'CHF', manufacturer: 'DCC Boxed', model: 'RTDS', firmwareVersion: '1.0', supplierPartyId: supplier.id } },
          { row: 1, input: { eui: ESME, type: 'ESME', manufacturer: 'DCC Boxed', model: 'RTDS', firmwareVersion: '1.0', supplierPartyId: supplier.id } },
        ]);
        assert.equal(reg.written, 2);
        await installDevice(deps, supplier, premise.id, { eui: HUB, hubEui: null });
        await installDevice(deps, supplier, premise.id, { eui: ESME, hubEui: HUB });
        // The RTDS UTRN for £10 is at counter 3 x 2^32: start the Supplier's counter two UTRNs in.
        await store.transaction(async (tx) => {
          await tx.vends.lockCounter(supplier.id, ESME);
          await tx.vends.setCounter(supplier.id, ESME, 2n << 32n);
        });
        const v = await vend(deps, supplier, 'operator', 'hsm-vend-1', { kind: 'credit', deviceEui: ESME, value: 10, valueClass: 'pounds' });
        assert.equal(v.vend.counter, 12884901888n);
        assert.equal(v.vend.code, '73946144332040217315', 'the UTRN of the DCC Boxed test data for £10 at counter 12884901888');

        const { commands } = await createWorkOrder(deps, supplier, 'operator', { premiseId: premise.id, commands: [{ deviceEui: ESME, useCase: 'ECS42' }] });
        assert.equal(commands.length, 1);
        // Checked by an independent path: the DCC Boxed keystore files (the ACB's KA key for the MAC).
        const verdicts = await verifyFrame(decodeFrame(fromHex(commands[0]!.frame)), new FileKeyStore(KEYSTORE_DIR), ACB);
        assert.deepEqual(verdicts, { signature: { status: 'valid' }, mac: { status: 'valid' } });
      });
    });
  }
});
