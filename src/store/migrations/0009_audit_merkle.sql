-- The audit trail as a Merkle log in the manner of Certificate Transparency (RFC 9162).
-- Each state change inserts its entry (and a pending mark) in its own transaction, with no lock
-- shared with other writers; the sequencer (one at a time, by advisory lock) gives pending
-- entries their positions, stores the tree's nodes and signs a tree head. The chain columns of
-- 0004 are left for the entries written before this migration; those entries become the first
-- leaves, in id order, the first time the sequencer runs.

ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq');

-- Entries committed and not yet placed in the tree.
CREATE TABLE audit_pending (
  entry_id bigint PRIMARY KEY
);
INSERT INTO audit_pending (entry_id) SELECT id FROM audit_log;

-- Which entry is leaf `position`.
CREATE TABLE audit_leaves (
  position bigint PRIMARY KEY CHECK (position >= 0),
  entry_id bigint NOT NULL UNIQUE
);

-- Every complete subtree: [idx * 2^level, (idx + 1) * 2^level); level 0 holds the leaf hashes.
CREATE TABLE audit_nodes (
  level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
  idx   bigint NOT NULL CHECK (idx >= 0),
  hash  text NOT NULL,
  PRIMARY KEY (level, idx)
);

-- Signed tree heads: the log's commitment to its first tree_size leaves.
CREATE TABLE audit_heads (
  tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
  root_hash text NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id    text NOT NULL,
  signature text NOT NULL
);

-- Retention's signed anchor (replaces 0004's hash-chain anchor): the leaves before `position`
-- were removed on purpose; `frontier` holds their complete subtrees' hashes (a JSON array).
DROP TABLE audit_anchor;
CREATE TABLE audit_anchor (
  id        integer PRIMARY KEY CHECK (id = 1),
  position  bigint NOT NULL,
  frontier  text NOT NULL,
  pruned_at timestamptz NOT NULL,
  key_id    text NOT NULL,
  signature text NOT NULL
);

-- The tree only grows: its leaves, nodes and heads are never updated or deleted.
CREATE FUNCTION meterops_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END
$$;
CREATE TRIGGER audit_leaves_append_only BEFORE UPDATE OR DELETE ON audit_leaves
  FOR EACH ROW EXECUTE FUNCTION meterops_append_only();
CREATE TRIGGER audit_nodes_append_only BEFORE UPDATE OR DELETE ON audit_nodes
  FOR EACH ROW EXECUTE FUNCTION meterops_append_only();
CREATE TRIGGER audit_heads_append_only BEFORE UPDATE OR DELETE ON audit_heads
  FOR EACH ROW EXECUTE FUNCTION meterops_append_only();
