import { diffieHellman, sign } from 'node:crypto';
import type { Eui } from '../../domain/eui.ts';
import { withAgreementCache } from '../../gbcs/agreement-cache.ts';
import { buildUseCaseFrame } from '../../gbcs/build-use-case.ts';
import { generateUtrn } from '../../gbcs/generate-utrn.ts';
import type { KeyStore } from '../../gbcs/key-store.ts';
import { UTRN_COUNTER_STEP } from '../../domain/prepayment.ts';
import { deriveKeyPair } from '../devices/derived-keys.ts';
import { Esme } from '../devices/esme.ts';
import { Fleet } from '../devices/fleet.ts';
import { FleetKeyStore } from '../devices/fleet-key-store.ts';
import { SeededRandom } from '../devices/seeded-random.ts';

/**
 * Fuzzing the simulated devices as an attacker would: mutated, forged, replayed and wrong-target
 * command frames into ESMEs' local ports, and guessed, mutated, replayed and wrong-target codes
 * into their keypads. Every case is one the device must refuse; an acceptance is a wrongful one.
 * Where a refusal could be vacuous (a frame refused for its counter, a keypad refusing because it
 * is locked), the case carries a control: the genuine frame or code, delivered next, must be
 * accepted, so a refusal is known to come from the fault put in.
 */
export const FUZZ_KINDS = [
  'mutated-frame',
  'forged-signature',
  'forged-mac',
  'replayed-frame',
  'wrong-target-frame',
  'guessed-code',
  'mutated-code',
  'replayed-code',
  'wrong-target-code',
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

/** How often each kind is drawn (meterops' own mix: mostly mutations, the cheapest attack). */
const WEIGHTS: Record<FuzzKind, number> = {
  'mutated-frame': 40,
  'forged-signature': 10,
  'forged-mac': 10,
  'replayed-frame': 10,
  'wrong-target-frame': 10,
  'guessed-code': 8,
  'mutated-code': 6,
  'replayed-code': 3,
  'wrong-target-code': 3,
};

export interface FuzzTally {
  cases: number;
  /** Cases the device accepted though it must not have. */
  wrongful: number;
  /** Controls delivered, and how many the device accepted (all of them, or a refusal was vacuous). */
  controls: number;
  controlsAccepted: number;
}

export interface FuzzReport {
  readonly seed: string;
  readonly cases: number;
  readonly wrongful: number;
  readonly byKind: Record<FuzzKind, FuzzTally>;
  /** Why the devices refused, counted. */
  readonly reasons: Record<string, number>;
  /** Up to ten wrongful acceptances, to look at. */
  readonly examples: ReadonlyArray<{ kind: FuzzKind; device: Eui; detail: string }>;
}

/** A keystore that knows the real public keys but holds an attacker's private keys for the usages it forges. */
function forger(real: KeyStore, secret: string, forges: { sign: boolean; agree: boolean }): KeyStore {
  const own = deriveKeyPair(secret, 'attacker');
  return {
    publicKey: (e, u) => real.publicKey(e, u),
    certificate: (e, u) => real.certificate(e, u),
    hasPrivateKey: async () => true,
    sign: async (e, u, data) => (forges.sign ? Uint8Array.from(sign('sha256', data, { key: own.privateKey, dsaEncoding: 'ieee-p1363' })) : real.sign(e, u, data)),
    agree: async (e, u, peer) => (forges.agree ? Uint8Array.from(diffieHellman({ privateKey: own.privateKey, publicKey: peer })) : real.agree(e, u, peer)),
  };
}

/** Runs `cases` fuzz cases from a fixed seed against the ESMEs of a small simulated fleet. */
export async function fuzzDevices(opts: { cases: number; seed: string; onProgress?: (done: number) => void }): Promise<FuzzReport> {
  if (!Number.isInteger(opts.cases) || opts.cases < 1 || opts.cases > 100_000_000) throw new RangeError('cases is a whole number from 1 to 100,000,000');
  const fleet = new Fleet({ premises: 24, seed: `fuzz/${opts.seed}`, prepaymentRate: 1 });
  const keys = withAgreementCache(new FleetKeyStore(fleet));
  const forgedSignature = forger(keys, `fuzz/${opts.seed}`, { sign: true, agree: false });
  const forgedMac = forger(keys, `fuzz/${opts.seed}`, { sign: false, agree: true });
  const rng = new SeededRandom(`fuzz/${opts.seed}/cases`);
  const acb = fleet.parties.acb.eui;
  const meters: Array<{ esme: Esme; supplier: Eui; counter: bigint; utrn: bigint; accepted: Uint8Array[]; codes: string[] }> = [];
  for (let i = 0; i < fleet.premiseCount; i++) {
    const p = fleet.premise(i);
    const esme = p.devices.ESME && fleet.device(p.devices.ESME);
    if (esme instanceof Esme) meters.push({ esme, supplier: p.supplier, counter: 1n, utrn: 0n, accepted: [], codes: [] });
  }
  if (meters.length < 2) throw new Error('the fuzz fleet has fewer than two ESMEs');
  const byKind = Object.fromEntries(FUZZ_KINDS.map((k) => [k, { cases: 0, wrongful: 0, controls: 0, controlsAccepted: 0 }])) as Record<FuzzKind, FuzzTally>;
  const reasons: Record<string, number> = {};
  const examples: Array<{ kind: FuzzKind; device: Eui; detail: string }> = [];
  const totalWeight = FUZZ_KINDS.reduce((s, k) => s + WEIGHTS[k], 0);
  let now = new Date('2026-12-01T00:00:00Z');
  const useCases = ['ECS42', 'ECS43', 'ECS45'] as const;

  const frameFor = (m: (typeof meters)[number], ks: KeyStore = keys) =>
    buildUseCaseFrame(ks, { useCase: useCases[rng.int(useCases.length)]!, originator: m.supplier, device: m.esme.eui, counter: m.counter++, acb });
  const codeFor = (m: (typeof meters)[number]) => {
    m.utrn += UTRN_COUNTER_STEP;
    return generateUtrn(keys, { supplier: m.supplier, device: m.esme.eui, counter: m.utrn, value: 1 + rng.int(99), valueClass: 'pennies' });
  };
  const refused = (kind: FuzzKind, m: (typeof meters)[number], r: { accepted: boolean; reason?: string; detail?: string }) => {
    byKind[kind].cases++;
    if (r.accepted) {
      byKind[kind].wrongful++;
      if (examples.length < 10) examples.push({ kind, device: m.esme.eui, detail: r.detail ?? '' });
    } else {
      const why = r.reason ?? r.detail ?? 'refused';
      reasons[why] = (reasons[why] ?? 0) + 1;
    }
  };
  const control = (kind: FuzzKind, accepted: boolean) => {
    byKind[kind].controls++;
    if (accepted) byKind[kind].controlsAccepted++;
  };
  /** A keypad entry; a wrong entry that locks the keypad moves the clock past the lock-out, so the next entry is checked. */
  const type = (m: (typeof meters)[number], code: string) => {
    const r = m.esme.enterCode(code, now);
    if (r.alertCode === 0x81c4) now = new Date(now.getTime() + (m.esme.model.lockoutMinutes + 1) * 60_000);
    // Credit is not what is fuzzed: keep it below the meter's ceiling so genuine codes stay acceptable.
    if (m.esme.creditPence > 10_000) m.esme.creditPence = 0;
    return { accepted: r.accepted, ...(r.reason ? { reason: r.reason } : {}), detail: r.detail };
  };

  for (let n = 0; n < opts.cases; n++) {
    let pick = rng.int(totalWeight);
    let kind: FuzzKind = FUZZ_KINDS[0];
    for (const k of FUZZ_KINDS) {
      if (pick < WEIGHTS[k]) {
        kind = k;
        break;
      }
      pick -= WEIGHTS[k];
    }
    const m = meters[rng.int(meters.length)]!;
    now = new Date(now.getTime() + 1_000);
    switch (kind) {
      case 'mutated-frame': {
        const genuine = await frameFor(m);
        refused(kind, m, m.esme.receive(mutate(genuine, rng), now));
        const c = m.esme.receive(genuine, now);
        control(kind, c.accepted);
        if (c.accepted) m.accepted.push(genuine);
        break;
      }
      case 'forged-signature':
      case 'forged-mac': {
        const counter = m.counter;
        const forged = await buildUseCaseFrame(kind === 'forged-signature' ? forgedSignature : forgedMac, {
          // A forged signature only matters on a critical (signed) command; a forged MAC on any.
          useCase: kind === 'forged-signature' ? (rng.chance(0.5) ? 'ECS42' : 'ECS43') : useCases[rng.int(useCases.length)]!,
          originator: m.supplier,
          device: m.esme.eui,
          counter,
          acb,
        });
        refused(kind, m, m.esme.receive(forged, now));
        m.counter = counter;
        const genuine = await frameFor(m);
        control(kind, m.esme.receive(genuine, now).accepted);
        break;
      }
      case 'replayed-frame': {
        const old = m.accepted.length ? m.accepted[rng.int(m.accepted.length)]! : undefined;
        if (!old) {
          const genuine = await frameFor(m);
          control(kind, m.esme.receive(genuine, now).accepted);
          m.accepted.push(genuine);
          refused(kind, m, m.esme.receive(genuine, now));
        } else refused(kind, m, m.esme.receive(old, now));
        break;
      }
      case 'wrong-target-frame': {
        const other = meters[(meters.indexOf(m) + 1 + rng.int(meters.length - 1)) % meters.length]!;
        const genuine = await frameFor(m);
        refused(kind, other, other.esme.receive(genuine, now));
        control(kind, m.esme.receive(genuine, now).accepted);
        break;
      }
      case 'guessed-code': {
        let guess = '';
        for (let i = 0; i < 20; i++) guess += String(rng.int(10));
        refused(kind, m, type(m, guess));
        break;
      }
      case 'mutated-code': {
        const genuine = await codeFor(m);
        refused(kind, m, type(m, mutateCode(genuine, rng)));
        const c = type(m, genuine);
        control(kind, c.accepted);
        if (c.accepted) m.codes.push(genuine);
        break;
      }
      case 'replayed-code': {
        const old = m.codes.at(-1 - rng.int(Math.min(m.codes.length, 3)));
        if (!old) {
          const genuine = await codeFor(m);
          control(kind, type(m, genuine).accepted);
          m.codes.push(genuine);
          refused(kind, m, type(m, genuine));
        } else refused(kind, m, type(m, old));
        break;
      }
      case 'wrong-target-code': {
        const other = meters[(meters.indexOf(m) + 1 + rng.int(meters.length - 1)) % meters.length]!;
        const genuine = await codeFor(m);
        refused(kind, other, type(other, genuine));
        const c = type(m, genuine);
        control(kind, c.accepted);
        if (c.accepted) m.codes.push(genuine);
        break;
      }
    }
    if (opts.onProgress && (n + 1) % 10_000 === 0) opts.onProgress(n + 1);
  }
  const wrongful = FUZZ_KINDS.reduce((s, k) => s + byKind[k].wrongful, 0);
  return { seed: opts.seed, cases: opts.cases, wrongful, byKind, reasons, examples };
}

/** One to three byte flips, a truncation, an extension or an inserted byte: never the genuine bytes. */
export function mutate(frame: Uint8Array, rng: SeededRandom): Uint8Array {
  const how = rng.int(4);
  if (how === 0) {
    const out = Uint8Array.from(frame);
    const flips = 1 + rng.int(3);
    for (let i = 0; i < flips; i++) out[rng.int(out.length)]! ^= 1 + rng.int(255);
    // Two flips of one byte can cancel: then flip once more, somewhere.
    if (out.every((b, i) => b === frame[i])) out[0]! ^= 0x01;
    return out;
  }
  if (how === 1) return frame.slice(0, rng.int(frame.length));
  if (how === 2) return Uint8Array.from([...frame, ...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256))]);
  const at = rng.int(frame.length + 1);
  return Uint8Array.from([...frame.slice(0, at), rng.int(256), ...frame.slice(at)]);
}

/** A genuine code with one digit changed or two neighbouring digits swapped (the typing errors a check digit is for), never the code itself. */
export function mutateCode(code: string, rng: SeededRandom): string {
  const d = code.split('');
  if (rng.chance(0.5)) {
    const i = rng.int(d.length);
    d[i] = String((Number(d[i]) + 1 + rng.int(9)) % 10);
  } else {
    let i = rng.int(d.length - 1);
    for (let tries = 0; d[i] === d[i + 1] && tries < d.length; tries++) i = (i + 1) % (d.length - 1);
    if (d[i] === d[i + 1]) d[0] = String((Number(d[0]) + 1) % 10);
    else [d[i], d[i + 1]] = [d[i + 1]!, d[i]!];
  }
  return d.join('');
}
