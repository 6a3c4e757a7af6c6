-- A facility's secure status (and its registration for SMETS2 triage) is granted by another party,
-- the DCC or the SSC's approval recorded (governance.triage.secureStatusGrantedBy), never declared
-- by the facility's owner. The columns say who granted it, when and on what basis, and who revoked
-- it; the audit log keeps every grant and revocation.
ALTER TABLE facilities
  ADD COLUMN secure_granted_by    text REFERENCES parties (id),
  ADD COLUMN secure_granted_at    timestamptz,
  ADD COLUMN secure_grant_basis   text,
  ADD COLUMN secure_revoked_by    text REFERENCES parties (id),
  ADD COLUMN secure_revoked_at    timestamptz,
  ADD COLUMN secure_revoke_reason text;

-- Statuses the owners declared themselves were never granted: they lapse until another party grants them.
UPDATE facilities SET secure = false, smets2_triage = false WHERE secure OR smets2_triage;

ALTER TABLE facilities ADD CONSTRAINT facilities_secure_granted CHECK (NOT secure OR (secure_granted_by IS NOT NULL AND secure_granted_at IS NOT NULL));
ALTER TABLE facilities ADD CONSTRAINT facilities_smets2_needs_secure CHECK (NOT smets2_triage OR secure);
