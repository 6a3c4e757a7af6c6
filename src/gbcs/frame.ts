import type { Eui } from '../domain/eui.ts';
import type { DlmsDateTime } from './dlms-date-time.ts';

/** CRA flag: what the message is. */
export type CraFlag = 'command' | 'response' | 'alert';

/** The General-Signing APDU (tag DF), the "grouping header" of every GBCS message. */
export interface GeneralSigningApdu {
  readonly cra: CraFlag;
  readonly originatorCounter: bigint;
  readonly originator: Eui;
  readonly recipient: Eui;
  readonly dateTime: DlmsDateTime | null;
  readonly messageCode: number;
  /** The rest of Other-Information after the message code (supplementary remote party id, counters). */
  readonly otherInformation: Uint8Array;
  readonly content: Uint8Array;
  /**
   * 'absent': the APDU ends after Content (a pre-command awaiting the User's signature);
   * 'empty': a 00 signature length (not signed); 'present': 64 bytes r||s.
   */
  readonly signatureField: 'absent' | 'empty' | 'present';
  readonly signature: Uint8Array | null;
  /** The bytes the originator signs: from the 09 of the transaction id to the end of Content. */
  readonly signedBytes: Uint8Array;
  /** The whole APDU as it stands in the frame, DF to the end of the signature field. */
  readonly bytes: Uint8Array;
}

/** The DCC's General-Ciphering wrapper (tag DD) carrying the ACB or device MAC. */
export interface GeneralCiphering {
  readonly securityControl: number;
  readonly invocationCounter: number;
  readonly mac: Uint8Array;
}

export interface GbcsFrame {
  readonly kind: 'general-signing' | 'general-ciphering';
  readonly apdu: GeneralSigningApdu;
  readonly ciphering: GeneralCiphering | null;
  readonly bytes: Uint8Array;
}
