import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { verifyFrame } from '../../src/gbcs/verify-frame.ts';
import { decodeFramePayload } from '../../src/gbcs/payload-keys-for.ts';
import { readGbz } from '../../src/gbcs/payloads/gbz.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { KEYSTORE_DIR, RTDS_DIR, SKIP_DCCBOXED } from '../support/reference.ts';

const frameHex = (useCaseDir: string, file: string) => readFileSync(join(RTDS_DIR, useCaseDir, file), 'utf8');

describe('RTDS conformance', { skip: SKIP_DCCBOXED }, () => {
  it('meterops conformance rtds: 1275 parsed, 0 failed, every checkable signature and MAC valid', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts', 'conformance', 'rtds', RTDS_DIR, '--keystore', KEYSTORE_DIR]);
    assert.match(stdout, /^RTDS: 1275 frames, 1275 parsed, 472 signatures valid, 811 MACs valid, 0 failed$/m);
    // The only checks the published keys cannot make: PPMID<->GSME HAN MACs (no device private keys).
    assert.match(stdout, /^4 checks not possible/m);
    assert.match(stdout, /^63 encrypted payloads decrypted and authenticated, 0 not decryptable with the published keys$/m);
    // Every payload decodes; the share of bytes in named fields may only go up (a floor, not a known answer).
    const named = /^payloads: 1275 of 1275 decoded, (\d+) of (\d+) bytes in named fields/m.exec(stdout);
    assert.ok(named, stdout);
    assert.ok(Number(named[1]) / Number(named[2]) >= 0.97, `named share fell to ${named[1]}/${named[2]}`);
  });

  it('conformance rtds --verbose: lists every payload part not named, and they add up to the remainder the payload line states', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', 'conformance', 'rtds', RTDS_DIR, '--keystore', KEYSTORE_DIR, '--verbose'],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const line =
      /^payloads: 1275 of 1275 decoded, (\d+) of (\d+) bytes in named fields \([\d.]+%\)(?:; (\d+) bytes in (\d+) payloads not defined in the public material, kept as labelled bytes \(--verbose lists them\))?$/m.exec(
        stdout,
      );
    assert.ok(line, stdout);
    const rest = Number(line[2]) - Number(line[1]);
    assert.equal(Number(line[3] ?? 0), rest);
    const parts = [...stderr.matchAll(/^note (\S+): byte (\d+)\+(\d+) .* not named/gm)];
    // Parts listed are the outermost unnamed nodes: disjoint, so their lengths add up to the remainder.
    assert.equal(
      parts.reduce((n, m) => n + Number(m[3]), 0),
      rest,
    );
    assert.equal(new Set(parts.map((m) => m[1])).size, Number(line[4] ?? 0));
  });

  it('decodes a critical ECS42 command: header fields, message code name, signature and MAC', async () => {
    const dir = readdirSync(RTDS_DIR).find((d) => d.endsWith('_ECS42'))!;
    const file = readdirSync(join(RTDS_DIR, dir)).find((f) => /SUCCESS_COMMAND_GBCS/.test(f))!;
    const frame = decodeFrame(fromHex(frameHex(dir, file)));
    assert.equal(frame.kind, 'general-ciphering');
    assert.equal(frame.apdu.cra, 'command');
    assert.equal(frame.apdu.messageCode, 0x004f);
    assert.equal(frame.apdu.originator, '90B3D51F30010000');
    assert.equal(frame.apdu.signatureField, 'present');
    const v = await verifyFrame(frame, new FileKeyStore(KEYSTORE_DIR));
    assert.deepEqual(v, { signature: { status: 'valid' }, mac: { status: 'valid' } });
  });

  it('decrypts an encrypted GSME payload (KDF mode 04), and refuses a tampered one', async () => {
    const keys = new FileKeyStore(KEYSTORE_DIR);
    const dir = readdirSync(RTDS_DIR).find((d) => d.endsWith('_GCS13a'))!;
    const file = readdirSync(join(RTDS_DIR, dir)).find((f) => /SUCCESS_RELIABLE_GSME_RESPONSE/.test(f))!;
    const bytes = fromHex(frameHex(dir, file));
    const [ok] = (await decodeFramePayload(decodeFrame(bytes).apdu, keys)).encrypted;
    assert.equal(ok?.status, 'decrypted');
    const tampered = Uint8Array.from(bytes);
    // Content byte 20 is inside the ciphertext: 0109 01 | 03 0702 0035 0000 | 18 00 01 | 002E | 31 00000000 | ciphertext...
    const contentAt = Buffer.from(bytes).indexOf(Buffer.from(decodeFrame(bytes).apdu.content));
    tampered[contentAt + 20]! ^= 0x01;
    const t = decodeFrame(tampered);
    assert.ok(readGbz(t.apdu.content)[0]!.encrypted);
    const [bad] = (await decodeFramePayload(t.apdu, keys)).encrypted;
    assert.equal(bad?.status, 'failed');
    assert.equal(bad?.status === 'failed' && bad.reason, 'authentication tag does not match');
  });

  it('fails verification for any flipped bit in the signed or MACed region', async () => {
    const keys = new FileKeyStore(KEYSTORE_DIR);
    const dir = readdirSync(RTDS_DIR).find((d) => d.endsWith('_ECS43'))!;
    const file = readdirSync(join(RTDS_DIR, dir)).find((f) => /SUCCESS_COMMAND_GBCS/.test(f))!;
    const original = fromHex(frameHex(dir, file));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 7, max: original.length - 1 }), fc.integer({ min: 0, max: 7 }), async (i, bit) => {
        const bytes = Uint8Array.from(original);
        bytes[i]! ^= 1 << bit;
        let frame;
        try {
          frame = decodeFrame(bytes);
        } catch {
          return; // the flip broke the structure: refused before any check, which is also a refusal
        }
        const v = await verifyFrame(frame, keys);
        assert.notDeepEqual(v, { signature: { status: 'valid' }, mac: { status: 'valid' } }, `flip of bit ${bit} at byte ${i} went unnoticed`);
        assert.notEqual(v.mac.status, 'valid');
      }),
      { numRuns: 300 },
    );
  });
});
