-- Per-minute counts of sensitive requests per (party, type): the DCC's sliding-window check reads
-- at most one row per minute of the window instead of counting every request in it, so its cost
-- does not grow with the volume it polices. A window starts at the top of its first minute, so the
-- count can include up to 59 seconds more than the window: the check errs towards holding.
CREATE TABLE command_volume (
  party_id     text NOT NULL REFERENCES parties (id),
  command_type text NOT NULL,
  minute       timestamptz NOT NULL,
  n            integer NOT NULL CHECK (n > 0),
  PRIMARY KEY (party_id, command_type, minute)
);
INSERT INTO command_volume (party_id, command_type, minute, n)
  SELECT party_id, command_type, date_trunc('minute', requested_at), count(*) FROM command_requests GROUP BY 1, 2, 3;

-- Held and released requests are few; the check looks for them on every request.
CREATE INDEX command_requests_open ON command_requests (party_id, command_type, id) WHERE status IN ('held', 'released');
