-- No-WAN operation. WAN coverage by postcode (as the DCC's SR 12.1 WAN matrix answers it), what is
-- known of each premise's hub connectivity and prepayment state (for routing and the SECMP0032
-- visit queue), HHT work orders of pre-built commands and the responses carried back (SRV 8.13),
-- and verified device alerts (a keypad lock-out stops vending).
CREATE TABLE wan_coverage (
  postcode       text PRIMARY KEY,
  coverage       text NOT NULL CHECK (coverage IN ('covered', 'partial', 'not-covered')),
  anticipated_at timestamptz,
  updated_at     timestamptz NOT NULL
);

CREATE TABLE premise_wan_status (
  premise_id     text PRIMARY KEY REFERENCES premises (id),
  hub_wan        text NOT NULL CHECK (hub_wan IN ('connected', 'intermittent', 'no-wan', 'unknown')),
  wan_lost_at    timestamptz,
  payment_mode   text NOT NULL CHECK (payment_mode IN ('credit', 'prepayment')),
  credit_pence   integer,
  supply         text CHECK (supply IN ('enabled', 'disabled', 'armed')),
  status_at      timestamptz,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX premise_wan_no_wan ON premise_wan_status (hub_wan, payment_mode);

-- The Originator Counter of commands (not UTRNs) a Supplier's orders use per device; UTRNs keep
-- last_counter, a multiple of 2^32, and commands count up from it, so both stay increasing.
ALTER TABLE vend_counters ADD COLUMN last_command_counter numeric(20, 0) NOT NULL DEFAULT 0;

CREATE TABLE work_orders (
  id                text PRIMARY KEY,
  supplier_party_id text NOT NULL REFERENCES parties (id),
  premise_id        text NOT NULL REFERENCES premises (id),
  state             text NOT NULL CHECK (state IN ('open', 'pulled', 'completed', 'expired')),
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  pulled_by         text,
  pulled_at         timestamptz,
  closed_at         timestamptz
);
CREATE INDEX work_orders_supplier ON work_orders (supplier_party_id, state);

CREATE TABLE work_order_commands (
  order_id      text NOT NULL REFERENCES work_orders (id),
  seq           integer NOT NULL CHECK (seq > 0),
  device_eui    text NOT NULL REFERENCES devices (eui),
  use_case      text NOT NULL,
  variant       smallint NOT NULL CHECK (variant IN (2, 6)),
  counter       numeric(20, 0) NOT NULL,
  frame         text NOT NULL,
  pence         integer NOT NULL DEFAULT 0,
  state         text NOT NULL CHECK (state IN ('pending', 'executed', 'refused', 'expired')),
  response      text,
  response_kind text CHECK (response_kind IN ('response', 'alert')),
  outcome       text,
  delivered_at  timestamptz,
  uploaded_at   timestamptz,
  PRIMARY KEY (order_id, seq)
);
CREATE INDEX work_order_commands_device ON work_order_commands (device_eui);

CREATE TABLE device_alerts (
  id          bigserial PRIMARY KEY,
  device_eui  text NOT NULL REFERENCES devices (eui),
  alert_code  integer NOT NULL,
  counter     numeric(20, 0) NOT NULL,
  raised_at   timestamptz NOT NULL,
  frame       text NOT NULL,
  received_at timestamptz NOT NULL,
  UNIQUE (device_eui, counter)
);
CREATE INDEX device_alerts_code ON device_alerts (device_eui, alert_code, raised_at);
