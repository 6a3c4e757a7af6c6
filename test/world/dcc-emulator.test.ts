import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { duisReceiveRoute } from '../../src/api/routes/duis-receive.ts';
import type { Eui } from '../../src/domain/eui.ts';
import { DuisClient } from '../../src/duis/duis-client.ts';
import { DuisReceiver } from '../../src/duis/duis-receiver.ts';
import { disableSupply, enableSupply, topUpDevice, updateCredentialsCoS, writeDuisRequest, type DuisRequest } from '../../src/duis/duis-request.ts';
import { readCs02bCommand } from '../../src/gbcs/payloads/credentials.ts';
import { parseDuisResponse } from '../../src/duis/duis-response.ts';
import { signDuis } from '../../src/duis/duis-signature.ts';
import { DuisTrust, trustedSigner } from '../../src/duis/duis-trust.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { DCC_BOXED_ACB, verifyFrame } from '../../src/gbcs/verify-frame.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { ConflictError } from '../../src/domain/errors.ts';
import { DuisError } from '../../src/duis/duis-error.ts';
import { buildUseCaseFrame } from '../../src/gbcs/build-use-case.ts';
import { duisDeviceGateway } from '../../src/services/duis-device-gateway.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDevice, aParty, withParties } from '../support/builders.ts';
import { DccEmulator, type EmulatedDevices } from '../../src/world/dcc-emulator/dcc-emulator.ts';
import { DUIS_XSD, KEYSTORE_DIR, RTDS_DIR, SKIP_DCCBOXED, skipDuisValidation } from '../support/reference.ts';
import { SIGNING_DIR, SKIP_DUIS, dspTrust, xmlSignKeys } from '../duis/duis-support.ts';

const SUPPLIER = '90B3D51F30010000' as Eui;
const NETWORK_OPERATOR = '90B3D51F30020000' as Eui;
const ESME = '00DB1234567890A0' as Eui;
const GSME = '00DB1234567890A1' as Eui;
const TRANS_COS = '90B3D51F30000004' as Eui;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const rtds = (dir: string, file: string) => Uint8Array.from(Buffer.from(readFileSync(join(RTDS_DIR, dir, file), 'utf8').trim(), 'hex'));

/**
 * The DCC Boxed devices as the RTDS records them: each frame delivered is decoded and its ACB MAC
 * and User signature checked with the DCC Boxed keystore (real crypto, nothing assumed), and the
 * answer is the RTDS's own SUCCESS response for that use case.
 */
class RtdsDevices implements EmulatedDevices {
  readonly received: { eui: Eui; frame: Uint8Array; mac: string; signature: string }[] = [];
  constructor(readonly keys: FileKeyStore) {}
  async deviceType(eui: Eui) {
    return eui === ESME ? 'ESME' : eui === GSME ? 'GSME' : undefined;
  }
  async deliver(eui: Eui, frame: Uint8Array) {
    const f = decodeFrame(frame);
    const v = await verifyFrame(f, this.keys, DCC_BOXED_ACB);
    this.received.push({ eui, frame, mac: v.mac.status, signature: v.signature.status });
    const answers: Record<number, [string, string]> = {
      0x004f: ['7.1_ECS42', 'ECS42_7.1'],
      0x0007: ['2.2_CS01a', 'CS01a_2.2'],
      0x0107: ['6.23_CS02bSupplierByTransCoS', 'CS02bSupplierByTransCoS_6.23_IMMEDIATE'],
    };
    const a = answers[f.apdu.messageCode];
    return { response: a && v.mac.status === 'valid' ? rtds(a[0], `${a[1]}_SUCCESS_RESPONSE_GBCS.HEX`) : null };
  }
}

describe('the DCC emulator, the DUIS client and the receive endpoint, on loopback', { skip: SKIP_DCCBOXED || SKIP_DUIS }, () => {
  let emulator: DccEmulator;
  let user: FastifyInstance;
  let client: DuisClient;
  let receiver: DuisReceiver;
  let devices: RtdsDevices;
  let store: Store;
  const keys = SKIP_DCCBOXED ? (undefined as never) : new FileKeyStore(KEYSTORE_DIR);
  const xml = SKIP_DUIS ? (undefined as never) : xmlSignKeys();
  const supplier = () => xml.signers.get(SUPPLIER)!;
  const post = (service: string, body: string) =>
    fetch(`http://127.0.0.1:${(emulator.app.server.address() as { port: number }).port}/api/v1/${service}`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body,
    });

  before(async () => {
    store = await BACKENDS[0]!.open();
    devices = new RtdsDevices(keys);
    const dcc = { dsp: dspTrust(), dcc: DCC_BOXED_ACB, ...(skipDuisValidation() ? {} : { xsdPath: DUIS_XSD }) };
    receiver = new DuisReceiver(dcc);
    user = Fastify();
    await duisReceiveRoute(user, receiver);
    await user.listen({ host: '127.0.0.1', port: 0 });
    const receiveUrl = `http://127.0.0.1:${(user.server.address() as { port: number }).port}/duis/receive`;
    const dspCert = readFileSync(join(SIGNING_DIR, 'dsp-xml-sign-90B3D51F30000002-ds.pem'));
    emulator = new DccEmulator({
      users: new DuisTrust(xml.certificates),
      dsp: { signer: trustedSigner(dspCert), privateKey: createPrivateKey(readFileSync(join(SIGNING_DIR, 'dsp-xml-sign-90B3D51F30000002-ds.key.pem'))) },
      dcc: DCC_BOXED_ACB,
      acb: DCC_BOXED_ACB,
      keys,
      devices,
      receiveUrl,
      transCoS: { eui: TRANS_COS, firstCounter: 6001n },
      ...(skipDuisValidation() ? {} : { xsdPath: DUIS_XSD }),
    });
    await emulator.app.listen({ host: '127.0.0.1', port: 0 });
    client = new DuisClient({
      baseUrl: `http://127.0.0.1:${(emulator.app.server.address() as { port: number }).port}`,
      signer: supplier(),
      keys,
      ...dcc,
    });
  });
  after(async () => {
    await emulator?.idle();
    await emulator?.app.close();
    await user?.close();
    await store?.close();
  });

  it('7.1 Enable Supply goes round trip: CV 4, the User signs, CV 5, I99, then the device response to the receive endpoint', async () => {
    const cv4 = enableSupply({ user: SUPPLIER, device: ESME, counter: 1000n });
    const ack = await client.sendCritical(cv4);
    assert.equal(ack.code, 'I99');
    const response = await receiver.awaitResponse(cv4.header.requestId, 10_000);
    assert.equal(response.code, 'I0');
    assert.equal(response.responseId, '00-DB-12-34-56-78-90-A0:90-B3-D5-1F-30-01-00-00:1000');
    assert.equal(response.body.kind, 'gbcs');
    assert.equal(hex(response.body.kind === 'gbcs' ? response.body.payload : new Uint8Array()), hex(rtds('7.1_ECS42', 'ECS42_7.1_SUCCESS_RESPONSE_GBCS.HEX')));
    const got = devices.received.at(-1)!;
    assert.deepEqual([got.eui, got.mac, got.signature], [ESME, 'valid', 'valid'], 'the device got the User-signed, ACB-MACed ECS42');
    // The frame is the RTDS COMMAND but for the (random) signature and the MAC over it.
    const command = rtds('7.1_ECS42', 'ECS42_7.1_SUCCESS_COMMAND_GBCS.HEX');
    const upToSignature = 12 + rtds('7.1_ECS42', 'ECS42_7.1_SUCCESS_PRECOMMAND_GBCS.HEX').length + 1; // header ‖ pre-command ‖ 40
    assert.equal(hex(got.frame.subarray(0, upToSignature)), hex(command.subarray(0, upToSignature)));
    assert.equal(got.frame.length, command.length);
  });

  it('2.2 Top Up Device with counter 12884901888 and the RTDS UTRN reaches the ESME as the RTDS CS01a COMMAND, byte for byte', async () => {
    const r = topUpDevice({ user: SUPPLIER, device: ESME, counter: 12884901888n }, '73946144332040217315');
    assert.equal((await client.send(r)).code, 'I99');
    const response = await receiver.awaitResponse(r.header.requestId, 10_000);
    assert.equal(hex(response.body.kind === 'gbcs' ? response.body.payload : new Uint8Array()), hex(rtds('2.2_CS01a', 'CS01a_2.2_SUCCESS_RESPONSE_GBCS.HEX')));
    assert.equal(hex(devices.received.at(-1)!.frame), hex(rtds('2.2_CS01a', 'CS01a_2.2_SUCCESS_COMMAND_GBCS.HEX')));
  });

  async function refusedWith(service: string, body: string, rule: string) {
    const res = await post(service, body);
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { rule: string }).rule, rule);
  }
  const signed = (r: DuisRequest) => signDuis(writeDuisRequest(r), supplier());

  it('refuses a missing signature, a signer who is not the originator, a replayed counter and the wrong endpoint', async () => {
    const r = disableSupply({ user: SUPPLIER, device: ESME, counter: 12884901900n });
    await refusedWith('serviceT', writeDuisRequest(r), 'duis-signature-missing');
    await refusedWith('serviceT', signed(disableSupply({ user: NETWORK_OPERATOR, device: ESME, counter: 5000n })), 'duis-signer-not-originator');
    await refusedWith('serviceS', signed(topUpDevice({ user: SUPPLIER, device: ESME, counter: 12884901888n }, '73946144332040217315')), 'duis-counter-replayed');
    await refusedWith('serviceS', signed(r), 'duis-command-variant');
    await refusedWith('serviceT', signed(r).replace('<sr:Body>', '<sr:Body> '), 'duis-signature-invalid');
    await refusedWith('serviceT', 'not xml', 'duis-xml-malformed');
  });

  it('the receive endpoint answers 204 to a DSP-signed response and 400 to an unsigned or tampered one', async () => {
    const url = `http://127.0.0.1:${(user.server.address() as { port: number }).port}/duis/receive`;
    const send = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
    const inventory = readFileSync(join(SIGNING_DIR, 'responses', 'read-inventory-response-5.4.xml'), 'utf8');
    assert.equal((await send(inventory)).status, 204);
    const unsigned = await send(inventory.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''));
    assert.equal(unsigned.status, 400);
    assert.equal(((await unsigned.json()) as { rule: string }).rule, 'duis-signature-missing');
    assert.equal((await send(inventory.replace('<sr:ResponseCode>I0', '<sr:ResponseCode>E1'))).status, 400);
    // The DSP-signed inventory response was matched to its RequestID and kept for whoever waits.
    const id = parseDuisResponse(inventory).requestId!;
    assert.equal((await receiver.awaitResponse(id, 1000)).code, 'I0');
  });
  it('the DUIS device gateway carries a platform-built, signed ECS42 through CV 4 and CV 5, in the use case transaction', async () => {
    const [owner] = await withParties(store, aParty({ role: 'meter_asset_provider' }));
    await store.transaction((tx) => tx.devices.insertMany([aDevice({ eui: ESME, ownerPartyId: owner!.id, custodianPartyId: owner!.id })], new Date()));
    const gateway = duisDeviceGateway({ clientFor: (eui) => (eui === SUPPLIER ? client : undefined), receiver, responseTimeoutMs: 10_000 });
    const frame = await buildUseCaseFrame(keys, { useCase: 'ECS42', originator: SUPPLIER, device: ESME, counter: 12884901900n, acb: DCC_BOXED_ACB });
    const answer = await store.transaction(async (tx) => {
      assert.equal(await gateway.reaches(tx, ESME), true);
      assert.equal(await gateway.reaches(tx, GSME), false, 'not in the registry');
      const s = await gateway.open(tx, [ESME]);
      const a = await s.deliver(ESME, frame, new Date());
      await s.close(new Date());
      return a;
    });
    assert.equal(answer.accepted, true);
    assert.equal(answer.useCase, 'ECS42');
    assert.equal(hex(answer.response!), hex(rtds('7.1_ECS42', 'ECS42_7.1_SUCCESS_RESPONSE_GBCS.HEX')));
    // The device got exactly the frame meterops signed and the ACB MACed: the platform's bytes.
    assert.equal(hex(devices.received.at(-1)!.frame), hex(frame));
    assert.equal(await store.read.duisCounters.last(SUPPLIER), 12884901900n);
    // The same frame again: its counter is already used, so the store refuses before anything is sent.
    const sent = devices.received.length;
    await assert.rejects(
      store.transaction(async (tx) => (await gateway.open(tx, [ESME])).deliver(ESME, frame, new Date())),
      (e: unknown) => e instanceof ConflictError && e.rule === 'duis-counter-not-increasing',
    );
    assert.equal(devices.received.length, sent);
  });

  it('a counter the DCC has already seen is refused by the DCC too, and nothing is kept', async () => {
    // A fresh store has never used 12884901888 for the Supplier; the emulator has (the top-up above).
    const fresh = await BACKENDS[0]!.open();
    try {
      const [owner] = await withParties(fresh, aParty({ role: 'meter_asset_provider' }));
      await fresh.transaction((tx) => tx.devices.insertMany([aDevice({ eui: ESME, ownerPartyId: owner!.id, custodianPartyId: owner!.id })], new Date()));
      const gateway = duisDeviceGateway({ clientFor: (eui) => (eui === SUPPLIER ? client : undefined), receiver, responseTimeoutMs: 10_000 });
      await assert.rejects(
        fresh.transaction(async (tx) => (await gateway.open(tx, [ESME])).deliver(ESME, rtds('2.2_CS01a', 'CS01a_2.2_SUCCESS_COMMAND_GBCS.HEX'), new Date())),
        (e: unknown) => e instanceof DuisError && /duis-counter-replayed/.test(e.message),
      );
      assert.equal(await fresh.read.duisCounters.last(SUPPLIER), undefined, 'the refused send rolled its counter back');
    } finally {
      await fresh.close();
    }
  });
  it('6.23 is signed by the DCC as Transitional CoS: the device gets the RTDS CS02b command but for the signature and MAC', async () => {
    const command = rtds('6.23_CS02bSupplierByTransCoS', 'CS02bSupplierByTransCoS_6.23_IMMEDIATE_SUCCESS_COMMAND_GBCS.HEX');
    // The request's inputs are the RTDS command's own (certificates, floors); its counter is the User's, the GBCS counter the DCC's (6001).
    const c = readCs02bCommand(decodeFrame(command).apdu.content);
    const cert = (usage: 'ds' | 'ka', cellUsage = 0) => c.replacements.find((x) => x.target.keyUsage === usage && (x.target.cellUsage ?? 0) === cellUsage)!.certificate;
    const r = updateCredentialsCoS(
      { user: SUPPLIER, device: ESME, counter: 12884901950n },
      {
        floorSeq: 0n,
        topUpFloorSeq: 0n,
        replacement: { digitalSigning: cert('ds'), keyAgreement: cert('ka'), keyAgreementTopUp: cert('ka', 1) },
        certificationPath: c.certificationPath,
        timeBasedChecks: true,
        importMpxn: '1312345678333',
      },
    );
    assert.equal((await client.send(r)).code, 'I99');
    const response = await receiver.awaitResponse(r.header.requestId, 10_000);
    assert.equal(
      hex(response.body.kind === 'gbcs' ? response.body.payload : new Uint8Array()),
      hex(rtds('6.23_CS02bSupplierByTransCoS', 'CS02bSupplierByTransCoS_6.23_IMMEDIATE_SUCCESS_RESPONSE_GBCS.HEX')),
    );
    const got = devices.received.at(-1)!;
    assert.deepEqual([got.mac, got.signature], ['valid', 'valid'], 'signed with the Transitional CoS DS key, MACed with the ACB');
    assert.equal(decodeFrame(got.frame).apdu.originator, TRANS_COS);
    const signatureAt = command.length - 12 - 64;
    assert.equal(got.frame.length, command.length);
    assert.equal(hex(got.frame.subarray(0, signatureAt)), hex(command.subarray(0, signatureAt)));
  });
});
