-- A work order's field engineer: the person (by username, as created_by and pulled_by name people)
-- it is assigned to, when and by whom. NULL: unassigned, so any field engineer of the Supplier may
-- pull it (and the first person to pull it becomes its assignee). Usernames never change.
ALTER TABLE work_orders ADD COLUMN assigned_to text REFERENCES users (username);
ALTER TABLE work_orders ADD COLUMN assigned_at timestamptz;
ALTER TABLE work_orders ADD COLUMN assigned_by text;
-- The HHT's list: a Supplier's open orders of one engineer (or the unassigned ones), newest first.
CREATE INDEX work_orders_assignee ON work_orders (supplier_party_id, assigned_to, created_at DESC, id DESC);
