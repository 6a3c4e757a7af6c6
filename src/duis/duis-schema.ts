import { spawn } from 'node:child_process';
import { DuisError } from './duis-error.ts';
import { DS_NS, childElements, parseDuisXml, serialiseDuis } from './duis-xml.ts';

/**
 * Validates a DUIS document against the DUIS XSD with libxml2's xmllint (the schema is the DCC's,
 * at a path the deployment configures: meterops does not ship it). The signature is removed first
 * by default: libxml2 cannot hold the 128-bit X509SerialNumber of real signatures in its
 * xs:integer (duis-signing README), and the signature is checked on its own by verifyDuis.
 */
export async function validateDuisSchema(xml: string, xsdPath: string, opts: { keepSignature?: boolean } = {}): Promise<void> {
  let text = xml;
  if (!opts.keepSignature) {
    const doc = parseDuisXml(xml);
    const root = doc.documentElement!;
    for (const s of childElements(root).filter((e) => e.namespaceURI === DS_NS && e.localName === 'Signature')) root.removeChild(s);
    text = serialiseDuis(doc);
  }
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const p = spawn('xmllint', ['--noout', '--nonet', '--schema', xsdPath, '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', (e) => reject(new Error(`xmllint could not run (apt-get install libxml2-utils): ${e.message}`, { cause: e })));
    p.on('close', (c) => resolve({ code: c, stderr: err }));
    p.stdin.end(text);
  });
  if (code === 0) return;
  const first = stderr.split('\n').find((l) => l.includes('error') || l.includes('fails')) ?? stderr.trim();
  if (code === 3 || code === 4 || code === 5) throw new DuisError('schema-invalid', `not valid against the DUIS schema: ${first.replace(/^-:\d+: /, '')}`);
  throw new Error(`xmllint failed (exit ${code}): ${first}`);
}
