import type { Eui } from '../domain/eui.ts';
import { encodePreCommand, macFor, signedRegion, withSignature, wrapGeneralCiphering } from '../gbcs/build-frame.ts';
import { decodeFrame } from '../gbcs/decode-frame.ts';
import type { GeneralSigningApdu } from '../gbcs/frame.ts';
import type { KeyStore } from '../gbcs/key-store.ts';
import { verifyRaw } from '../gbcs/signature.ts';
import { buildCs02bCommand, CS02B_MODE, ROLE } from '../gbcs/payloads/credentials.ts';
import { SIMPLE_CONTENT, USE_CASES } from '../gbcs/use-cases.ts';
import { DuisError } from './duis-error.ts';
import { bodyText, type DuisElement, type DuisRequest } from './duis-request.ts';

/**
 * The transformable critical service requests meterops sends, and the GBCS use case each becomes
 * on each kind of meter (SRV 7.2 is ECS43 on an ESME, GCS32 on a GSME).
 */
const TRANSFORMS: Readonly<Record<string, Partial<Record<'ESME' | 'GSME', string>>>> = {
  '7.1': { ESME: 'ECS42' },
  '7.2': { ESME: 'ECS43', GSME: 'GCS32' },
  '6.15.1': { ESME: 'CS02bNOByNO', GSME: 'CS02bNOByNO' },
};

const der = (e: DuisElement | undefined, field: string): Uint8Array => {
  if (!e?.text) throw new DuisError('not-duis', `the request has no ${field}`, { field });
  return Uint8Array.from(Buffer.from(e.text, 'base64'));
};

/**
 * The CS02b content of SRV 6.15.1 from a Network Operator: its own DS and KA cells replaced,
 * authorised by its DS cell, the RequestID counter as the sequence number, the floor from
 * RemotePartyFloorSeqNumber, and time-based CPV checks disapplied when ApplyTimeBasedCPVChecks is false.
 */
function cs02bNoByNoContent(r: DuisRequest): Uint8Array {
  const b = r.body;
  if (bodyText(b, 'RemotePartyRole') !== 'NetworkOperator')
    throw new DuisError('command-variant', 'only the Network Operator form of SRV 6.15.1 is transformed here', { field: 'RemotePartyRole' });
  const certs = b.children?.find((c) => c.name === 'ReplacementCertificates')?.children?.find((c) => c.name === 'SupplierOrNetworkOperatorCertificates');
  const path = b.children?.find((c) => c.name === 'CertificationPathCertificates')?.children ?? [];
  const role = ROLE.networkOperator;
  return buildCs02bCommand({
    mode: CS02B_MODE.networkOperatorByNetworkOperator,
    disapplyTimeBasedCpvChecks: bodyText(b, 'ApplyTimeBasedCPVChecks') === 'false',
    authorisingCell: { role, keyUsage: 'ds' },
    sequenceNumber: r.header.requestId.counter,
    newFloor: BigInt(bodyText(b, 'RemotePartyFloorSeqNumber')),
    replacements: [
      {
        certificate: der(
          certs?.children?.find((c) => c.name === 'DigitalSigningCertificate'),
          'DigitalSigningCertificate',
        ),
        target: { role, keyUsage: 'ds' },
      },
      {
        certificate: der(
          certs?.children?.find((c) => c.name === 'KeyAgreementCertificate'),
          'KeyAgreementCertificate',
        ),
        target: { role, keyUsage: 'ka' },
      },
    ],
    certificationPath: path.map((c) => der(c, 'Certificate')),
  });
}

function decodeApdu(bytes: Uint8Array, field: string): GeneralSigningApdu {
  try {
    const f = decodeFrame(bytes);
    if (f.kind !== 'general-signing') throw new DuisError('pre-command', `${field} is a MACed frame; a pre-command is a bare General-Signing APDU`, { field });
    return f.apdu;
  } catch (e) {
    if (e instanceof DuisError) throw e;
    throw new DuisError('pre-command', `${field} is not a GBCS General-Signing APDU: ${(e as Error).message}`, { field, cause: e });
  }
}

/** The DCC's side of CV 4: the pre-command for a transformable request to a device of this type. */
export function transformToPreCommand(r: DuisRequest, deviceType: 'ESME' | 'GSME'): { useCase: string; preCommand: Uint8Array } {
  const useCase = TRANSFORMS[r.header.serviceReferenceVariant]?.[deviceType];
  if (!useCase)
    throw new DuisError('command-variant', `SRV ${r.header.serviceReferenceVariant} to a ${deviceType} cannot be transformed here (${Object.keys(TRANSFORMS).join(', ')})`, {
      field: 'ServiceReferenceVariant',
    });
  const spec = USE_CASES[useCase]!;
  const id = r.header.requestId;
  const preCommand = encodePreCommand(
    { cra: 'command', originatorCounter: id.counter, originator: id.originator, recipient: id.target, dateTime: null, messageCode: spec.messageCode },
    useCase === 'CS02bNOByNO' ? cs02bNoByNoContent(r) : SIMPLE_CONTENT[useCase]!(id.counter),
  );
  return { useCase, preCommand };
}

/**
 * The User's side of the transform: the pre-command as returned (DCC Boxed 1.4.1 and later append a
 * `00`, an empty signature field, which is stripped), checked to be a command from this User, and
 * signed with the User's organisation DS key (its GBCS key, not its XmlSign key).
 */
export async function signPreCommand(keys: KeyStore, payload: Uint8Array, user: Eui, counter: bigint): Promise<Uint8Array> {
  const apdu = decodeApdu(payload, 'PreCommand');
  if (apdu.signatureField === 'present') throw new DuisError('pre-command', 'the pre-command is already signed', { field: 'PreCommand' });
  const pre = apdu.signatureField === 'empty' ? payload.subarray(0, payload.length - 1) : payload;
  if (apdu.cra !== 'command' || apdu.originator !== user || apdu.originatorCounter !== counter)
    throw new DuisError('pre-command', `the pre-command is not this User's command ${user}:${counter} (it is a ${apdu.cra} from ${apdu.originator}:${apdu.originatorCounter})`, {
      field: 'PreCommand',
    });
  return withSignature(pre, await keys.sign(user, 'ds', signedRegion(pre)));
}

/**
 * The DCC's side of CV 5: the signed pre-command must be the request's own command (originator,
 * device, counter), signed by the originator's DS key; then the ACB MAC makes the frame the device
 * receives: header ‖ pre-command ‖ 40 ‖ signature ‖ MAC.
 */
export async function completeSignedPreCommand(keys: KeyStore, signed: Uint8Array, r: DuisRequest, acb: Eui): Promise<Uint8Array> {
  const apdu = decodeApdu(signed, 'SignedPreCommand');
  const id = r.header.requestId;
  if (apdu.signatureField !== 'present' || !apdu.signature) throw new DuisError('pre-command', 'the signed pre-command carries no signature', { field: 'SignedPreCommand' });
  if (apdu.cra !== 'command' || apdu.originator !== id.originator || apdu.recipient !== id.target || apdu.originatorCounter !== id.counter)
    throw new DuisError('pre-command', `the signed pre-command is not the request's command (${apdu.originator} to ${apdu.recipient}, counter ${apdu.originatorCounter})`, {
      field: 'SignedPreCommand',
    });
  const signer = await keys.publicKey(apdu.originator, 'ds');
  if (!signer) throw new DuisError('signer-unknown', `no DS certificate for ${apdu.originator}`, { field: 'SignedPreCommand' });
  if (!verifyRaw(signer, apdu.signedBytes, apdu.signature))
    throw new DuisError('signature-invalid', `the pre-command's signature is not ${apdu.originator}'s`, { field: 'SignedPreCommand' });
  return wrapGeneralCiphering(apdu.bytes, await macFor(keys, { ...apdu, dateTime: null }, apdu.bytes, acb));
}
