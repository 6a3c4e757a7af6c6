import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { withAgreementCache } from '../../src/gbcs/agreement-cache.ts';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import type { GeneralSigningApdu } from '../../src/gbcs/frame.ts';
import { payloadKeysFor } from '../../src/gbcs/payload-keys-for.ts';
import { decodePayload } from '../../src/gbcs/payloads/decode-payload.ts';
import { findNode, namedByteCount, walk, type PayloadNode } from '../../src/gbcs/payloads/payload-tree.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { KEYSTORE_DIR, RTDS_DIR, SKIP_DCCBOXED } from '../support/reference.ts';

function apduOf(dirSuffix: string, file: RegExp): GeneralSigningApdu {
  const dir = readdirSync(RTDS_DIR).find((d) => d.endsWith(dirSuffix))!;
  const name = readdirSync(join(RTDS_DIR, dir)).find((f) => file.test(f))!;
  return decodeFrame(fromHex(readFileSync(join(RTDS_DIR, dir, name), 'utf8'))).apdu;
}

const nodes = (root: PayloadNode, name: string | RegExp) => [...walk(root)].map((w) => w.node).filter((n) => (typeof name === 'string' ? n.name === name : name.test(n.name)));

// Known answers: every expected value below is stated in ../shared/docs/gbcs-payloads.md (section noted).
describe('payload decoding: known answers from gbcs-payloads.md', { skip: SKIP_DCCBOXED }, () => {
  it('ECS42 command (1.4): ACTION execute on the disconnect control script table, script id 51', () => {
    const { family, root } = decodePayload(apduOf('_ECS42', /^ECS42_7.1_SUCCESS_PRECOMMAND/));
    assert.equal(family, 'dlms');
    assert.equal(findNode(root, 'class id')?.value, 9);
    assert.equal(findNode(root, 'instance id')?.value, '0-0:10.0.106.255');
    assert.equal(findNode(root, 'method id')?.text, 'execute');
    assert.equal(findNode(root, 'script_identifier')?.value, 51);
    assert.equal(findNode(root, 'long-invoke-id-and-priority')?.value, 0x200003e8);
  });

  it('ECS45 response (1.5): control_state 1 = connected, GET success', () => {
    const { root } = decodePayload(apduOf('_ECS45', /^ECS45_7.4_SUCCESS_RESPONSE/));
    const state = findNode(root, /^control_state/);
    assert.equal(state?.value, 1);
    assert.equal(state?.text, 'connected');
    assert.equal(findNode(root, 'data-access-result')?.text, 'success');
  });

  it('ECS42 error response (1.4): action-result 01 hardware-fault', () => {
    const { root } = decodePayload(apduOf('_ECS42', /^ECS42_7.1_ERROR_RESPONSE/));
    assert.equal(findNode(root, 'action-result')?.text, 'hardware-fault');
  });

  it('CS01a command (1.6): Token gateway enter with the UTRN 73946144332040217315', () => {
    const { root } = decodePayload(apduOf('_CS01a', /^CS01a_2.2_SUCCESS_COMMAND/));
    assert.equal(findNode(root, 'token (UTRN)')?.text, '73946144332040217315');
  });

  it('GCS32 command (2.2): Change Supply, Proposed Supply Status 00 = Supply OFF, Issuer Event ID 0x1C374A80', () => {
    const { family, root } = decodePayload(apduOf('_GCS32', /^GCS32_7.2_SUCCESS_PRECOMMAND/));
    assert.equal(family, 'gbz');
    assert.equal(findNode(root, 'cluster id')?.text, 'Metering');
    assert.equal(findNode(root, 'command id')?.text, 'Change Supply');
    assert.equal(findNode(root, 'Proposed Supply Status')?.text, 'Supply OFF');
    assert.equal(findNode(root, 'Issuer Event ID')?.value, 0x1c374a80);
  });

  it('GCS33 response (2.3): RemainingBatteryLifeInDays 100, SupplyStatus 2 = Supply ON', () => {
    const { root } = decodePayload(apduOf('_GCS33', /^GCS33_7.4_SUCCESS_RESPONSE/));
    const records = nodes(root, /^read record/);
    assert.equal(records.length, 2);
    assert.equal(records[0]!.children!.find((c) => c.name === 'value')?.value, 100);
    assert.equal(records[1]!.children!.find((c) => c.name === 'value')?.text, 'Supply ON');
    assert.equal(namedByteCount(root, 22), 22);
  });

  it('GCS32 error response (2.2): Default Response for Change Supply with HARDWARE_FAILURE', () => {
    const { root } = decodePayload(apduOf('_GCS32', /^GCS32_7.2_ERROR_RESPONSE/));
    assert.equal(findNode(root, 'command id answered')?.value, 0x0b);
    assert.equal(findNode(root, 'status')?.text, 'HARDWARE_FAILURE');
  });

  it('CS01b response (2.4): accepted, Top Up Value 1,250,000, Credit Remaining 25,144,000', () => {
    const { root } = decodePayload(apduOf('_CS01b', /^CS01b_2.2_SUCCESS_RESPONSE/));
    assert.equal(findNode(root, 'Result Type')?.text, 'accepted');
    assert.equal(findNode(root, 'Top Up Value')?.value, 1_250_000);
    assert.equal(findNode(root, 'Credit Remaining')?.value, 25_144_000);
  });

  it('CS02a response (3.2): Supplier success with the DS key id 448997 92D196F4B8; NO current seq number 1', () => {
    const { family, root } = decodePayload(apduOf('_CS02aMAC', /^CS02aMAC_6.24.1_SUCCESS_RESPONSE/));
    assert.equal(family, 'der');
    const roles = nodes(root, /^role details/);
    assert.equal(roles.length, 2);
    assert.equal(roles[0]!.children![0]!.text, 'supplier');
    assert.equal(roles[0]!.children![1]!.text, 'success');
    assert.equal(findNode(roles[0]!, 'subject key id')?.value, '44899792D196F4B8');
    assert.equal(roles[1]!.children![2]!.value, 1);
  });

  it('CS02b NO-by-NO response (3.4): seq 1200, mode 3, new DS key id 4238D306B6F725A2', () => {
    const { root } = decodePayload(apduOf('_CS02bNOByNO', /^CS02bNOByNO_6.15.1_SUCCESS_RESPONSE/));
    assert.equal(findNode(root, 'authorising seq number')?.value, 1200);
    assert.equal(findNode(root, 'credentials replacement mode')?.value, 3);
    assert.equal(nodes(root, 'replacing subject key id')[0]?.value, '4238D306B6F725A2');
  });

  it('CS02b NO-by-NO command (3.3): the replacement certificates read as X.509 with their subject key ids', () => {
    const { root } = decodePayload(apduOf('_CS02bNOByNO', /^CS02bNOByNO_6.15.1_SUCCESS_PRECOMMAND/));
    assert.equal(findNode(root, 'authorising party seq number')?.value, 1200);
    const skis = nodes(root, /^extension \d/).filter((e) => e.children?.[0]?.text === 'subjectKeyIdentifier');
    assert.ok(skis.some((e) => String(e.children!.at(-1)!.value).includes('4238D306B6F725A2')));
  });

  it('alerts (4.2): the ESME GCA carries 0x8F30 in a Data-Notification, the GSME GCA in GBZ', () => {
    const dlms = decodePayload(apduOf('_GCA-DLMS', /8F30_ALERT/)).root;
    assert.equal(findNode(dlms, 'alert code')?.value, 0x8f30);
    // The code's value is at content offset 9-10; its node also spans the long-unsigned tag at 8.
    assert.equal(findNode(dlms, 'alert code')?.offset, 8);
    assert.equal(findNode(dlms, 'alert code')?.length, 3);
    const gbz = decodePayload(apduOf('_GCA-ZigBee', /8F30_ALERT/)).root;
    assert.equal(findNode(gbz, 'alert code')?.value, 0x8f30);
    assert.equal(findNode(gbz, 'alert date-time')?.text, '2015-01-01T00:00:00Z');
  });
});

describe('payload decoding over the whole RTDS', { skip: SKIP_DCCBOXED }, () => {
  it('reads every payload to its end, and decrypts all 63 encrypted parts with the published keys', async () => {
    const keys = withAgreementCache(new FileKeyStore(KEYSTORE_DIR));
    let frames = 0;
    let decrypted = 0;
    const encryptedIn = new Set<string>();
    for (const d of readdirSync(RTDS_DIR)) {
      for (const f of readdirSync(join(RTDS_DIR, d))) {
        const apdu = decodeFrame(fromHex(readFileSync(join(RTDS_DIR, d, f), 'utf8'))).apdu;
        const p = decodePayload(apdu, await payloadKeysFor(apdu, keys));
        frames++;
        assert.equal(p.root.offset, 0);
        assert.equal(p.root.length, apdu.content.length, `${f}: the tree spans the payload`);
        for (const e of p.encrypted) {
          assert.equal(e.status, 'decrypted', `${f}: ${e.status === 'decrypted' ? '' : e.reason}`);
          decrypted++;
          encryptedIn.add(d.replace(/^[^_]*_/, ''));
        }
      }
    }
    assert.equal(frames, 1275);
    assert.equal(decrypted, 63);
    // The list of the 20 payloads that were passed over: their use cases are among those decrypted now.
    for (const uc of ['ECS17b', 'ECS17d', 'ECS17e', 'ECS19', 'ECS20b', 'ECS20c', 'ECS21a', 'ECS21b', 'ECS22b', 'ECS66', 'ECS68', 'GCS53']) assert.ok(encryptedIn.has(uc), uc);
  });

  it('without keys an encrypted payload is kept as labelled ciphertext with the reason', () => {
    const p = decodePayload(apduOf('_ECS17b', /^ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE/));
    assert.equal(p.encrypted.length, 1);
    assert.equal(p.encrypted[0]!.status, 'unverifiable');
    const ct = findNode(p.root, 'ciphertext')!;
    assert.equal(ct.named, false);
    assert.match(ct.note!, /not decrypted: no keystore given/);
  });
});
