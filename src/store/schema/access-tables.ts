// Row types of the tables for parties, people, keys, identity providers, sessions and sign-in attempts (migrations/). Adapters map these to the domain's types.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

export interface PartiesTable {
  id: string;
  name: string;
  role: string;
  eui: string | null;
  distributor_id: number | null;
  created_at: Timestamp;
  /** JSON array of DCC User roles. */
  user_roles: ColumnType<string, string | undefined, string>;
  status: ColumnType<string, string | undefined, string>;
  suspended_reason: string | null;
  updated_at: Timestamp;
}

export interface ApiKeysTable {
  key_hash: string;
  id: string;
  party_id: string;
  /** The key's name (the person or system using it). */
  label: string;
  /** JSON array of person roles. */
  roles: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  last_used_at: Timestamp | null;
  rotated_from: string | null;
}

export interface UsersTable {
  id: string;
  party_id: string;
  username: string;
  name: string;
  /** JSON array of person roles. */
  roles: string;
  status: string;
  password_hash: string;
  failed_attempts: number;
  locked_until: Timestamp | null;
  oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdentityProvidersTable {
  party_id: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  updated_at: Timestamp;
}

export interface OidcLoginsTable {
  state_hash: string;
  party_id: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  idle_expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface SignInAttemptsTable {
  id: Generated<number>;
  username: string;
  source: string;
  at: Timestamp;
  ok: boolean;
}
