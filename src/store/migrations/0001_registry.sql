-- The device registry: parties and their API keys, premises, devices with both lifecycles,
-- installations (which hub serves which device) and the append-only device event log.

CREATE TABLE parties (
  id             text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name           text NOT NULL,
  role           text NOT NULL CHECK (role IN ('supplier', 'network_operator', 'gas_transporter',
                   'meter_asset_provider', 'manufacturer', 'dcc', 'security_sub_committee')),
  eui            text UNIQUE CHECK (eui ~ '^[0-9A-F]{16}$'),
  distributor_id integer CHECK (distributor_id BETWEEN 10 AND 99),
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  key_hash   text PRIMARY KEY,
  party_id   text NOT NULL REFERENCES parties (id),
  label      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_party ON api_keys (party_id);

CREATE TABLE premises (
  id                text PRIMARY KEY,
  mpan              text UNIQUE CHECK (mpan ~ '^[0-9]{13}$'),
  mprn              text UNIQUE CHECK (mprn ~ '^[0-9]{6,10}$'),
  postcode          text NOT NULL,
  distributor_id    integer CHECK (distributor_id BETWEEN 10 AND 99),
  supplier_party_id text REFERENCES parties (id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (mpan IS NOT NULL OR mprn IS NOT NULL)
);
CREATE INDEX premises_supplier ON premises (supplier_party_id);

CREATE TABLE devices (
  eui                text PRIMARY KEY CHECK (eui ~ '^[0-9A-F]{16}$'),
  device_type        text NOT NULL CHECK (device_type IN ('ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'IHD', 'CAD', 'HCALCS')),
  smets_generation   text NOT NULL CHECK (smets_generation IN ('SMETS1', 'SMETS2+')),
  manufacturer       text NOT NULL,
  model              text NOT NULL,
  firmware_version   text NOT NULL,
  inventory_status   text NOT NULL,
  asset_status       text NOT NULL,
  owner_party_id     text REFERENCES parties (id),
  supplier_party_id  text REFERENCES parties (id),
  custodian_party_id text REFERENCES parties (id),
  premise_id         text REFERENCES premises (id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_supplier ON devices (supplier_party_id, eui);
CREATE INDEX devices_owner ON devices (owner_party_id, eui);
CREATE INDEX devices_custodian ON devices (custodian_party_id, eui);
CREATE INDEX devices_premise ON devices (premise_id);

CREATE TABLE installations (
  device_eui   text PRIMARY KEY REFERENCES devices (eui),
  premise_id   text NOT NULL REFERENCES premises (id),
  hub_eui      text REFERENCES devices (eui),
  installed_at timestamptz NOT NULL
);
CREATE INDEX installations_premise ON installations (premise_id);
CREATE INDEX installations_hub ON installations (hub_eui);

CREATE TABLE device_events (
  id             bigserial PRIMARY KEY,
  device_eui     text NOT NULL REFERENCES devices (eui),
  lifecycle      text NOT NULL CHECK (lifecycle IN ('inventory', 'asset', 'registry')),
  from_status    text,
  to_status      text NOT NULL,
  actor_party_id text NOT NULL REFERENCES parties (id),
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  location       text,
  reason         text
);
CREATE INDEX device_events_device ON device_events (device_eui, id);

-- Events are history: no one edits or deletes them, not even the platform.
CREATE FUNCTION meterops_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END
$$;
CREATE TRIGGER device_events_append_only BEFORE UPDATE OR DELETE ON device_events
  FOR EACH ROW EXECUTE FUNCTION meterops_refuse_change();

CREATE TABLE meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
