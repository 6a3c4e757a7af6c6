import type { KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { SignedXml } from 'xml-crypto';
import type { Eui } from '../domain/eui.ts';
import { DuisError } from './duis-error.ts';
import type { Element } from '@xmldom/xmldom';
import { DS_NS, child, childElements, childText, compactDuis, escapeText, parseDuisXml, serialiseDuis } from './duis-xml.ts';
import { EcdsaSha256, ECDSA_SHA256 } from './ecdsa-sha256.ts';
import type { DuisTrust, TrustedSigner } from './duis-trust.ts';

/**
 * The DOM xml-crypto itself parses with (its own @xmldom/xmldom). xml-crypto finds the signature it
 * was given again in its own parse of the document by the SignatureValue text; a node from another
 * DOM version can differ there (a `&#13;` inside the value, as DCC Boxed writes), so the signature
 * node is taken from xml-crypto's DOM.
 */
const xmlCryptoDom = createRequire(createRequire(import.meta.url).resolve('xml-crypto'))('@xmldom/xmldom') as {
  DOMParser: new () => { parseFromString(xml: string, mime: string): { documentElement: unknown } };
};

export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** A party's XmlSign key and certificate (not its GBCS DS key: DUIS and GBCS sign with different keys). */
export interface XmlSigner {
  readonly privateKey: KeyObject;
  readonly signer: TrustedSigner;
}

/**
 * Signs a DUIS document as DCC Boxed expects: compacted first, any placeholder Signature removed,
 * then an enveloped XML-DSig (exclusive C14N, ECDSA P-256/SHA-256, Reference URI="" with the
 * enveloped-signature transform and a SHA-256 digest, KeyInfo as X509IssuerSerial with the serial in decimal).
 */
export function signDuis(xml: string, key: XmlSigner): string {
  const doc = compactDuis(parseDuisXml(xml));
  const root = doc.documentElement!;
  for (const old of childElements(root).filter((e) => e.namespaceURI === DS_NS && e.localName === 'Signature')) root.removeChild(old);
  const unsigned = serialiseDuis(doc);
  const issuerSerial =
    `<ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>${escapeText(key.signer.issuerName)}</ds:X509IssuerName>` +
    `<ds:X509SerialNumber>${key.signer.serial}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data>`;
  const sig = new SignedXml({
    privateKey: key.privateKey,
    signatureAlgorithm: ECDSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: () => issuerSerial,
  });
  sig.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256;
  sig.addReference({ xpath: '/*', transforms: [ENVELOPED], digestAlgorithm: SHA256, uri: '', isEmptyUri: true });
  sig.computeSignature(unsigned, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
  return sig.getSignedXml();
}

/** Who must have signed: a request's originator (User XmlSign), or the DCC for a response (DSP XmlSign). */
export interface ExpectedSigner {
  readonly eui: Eui;
  /** Allowed XmlSign roles (see XML_SIGN_ROLE). */
  readonly roles: readonly number[];
}

export interface VerifyOptions {
  readonly trust: DuisTrust;
  readonly expect: ExpectedSigner;
  /** Check the certificate's validity at this time; many Z1 certificates have expired, so it is the caller's. */
  readonly at?: Date;
}

/**
 * Verifies a DUIS document's enveloped signature and who made it. Each failure is its own refusal:
 * no Signature, a form DUIS does not use, no X509IssuerSerial, a serial not in the trust set, a
 * signer other than the expected party or role, and a digest or signature that does not verify.
 */
export function verifyDuis(xml: string, o: VerifyOptions): TrustedSigner {
  const doc = parseDuisXml(xml);
  const root = doc.documentElement!;
  const sigs = childElements(root).filter((e) => e.namespaceURI === DS_NS && e.localName === 'Signature');
  if (sigs.length === 0) throw new DuisError('signature-missing', 'the document is not signed (no ds:Signature)', { field: 'Signature' });
  if (sigs.length > 1) throw new DuisError('signature-form', 'the document has more than one ds:Signature', { field: 'Signature' });
  const signature = sigs[0]!;
  checkForm(signature);
  const issuerSerial = child(child(child(signature, DS_NS, 'KeyInfo') ?? signature, DS_NS, 'X509Data') ?? signature, DS_NS, 'X509IssuerSerial');
  const serial = issuerSerial && childText(issuerSerial, DS_NS, 'X509SerialNumber');
  const issuer = issuerSerial && childText(issuerSerial, DS_NS, 'X509IssuerName');
  if (!serial || issuer === undefined)
    throw new DuisError('signer-serial-missing', 'the signature names no signer (KeyInfo/X509Data/X509IssuerSerial with a serial)', { field: 'X509SerialNumber' });
  const signer = o.trust.find(issuer, serial);
  if (!signer) throw new DuisError('signer-unknown', `no trusted XmlSign certificate has issuer "${issuer}" and serial ${serial}`, { field: 'X509SerialNumber' });
  if (signer.eui !== o.expect.eui)
    throw new DuisError('signer-not-originator', `the document is signed by ${signer.eui ?? 'a certificate with no EUI'}, not by ${o.expect.eui}`, { field: 'X509SerialNumber' });
  if (signer.role === undefined || !o.expect.roles.includes(signer.role))
    throw new DuisError('signer-role', `the signing certificate has role ${signer.role ?? 'none'}; expected ${o.expect.roles.join(' or ')}`, { field: 'X509SerialNumber' });
  if (o.at) {
    const t = o.at.getTime();
    if (t < Date.parse(signer.certificate.validFrom) || t > Date.parse(signer.certificate.validTo))
      throw new DuisError('signer-unknown', `the signing certificate (serial ${serial}) is not valid at ${o.at.toISOString()}`, { field: 'X509SerialNumber' });
  }
  const check = new SignedXml({ publicCert: signer.certificate.publicKey, getCertFromKeyInfo: () => null });
  check.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256;
  const own = new xmlCryptoDom.DOMParser().parseFromString(xml, 'text/xml');
  const ownSignature = check.findSignatures(own as never).find((n) => n.parentNode === own.documentElement);
  if (!ownSignature) throw new DuisError('signature-form', 'the signature could not be read', { field: 'Signature' });
  check.loadSignature(ownSignature);
  let ok: boolean;
  try {
    ok = check.checkSignature(xml);
  } catch (e) {
    throw new DuisError('signature-invalid', `the signature does not verify: ${(e as Error).message}`, { field: 'Signature', cause: e });
  }
  if (!ok) throw new DuisError('signature-invalid', 'the signature does not verify over the document', { field: 'Signature' });
  return signer;
}

/** The one form DUIS uses; anything else (another algorithm, a second reference, a URI to part of the document) is refused. */
function checkForm(signature: Element): void {
  const si = child(signature, DS_NS, 'SignedInfo');
  const alg = (parent: Element | undefined, name: string) => (parent ? child(parent, DS_NS, name)?.getAttribute('Algorithm') : undefined);
  const refs = si ? childElements(si).filter((e) => e.namespaceURI === DS_NS && e.localName === 'Reference') : [];
  const ref = refs[0];
  const transforms = ref ? childElements(child(ref, DS_NS, 'Transforms') ?? ref).filter((e) => e.localName === 'Transform') : [];
  const problems = [
    alg(si, 'CanonicalizationMethod') !== EXC_C14N && 'SignedInfo is not canonicalised with exclusive C14N',
    alg(si, 'SignatureMethod') !== ECDSA_SHA256 && 'the signature method is not ECDSA-SHA256',
    refs.length !== 1 && `SignedInfo has ${refs.length} references, DUIS signs with one`,
    ref && ref.getAttribute('URI') !== '' && 'the reference is not to the whole document (URI="")',
    ref && (transforms.length !== 1 || transforms[0]!.getAttribute('Algorithm') !== ENVELOPED) && 'the reference has transforms other than enveloped-signature',
    ref && alg(ref, 'DigestMethod') !== SHA256 && 'the digest is not SHA-256',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length) throw new DuisError('signature-form', `the signature is not in the DUIS form: ${problems.join('; ')}`, { field: 'Signature' });
}
