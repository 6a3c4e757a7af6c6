import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import type { GeneralSigningApdu } from '../../src/gbcs/frame.ts';
import { decodePayload } from '../../src/gbcs/payloads/decode-payload.ts';
import { findNode, namedByteCount, walk, type PayloadNode } from '../../src/gbcs/payloads/payload-tree.ts';
import { payloadKeysFor } from '../../src/gbcs/payload-keys-for.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { DCCBOXED, KEYSTORE_DIR, RTDS_DIR, SKIP_DCCBOXED } from '../support/reference.ts';

/*
 * Known answers for the ZCL layouts named from ZSE 1.4 (zcl-*-commands.ts): each expected value is
 * read from the DUIS request template the RTDS frame was made from, or from a figure GBCS/SMETS
 * state, never from the decoder's own output.
 */
function apduOf(dir: string, file: RegExp): GeneralSigningApdu {
  const name = readdirSync(join(RTDS_DIR, dir)).find((f) => file.test(f))!;
  return decodeFrame(fromHex(readFileSync(join(RTDS_DIR, dir, name), 'utf8'))).apdu;
}
const template = (name: string) => readFileSync(join(DCCBOXED, 'duis-templates', name), 'utf8');
const nodes = (root: PayloadNode, name: string | RegExp) => [...walk(root)].map((w) => w.node).filter((n) => (typeof name === 'string' ? n.name === name : name.test(n.name)));
/** Every byte of the ZCL payload of the first component named `component` is in a named field. */
function componentAllNamed(root: PayloadNode, component: RegExp): PayloadNode {
  const c = findNode(root, component)!;
  assert.ok(c, String(component));
  for (const { node } of walk(c)) assert.equal(node.named, true, `${node.name} named`);
  return c;
}

describe('ZCL payload layouts checked against DUIS templates and GBCS', { skip: SKIP_DCCBOXED }, () => {
  it('GCS01a Publish Block Thresholds: the thresholds are the ThresholdMatrix BlockThresholds of the request', () => {
    const a = apduOf('1.1.1_GCS01a', /^GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS_COMMAND/);
    const { root } = decodePayload(a);
    const c = componentAllNamed(root, /Publish Block Thresholds$/);
    const expected = [...template('GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS_REQUEST_DUIS.XML').matchAll(/<sr:BlockThreshold index="\d+">(\d+)</g)].map((m) => Number(m[1]));
    assert.equal(expected.length, 3);
    assert.deepEqual(
      nodes(c, /^Block Threshold \d+$/).map((n) => n.value),
      expected,
    );
    // The low nibble of Tier/Number of Block Thresholds counts them (ZSE 1.4, Publish Block Thresholds).
    assert.equal(Number(findNode(c, 'Tier/Number of Block Thresholds')?.value) & 0x0f, expected.length);
  });

  it('GCS20 Set Event Configuration: the Event IDs are the alert codes of ConfigureAlertBehaviour', () => {
    const a = apduOf('6.22_GCS20', /^GCS20_6.22_SUCCESS_COMMAND/);
    const { root } = decodePayload(a);
    assert.equal(namedByteCount(root, a.content.length), a.content.length, 'every byte in a named field');
    const codes = [...template('GCS20_6.22_SUCCESS_REQUEST_DUIS.XML').matchAll(/<sr:x([0-9A-F]{4})>/g)].map((m) => parseInt(m[1]!, 16));
    assert.equal(codes.length, 11);
    const ids = nodes(root, 'Event ID').map((n) => n.value as number);
    assert.deepEqual([...ids].sort(), [...codes].sort());
    for (const n of nodes(root, 'Configuration Control')) assert.equal(n.text, 'Apply by List');
  });

  it('GCS21f command (ReadTariff, SRV 4.11.1): its Calendar Get commands read to their ends', () => {
    const a = apduOf('4.11.1_GCS21f', /^GCS21f_4.11.1_SUCCESS_COMMAND/);
    const { root } = decodePayload(a);
    assert.equal(namedByteCount(root, a.content.length), a.content.length, 'every byte in a named field');
    for (const cmd of ['Get Day Profiles', 'Get Week Profiles', 'Get Seasons', 'Get Special Days']) assert.ok(findNode(root, new RegExp(`Calendar ${cmd}$`)), cmd);
  });

  it('GCS15c Publish Snapshot: a 1 x 4 Tariff TOU Register Matrix and a 4 x 1 Tariff Block Counter Matrix (SMETS, GBCS 10.4.2.4)', async () => {
    const a = apduOf('4.4.3_GCS15c', /^GCS15c_4.4.3_SUCCESS_RESPONSE/);
    const { root } = decodePayload(a, await payloadKeysFor(a, new FileKeyStore(KEYSTORE_DIR)));
    const snapshots = nodes(root, /Metering Publish Snapshot$/);
    assert.equal(snapshots.length, 2);
    for (const s of snapshots) {
      for (const { node } of walk(s)) assert.equal(node.named, true, `${node.name} named`);
      assert.equal(findNode(s, 'Snapshot Payload Type')?.text, 'Block Tier Information Set Delivered (No Billing)');
      assert.equal(findNode(s, 'Number of Tiers in Use')?.value, 4);
      assert.equal(nodes(s, 'Current Tier Summation Delivered').length, 4);
      assert.equal(nodes(s, 'Current Tier Block Summation Delivered').length, 4);
    }
  });
});
