import type { PersonRole } from './permissions.ts';

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A person who signs in: one party, some roles. The password is kept only as its scrypt hash. */
export interface User {
  readonly id: string;
  readonly partyId: string;
  readonly username: string;
  readonly name: string;
  readonly roles: readonly PersonRole[];
  readonly status: UserStatus;
  readonly failedAttempts: number;
  readonly lockedUntil: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A system's API key: the secret is shown once, at issue; only its SHA-256 is kept. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly partyId: string;
  readonly name: string;
  readonly roles: readonly PersonRole[];
  readonly createdAt: Date;
  readonly createdBy: string | null;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revokedReason: string | null;
  readonly lastUsedAt: Date | null;
  /** The key this one replaced, when it was issued by a rotation. */
  readonly rotatedFrom: string | null;
}

export type ApiKeyState = 'active' | 'expired' | 'revoked';

export function apiKeyState(k: ApiKeyRecord, now: Date): ApiKeyState {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && k.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** A signed-in session, kept in the database so that any process can serve it. */
export interface Session {
  readonly tokenHash: string;
  readonly userId: string;
  readonly csrfHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly idleExpiresAt: Date;
  readonly revokedAt: Date | null;
}

/** Sign-in limits; meterops' own defaults (no external figure). */
export const SIGN_IN_POLICY = Object.freeze({
  /** Consecutive wrong passwords that lock the account. */
  lockAfterFailures: 5,
  lockMinutes: 15,
  /** Attempts (right or wrong) per username, and per client address, in the window. */
  attemptsPerUsername: 10,
  attemptsPerSource: 50,
  windowMinutes: 15,
  /** A session lasts at most 12 hours, and ends after 30 minutes without use. */
  sessionHours: 12,
  idleMinutes: 30,
  passwordMinLength: 12,
  passwordMaxLength: 256,
});
