import { toHex } from './byte-reader.ts';
import type { GbcsFrame } from './frame.ts';
import { messageCodeName } from './message-codes.ts';
import type { FrameVerdicts } from './verify-frame.ts';

/** A frame as plain JSON: hex for bytes, decimal strings for 64-bit counters. */
export function presentFrame(frame: GbcsFrame, verdicts?: FrameVerdicts): Record<string, unknown> {
  const a = frame.apdu;
  return {
    kind: frame.kind,
    cra: a.cra,
    originatorCounter: a.originatorCounter.toString(),
    originator: a.originator,
    recipient: a.recipient,
    dateTime: a.dateTime,
    messageCode: `0x${a.messageCode.toString(16).toUpperCase().padStart(4, '0')}`,
    messageCodeName: messageCodeName(a.messageCode) ?? null,
    otherInformation: toHex(a.otherInformation),
    content: toHex(a.content),
    signatureField: a.signatureField,
    signature: a.signature ? toHex(a.signature) : null,
    mac: frame.ciphering ? toHex(frame.ciphering.mac) : null,
    ...(verdicts ? { verdicts } : {}),
  };
}
