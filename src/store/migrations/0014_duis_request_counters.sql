-- The DUIS RequestID counter of each originator (a User's EUI): it strictly increases and is never
-- reused, across restarts and processes, so it lives here and is raised in the sending transaction.
CREATE TABLE duis_request_counters (
  originator_eui text PRIMARY KEY CHECK (originator_eui ~ '^[0-9A-F]{16}$'),
  last_counter numeric(20, 0) NOT NULL CHECK (last_counter >= 0 AND last_counter < 18446744073709551616)
);
