import type { Eui } from '../domain/eui.ts';
import { decodeFrame } from './decode-frame.ts';
import type { GbcsFrame } from './frame.ts';
import { readGcaAlert } from './gca-alert.ts';
import { GbcsDecodeError } from './gbcs-error.ts';
import type { KeyStore } from './key-store.ts';
import { verifyMac, verifySignature } from './verify-frame.ts';

/** The command a carried-back response must answer. */
export interface ExpectedResponse {
  readonly device: Eui;
  /** The command's originator: the User the response is addressed to. */
  readonly user: Eui;
  readonly counter: bigint;
  readonly messageCode: number;
  readonly critical: boolean;
}

export type LocalResponseCheck =
  | { readonly ok: true; readonly kind: 'response'; readonly frame: GbcsFrame }
  | { readonly ok: true; readonly kind: 'alert'; readonly frame: GbcsFrame; readonly alertCode: number; readonly raisedAt: Date | null }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a device response carried back by an HHT (what SRV 8.13 hands the DCC) before it counts:
 * it must come from the device the command went to, answer that command (same counter and message
 * code), and carry the device's signature (responses to critical commands, and alerts) or a MAC
 * keyed between the device and the User. A refusal comes back as a signed alert (GCA, 0x1000).
 */
export async function verifyLocalResponse(bytes: Uint8Array, want: ExpectedResponse, keys: KeyStore, acb: Eui): Promise<LocalResponseCheck> {
  let frame: GbcsFrame;
  try {
    frame = decodeFrame(bytes);
  } catch (e) {
    if (e instanceof GbcsDecodeError) return { ok: false, reason: e.message };
    throw e;
  }
  const a = frame.apdu;
  if (a.originator !== want.device) return { ok: false, reason: `the response is from ${a.originator}, the command went to ${want.device}` };
  if (a.recipient !== want.user) return { ok: false, reason: `the response is addressed to ${a.recipient}, not ${want.user}` };
  if (a.cra === 'alert') {
    if (a.messageCode !== 0x1000) return { ok: false, reason: `alert message code 0x${a.messageCode.toString(16)} is not a GCA` };
    const sig = await verifySignature(frame, keys);
    if (sig.status !== 'valid') return { ok: false, reason: `the alert's device signature is ${sig.status === 'unverifiable' ? sig.reason : sig.status}` };
    try {
      return { ok: true, kind: 'alert', frame, ...readGcaAlert(a.content) };
    } catch (e) {
      if (e instanceof GbcsDecodeError) return { ok: false, reason: e.message };
      throw e;
    }
  }
  if (a.cra !== 'response') return { ok: false, reason: `a ${a.cra} is not a response` };
  if (a.originatorCounter !== want.counter) return { ok: false, reason: `the response answers counter ${a.originatorCounter}, the command had ${want.counter}` };
  if (a.messageCode !== want.messageCode)
    return { ok: false, reason: `the response is for message code 0x${a.messageCode.toString(16)}, the command was 0x${want.messageCode.toString(16)}` };
  if (want.critical) {
    const sig = await verifySignature(frame, keys);
    if (sig.status !== 'valid') return { ok: false, reason: `the device signature is ${sig.status === 'unverifiable' ? sig.reason : sig.status}` };
  } else {
    const mac = await verifyMac(frame, keys, acb);
    if (mac.status !== 'valid') return { ok: false, reason: `the response MAC is ${mac.status === 'unverifiable' ? mac.reason : mac.status}` };
  }
  return { ok: true, kind: 'response', frame };
}
