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
 * Known answers for the ESME TOU matrices and the billing data log alert: the counts expected are
 * read from the DCC's DUIS response schema (mmc-5.4.xsd), not from the decoder.
 */
function apduOf(dir: string, file: RegExp): GeneralSigningApdu {
  const name = readdirSync(join(RTDS_DIR, dir)).find((f) => file.test(f))!;
  return decodeFrame(fromHex(readFileSync(join(RTDS_DIR, dir, name), 'utf8'))).apdu;
}
async function decoded(dir: string, file: RegExp): Promise<{ a: GeneralSigningApdu; root: PayloadNode }> {
  const a = apduOf(dir, file);
  return { a, root: decodePayload(a, await payloadKeysFor(a, new FileKeyStore(KEYSTORE_DIR))).root };
}
const XSD = () => readFileSync(join(DCCBOXED, 'duis-schema', 'mmc-5.4.xsd'), 'utf8');
/** maxOccurs of an element of the DUIS response schema, e.g. TOUPrimaryRegisterValue. */
function maxOccurs(element: string, inType?: string): number {
  const xsd = inType ? XSD().slice(XSD().indexOf(`<xs:complexType name="${inType}">`)) : XSD();
  const m = new RegExp(`<xs:element (?:[^>]*\\s)?maxOccurs="(\\d+)"[^>]*name="${element}"|<xs:element (?:[^>]*\\s)?name="${element}"[^>]*maxOccurs="(\\d+)"`).exec(xsd);
  assert.ok(m, element);
  return Number(m[1] ?? m[2]);
}
const count = (root: PayloadNode, re: RegExp) => [...walk(root)].filter((w) => re.test(w.node.name)).length;
const allNamed = (a: GeneralSigningApdu, root: PayloadNode) => assert.equal(namedByteCount(root, a.content.length), a.content.length, 'every byte in a named field');

describe('ESME TOU matrices and billing data log named as the DUIS response schema names them', { skip: SKIP_DCCBOXED }, () => {
  it('ECS17d twin response: 48 TOUPrimaryRegisterValue, then 4 TOUSecondRegisterValue (SR 4.1.2)', async () => {
    const { a, root } = await decoded('4.1.2_ECS17d', /^ECS17d_4.1.2_TWIN_SUCCESS_RESPONSE/);
    assert.equal(count(root, /^TOUPrimaryRegisterValue \d+$/), maxOccurs('TOUPrimaryRegisterValue'));
    assert.equal(count(root, /^TOUSecondRegisterValue \d+$/), maxOccurs('TOUSecondRegisterValue'));
    allNamed(a, root);
  });

  it('ECS17e response: 4 TariffBlock of 8 RegisterMatrixTOUValue and 8 CounterMatrixTOUValue (SR 4.1.3)', async () => {
    const { a, root } = await decoded('4.1.3_ECS17e', /^ECS17e_4.1.3_SUCCESS_RESPONSE/);
    const expected = maxOccurs('TariffBlock') * (maxOccurs('RegisterMatrixTOUValue') + maxOccurs('CounterMatrixTOUValue'));
    assert.equal(expected, 64);
    assert.equal(count(root, /^RegisterMatrixTOUValue or CounterMatrixTOUValue \d+$/), expected);
    allNamed(a, root);
  });

  it('ECS68 alert 8F0A (Billing data log updated): the log entry is a profile buffer row, 48 TOU registers in it', async () => {
    const { a, root } = await decoded('NA_ECS68', /^ECS68_NA_8F0A_SINGLE_ALERT/);
    assert.equal(findNode(root, 'alert code')?.value, 0x8f0a);
    assert.ok(findNode(root, 'capture time'));
    // The row's 48-value array: the TariffTOURegisterMatrixValue of ConsumptionAndTariffRegistersType.
    assert.equal(count(root, /^captured value 2 \[\d+\]$/), maxOccurs('TariffTOURegisterMatrixValue', 'ConsumptionAndTariffRegistersType'));
    allNamed(a, root);
  });
});
