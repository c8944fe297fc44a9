-- What people signed, and the facts of each signing, cannot be changed once they exist. The application never
-- tries; these triggers make the database refuse it too, and the ledger check catches anyone who drops them.

-- An opened (or closed) pact keeps its text, period and audience.
CREATE TRIGGER pacts_frozen_once_open BEFORE UPDATE OF title, body, place, version, supersedes_id, audience, opens_at,
  deadline, body_sha256 ON pacts
WHEN OLD.status <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'an opened pact cannot be changed');
END;

CREATE TRIGGER pact_units_frozen_insert BEFORE INSERT ON pact_units
WHEN (SELECT status FROM pacts WHERE id = NEW.pact_id) <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'an opened pact cannot be changed');
END;

CREATE TRIGGER pact_units_frozen_delete BEFORE DELETE ON pact_units
WHEN (SELECT status FROM pacts WHERE id = OLD.pact_id) <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'an opened pact cannot be changed');
END;

-- A signature's facts are fixed; only its ledger seq (once) and a void (once) are written later.
CREATE TRIGGER signatures_facts_frozen BEFORE UPDATE OF pact_id, user_id, full_name, nip, position, unit_id, unit_name,
  was_head, signed_at, ip, user_agent, signature_png, signature_sha256, pact_body_sha256, receipt_code ON signatures
BEGIN
  SELECT RAISE(ABORT, 'a signature cannot be changed');
END;

CREATE TRIGGER signatures_ledger_seq_once BEFORE UPDATE OF ledger_seq ON signatures
WHEN OLD.ledger_seq IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signature cannot be changed');
END;

CREATE TRIGGER signatures_void_once BEFORE UPDATE OF status, voided_at, voided_by, void_reason ON signatures
WHEN OLD.status = 'voided'
BEGIN
  SELECT RAISE(ABORT, 'a voided signature stays voided');
END;

CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN
  SELECT RAISE(ABORT, 'a signature cannot be deleted');
END;

-- Finding the void entry of a signature (verification) without reading the whole ledger.
CREATE INDEX ledger_signature ON ledger(signature_id, kind);
