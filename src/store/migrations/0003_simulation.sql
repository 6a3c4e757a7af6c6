-- Simulated fleets: the seed that regenerates every premise, device and key, and the state of each
-- device that has been used (counters, cells, load switch, credit...), so that a device answers the
-- same way from one process to the next.
CREATE TABLE sim_fleets (
  id         text PRIMARY KEY,
  seed       text NOT NULL UNIQUE,
  premises   integer NOT NULL CHECK (premises > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sim_device_state (
  eui        text PRIMARY KEY,
  fleet_id   text NOT NULL REFERENCES sim_fleets (id),
  state      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
