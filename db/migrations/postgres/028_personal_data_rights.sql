-- Personal-data rights (issue 21): drawn signatures deleted after the retention period, people who left anonymised,
-- and a ledger that commits to a signer's personal data instead of holding it. The columns, rules and guards are
-- described in the SQLite twin; PostgreSQL changes its CHECK rules in place, so nothing is rebuilt here.

-- Users ------------------------------------------------------------------------------------------------------------

ALTER TABLE users ADD COLUMN anonymised_at text;
ALTER TABLE users ADD COLUMN nip_hmac text CHECK (nip_hmac IS NULL OR length(nip_hmac) = 64);
ALTER TABLE users DROP CONSTRAINT users_check;
ALTER TABLE users DROP CONSTRAINT users_check1;
ALTER TABLE users ADD CONSTRAINT users_nip_unless_admin
  CHECK (nip IS NOT NULL OR role = 'admin' OR anonymised_at IS NOT NULL);
ALTER TABLE users ADD CONSTRAINT users_some_login
  CHECK (nip IS NOT NULL OR email IS NOT NULL OR anonymised_at IS NOT NULL);
ALTER TABLE users ADD CONSTRAINT users_anonymised CHECK (anonymised_at IS NULL
  OR (status = 'disabled' AND nip IS NULL AND email IS NULL AND password_hash IS NULL));
ALTER TABLE users ADD CONSTRAINT users_nip_hmac CHECK (nip_hmac IS NULL OR anonymised_at IS NOT NULL);
CREATE UNIQUE INDEX users_nip_hmac_unique ON users(nip_hmac) WHERE nip_hmac IS NOT NULL;

-- Signatures -------------------------------------------------------------------------------------------------------

ALTER TABLE signatures ADD COLUMN person_salt text
  CHECK (person_salt IS NULL OR person_salt ~ '^[0-9a-f]{32}$');
ALTER TABLE signatures ADD COLUMN anonymised_at text;
ALTER TABLE signatures ADD COLUMN image_removed_at text;
ALTER TABLE signatures ADD COLUMN image_removed_why text
  CHECK (image_removed_why IS NULL OR image_removed_why IN ('retention', 'anonymised'));
ALTER TABLE signatures DROP CONSTRAINT signatures_check;
ALTER TABLE signatures RENAME CONSTRAINT signatures_check1 TO signatures_void;
ALTER TABLE signatures ADD CONSTRAINT signatures_image_hash CHECK (signature_png IS NULL OR signature_sha256 IS NOT NULL);
ALTER TABLE signatures ADD CONSTRAINT signatures_image_kept
  CHECK (signature_sha256 IS NULL OR signature_png IS NOT NULL OR image_removed_at IS NOT NULL);
ALTER TABLE signatures ADD CONSTRAINT signatures_image_removed CHECK ((image_removed_at IS NULL) = (image_removed_why IS NULL)
  AND (image_removed_at IS NULL OR (signature_png IS NULL AND signature_sha256 IS NOT NULL)));
ALTER TABLE signatures ADD CONSTRAINT signatures_anonymised CHECK (anonymised_at IS NULL OR (nip IS NULL
  AND pangkat IS NULL AND ip IS NULL AND user_agent IS NULL AND signature_png IS NULL AND person_salt IS NULL));
CREATE INDEX signatures_images_kept ON signatures(pact_id, id) WHERE signature_png IS NOT NULL;

DROP TRIGGER signatures_facts_frozen ON signatures;
CREATE TRIGGER signatures_facts_frozen BEFORE UPDATE OF pact_id, user_id, unit_id, unit_name, was_head, head_kind,
  signed_at, signature_sha256, pact_body_sha256, receipt_code, method, paper_signed_on, paper_place, paper_witness,
  paper_scan_id, recorded_by, recorded_at
  ON signatures
FOR EACH ROW EXECUTE FUNCTION ikrar_refuse('a signature cannot be changed');
CREATE TRIGGER signatures_image_removed_once BEFORE UPDATE OF signature_png, image_removed_at, image_removed_why
  ON signatures
FOR EACH ROW WHEN (NOT (OLD.signature_png IS NOT NULL AND NEW.signature_png IS NULL AND OLD.image_removed_at IS NULL
                        AND NEW.image_removed_at IS NOT NULL))
EXECUTE FUNCTION ikrar_refuse('a signature cannot be changed');
CREATE TRIGGER signatures_anonymised_once BEFORE UPDATE OF full_name, nip, position, pangkat, ip, user_agent,
  anonymised_at ON signatures
FOR EACH ROW WHEN (NOT (OLD.anonymised_at IS NULL AND NEW.anonymised_at IS NOT NULL))
EXECUTE FUNCTION ikrar_refuse('a signature cannot be changed');
CREATE TRIGGER signatures_salt_once BEFORE UPDATE OF person_salt ON signatures
FOR EACH ROW WHEN (NOT ((OLD.person_salt IS NULL AND NEW.person_salt IS NOT NULL AND OLD.anonymised_at IS NULL
                         AND NEW.anonymised_at IS NULL)
                        OR (NEW.person_salt IS NULL AND OLD.anonymised_at IS NULL AND NEW.anonymised_at IS NOT NULL)))
EXECUTE FUNCTION ikrar_refuse('a signature cannot be changed');

-- The ledger ---------------------------------------------------------------------------------------------------------

ALTER TABLE ledger ADD COLUMN format integer NOT NULL DEFAULT 1 CONSTRAINT ledger_format CHECK (format IN (1, 2));
ALTER TABLE ledger ADD COLUMN legacy_hash text
  CONSTRAINT ledger_legacy_hash CHECK (legacy_hash IS NULL OR length(legacy_hash) = 64);

DROP TRIGGER ledger_no_update ON ledger;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
FOR EACH ROW WHEN (NOT (OLD.format = 1 AND NEW.format = 2 AND OLD.legacy_hash IS NULL
                        AND NEW.legacy_hash IS NOT DISTINCT FROM OLD.hash AND NEW.seq = OLD.seq
                        AND NEW.kind = OLD.kind AND NEW.signature_id = OLD.signature_id AND NEW.at = OLD.at))
EXECUTE FUNCTION ikrar_refuse('ledger is append-only');

CREATE TABLE ledger_format_upgrades (
  id             integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at             text    NOT NULL,
  entries        integer NOT NULL CHECK (entries >= 1),
  salts_given    integer NOT NULL CHECK (salts_given >= 0),
  old_head_seq   integer NOT NULL CHECK (old_head_seq >= 1),
  old_head_hash  text    NOT NULL CHECK (length(old_head_hash) = 64),
  new_head_hash  text    NOT NULL CHECK (length(new_head_hash) = 64)
);
CREATE TRIGGER ledger_format_upgrades_no_update BEFORE UPDATE ON ledger_format_upgrades
FOR EACH ROW EXECUTE FUNCTION ikrar_refuse('ledger is append-only');
CREATE TRIGGER ledger_format_upgrades_no_delete BEFORE DELETE ON ledger_format_upgrades
FOR EACH ROW EXECUTE FUNCTION ikrar_refuse('ledger is append-only');
