-- SEC Section G: awareness per party with its time (G3.17 duties run from it), the materiality
-- judgement, and G3.18(c)'s steps and completion time on the SSC notice.

CREATE TABLE vulnerability_awareness (
  vulnerability_id   text NOT NULL REFERENCES vulnerabilities (id),
  party_id           text NOT NULL REFERENCES parties (id),
  aware_at           timestamptz NOT NULL,
  basis              text NOT NULL CHECK (basis IN ('recorded', 'notified', 'acknowledged')),
  recorded_by        text NOT NULL REFERENCES parties (id),
  recorded_at        timestamptz NOT NULL,
  -- The party's own judgement of G3.17's "material": all four set, or none yet.
  material           boolean,
  materiality_reason text,
  judged_person      text,
  judged_at          timestamptz,
  PRIMARY KEY (vulnerability_id, party_id),
  CHECK ((material IS NULL) = (materiality_reason IS NULL) AND (material IS NULL) = (judged_at IS NULL)),
  CHECK (judged_person IS NULL OR material IS NOT NULL)
);
CREATE INDEX vulnerability_awareness_party ON vulnerability_awareness (party_id);

-- The User that recorded a vulnerability was aware from its stated time.
INSERT INTO vulnerability_awareness (vulnerability_id, party_id, aware_at, basis, recorded_by, recorded_at)
  SELECT id, aware_party_id, aware_at, 'recorded', aware_party_id, recorded_at FROM vulnerabilities;

-- G3.18(c): "the steps being taken ... and the time within which those steps are intended to be completed".
ALTER TABLE duties ADD COLUMN ssc_steps text;
ALTER TABLE duties ADD COLUMN steps_complete_by timestamptz;
ALTER TABLE duties ADD CONSTRAINT duties_ssc_steps CHECK ((ssc_steps IS NULL) = (steps_complete_by IS NULL) AND (ssc_steps IS NULL OR duty = 'notify_ssc'));
