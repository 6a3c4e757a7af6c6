-- Long work as jobs. The queue itself (states, attempts, expiry, retries, the result or error) is
-- pg-boss's, in its own schema, which pg-boss installs and migrates itself when a job runtime
-- starts. This table is meterops' record of each job it enqueued: whose it is (the party that may
-- read its status), its progress, and whether its own transaction committed. The row is written
-- in the same transaction as the pg-boss job, so both exist only if that transaction committed.
CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
  party_id text NULL REFERENCES parties (id),
  -- A job's children (one job split into many) count their progress into their parent.
  parent_id uuid NULL REFERENCES jobs (id),
  progress_done bigint NOT NULL DEFAULT 0 CHECK (progress_done >= 0),
  progress_total bigint NULL CHECK (progress_total >= 0),
  -- Set in the transaction of a job whose effects are one transaction: a rerun (after a crash
  -- between that commit and pg-boss's completion) finds it set and does nothing again.
  committed_at timestamptz NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX jobs_party_created ON jobs (party_id, created_at DESC, id DESC);
CREATE INDEX jobs_parent ON jobs (parent_id) WHERE parent_id IS NOT NULL;
