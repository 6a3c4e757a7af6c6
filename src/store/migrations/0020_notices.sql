-- Notices that reach the other party: an outbox of events and their webhook deliveries.
--
-- A notice is written in the same transaction as the event that causes it (a device removed from a
-- premise: its DNO's notice), with one delivery per endpoint of the recipient subscribed to the
-- event type; a rolled-back event leaves neither. The job queue then delivers each one, at least
-- once: the notice's id is the webhook-id the receiver deduplicates on (Standard Webhooks).

-- A party's webhook endpoint. The signing secret is kept sealed (AES-256-GCM under the
-- deployment's notice key): it is shown once, when the endpoint is created, and never again.
CREATE TABLE webhook_endpoints (
  id             text PRIMARY KEY,
  party_id       text NOT NULL REFERENCES parties (id),
  url            text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  -- The event types it receives (a JSON array of names).
  event_types    jsonb NOT NULL,
  secret_sealed  text NOT NULL,
  enabled        boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_party ON webhook_endpoints (party_id, id);

-- The outbox: one row per notice, with the recipient party and the payload's data.
CREATE TABLE notices (
  id             text PRIMARY KEY CHECK (id ~ '^msg_[A-Za-z0-9]{1,64}$'),
  event_type     text NOT NULL,
  party_id       text NOT NULL REFERENCES parties (id),
  data           jsonb NOT NULL,
  created_at     timestamptz NOT NULL
);
CREATE INDEX notices_party ON notices (party_id, created_at DESC);

-- One notice to one endpoint: pending until an attempt is answered 2xx (delivered), or the attempts
-- run out (dead, the dead letter). job_id is the queue job that makes its next attempt; a delivery
-- written where no job runtime was open has none until a worker's sweep gives it one.
CREATE TABLE notice_deliveries (
  id               bigserial PRIMARY KEY,
  notice_id        text NOT NULL REFERENCES notices (id),
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id),
  party_id         text NOT NULL REFERENCES parties (id),
  state            text NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- Attempts allowed in this round: the retry limit, raised by each manual replay.
  max_attempts     integer NOT NULL CHECK (max_attempts >= 1),
  next_attempt_at  timestamptz NULL,
  job_id           uuid NULL,
  delivered_at     timestamptz NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  UNIQUE (notice_id, endpoint_id)
);
CREATE INDEX notice_deliveries_party ON notice_deliveries (party_id, id DESC);
CREATE INDEX notice_deliveries_unqueued ON notice_deliveries (next_attempt_at) WHERE state = 'pending' AND job_id IS NULL;

-- The delivery log: every attempt, its answer's status code (or why there was none) and latency.
CREATE TABLE notice_attempts (
  id             bigserial PRIMARY KEY,
  delivery_id    bigint NOT NULL REFERENCES notice_deliveries (id),
  attempt        integer NOT NULL CHECK (attempt >= 1),
  at             timestamptz NOT NULL,
  status_code    integer NULL,
  error          text NULL,
  latency_ms     integer NOT NULL CHECK (latency_ms >= 0),
  replay         boolean NOT NULL DEFAULT false
);
CREATE INDEX notice_attempts_delivery ON notice_attempts (delivery_id, attempt);
