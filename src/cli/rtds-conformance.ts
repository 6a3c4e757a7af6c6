import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Eui } from '../domain/eui.ts';
import { fromHex } from '../gbcs/byte-reader.ts';
import { decodeFrame } from '../gbcs/decode-frame.ts';
import type { KeyStore } from '../gbcs/key-store.ts';
import { verifyFrame } from '../gbcs/verify-frame.ts';
import { withAgreementCache } from '../gbcs/agreement-cache.ts';
import { namedByteCount, type PayloadNode } from '../gbcs/payloads/payload-tree.ts';
import { decodeFramePayload } from '../gbcs/payload-keys-for.ts';
import { GbcsDecodeError } from '../gbcs/gbcs-error.ts';

export interface ConformanceReport {
  frames: number;
  parsed: number;
  signaturesValid: number;
  signaturesUnverifiable: number;
  macsValid: number;
  macsUnverifiable: number;
  payloadsDecrypted: number;
  /** Encrypted payload parts that could not be decrypted, each with why (--verbose lists them). */
  notDecrypted: string[];
  payloadsDecoded: number;
  payloadBytes: number;
  namedPayloadBytes: number;
  /** Payloads with bytes not in named fields, and those parts (--verbose lists them). */
  payloadsNotFullyNamed: number;
  unnamedParts: string[];
  failed: number;
  failures: string[];
  unverifiable: string[];
}

function hexFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...hexFiles(p));
    else if (/\.hex$/i.test(name)) out.push(p);
  }
  return out;
}

/** Decodes every .HEX frame under dir and checks every signature and MAC the keystore can check. */
export async function rtdsConformance(dir: string, keys: KeyStore, acb: Eui): Promise<ConformanceReport> {
  keys = withAgreementCache(keys); // one ECDH per key pair, as a head-end would
  const r: ConformanceReport = {
    frames: 0,
    parsed: 0,
    signaturesValid: 0,
    signaturesUnverifiable: 0,
    macsValid: 0,
    macsUnverifiable: 0,
    payloadsDecrypted: 0,
    notDecrypted: [],
    payloadsDecoded: 0,
    payloadBytes: 0,
    namedPayloadBytes: 0,
    payloadsNotFullyNamed: 0,
    unnamedParts: [],
    failed: 0,
    failures: [],
    unverifiable: [],
  };
  for (const file of hexFiles(dir)) {
    r.frames++;
    const name = relative(dir, file);
    let frame;
    try {
      frame = decodeFrame(fromHex(readFileSync(file, 'utf8')));
      r.parsed++;
    } catch (e) {
      r.failed++;
      r.failures.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    const v = await verifyFrame(frame, keys, acb);
    let bad = false;
    for (const [what, verdict] of [
      ['signature', v.signature],
      ['MAC', v.mac],
    ] as const) {
      if (verdict.status === 'valid') {
        if (what === 'signature') r.signaturesValid++;
        else r.macsValid++;
      } else if (verdict.status === 'invalid') {
        bad = true;
        r.failures.push(`${name}: ${what} invalid`);
      } else if (verdict.status === 'unverifiable') {
        if (what === 'signature') r.signaturesUnverifiable++;
        else r.macsUnverifiable++;
        r.unverifiable.push(`${name}: ${what} not checkable: ${verdict.reason}`);
      }
    }
    // Every payload decoded to its tree: encrypted parts decrypted where the keys allow.
    r.payloadBytes += frame.apdu.content.length;
    try {
      const p = await decodeFramePayload(frame.apdu, keys);
      r.payloadsDecoded++;
      const named = namedByteCount(p.root, frame.apdu.content.length);
      r.namedPayloadBytes += named;
      if (named < frame.apdu.content.length) {
        r.payloadsNotFullyNamed++;
        for (const part of unnamedParts(p.root)) r.unnamedParts.push(`${name}: ${part}`);
      }
      for (const d of p.encrypted) {
        if (d.status === 'decrypted') r.payloadsDecrypted++;
        else if (d.status === 'failed') {
          bad = true;
          r.failures.push(`${name}: encrypted payload at byte ${d.offset}: ${d.reason}`);
        } else r.notDecrypted.push(`${name}: encrypted payload at byte ${d.offset} (${d.length} bytes) not decryptable: ${d.reason}`);
      }
    } catch (e) {
      if (!(e instanceof GbcsDecodeError)) throw e;
      bad = true;
      r.failures.push(`${name}: payload: ${e.message}`);
    }
    if (bad) r.failed++;
  }
  return r;
}

/**
 * The outermost parts of a tree not named (a node not named whose parent is named), each as
 * offset+length, its path of names and why it is not named.
 */
function unnamedParts(root: PayloadNode): string[] {
  const out: string[] = [];
  const visit = (n: PayloadNode, path: readonly string[]) => {
    const here = [...path, n.name];
    if (!n.named) {
      out.push(`byte ${n.offset}+${n.length} ${here.join(' > ')} not named${n.note ? ` (${n.note})` : ''}`);
      return;
    }
    for (const c of n.children ?? []) visit(c, here);
  };
  visit(root, []);
  return out;
}

/**
 * Payload bytes decoded to named fields over all payload bytes, as a percentage with two places,
 * and the remainder: bytes read to their ends but not named, because the public material
 * (GBCS tables not published, vendor-specific parts) does not define them.
 */
export function payloadLine(r: ConformanceReport): string {
  const pct = r.payloadBytes ? ((100 * r.namedPayloadBytes) / r.payloadBytes).toFixed(2) : '0.00';
  const rest = r.payloadBytes - r.namedPayloadBytes;
  return (
    `payloads: ${r.payloadsDecoded} of ${r.frames} decoded, ${r.namedPayloadBytes} of ${r.payloadBytes} bytes in named fields (${pct}%)` +
    (rest ? `; ${rest} bytes in ${r.payloadsNotFullyNamed} payloads not defined in the public material, kept as labelled bytes (--verbose lists them)` : '')
  );
}

export function conformanceLine(r: ConformanceReport): string {
  return `RTDS: ${r.frames} frames, ${r.parsed} parsed, ${r.signaturesValid} signatures valid, ${r.macsValid} MACs valid, ${r.failed} failed`;
}
