-- Returns, chain of custody, triage and refurbishment. A return line is one device's way back to
-- stock; return_events is its history (custody hand-overs, triage passes, refurbishment,
-- stocking, reinstallation), append-only like device events.
CREATE TABLE facilities (
  id             text PRIMARY KEY,
  party_id       text NOT NULL REFERENCES parties (id),
  name           text NOT NULL,
  secure         boolean NOT NULL,
  smets2_triage  boolean NOT NULL,
  created_at     timestamptz NOT NULL
);

CREATE TABLE returns (
  id          text PRIMARY KEY,
  party_id    text NOT NULL REFERENCES parties (id),
  reference   text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE return_lines (
  id                  text PRIMARY KEY,
  return_id           text NOT NULL REFERENCES returns (id),
  line_no             integer NOT NULL,
  device_eui          text NOT NULL REFERENCES devices (eui),
  device_type         text NOT NULL,
  manufacturer        text NOT NULL,
  model               text NOT NULL,
  smets_generation    text NOT NULL,
  reason              text NOT NULL,
  found               text NOT NULL CHECK (found IN ('before-installation', 'after-installation')),
  incident_id         text NOT NULL,
  change_of_supplier  boolean NOT NULL,
  returned_by         text NOT NULL REFERENCES parties (id),
  removed_from        text REFERENCES premises (id),
  removed_distributor integer,
  days_in_service     integer,
  state               text NOT NULL,
  custodian_party_id  text NOT NULL REFERENCES parties (id),
  site                text NOT NULL,
  seals_intact        boolean NOT NULL,
  triage_count        integer NOT NULL DEFAULT 0,
  triage_parties      integer NOT NULL DEFAULT 0,
  last_triaged_in     integer NOT NULL DEFAULT -1,
  custody_pass        integer NOT NULL DEFAULT 0,
  outcome             text,
  fault               text,
  no_credential       text,
  vanilla             boolean NOT NULL DEFAULT false,
  grade               text,
  stock_location      text,
  scrap_reason        text,
  reinstalled_at      text REFERENCES premises (id),
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  UNIQUE (return_id, line_no)
);
CREATE INDEX return_lines_device ON return_lines (device_eui);
CREATE INDEX return_lines_party ON return_lines (returned_by, state);
-- A device is on at most one open return at a time.
CREATE UNIQUE INDEX return_lines_open_device ON return_lines (device_eui) WHERE state NOT IN ('in-stock', 'scrapped', 'reinstalled');

CREATE TABLE return_events (
  id          bigserial PRIMARY KEY,
  line_id     text NOT NULL REFERENCES return_lines (id),
  kind        text NOT NULL CHECK (kind IN ('returned', 'custody', 'triage', 'refurbish', 'scrap', 'stock', 'reinstall')),
  party_id    text NOT NULL REFERENCES parties (id),
  at          timestamptz NOT NULL,
  details     jsonb NOT NULL
);
CREATE INDEX return_events_line ON return_events (line_id, id);

CREATE TABLE removal_notices (
  id              bigserial PRIMARY KEY,
  premise_id      text NOT NULL REFERENCES premises (id),
  device_eui      text NOT NULL REFERENCES devices (eui),
  distributor_id  integer NOT NULL,
  dno_party_id    text REFERENCES parties (id),
  removed_by      text NOT NULL REFERENCES parties (id),
  removed_at      timestamptz NOT NULL
);
CREATE INDEX removal_notices_distributor ON removal_notices (distributor_id, removed_at);
