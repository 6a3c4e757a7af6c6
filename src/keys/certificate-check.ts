import type { X509Certificate } from 'node:crypto';

export type CertificateProblem = 'not-yet-valid' | 'expired' | 'bad-signature' | 'issuer-mismatch';

/**
 * Checks a certificate against its issuer at a given time. The time is a parameter because the
 * DCC Boxed organisation certificates expired in 2025-2026 while RTDS frames date from 2015-2020.
 */
export function checkCertificate(cert: X509Certificate, issuer: X509Certificate, at: Date): CertificateProblem[] {
  const problems: CertificateProblem[] = [];
  if (at < new Date(cert.validFrom)) problems.push('not-yet-valid');
  if (at > new Date(cert.validTo)) problems.push('expired');
  if (!cert.checkIssued(issuer)) problems.push('issuer-mismatch');
  if (!cert.verify(issuer.publicKey)) problems.push('bad-signature');
  return problems;
}

/** Walks leaf -> ... -> root; the first problem found, or none. */
export function checkChain(chain: readonly X509Certificate[], at: Date): { index: number; problems: CertificateProblem[] } | null {
  for (let i = 0; i < chain.length; i++) {
    const issuer = chain[i + 1] ?? chain[i]!;
    const problems = checkCertificate(chain[i]!, issuer, at);
    if (problems.length) return { index: i, problems };
  }
  return null;
}
