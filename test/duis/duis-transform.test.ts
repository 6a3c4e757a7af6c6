import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Eui } from '../../src/domain/eui.ts';
import { serviceFor } from '../../src/duis/command-variant.ts';
import { DuisError } from '../../src/duis/duis-error.ts';
import { disableSupply, enableSupply, parseDuisRequest, signedPreCommand, updateCredentialsKrp, writeDuisRequest, type DuisRequest } from '../../src/duis/duis-request.ts';
import { parseDuisResponse, writeDuisResponse } from '../../src/duis/duis-response.ts';
import { completeSignedPreCommand, signPreCommand, transformToPreCommand } from '../../src/duis/transform.ts';
import { signedRegion, withSignature } from '../../src/gbcs/build-frame.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { verifyRaw } from '../../src/gbcs/signature.ts';
import { DCC_BOXED_ACB } from '../../src/gbcs/verify-frame.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { KEYSTORE_DIR, RTDS_DIR, SKIP_DCCBOXED } from '../support/reference.ts';
import { readCs02bCommand } from '../../src/gbcs/payloads/credentials.ts';

const SUPPLIER = '90B3D51F30010000' as Eui;
const NETWORK_OPERATOR = '90B3D51F30020000' as Eui;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const rtds = (dir: string, file: string) => Uint8Array.from(Buffer.from(readFileSync(join(RTDS_DIR, dir, file), 'utf8').trim(), 'hex'));

/**
 * SRV 6.15.1 from the Network Operator, its inputs (certificates, path) those of the RTDS
 * pre-command: the DCC's template carries the same keys in certificates renewed in 2025, the RTDS
 * the 2016 ones, so the template fixes the request's form and the RTDS its bytes.
 */
function noByNo(to: { user: Eui; device: Eui; counter: bigint }, cv: 1 | 4): DuisRequest {
  const pre = readCs02bCommand(decodeFrame(rtds('6.15.1_CS02bNOByNO', 'CS02bNOByNO_6.15.1_SUCCESS_PRECOMMAND_GBCS.HEX')).apdu.content);
  const cert = (usage: 'ds' | 'ka') => pre.replacements.find((r) => r.target.keyUsage === usage)!.certificate;
  return updateCredentialsKrp(
    { ...to, user: NETWORK_OPERATOR },
    {
      role: 'NetworkOperator',
      floorSeq: 0n,
      replacement: { digitalSigning: cert('ds'), keyAgreement: cert('ka') },
      certificationPath: pre.certificationPath,
      timeBasedChecks: true,
    },
    cv,
  );
}

const CASES = [
  { useCase: 'ECS42', dir: '7.1_ECS42', device: 'ESME', user: SUPPLIER, build: enableSupply },
  { useCase: 'ECS43', dir: '7.2_ECS43', device: 'ESME', user: SUPPLIER, build: disableSupply },
  { useCase: 'GCS32', dir: '7.2_GCS32', device: 'GSME', user: SUPPLIER, build: disableSupply },
  { useCase: 'CS02bNOByNO', dir: '6.15.1_CS02bNOByNO', device: 'ESME', user: NETWORK_OPERATOR, build: noByNo },
] as const;

/** The CV 4 answer as DCC Boxed 1.4.1 and later send it: the pre-command with a `00` appended. */
function cv4Response(r: DuisRequest, preCommand: Uint8Array): string {
  return writeDuisResponse({
    requestId: r.header.requestId,
    responseId: null,
    code: 'I0',
    at: new Date('2026-12-02T04:00:00Z'),
    serviceReference: r.header.serviceReference,
    serviceReferenceVariant: r.header.serviceReferenceVariant,
    body: { kind: 'pre-command', gbcsVersion: '3.2', payload: Buffer.concat([preCommand, Buffer.of(0)]) },
  });
}

describe('the transform round trip gives the RTDS COMMAND bytes', { skip: SKIP_DCCBOXED }, () => {
  const keys = SKIP_DCCBOXED ? (undefined as never) : new FileKeyStore(KEYSTORE_DIR);

  for (const c of CASES) {
    it(`${c.useCase} (SRV ${c.dir.split('_')[0]}): CV 4 → PreCommand, CV 5 with the SignedPreCommand → header ‖ pre-command ‖ 40 ‖ signature ‖ ACB MAC`, async () => {
      const preFile = rtds(c.dir, `${c.useCase}_${c.dir.split('_')[0]}_SUCCESS_PRECOMMAND_GBCS.HEX`);
      const commandFile = rtds(c.dir, `${c.useCase}_${c.dir.split('_')[0]}_SUCCESS_COMMAND_GBCS.HEX`);
      const header = decodeFrame(preFile).apdu;
      const to = { user: c.user, device: header.recipient, counter: header.originatorCounter };
      // The User's CV 4 request goes to serviceT.
      const cv4 = parseDuisRequest(writeDuisRequest(c.build(to, 4)));
      assert.equal(serviceFor(cv4.header.commandVariant), 'serviceT');
      // The DCC's side: the pre-command is exactly the RTDS PRECOMMAND.
      const { useCase, preCommand } = transformToPreCommand(cv4, c.device);
      assert.equal(useCase, c.useCase);
      assert.equal(hex(preCommand), hex(preFile));
      // The User's side: strip the 00, check, sign with the organisation DS key.
      const answer = parseDuisResponse(cv4Response(cv4, preCommand));
      assert.equal(answer.body.kind, 'pre-command');
      const payload = answer.body.kind === 'pre-command' ? answer.body.payload : new Uint8Array();
      const fresh = await signPreCommand(keys, payload, c.user, to.counter);
      assert.equal(hex(fresh.subarray(0, preFile.length)), hex(preFile));
      assert.equal(fresh[preFile.length], 0x40);
      assert.ok(verifyRaw((await keys.publicKey(c.user, 'ds'))!, signedRegion(preFile), fresh.subarray(preFile.length + 1)), "signed by the User's DS key");
      // ECDSA signatures differ each time: with the RTDS's own signature, CV 5 gives the COMMAND byte for byte.
      const rtdsSignature = decodeFrame(commandFile).apdu.signature!;
      const cv5 = parseDuisRequest(
        writeDuisRequest(signedPreCommand(to, cv4.header.serviceReference, cv4.header.serviceReferenceVariant, withSignature(preCommand, rtdsSignature))),
      );
      assert.equal(serviceFor(cv5.header.commandVariant), 'serviceS');
      const signedPayload = Uint8Array.from(Buffer.from(cv5.body.children![0]!.text!, 'base64'));
      const frame = await completeSignedPreCommand(keys, signedPayload, cv5, DCC_BOXED_ACB);
      assert.equal(hex(frame), hex(commandFile));
      // The freshly signed one completes too (same header and pre-command, its own signature and MAC).
      const freshFrame = await completeSignedPreCommand(keys, fresh, cv5, DCC_BOXED_ACB);
      assert.equal(hex(freshFrame.subarray(0, 12 + preFile.length)), hex(commandFile.subarray(0, 12 + preFile.length)));
    });
  }

  it('CV 5 refuses a pre-command signed by someone else, tampered, unsigned or for another request', async () => {
    const preFile = rtds('7.1_ECS42', 'ECS42_7.1_SUCCESS_PRECOMMAND_GBCS.HEX');
    const h = decodeFrame(preFile).apdu;
    const to = { user: SUPPLIER, device: h.recipient, counter: h.originatorCounter };
    const cv5 = (apdu: Uint8Array) => signedPreCommand(to, '7.1', '7.1', apdu);
    const refused = async (apdu: Uint8Array, r: DuisRequest, rule: string) =>
      assert.rejects(completeSignedPreCommand(keys, apdu, r, DCC_BOXED_ACB), (e: unknown) => e instanceof DuisError && e.refusal === rule);
    const byNo = withSignature(preFile, await keys.sign(NETWORK_OPERATOR, 'ds', signedRegion(preFile)));
    await refused(byNo, cv5(byNo), 'signature-invalid');
    const good = await signPreCommand(keys, preFile, SUPPLIER, to.counter);
    const tampered = Uint8Array.from(good);
    tampered[preFile.length - 1] = tampered[preFile.length - 1]! ^ 1;
    await refused(tampered, cv5(tampered), 'signature-invalid');
    await refused(withSignature(preFile, null), cv5(withSignature(preFile, null)), 'pre-command');
    await refused(good, signedPreCommand({ ...to, counter: to.counter + 1n }, '7.1', '7.1', good), 'pre-command');
    await refused(Uint8Array.of(0x01, 0x02), cv5(Uint8Array.of(0x01, 0x02)), 'pre-command');
  });

  it('the User refuses to sign a pre-command that is not its own command', async () => {
    const preFile = rtds('7.1_ECS42', 'ECS42_7.1_SUCCESS_PRECOMMAND_GBCS.HEX');
    await assert.rejects(signPreCommand(keys, preFile, NETWORK_OPERATOR, 1000n), (e: unknown) => e instanceof DuisError && e.refusal === 'pre-command');
    await assert.rejects(signPreCommand(keys, preFile, SUPPLIER, 1001n), (e: unknown) => e instanceof DuisError && e.refusal === 'pre-command');
  });
});
