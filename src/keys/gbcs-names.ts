import { euiToBytes, type Eui } from '../domain/eui.ts';
import { seq, tlv } from '../gbcs/payloads/der.ts';

/** DER pieces of GBCS certificates: subject names and the device SAN (facts from the DCC Boxed certificates). */
const OID = {
  commonName: Uint8Array.of(0x55, 0x04, 0x03),
  organizationalUnit: Uint8Array.of(0x55, 0x04, 0x0b),
  x500UniqueIdentifier: Uint8Array.of(0x55, 0x04, 0x2d),
  hardwareModuleName: Uint8Array.of(0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x04),
  // 1.2.826.0.1.8641679.1.2.2.1: the hardware type GBCS device certificates carry.
  gbcsDeviceHwType: Uint8Array.of(0x2a, 0x86, 0x3a, 0x00, 0x01, 0x84, 0x8f, 0xb9, 0x0f, 0x01, 0x02, 0x02, 0x01),
};

const rdn = (oid: Uint8Array, value: Uint8Array) => tlv(0x31, seq(tlv(0x06, oid), value));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

/** A CA name: OU (role, two hex digits) and CN, as the DCC's root (OU=00) and issuing CA (OU=07). */
export function caName(roleHex: string, cn: string): Uint8Array {
  return seq(rdn(OID.organizationalUnit, utf8(roleHex)), rdn(OID.commonName, utf8(cn)));
}

/** An organisation certificate's subject: CN, OU = role, x500UniqueIdentifier = the EUI as a BIT STRING. */
export function organisationName(cn: string, role: number, eui: Eui): Uint8Array {
  return seq(
    rdn(OID.commonName, utf8(cn)),
    rdn(OID.organizationalUnit, utf8(role.toString(16).padStart(2, '0').toUpperCase())),
    rdn(OID.x500UniqueIdentifier, tlv(0x03, Uint8Array.of(0x00), euiToBytes(eui))),
  );
}

/** The empty subject of a device certificate. */
export const EMPTY_NAME = seq();

/** subjectAltName value: otherName hardwareModuleName { hwType, hwSerialNum = EUI }. */
export function deviceSubjectAltName(eui: Eui): Uint8Array {
  return seq(tlv(0xa0, tlv(0x06, OID.hardwareModuleName), tlv(0xa0, seq(tlv(0x06, OID.gbcsDeviceHwType), tlv(0x04, euiToBytes(eui))))));
}
