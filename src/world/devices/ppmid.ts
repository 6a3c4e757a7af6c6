import { diffieHellman } from 'node:crypto';
import { encodePreCommand, withSignature, wrapGeneralCiphering } from '../../gbcs/build-frame.ts';
import { frameMac } from '../../gbcs/frame-mac.ts';
import { buildConsumerTopUpCommand, ORIGINATING_DEVICE } from '../../gbcs/payloads/gbz.ts';
import { credentialCommands } from './credential-commands.ts';
import type { Esme, KeypadResult } from './esme.ts';
import type { Gsme } from './gsme.ts';
import { SimulatedDevice, type CommandSpec, type DeviceReply } from './simulated-device.ts';

/**
 * The prepayment meter interface device: a keypad in the home. A code typed on it goes to its
 * meter: straight to the ESME's keypad logic, or to the GSME as a PCS01 command MACed between the
 * two devices over the HAN.
 */
export class Ppmid extends SimulatedDevice {
  esme: Esme | undefined;
  gsme: Gsme | undefined;
  #counter = 10_000n;
  #commands: Map<number, CommandSpec> | undefined;

  protected commands(): ReadonlyMap<number, CommandSpec> {
    return (this.#commands ??= new Map<number, CommandSpec>(credentialCommands(this.anchors)));
  }

  /** Pairs with the GSME so that PCS01 MACs are keyed between the two KA keys. */
  pairWithGsme(gsme: Gsme): void {
    this.gsme = gsme;
    gsme.hanPeer = this.keys.ka.publicKey;
    gsme.hanPeerEui = this.eui;
  }

  enterCode(code: string, now: Date, meter: 'electricity' | 'gas' = 'electricity'): KeypadResult | DeviceReply {
    if (meter === 'electricity') {
      if (!this.esme) return { accepted: false, detail: 'no electricity meter paired' };
      return this.esme.enterCode(code, now);
    }
    if (!this.gsme) return { accepted: false, detail: 'no gas meter paired' };
    if (!/^\d{20}$/.test(code)) return { accepted: false, detail: 'a UTRN is 20 digits' };
    const h = { cra: 'command' as const, originatorCounter: ++this.#counter, originator: this.eui, recipient: this.gsme.eui, dateTime: null, messageCode: 0x009b };
    const apdu = withSignature(encodePreCommand(h, buildConsumerTopUpCommand(code, ORIGINATING_DEVICE.ihd)), null);
    const z = diffieHellman({ privateKey: this.keys.ka.privateKey, publicKey: this.gsme.keys.ka.publicKey });
    return this.gsme.receive(wrapGeneralCiphering(apdu, frameMac(z, h, apdu)), now);
  }

  protected exportOwn(): Record<string, unknown> {
    return { counter: this.#counter.toString() };
  }

  protected restoreOwn(o: Record<string, unknown>): void {
    this.#counter = BigInt(o.counter as string);
  }

  protected resetState(): void {
    this.#counter = 10_000n;
  }

  protected stateSnapshot(): Record<string, unknown> {
    return { esme: this.esme?.eui ?? null, gsme: this.gsme?.eui ?? null };
  }
}
