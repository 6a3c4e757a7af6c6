-- SEC Section G duties, the volume-anomaly holds, and the tamper-evident audit trail.

CREATE TABLE audit_log (
  id             bigint PRIMARY KEY,
  at             timestamptz NOT NULL,
  actor_party_id text NOT NULL,
  action         text NOT NULL,
  entity         text NOT NULL,
  -- canonical JSON text, hashed as stored
  details        text NOT NULL,
  prev_hash      text NOT NULL,
  hash           text NOT NULL
);
CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
CREATE INDEX audit_log_at ON audit_log (at);

-- The last entry removed by retention: verification of what remains starts from its hash.
CREATE TABLE audit_anchor (
  id               integer PRIMARY KEY CHECK (id = 1),
  last_pruned_id   bigint NOT NULL,
  last_pruned_hash text NOT NULL,
  pruned_at        timestamptz NOT NULL
);

-- The audit log is never updated; rows leave it only through retention, which says so.
CREATE FUNCTION meterops_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('meterops.audit_retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION meterops_audit_guard();

CREATE TABLE vulnerabilities (
  id                text PRIMARY KEY,
  title             text NOT NULL,
  manufacturer      text NOT NULL,
  models            text NOT NULL,
  firmware_versions text NOT NULL,
  component         text NOT NULL,
  device_types      text NOT NULL,
  aware_party_id    text NOT NULL REFERENCES parties (id),
  aware_at          timestamptz NOT NULL,
  manufacturer_aware boolean NOT NULL,
  description       text,
  recorded_at       timestamptz NOT NULL
);

-- G3.20 arrangements with a manufacturer or developer; G3.21: it need not notify a User already aware.
CREATE TABLE manufacturer_arrangements (
  party_id            text NOT NULL REFERENCES parties (id),
  manufacturer        text NOT NULL,
  established_at      timestamptz NOT NULL,
  g321_exemption      boolean NOT NULL,
  PRIMARY KEY (party_id, manufacturer)
);

CREATE TABLE duties (
  id               text PRIMARY KEY,
  vulnerability_id text NOT NULL REFERENCES vulnerabilities (id),
  party_id         text NOT NULL REFERENCES parties (id),
  duty             text NOT NULL,
  clause           text NOT NULL,
  device_count     integer NOT NULL,
  state            text NOT NULL CHECK (state IN ('open', 'done', 'exempt')),
  deadline         timestamptz NOT NULL,
  evidence         text,
  exempt_reason    text,
  closed_by        text,
  closed_at        timestamptz,
  created_at       timestamptz NOT NULL,
  CHECK (state <> 'done' OR evidence IS NOT NULL),
  CHECK (state <> 'exempt' OR exempt_reason IS NOT NULL)
);
CREATE INDEX duties_party ON duties (party_id, state);

CREATE TABLE command_requests (
  id           bigserial PRIMARY KEY,
  party_id     text NOT NULL REFERENCES parties (id),
  requested_by text NOT NULL,
  command_type text NOT NULL,
  target       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('sent', 'held', 'released')),
  requested_at timestamptz NOT NULL,
  released_by  text,
  released_at  timestamptz
);
CREATE INDEX command_requests_window ON command_requests (party_id, command_type, requested_at);

CREATE TABLE anomaly_alerts (
  id           bigserial PRIMARY KEY,
  party_id     text NOT NULL REFERENCES parties (id),
  command_type text NOT NULL,
  raised_at    timestamptz NOT NULL,
  due_by       timestamptz NOT NULL,
  window_count integer NOT NULL,
  limit_count  integer NOT NULL,
  notified     text NOT NULL
);
