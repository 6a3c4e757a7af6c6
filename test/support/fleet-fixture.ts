import type { Eui } from '../../src/domain/eui.ts';
import { buildFrame, encodePreCommand, macFor, signedRegion, withSignature, wrapGeneralCiphering, type ApduHeader } from '../../src/gbcs/build-frame.ts';
import { buildUseCaseFrame } from '../../src/gbcs/build-use-case.ts';
import type { KeyStore } from '../../src/gbcs/key-store.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { FleetKeyStore } from '../../src/world/devices/fleet-key-store.ts';

/** A small fleet and the platform's keys for it, plus helpers that build commands as the DCC would. */
export function aFleet(seed = 'test-fleet', premises = 40) {
  const fleet = new Fleet({ premises, seed, prepaymentRate: 0.5, gasRate: 0.9 });
  const keys = new FleetKeyStore(fleet);
  const acb = fleet.parties.acb.eui;
  const premiseWith = (pred: (p: ReturnType<Fleet['premise']>) => boolean) => {
    for (let i = 0; i < fleet.premiseCount; i++) if (pred(fleet.premise(i))) return fleet.premise(i);
    throw new Error('no such premise in the fixture fleet');
  };
  const command = (useCase: string, originator: Eui, device: Eui, counter: bigint, extra: { utrn?: string; keys?: KeyStore } = {}) =>
    buildUseCaseFrame(extra.keys ?? keys, { useCase, originator, device, counter, acb, ...(extra.utrn ? { utrn: extra.utrn } : {}) });
  /** Any frame, signed (or not) by the originator and MACed by the ACB, bypassing build-time checks. */
  const raw = (h: ApduHeader, content: Uint8Array, opts: { sign: boolean; mac: boolean }, ks: KeyStore = keys) => buildFrame(ks, h, content, { ...opts, acb });
  /** A frame with a given (possibly wrong) signature and a valid ACB MAC. */
  const withBadSignature = async (h: ApduHeader, content: Uint8Array) => {
    const pre = encodePreCommand(h, content);
    const sig = await keys.sign(h.originator, 'ds', Buffer.concat([signedRegion(pre), Buffer.of(0)]));
    const apdu = withSignature(pre, sig);
    return wrapGeneralCiphering(apdu, await macFor(keys, h, apdu, acb));
  };
  return { fleet, keys, acb, premiseWith, command, raw, withBadSignature };
}
