import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { SIGN_IN_POLICY, ValidationError } from '../domain/index.ts';

/**
 * scrypt with the OWASP Password Storage Cheat Sheet's minimum parameters (N = 2^17, r = 8, p = 1;
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html), a 16-byte
 * salt and a 32-byte hash. The parameters are stored with the hash, so they can be raised later.
 */
const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

export async function hashPassword(password: string): Promise<string> {
  checkPassword(password);
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: maxmem(PARAMS.N, PARAMS.r) });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: maxmem(Number(n), Number(r)) });
  return timingSafeEqual(key, expected);
}

/** A password of 12 to 256 characters (meterops' own rule; length over composition, as NIST SP 800-63B advises). */
export function checkPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string' || password.length < SIGN_IN_POLICY.passwordMinLength || password.length > SIGN_IN_POLICY.passwordMaxLength)
    throw new ValidationError('password', 'password-length', `a password is ${SIGN_IN_POLICY.passwordMinLength} to ${SIGN_IN_POLICY.passwordMaxLength} characters`);
}

/** A password for a first sign-in, shown once: 24 characters of base64url (144 random bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
