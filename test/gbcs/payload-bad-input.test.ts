import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { withAgreementCache } from '../../src/gbcs/agreement-cache.ts';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import type { GeneralSigningApdu } from '../../src/gbcs/frame.ts';
import { GbcsDecodeError } from '../../src/gbcs/gbcs-error.ts';
import { payloadKeysFor } from '../../src/gbcs/payload-keys-for.ts';
import { decodePayload } from '../../src/gbcs/payloads/decode-payload.ts';
import type { PayloadKeys } from '../../src/gbcs/payloads/payload-keys.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { HAVE_DCCBOXED, KEYSTORE_DIR, RTDS_DIR } from '../support/reference.ts';

/** CI runs 100,000 cases; a developer's run may ask for fewer with PAYLOAD_PROPERTY_RUNS. */
const RUNS = Number(process.env.PAYLOAD_PROPERTY_RUNS ?? 100_000);

// Hand-made payloads of each family (not from the RTDS), so the property runs without reference data.
const OWN: Array<Pick<GeneralSigningApdu, 'content' | 'cra' | 'messageCode'>> = [
  { cra: 'command', messageCode: 0x0052, content: fromHex('D9 20000001 00 01 01 0046 0000600300FF 03 01 00') },
  { cra: 'response', messageCode: 0x0082, content: fromHex('0109 01 01 0702 000E 08 00 01 0502 00 21 6400 1400 00 30 02') },
  { cra: 'alert', messageCode: 0x1000, content: fromHex('0109 00 8F30 1C374A80') },
  { cra: 'response', messageCode: 0x0008, content: fromHex('30 08 30 06 02 01 03 0A 01 19') },
];

type Case = { apdu: GeneralSigningApdu; keys?: PayloadKeys };

async function corpus(): Promise<Case[]> {
  const base = { originator: '00DB1234567890A0', recipient: '90B3D51F30010000', originatorCounter: 1n, otherInformation: new Uint8Array() } as const;
  const out: Case[] = OWN.map((o) => ({ apdu: { ...base, ...o } as unknown as GeneralSigningApdu }));
  if (!HAVE_DCCBOXED) return out;
  const keys = withAgreementCache(new FileKeyStore(KEYSTORE_DIR));
  for (const d of readdirSync(RTDS_DIR).sort()) {
    for (const f of readdirSync(join(RTDS_DIR, d)).sort()) {
      const apdu = decodeFrame(fromHex(readFileSync(join(RTDS_DIR, d, f), 'utf8'))).apdu;
      // Encrypted payloads keep their keys, so mutations reach the decryption and the plaintext decoders.
      const encrypted = /ECS17|ECS19|ECS2[0-2]|ECS66|ECS68|GCS53|GCS1[3-6]|GCS61/.test(d) && apdu.cra !== 'command';
      out.push({ apdu, ...(encrypted ? { keys: await payloadKeysFor(apdu, keys) } : {}) });
    }
  }
  return out;
}

/** The payload decoder's contract: a tree spanning the payload, or a GbcsDecodeError at an offset inside it. */
function decodesOrRefuses(c: Case, content: Uint8Array): void {
  try {
    const p = decodePayload({ ...c.apdu, content }, c.keys);
    assert.equal(p.root.length, content.length);
  } catch (e) {
    assert.ok(e instanceof GbcsDecodeError, `untyped error: ${(e as Error).stack}`);
    assert.ok(e.offset >= 0 && e.offset <= content.length, `offset ${e.offset} outside ${content.length} bytes`);
    assert.doesNotMatch(e.reason, /^payload could not be decoded/, `a decoder fault, not a refusal: ${e.reason}`);
  }
}

describe('payload decoder on bad input', () => {
  it(`gives a tree or a typed error with the byte offset for ${RUNS} truncated, mutated and random payloads`, async () => {
    const cases = await corpus();
    assert.ok(cases.length === OWN.length || cases.length === OWN.length + 1275, `corpus of ${cases.length}`);
    let checked = 0;
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({
        kind: fc.constant('random' as const),
        bytes: fc.uint8Array({ maxLength: 64 }),
        prefix: fc.constantFrom([0xd9], [0xda], [0x0f], [0x01, 0x09], [0x30], [0x02], []),
      }),
    );
    fc.assert(
      fc.property(fc.nat({ max: cases.length - 1 }), mutation, (i, m) => {
        const c = cases[i]!;
        const b = c.apdu.content;
        let content: Uint8Array;
        if (m.kind === 'truncate') content = b.subarray(0, m.at % (b.length + 1));
        else if (m.kind === 'extend') content = Uint8Array.from([...b, ...m.extra]);
        else if (m.kind === 'random') content = Uint8Array.from([...m.prefix, ...m.bytes]);
        else {
          content = Uint8Array.from(b);
          if (content.length) content[m.at % content.length] = m.kind === 'flip' ? content[m.at % content.length]! ^ (1 << m.bit) : m.value;
        }
        decodesOrRefuses(c, content);
        checked++;
      }),
      { numRuns: RUNS },
    );
    assert.equal(checked, RUNS);
  });
});
