import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ValidationError, type Eui } from '../../src/domain/index.ts';
import { BUILDABLE, buildUseCaseFrame } from '../../src/gbcs/build-use-case.ts';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { KeyNotFoundError } from '../../src/gbcs/key-store.ts';
import { readAccessRequest } from '../../src/gbcs/payloads/dlms.ts';
import { readChangeSupply, readGbz } from '../../src/gbcs/payloads/gbz.ts';
import { USE_CASES } from '../../src/gbcs/use-cases.ts';
import { verifyFrame } from '../../src/gbcs/verify-frame.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { KEYSTORE_DIR, SKIP_DCCBOXED } from '../support/reference.ts';

const SUPPLIER = '90B3D51F30010000' as Eui;
const NO = '90B3D51F30020000' as Eui;
const ACB = '90B3D51F30000002' as Eui;
const ESME = '00DB1234567890A0' as Eui;
const GSME = '00DB1234567890A1' as Eui;

describe('gbcs build (DCC Boxed keys)', { skip: SKIP_DCCBOXED }, () => {
  const keys = SKIP_DCCBOXED ? (undefined as never) : new FileKeyStore(KEYSTORE_DIR);

  it('builds every buildable use case as a frame that decodes, is signed when critical and MACed', async () => {
    for (const useCase of BUILDABLE) {
      const device = USE_CASES[useCase]!.deviceType === 'GSME' ? GSME : ESME;
      const counter = useCase.startsWith('CS01') ? 9n << 32n : 5000n;
      const bytes = await buildUseCaseFrame(keys, { useCase, originator: SUPPLIER, device, counter, acb: ACB, value: 5, valueClass: 'pounds' });
      const frame = decodeFrame(bytes);
      assert.equal(frame.apdu.messageCode, USE_CASES[useCase]!.messageCode, useCase);
      assert.equal(frame.apdu.originatorCounter, counter);
      const v = await verifyFrame(frame, keys, ACB);
      assert.equal(v.mac.status, 'valid', useCase);
      assert.equal(v.signature.status, USE_CASES[useCase]!.critical ? 'valid' : 'not-present', useCase);
    }
  });

  it('carries the right payload: ECS43 runs script 52, GCS39 proposes armed', async () => {
    const ecs43 = decodeFrame(await buildUseCaseFrame(keys, { useCase: 'ECS43', originator: SUPPLIER, device: ESME, counter: 77n, acb: ACB }));
    assert.deepEqual(readAccessRequest(ecs43.apdu.content).data, [{ type: 'long-unsigned', value: 52 }]);
    const gcs39 = decodeFrame(await buildUseCaseFrame(keys, { useCase: 'GCS39', originator: SUPPLIER, device: GSME, counter: 78n, acb: ACB }));
    assert.equal(readChangeSupply(readGbz(gcs39.apdu.content)[0]!).proposedSupplyStatus, 1);
  });

  it('refuses a signer of the wrong role, an unknown use case, a top-up without a UTRN, and a missing key', async () => {
    await assert.rejects(
      buildUseCaseFrame(keys, { useCase: 'ECS42', originator: NO, device: ESME, counter: 1n, acb: ACB }),
      (e: unknown) => e instanceof ValidationError && e.rule === 'signer-role',
    );
    await assert.rejects(
      buildUseCaseFrame(keys, { useCase: 'ECS99', originator: SUPPLIER, device: ESME, counter: 1n, acb: ACB }),
      (e: unknown) => e instanceof ValidationError && e.field === 'useCase',
    );
    await assert.rejects(
      buildUseCaseFrame(keys, { useCase: 'CS01a', originator: SUPPLIER, device: ESME, counter: 1n << 32n, acb: ACB }),
      (e: unknown) => e instanceof ValidationError && e.field === 'utrn',
    );
    await assert.rejects(buildUseCaseFrame(keys, { useCase: 'ECS42', originator: '90B3D51F3001FFFF' as Eui, device: ESME, counter: 1n, acb: ACB }), KeyNotFoundError);
  });

  it('meterops gbcs build prints the frame in hex', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'src/main.ts',
      'gbcs',
      'build',
      'ECS42',
      '--keystore',
      KEYSTORE_DIR,
      '--originator',
      SUPPLIER,
      '--device',
      ESME,
      '--counter',
      '4242',
    ]);
    const frame = decodeFrame(fromHex(stdout.trim()));
    assert.equal(frame.apdu.originatorCounter, 4242n);
    assert.deepEqual(await verifyFrame(frame, keys, ACB), { signature: { status: 'valid' }, mac: { status: 'valid' } });
  });
});
