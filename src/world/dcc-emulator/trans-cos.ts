import { DuisError } from '../../duis/duis-error.ts';
import { bodyText, type DuisElement, type DuisRequest } from '../../duis/duis-request.ts';
import { buildCs02bCommand, CS02B_MODE, ROLE } from '../../gbcs/payloads/credentials.ts';

/** CS02b message codes are 0x0100 plus the mode (credentials.ts): Supplier by Transitional CoS is 0x0107. */
export const USE_CASE_MESSAGE_CODES = { supplierByTransCoS: 0x0100 + CS02B_MODE.supplierByTransCoS } as const;

const find = (e: DuisElement | undefined, name: string) => e?.children?.find((c) => c.name === name);
const der = (e: DuisElement | undefined, field: string): Uint8Array => {
  if (!e?.text) throw new DuisError('not-duis', `the request has no ${field}`, { field });
  return Uint8Array.from(Buffer.from(e.text, 'base64'));
};

/**
 * The CS02b the DCC sends for SRV 6.23 (Update Security Credentials, CoS), signed as Transitional CoS:
 * the Supplier's DS, KA and top-up KA cells replaced, authorised by the Transitional CoS DS cell,
 * the Supplier's floors (the top-up floor as specialist usage 0), the DCC's own counter.
 */
export function supplierByTransCoSContent(r: DuisRequest, counter: bigint): Uint8Array {
  const b = r.body;
  const certs = find(b, 'SupplierReplacementCertificates');
  const supplier = ROLE.supplier;
  return buildCs02bCommand({
    mode: CS02B_MODE.supplierByTransCoS,
    disapplyTimeBasedCpvChecks: bodyText(b, 'ApplyTimeBasedCPVChecks') === 'false',
    authorisingCell: { role: ROLE.transCoS, keyUsage: 'ds' },
    sequenceNumber: counter,
    otherFloors: [
      {
        role: supplier,
        floor: BigInt(bodyText(b, 'SupplierFloorSeqNumber')),
        specialist: [{ usage: 0, floor: BigInt(bodyText(b, 'SupplierPrepaymentTopUpFloorSeqNumber')) }],
      },
    ],
    replacements: [
      { certificate: der(find(certs, 'DigitalSigningCertificate'), 'DigitalSigningCertificate'), target: { role: supplier, keyUsage: 'ds' } },
      { certificate: der(find(certs, 'KeyAgreementCertificate'), 'KeyAgreementCertificate'), target: { role: supplier, keyUsage: 'ka' } },
      { certificate: der(find(certs, 'KeyAgreementTopUpCertificate'), 'KeyAgreementTopUpCertificate'), target: { role: supplier, keyUsage: 'ka', cellUsage: 1 } },
    ],
    certificationPath: (find(b, 'CertificationPathCertificates')?.children ?? []).map((c) => der(c, 'Certificate')),
  });
}
