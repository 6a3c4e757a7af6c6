import type { Eui } from '../domain/eui.ts';
import { ValidationError } from '../domain/errors.ts';
import { buildFrame } from './build-frame.ts';
import { certificateRole, ROLE_CODES, ROLE_NAMES } from './certificate-role.ts';
import { generateUtrn } from './generate-utrn.ts';
import type { KeyStore } from './key-store.ts';
import { buildCs02aCommand, ROLE } from './payloads/credentials.ts';
import { SIMPLE_CONTENT, USE_CASES } from './use-cases.ts';
import type { UtrnClass } from './utrn.ts';

export interface BuildRequest {
  readonly useCase: string;
  readonly originator: Eui;
  readonly device: Eui;
  readonly counter: bigint;
  readonly acb: Eui;
  /** Top-ups: the UTRN, or the value and class to make one with the originator's PP-KA key. */
  readonly utrn?: string;
  readonly value?: number;
  readonly valueClass?: UtrnClass;
}

// The role in the originator's DS certificate (a keystore wrapped by withAgreementCache remembers it).
async function signerRole(keys: KeyStore, eui: Eui): Promise<number | undefined> {
  if (keys.certificateRole) return keys.certificateRole(eui, 'ds');
  const c = await keys.certificate(eui, 'ds');
  return c && certificateRole(c);
}

export const BUILDABLE = [...Object.keys(SIMPLE_CONTENT).filter((u) => u !== 'PCS01'), 'CS02a'] as const;

/** A complete command frame for a use case: content, signature when critical, the ACB MAC. */
export async function buildUseCaseFrame(keys: KeyStore, r: BuildRequest): Promise<Uint8Array> {
  const spec = USE_CASES[r.useCase];
  if (!spec || !(BUILDABLE as readonly string[]).includes(r.useCase)) {
    throw new ValidationError('useCase', 'buildable-use-case', `use case "${r.useCase}" cannot be built here; one of ${BUILDABLE.join(', ')}`);
  }
  if (r.counter < 0n || r.counter >= 1n << 64n) throw new ValidationError('counter', 'counter-range', 'the counter is a 64-bit unsigned value');
  if (spec.critical && spec.signerRole) {
    const role = await signerRole(keys, r.originator);
    const want = ROLE_CODES[spec.signerRole];
    if (role !== undefined && role !== want) {
      throw new ValidationError(
        'originator',
        'signer-role',
        `${r.useCase} must be signed by a ${ROLE_NAMES[want]}; the DS certificate of ${r.originator} is a ${ROLE_NAMES[role] ?? `role ${role}`}'s`,
      );
    }
  }
  let content: Uint8Array;
  if (r.useCase === 'CS02a') {
    content = buildCs02aCommand({ role: ROLE.acb, keyUsage: 'ka' }, [ROLE.supplier, ROLE.networkOperator]);
  } else if (r.useCase === 'CS01a' || r.useCase === 'CS01b') {
    const utrn =
      r.utrn ??
      (r.value !== undefined && r.valueClass
        ? await generateUtrn(keys, { supplier: r.originator, device: r.device, counter: r.counter, value: r.value, valueClass: r.valueClass })
        : undefined);
    if (!utrn || !/^\d{20}$/.test(utrn)) throw new ValidationError('utrn', 'utrn-format', `${r.useCase} needs a 20-digit UTRN, or a value and class to make one`);
    content = SIMPLE_CONTENT[r.useCase]!(r.counter, utrn);
  } else {
    content = SIMPLE_CONTENT[r.useCase]!(r.counter);
  }
  // CS02a is originated by the ACB itself: its MAC is the authority.
  const originator = r.useCase === 'CS02a' ? r.acb : r.originator;
  return buildFrame(keys, { cra: 'command', originatorCounter: r.counter, originator, recipient: r.device, dateTime: null, messageCode: spec.messageCode }, content, {
    sign: spec.critical,
    mac: true,
    acb: r.acb,
  });
}
