// The store's ports for parties, their people and API keys, identity providers, sessions: plain domain types in and out; the Kysely adapters map rows.
import type { Party, ApiKeyRecord, ApiKeyState, DccUserRole, PartyRecord, PartyRole, PartyStatus, PersonRole, Session, User, UserStatus } from '../../domain/index.ts';

/** Who a party is, for a list scoped to what it may see: its id, and its region when it is a DNO. */
export interface PartyScope {
  readonly partyId: string;
  readonly distributorId: number | null;
}

export interface PartyRepository {
  get(id: string): Promise<Party | undefined>;
  /** The party with its User roles and standing. */
  record(id: string): Promise<PartyRecord | undefined>;
  recordForUpdate(id: string): Promise<PartyRecord | undefined>;
  byEui(eui: string): Promise<PartyRecord | undefined>;
  list(): Promise<Party[]>;
  /** Keyset page in id order. */
  page(filter: { role?: PartyRole; userRole?: DccUserRole; status?: PartyStatus; after?: string; limit: number }): Promise<PartyRecord[]>;
  /** Without User roles, the party holds those its platform role implies. */
  insert(party: Party & { readonly userRoles?: readonly DccUserRole[] }): Promise<void>;
  update(
    id: string,
    patch: {
      name?: string;
      role?: PartyRole;
      eui?: string | null;
      distributorId?: number | null;
      userRoles?: readonly DccUserRole[];
      status?: PartyStatus;
      suspendedReason?: string | null;
    },
    at: Date,
  ): Promise<void>;
  /** A key with the roles keys had before roles existed (operator, field engineer, approver, auditor). */
  addApiKey(partyId: string, keyHash: string, label: string): Promise<void>;
}

export interface ApiKeyRepository {
  insert(key: ApiKeyRecord, keyHash: string): Promise<void>;
  /** The key and its party, by the SHA-256 of the secret. */
  byHash(keyHash: string): Promise<{ key: ApiKeyRecord; party: PartyRecord } | undefined>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  getForUpdate(id: string): Promise<ApiKeyRecord | undefined>;
  /** The party's unrevoked, unexpired key of this name, if any. */
  activeNamed(partyId: string, name: string, now: Date): Promise<ApiKeyRecord | undefined>;
  page(filter: { partyId?: string; state?: ApiKeyState; now: Date; after?: string; limit: number }): Promise<ApiKeyRecord[]>;
  revoke(id: string, at: Date, reason: string): Promise<void>;
  touch(id: string, at: Date): Promise<void>;
}

export interface UserRepository {
  insert(user: User, passwordHash: string): Promise<void>;
  get(id: string): Promise<User | undefined>;
  getForUpdate(id: string): Promise<User | undefined>;
  byUsername(username: string): Promise<User | undefined>;
  /** The user and the stored password hash, locked for the sign-in's transaction. */
  byUsernameForUpdate(username: string): Promise<{ user: User; passwordHash: string } | undefined>;
  page(filter: { partyId?: string; role?: PersonRole; status?: UserStatus; after?: string; limit: number }): Promise<User[]>;
  /** The person of this party with this subject at its identity provider. */
  byOidcSubject(partyId: string, subject: string): Promise<User | undefined>;
  oidcSubjectOf(id: string): Promise<string | null>;
  setOidcSubject(id: string, subject: string | null): Promise<void>;
  update(
    id: string,
    patch: { name?: string; roles?: readonly PersonRole[]; status?: UserStatus; passwordHash?: string; failedAttempts?: number; lockedUntil?: Date | null },
    at: Date,
  ): Promise<void>;
}

export interface IdentityProviderConfig {
  readonly partyId: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface OidcLogin {
  readonly stateHash: string;
  readonly partyId: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly redirectUri: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
}

/** Parties' OpenID Connect identity providers and the sign-ins in flight. */
export interface IdentityProviderRepository {
  get(partyId: string): Promise<IdentityProviderConfig | undefined>;
  upsert(c: IdentityProviderConfig, at: Date): Promise<void>;
  insertLogin(l: OidcLogin): Promise<void>;
  /** The sign-in, locked; the caller marks it used so that a state works once. */
  loginForUpdate(stateHash: string): Promise<OidcLogin | undefined>;
  markLoginUsed(stateHash: string, at: Date): Promise<void>;
}

export interface SessionRepository {
  insert(s: Session): Promise<void>;
  /** The session, its user and the user's party. */
  byToken(tokenHash: string): Promise<{ session: Session; user: User; party: PartyRecord } | undefined>;
  touch(tokenHash: string, idleExpiresAt: Date): Promise<void>;
  revoke(tokenHash: string, at: Date): Promise<void>;
  revokeAllOf(userId: string, at: Date): Promise<number>;
  recordAttempt(a: { username: string; source: string; at: Date; ok: boolean }): Promise<void>;
  attemptsSince(by: { username: string } | { source: string }, since: Date): Promise<number>;
}
