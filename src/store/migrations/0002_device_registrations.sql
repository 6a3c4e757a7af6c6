-- A registration is one act by one party (an API batch, an import file): one row for the act,
-- referenced by every device it registered, rather than one event row per device. Device history
-- shows it as the first event of each device.
CREATE TABLE device_registrations (
  id             bigserial PRIMARY KEY,
  actor_party_id text NOT NULL REFERENCES parties (id),
  registered_at  timestamptz NOT NULL,
  device_count   integer NOT NULL CHECK (device_count > 0),
  source         text
);
CREATE TRIGGER device_registrations_append_only BEFORE UPDATE OR DELETE ON device_registrations
  FOR EACH ROW EXECUTE FUNCTION meterops_refuse_change();

ALTER TABLE devices ADD COLUMN registration_id bigint REFERENCES device_registrations (id);
