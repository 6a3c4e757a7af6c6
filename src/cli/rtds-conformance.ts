import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Eui } from '../domain/eui.ts';
import { fromHex } from '../gbcs/byte-reader.ts';
import { decodeFrame } from '../gbcs/decode-frame.ts';
import type { KeyStore } from '../gbcs/key-store.ts';
import { verifyFrame } from '../gbcs/verify-frame.ts';
import { decryptGbzComponents } from '../gbcs/decrypt-payload.ts';

export interface ConformanceReport {
  frames: number;
  parsed: number;
  signaturesValid: number;
  signaturesUnverifiable: number;
  macsValid: number;
  macsUnverifiable: number;
  payloadsDecrypted: number;
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
  const r: ConformanceReport = { frames: 0, parsed: 0, signaturesValid: 0, signaturesUnverifiable: 0, macsValid: 0, macsUnverifiable: 0, payloadsDecrypted: 0, failed: 0, failures: [], unverifiable: [] };
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
    for (const [what, verdict] of [['signature', v.signature], ['MAC', v.mac]] as const) {
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
    for (const d of await decryptGbzComponents(frame.apdu, keys)) {
      if (d.status === 'decrypted') r.payloadsDecrypted++;
      else if (d.status === 'failed') {
        bad = true;
        r.failures.push(`${name}: encrypted component ${d.index}: ${d.reason}`);
      } else r.unverifiable.push(`${name}: component ${d.index} not decryptable: ${d.reason}`);
    }
    if (bad) r.failed++;
  }
  return r;
}

export function conformanceLine(r: ConformanceReport): string {
  return `RTDS: ${r.frames} frames, ${r.parsed} parsed, ${r.signaturesValid} signatures valid, ${r.macsValid} MACs valid, ${r.failed} failed`;
}
