// GBCS benchmark: RTDS decode + verify, and with every payload decrypted and decoded to its tree, UTRN generation (warm and cold), build + sign + MAC of
// ECS43, each beside raw node:crypto figures measured in the same run.
import { createPrivateKey, diffieHellman, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Eui } from '../src/domain/eui.ts';
import { withAgreementCache } from '../src/gbcs/agreement-cache.ts';
import { buildUseCaseFrame } from '../src/gbcs/build-use-case.ts';
import { encodePreCommand, signedRegion, withSignature } from '../src/gbcs/build-frame.ts';
import { frameMac } from '../src/gbcs/frame-mac.ts';
import { buildLoadSwitchCommand } from '../src/gbcs/payloads/dlms.ts';
import { fromHex } from '../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../src/gbcs/decode-frame.ts';
import { generateUtrn } from '../src/gbcs/generate-utrn.ts';
import { buildUtrn } from '../src/gbcs/utrn.ts';
import { verifyFrame } from '../src/gbcs/verify-frame.ts';
import { decodeFramePayload } from '../src/gbcs/payload-keys-for.ts';
import { FileKeyStore } from '../src/keys/file-key-store.ts';
import { figure, report, type BenchFigure } from './report.ts';

const DCCBOXED = join('..', 'shared', 'reference', 'dccboxed');
if (!existsSync(join(DCCBOXED, 'rtds'))) {
  console.error(`bench gbcs needs the DCC Boxed reference data at ${DCCBOXED}`);
  process.exit(2);
}
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const SUPPLIER = '90B3D51F30010000' as Eui;
const ACB = '90B3D51F30000002' as Eui;
const ESME = '00DB1234567890A0' as Eui;

/** Runs fn repeatedly for about SECONDS and returns operations per second. */
async function rate(fn: () => unknown | Promise<unknown>, opsPerCall = 1): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  let n = 0;
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  while (performance.now() < until) {
    await fn();
    n += opsPerCall;
  }
  return n / ((performance.now() - t0) / 1000);
}

/**
 * Measures two operations in alternating short rounds and returns each one's median rate, so that
 * a figure and its baseline see the same machine conditions (this VM's speed drifts).
 */
async function paired(a: () => unknown | Promise<unknown>, b: () => unknown | Promise<unknown>, rounds = 9): Promise<[number, number]> {
  const round = async (fn: () => unknown | Promise<unknown>) => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < (SECONDS * 1000) / rounds) {
      await fn();
      n++;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  for (let i = 0; i < 300; i++) {
    await a();
    await b();
  }
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    ra.push(await round(a));
    rb.push(await round(b));
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [median(ra), median(rb)];
}

// Raw node:crypto baselines, on P-256 as GBCS uses.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const msg = Buffer.alloc(64, 7);
const sig = sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' });
const rawSign = await rate(() => sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
const rawVerify = await rate(() => verify('sha256', msg, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig));
const rawEcdh = await rate(() => diffieHellman({ privateKey, publicKey: other.publicKey }));
console.log(`raw: sign ${Math.round(rawSign)}/s, verify ${Math.round(rawVerify)}/s, ECDH ${Math.round(rawEcdh)}/s`);

// RTDS corpus decode + verify: every frame, signatures and MACs (shared secrets cached per pair).
const corpus: Uint8Array[] = [];
for (const d of readdirSync(join(DCCBOXED, 'rtds')))
  for (const f of readdirSync(join(DCCBOXED, 'rtds', d))) corpus.push(fromHex(readFileSync(join(DCCBOXED, 'rtds', d, f), 'utf8')));
const keys = withAgreementCache(new FileKeyStore(join(DCCBOXED, 'keystore')));
const corpusRate = await rate(async () => {
  for (const bytes of corpus) await verifyFrame(decodeFrame(bytes), keys, ACB);
}, corpus.length);
const decodeOnly = await rate(() => {
  for (const bytes of corpus) decodeFrame(bytes);
}, corpus.length);
console.log(`corpus: ${Math.round(corpusRate)} frames/s decode+verify, ${Math.round(decodeOnly)} frames/s decode only`);

// UTRNs: warm = Z for the (supplier PP-KA, device) pair cached; cold = an ECDH every time.
const plainKeys = new FileKeyStore(join(DCCBOXED, 'keystore'));
const z = await plainKeys.agree(SUPPLIER, 'pp-ka', (await plainKeys.publicKey(ESME, 'ka'))!);
let c = 1n;
const utrnWarm = await rate(() => buildUtrn(z, { supplier: SUPPLIER, device: ESME, counter: (c++ & 0x3ffn) << 32n, value: 10, valueClass: 'pounds' }));
const utrnCold = await rate(() => generateUtrn(plainKeys, { supplier: SUPPLIER, device: ESME, counter: (c++ & 0x3ffn) << 32n, value: 10, valueClass: 'pounds' }));
console.log(`UTRN: warm ${Math.round(utrnWarm)}/s, cold ${Math.round(utrnCold)}/s`);

// ECS43: build content, sign with the Supplier DS key, MAC with the ACB key; raw sign alternated with it.
let k = 1n;
const [ecs43, rawSignPaired] = await paired(
  () => buildUseCaseFrame(keys, { useCase: 'ECS43', originator: SUPPLIER, device: ESME, counter: k++, acb: ACB }),
  () => sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
);
console.log(`ECS43 build+sign+MAC: ${Math.round(ecs43)}/s (raw sign in the same rounds ${Math.round(rawSignPaired)}/s)`);

// The floor of any build: encode + raw sign + MAC, synchronous, no keystore, against raw sign.
const dsKey = createPrivateKey(readFileSync(join(DCCBOXED, 'keystore', '90b3d51f30010000-ds.key')));
const zMac = await keys.agree(ACB, 'ka', (await keys.publicKey(ESME, 'ka'))!);
let f = 1n;
const [floor, rawSignFloor] = await paired(
  () => {
    const h = { cra: 'command' as const, originatorCounter: f, originator: SUPPLIER, recipient: ESME, dateTime: null, messageCode: 0x0050 };
    const pre = encodePreCommand(h, buildLoadSwitchCommand('ECS43', f++));
    const apdu = withSignature(pre, sign('sha256', signedRegion(pre), { key: dsKey, dsaEncoding: 'ieee-p1363' }));
    return frameMac(zMac, h, apdu);
  },
  () => sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
);

// The same corpus with every payload decrypted (where the keys allow) and decoded to its tree,
// in alternating rounds with envelope decode + verify, so the two see the same machine. Measured
// last: its garbage would otherwise weigh on the figures above (the UTRN rates fell by a fifth when
// it ran before them), which are compared with runs of earlier versions that did not have it.
const [fullRate, envelopeRate] = await paired(
  async () => {
    for (const bytes of corpus) {
      const frame = decodeFrame(bytes);
      await verifyFrame(frame, keys, ACB);
      await decodeFramePayload(frame.apdu, keys);
    }
  },
  async () => {
    for (const bytes of corpus) await verifyFrame(decodeFrame(bytes), keys, ACB);
  },
);
console.log(
  `corpus: ${Math.round(fullRate * corpus.length)} frames/s with full payload decode, ${Math.round(envelopeRate * corpus.length)} frames/s envelope decode+verify (alternating rounds): ${(100 * (envelopeRate / fullRate - 1)).toFixed(1)}% more time`,
);

const results: BenchFigure[] = [
  figure('raw crypto.sign (P-256, SHA-256)', rawSign, 'ops/s'),
  figure('raw crypto.verify (P-256, SHA-256)', rawVerify, 'ops/s'),
  figure('raw ECDH (P-256)', rawEcdh, 'ops/s'),
  figure('RTDS decode + verify (1275 frames)', corpusRate, 'frames/s', rawVerify),
  figure('RTDS decode only', decodeOnly, 'frames/s'),
  figure('RTDS decode + verify + decrypt + full payload decode (vs decode + verify, alternating rounds)', fullRate * corpus.length, 'frames/s', envelopeRate * corpus.length),
  figure('UTRN warm (shared secret cached)', utrnWarm, 'UTRN/s', rawEcdh),
  figure('UTRN cold (ECDH each)', utrnCold, 'UTRN/s', rawEcdh),
  figure('ECS43 build + sign + MAC (vs raw sign, alternating rounds)', ecs43, 'frames/s', rawSignPaired),
  figure('floor: encode + raw sign + KDF/GCM MAC, sync (vs raw sign)', floor, 'frames/s', rawSignFloor),
];
report('gbcs', results);
