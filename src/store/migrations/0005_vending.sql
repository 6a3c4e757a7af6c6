-- UTRN and configuration-code vending: one code per (supplier, idempotency key); the counter per
-- (supplier, device) rises by exactly 2^32 per code (numeric: it is a 64-bit value).
CREATE TABLE vend_counters (
  supplier_party_id text NOT NULL REFERENCES parties (id),
  device_eui        text NOT NULL REFERENCES devices (eui),
  last_counter      numeric(20, 0) NOT NULL,
  PRIMARY KEY (supplier_party_id, device_eui)
);

CREATE TABLE vends (
  id                text PRIMARY KEY,
  supplier_party_id text NOT NULL REFERENCES parties (id),
  idempotency_key   text NOT NULL,
  device_eui        text NOT NULL REFERENCES devices (eui),
  kind              text NOT NULL CHECK (kind IN ('credit', 'config')),
  request           text NOT NULL,
  counter           numeric(20, 0) NOT NULL,
  code              text NOT NULL CHECK (code ~ '^[0-9]{20}$'),
  pence             integer NOT NULL CHECK (pence >= 0),
  requested_by      text NOT NULL,
  created_at        timestamptz NOT NULL,
  UNIQUE (supplier_party_id, idempotency_key)
);
CREATE INDEX vends_device_day ON vends (device_eui, created_at);
