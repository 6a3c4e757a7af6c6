-- Organisations, people and keys: the parties' DCC User roles and standing, people who sign in,
-- their sessions and sign-in attempts, and API keys with a name, roles, expiry and revocation.

ALTER TABLE parties ADD COLUMN user_roles text;
ALTER TABLE parties ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended'));
ALTER TABLE parties ADD COLUMN suspended_reason text;
ALTER TABLE parties ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
-- Parties registered before User roles existed hold the roles their platform role implies.
UPDATE parties SET user_roles = CASE role
  WHEN 'supplier' THEN '["import_supplier","gas_supplier"]'
  WHEN 'network_operator' THEN '["network_operator"]'
  WHEN 'dcc' THEN '["dcc"]'
  WHEN 'security_sub_committee' THEN '["ssc"]'
  ELSE '["other_user"]' END;
ALTER TABLE parties ALTER COLUMN user_roles SET DEFAULT '[]';
ALTER TABLE parties ALTER COLUMN user_roles SET NOT NULL;

ALTER TABLE api_keys ADD COLUMN id text;
UPDATE api_keys SET id = 'key-' || substr(key_hash, 1, 16);
ALTER TABLE api_keys ALTER COLUMN id SET NOT NULL;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_id_key UNIQUE (id);
-- Keys issued before roles existed keep what they could do: operate, pull and push work orders,
-- read the audit trail (the DCC's key verified it),
-- and release another person's held requests.
ALTER TABLE api_keys ADD COLUMN roles text NOT NULL DEFAULT '["operator","field_engineer","approver","auditor"]';
ALTER TABLE api_keys ADD COLUMN created_by text;
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
ALTER TABLE api_keys ADD COLUMN revoked_at timestamptz;
ALTER TABLE api_keys ADD COLUMN revoked_reason text;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
ALTER TABLE api_keys ADD COLUMN rotated_from text;
CREATE INDEX api_keys_party_id ON api_keys (party_id, id);

CREATE TABLE users (
  id              text PRIMARY KEY,
  party_id        text NOT NULL REFERENCES parties (id),
  username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{1,99}$'),
  name            text NOT NULL,
  roles           text NOT NULL,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  password_hash   text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  -- The person's subject at their party's OpenID Connect identity provider, if they sign in there.
  oidc_subject    text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX users_party ON users (party_id, id);
CREATE UNIQUE INDEX users_oidc_subject ON users (party_id, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- A party's OpenID Connect identity provider, and the sign-ins in flight (state, PKCE verifier and
-- nonce kept here, so that any process can finish what another began).
CREATE TABLE identity_providers (
  party_id      text PRIMARY KEY REFERENCES parties (id),
  issuer        text NOT NULL,
  client_id     text NOT NULL,
  client_secret text NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE oidc_logins (
  state_hash    text PRIMARY KEY,
  party_id      text NOT NULL REFERENCES parties (id),
  code_verifier text NOT NULL,
  nonce         text NOT NULL,
  redirect_uri  text NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz
);

CREATE TABLE sessions (
  token_hash      text PRIMARY KEY,
  user_id         text NOT NULL REFERENCES users (id),
  csrf_hash       text NOT NULL,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  idle_expires_at timestamptz NOT NULL,
  revoked_at      timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_attempts (
  id       bigserial PRIMARY KEY,
  username text NOT NULL,
  source   text NOT NULL,
  at       timestamptz NOT NULL,
  ok       boolean NOT NULL
);
CREATE INDEX sign_in_attempts_username ON sign_in_attempts (username, at);
CREATE INDEX sign_in_attempts_source ON sign_in_attempts (source, at);
