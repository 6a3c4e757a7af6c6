import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { GbcsDecodeError } from '../../src/gbcs/gbcs-error.ts';
import { HAVE_DCCBOXED, RTDS_DIR } from '../support/reference.ts';

// A small hand-made General-Signing APDU (not from the RTDS): command, counter 1, two EUIs, no
// date-time, message code 0x0052, 3 bytes of content, empty signature.
const OWN = fromHex('DF 09 01 0000000000000001 08 90B3D51F30010000 08 00DB1234567890A0 00 02 0052 03 010203 00');

function corpus(): Uint8Array[] {
  if (!HAVE_DCCBOXED) return [OWN];
  const out: Uint8Array[] = [OWN];
  for (const d of readdirSync(RTDS_DIR).slice(0, 40)) for (const f of readdirSync(join(RTDS_DIR, d)).slice(0, 2)) out.push(fromHex(readFileSync(join(RTDS_DIR, d, f), 'utf8')));
  return out;
}

/** The decoder's whole contract: a frame, or a GbcsDecodeError with an offset inside the input. */
function decodesOrRefuses(bytes: Uint8Array): void {
  try {
    const f = decodeFrame(bytes);
    assert.ok(f.apdu.bytes.length > 0);
  } catch (e) {
    assert.ok(e instanceof GbcsDecodeError, `untyped error: ${(e as Error).stack}`);
    assert.ok(e.offset >= 0 && e.offset <= bytes.length, `offset ${e.offset} outside ${bytes.length} bytes`);
  }
}

describe('GBCS frame decoder', () => {
  it('reads a hand-made General-Signing APDU', () => {
    const f = decodeFrame(OWN);
    assert.equal(f.kind, 'general-signing');
    assert.equal(f.apdu.originatorCounter, 1n);
    assert.equal(f.apdu.messageCode, 0x52);
    assert.deepEqual([...f.apdu.content], [1, 2, 3]);
    assert.equal(f.apdu.signatureField, 'empty');
  });

  it('names the offset and reason for truncation, trailing bytes, segmentation and bad tags', () => {
    const refuses = (b: Uint8Array, offset: number, reason: RegExp) =>
      assert.throws(
        () => decodeFrame(b),
        (e: unknown) => e instanceof GbcsDecodeError && e.offset === offset && reason.test(e.reason),
      );
    refuses(new Uint8Array(), 0, /empty input/);
    refuses(OWN.subarray(0, 30), 30, /truncated/);
    refuses(Uint8Array.from([...OWN, 0xaa]), OWN.length, /1 trailing bytes/);
    refuses(Uint8Array.of(0xe0, 0x01, 0x02), 0, /segmented frame \(General Block Transfer/);
    refuses(Uint8Array.of(0x42), 0, /unknown frame tag 0x42/);
    const badCra = Uint8Array.from(OWN);
    badCra[2] = 7;
    refuses(badCra, 2, /CRA flag 0x07/);
    refuses(fromHex('DD 00 00 00 00 00 01'), 6, /key-info/);
  });

  it('never crashes on truncated, extended, bit-flipped or random input', () => {
    const frames = corpus();
    fc.assert(
      fc.property(fc.constantFrom(...frames), fc.nat(), fc.uint8Array({ maxLength: 8 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (frame, cut, extra, at, bit) => {
        decodesOrRefuses(frame.subarray(0, cut % (frame.length + 1)));
        decodesOrRefuses(Uint8Array.from([...frame, ...extra]));
        const flipped = Uint8Array.from(frame);
        flipped[at % frame.length]! ^= 1 << bit;
        decodesOrRefuses(flipped);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => decodesOrRefuses(b)),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(0xdd, 0xdf), fc.uint8Array({ maxLength: 200 }), (t, b) => decodesOrRefuses(Uint8Array.from([t, ...b]))),
      { numRuns: 3000 },
    );
  });

  it('refuses hex that is not hex, naming the character', () => {
    assert.throws(
      () => fromHex('DF0Z'),
      (e: unknown) => e instanceof GbcsDecodeError && /character "Z"/.test(e.reason),
    );
    assert.throws(
      () => fromHex('DF0'),
      (e: unknown) => e instanceof GbcsDecodeError && /odd number/.test(e.reason),
    );
  });
});
