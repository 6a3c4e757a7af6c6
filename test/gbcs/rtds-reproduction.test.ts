import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Eui } from '../../src/domain/eui.ts';
import { encodePreCommand, macFor, signedRegion, withSignature, wrapGeneralCiphering, type ApduHeader } from '../../src/gbcs/build-frame.ts';
import { fromHex, toHex } from '../../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import type { GbcsFrame } from '../../src/gbcs/frame.ts';
import {
  buildCs02aCommand,
  buildCs02aResponse,
  buildCs02bCommand,
  buildCs02bResponse,
  readCs02aCommand,
  readCs02aResponse,
  readCs02bAlert,
  readCs02bCommand,
  readCs02bResponse,
} from '../../src/gbcs/payloads/credentials.ts';
import { buildAccessResponse, readAccessRequest, readAccessResponse } from '../../src/gbcs/payloads/dlms.ts';
import {
  buildDefaultResponse,
  buildReadValveResponse,
  buildSupplyStatusResponse,
  buildTopUpResponse,
  readChangeSupply,
  readConsumerTopUp,
  readGbz,
  readTopUpResponse,
} from '../../src/gbcs/payloads/gbz.ts';
import { verifyRaw } from '../../src/gbcs/signature.ts';
import { SIMPLE_CONTENT } from '../../src/gbcs/use-cases.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { KEYSTORE_DIR, RTDS_DIR, SKIP_DCCBOXED } from '../support/reference.ts';

const ACB = '90B3D51F30000002' as Eui;
const IN_SCOPE = /^(CS01a|CS01b|PCS01|ECS4[2-5]|GCS3[239]|CS02aMAC|CS02aSignature|CS02b.*)$/;

interface RtdsFrame {
  dir: string;
  file: string;
  useCase: string;
  bytes: Uint8Array;
  frame: GbcsFrame;
}
function rtdsFrames(filter: RegExp): RtdsFrame[] {
  const out: RtdsFrame[] = [];
  for (const dir of readdirSync(RTDS_DIR)) {
    const useCase = dir.split('_').slice(1).join('_');
    if (!IN_SCOPE.test(useCase)) continue;
    for (const file of readdirSync(join(RTDS_DIR, dir))) {
      if (!filter.test(file)) continue;
      const bytes = fromHex(readFileSync(join(RTDS_DIR, dir, file), 'utf8'));
      out.push({ dir, file, useCase, bytes, frame: decodeFrame(bytes) });
    }
  }
  return out;
}

/** Rebuilds the content of a command from the frame's own inputs (counter, UTRN, credential structure). */
function rebuildContent(useCase: string, f: GbcsFrame): Uint8Array {
  const a = f.apdu;
  const simple = SIMPLE_CONTENT[useCase];
  if (simple) return simple(a.originatorCounter, /CS01|PCS01/.test(useCase) ? Buffer.from(a.content.subarray(a.content.length - 20)).toString('ascii') : undefined);
  if (useCase.startsWith('CS02a')) {
    const c = readCs02aCommand(a.content);
    return buildCs02aCommand(c.authorising, c.roles);
  }
  return buildCs02bCommand(readCs02bCommand(a.content));
}

const headerOf = (f: GbcsFrame): ApduHeader => ({ ...f.apdu, dateTime: null });

describe('building reproduces the RTDS byte for byte', { skip: SKIP_DCCBOXED }, () => {
  const keys = SKIP_DCCBOXED ? (undefined as never) : new FileKeyStore(KEYSTORE_DIR);

  it('every in-scope PRE-COMMAND from its own inputs', () => {
    const frames = rtdsFrames(/PRECOMMAND_GBCS/);
    assert.ok(frames.length >= 15, `only ${frames.length} pre-commands found`);
    for (const r of frames) {
      const rebuilt = encodePreCommand(headerOf(r.frame), rebuildContent(r.useCase, r.frame));
      assert.equal(toHex(rebuilt), toHex(r.bytes), `${r.dir}/${r.file}`);
    }
  });

  it('every in-scope COMMAND once signed (with the RTDS signature) and MACed with the ACB key', async () => {
    const frames = rtdsFrames(/_COMMAND_GBCS/);
    assert.ok(frames.length >= 30, `only ${frames.length} commands found`);
    let macChecked = 0;
    for (const r of frames) {
      const h = headerOf(r.frame);
      const pre = encodePreCommand(h, rebuildContent(r.useCase, r.frame));
      const apdu = withSignature(pre, r.frame.apdu.signature);
      if (r.frame.apdu.signature) {
        const signer = await keys.publicKey(h.originator, 'ds');
        assert.ok(signer && verifyRaw(signer, signedRegion(pre), r.frame.apdu.signature), `${r.file}: RTDS signature does not verify over the rebuilt pre-command`);
      }
      if (!r.frame.ciphering) {
        assert.equal(toHex(apdu), toHex(r.bytes), `${r.dir}/${r.file}`);
        continue;
      }
      if (r.useCase === 'PCS01') {
        // HAN-keyed between PPMID and GSME: no published private key; compare the APDU only.
        assert.equal(toHex(apdu), toHex(r.frame.apdu.bytes), r.file);
        continue;
      }
      const framed = wrapGeneralCiphering(apdu, await macFor(keys, h, apdu, ACB));
      assert.equal(toHex(framed), toHex(r.bytes), `${r.dir}/${r.file}`);
      macChecked++;
    }
    assert.ok(macChecked >= 25);
  });

  it('a freshly signed critical command differs from the RTDS but verifies', async () => {
    const r = rtdsFrames(/SUCCESS_PRECOMMAND_GBCS/).find((x) => x.useCase === 'ECS43')!;
    const pre = encodePreCommand(headerOf(r.frame), rebuildContent('ECS43', r.frame));
    const sig = await keys.sign(r.frame.apdu.originator, 'ds', signedRegion(pre));
    const pub = (await keys.publicKey(r.frame.apdu.originator, 'ds'))!;
    assert.equal(verifyRaw(pub, signedRegion(pre), sig), true);
  });
});

describe('reading and rebuilding RTDS responses', { skip: SKIP_DCCBOXED }, () => {
  it('ESME access-responses rebuild byte for byte', () => {
    for (const r of rtdsFrames(/RESPONSE_GBCS/).filter((x) => /^(CS01a|ECS4[2-5])$/.test(x.useCase))) {
      const resp = readAccessResponse(r.frame.apdu.content);
      assert.equal(toHex(buildAccessResponse(resp.invokeId, resp.data, resp.results)), toHex(r.frame.apdu.content), r.file);
    }
  });

  it('ESME access-requests read back to their method and script', () => {
    const r = rtdsFrames(/SUCCESS_COMMAND_GBCS/).find((x) => x.useCase === 'ECS42')!;
    const req = readAccessRequest(r.frame.apdu.content);
    assert.deepEqual(req.specs, [{ kind: 'action', classId: 9, obis: '0-0:10.0.106.255', method: 1 }]);
    assert.deepEqual(req.data, [{ type: 'long-unsigned', value: 51 }]);
  });

  it('GSME responses rebuild byte for byte, and commands read back', () => {
    for (const r of rtdsFrames(/RESPONSE_GBCS/).filter((x) => /^(CS01b|PCS01|GCS3[239])$/.test(x.useCase))) {
      const [c] = readGbz(r.frame.apdu.content);
      let rebuilt: Uint8Array;
      if (c!.frameControl === 0x08 && c!.commandId === 0x0b) rebuilt = buildDefaultResponse(c!.cluster, c!.payload[0]!, c!.payload[1]!);
      else if (c!.commandId === 0x0c) rebuilt = buildSupplyStatusResponse(Buffer.from(c!.payload).readUInt32LE(4), c!.payload[12]!);
      else if (c!.commandId === 0x03) {
        const t = readTopUpResponse(c!);
        rebuilt = buildTopUpResponse(t.result, t.topUpValue, t.source, t.creditRemaining);
      } else if (c!.commandId === 0x01 && c!.payload.length === 11) rebuilt = buildReadValveResponse(c!.payload[4]! | (c!.payload[5]! << 8), c!.payload[10]!);
      else continue;
      assert.equal(toHex(rebuilt), toHex(r.frame.apdu.content), r.file);
    }
    const gcs32 = rtdsFrames(/SUCCESS_COMMAND_GBCS/).find((x) => x.useCase === 'GCS32')!;
    assert.equal(readChangeSupply(readGbz(gcs32.frame.apdu.content)[0]!).proposedSupplyStatus, 0);
    const cs01b = rtdsFrames(/SUCCESS_COMMAND_GBCS/).find((x) => x.useCase === 'CS01b')!;
    assert.equal(readConsumerTopUp(readGbz(cs01b.frame.apdu.content)[0]!).utrn, '73950067887105178605');
  });

  it('CS02a and CS02b responses and alerts read, and device responses rebuild byte for byte', () => {
    let n = 0;
    for (const r of rtdsFrames(/(RESPONSE|ALERT)_GBCS/).filter((x) => x.useCase.startsWith('CS02'))) {
      const content = r.frame.apdu.content;
      if (r.useCase.startsWith('CS02a')) {
        const details = readCs02aResponse(content);
        assert.ok(details.length >= 1);
        assert.equal(toHex(buildCs02aResponse(details)), toHex(content), r.file);
      } else if (r.frame.apdu.cra === 'alert') {
        const alert = readCs02bAlert(content);
        assert.ok([0x8f66, 0x8f67].includes(alert.alertCode), r.file);
      } else {
        const resp = readCs02bResponse(content);
        assert.equal(toHex(buildCs02bResponse(resp.outcome)), toHex(content), r.file);
      }
      n++;
    }
    assert.ok(n >= 20, `${n} credential responses`);
  });
});
