-- The volume decision of 0017 answered request id 0 for the retry of a released request, so a vend
-- or work order sent after a release recorded "request 0" instead of the request a second person
-- released. Same decision, same lock; the released retry now answers that request's id.
CREATE OR REPLACE FUNCTION meterops_decide_volume(
  p_party text, p_type text, p_target text, p_requested_by text, p_at timestamptz, p_since timestamptz, p_max integer,
  OUT request_id bigint, OUT status text, OUT was_held boolean, OUT in_window integer
) LANGUAGE plpgsql AS $$
DECLARE
  released_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(p_party || '/' || p_type));
  -- The retry of a request a second person released goes through once.
  SELECT id INTO released_id FROM command_requests
    WHERE party_id = p_party AND command_type = p_type AND target = p_target AND command_requests.status = 'released'
    ORDER BY id LIMIT 1 FOR UPDATE;
  IF released_id IS NOT NULL THEN
    UPDATE command_requests SET status = 'sent' WHERE id = released_id;
    request_id := released_id; status := 'released'; was_held := false; in_window := 0;
    RETURN;
  END IF;
  was_held := EXISTS (SELECT 1 FROM command_requests WHERE party_id = p_party AND command_type = p_type AND command_requests.status = 'held');
  SELECT COALESCE(sum(n), 0)::int INTO in_window FROM command_volume
    WHERE party_id = p_party AND command_type = p_type AND minute >= date_trunc('minute', p_since);
  status := CASE WHEN was_held OR in_window + 1 > p_max THEN 'held' ELSE 'sent' END;
  INSERT INTO command_requests (party_id, requested_by, command_type, target, status, requested_at)
    VALUES (p_party, p_requested_by, p_type, p_target, status, p_at) RETURNING id INTO request_id;
  INSERT INTO command_volume (party_id, command_type, minute, n) VALUES (p_party, p_type, date_trunc('minute', p_at), 1)
    ON CONFLICT (party_id, command_type, minute) DO UPDATE SET n = command_volume.n + 1;
END
$$;
