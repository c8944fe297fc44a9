-- Acting heads: a unit's head is definitive ('definitif'), or acts for it as Plt (Pelaksana Tugas, the post is vacant)
-- or Plh (Pelaksana Harian, the head is away), from a day and by a decree (SK) that an acting head always has. Who
-- must sign is unchanged: whoever head_user_id names heads the unit, acting or not (migration 013). A signature made
-- as head keeps the kind it was made under, frozen with the signer's other facts, so that a receipt signed as Plt
-- still says so after the head changes; NULL: not signed as head, or signed before this migration (see the PostgreSQL
-- twin).
ALTER TABLE units ADD COLUMN head_kind TEXT NOT NULL DEFAULT 'definitif'
  CONSTRAINT units_head_kind CHECK (head_kind IN ('definitif', 'plt', 'plh'));
ALTER TABLE units ADD COLUMN head_since TEXT
  CONSTRAINT units_head_since CHECK (head_since IS NULL OR head_since GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
-- SQLite adds no table constraint to an existing table: the rule of an acting head rides on the last new column.
ALTER TABLE units ADD COLUMN head_decree TEXT
  CONSTRAINT units_head_decree CHECK (head_decree IS NULL OR length(head_decree) BETWEEN 1 AND 100)
  CONSTRAINT units_acting_head CHECK (head_kind = 'definitif' OR (head_since IS NOT NULL AND head_decree IS NOT NULL));
ALTER TABLE signatures ADD COLUMN head_kind TEXT
  CONSTRAINT signatures_head_kind CHECK (head_kind IS NULL OR (was_head = 1 AND head_kind IN ('definitif', 'plt', 'plh')));

DROP TRIGGER signatures_facts_frozen;
CREATE TRIGGER signatures_facts_frozen BEFORE UPDATE OF pact_id, user_id, full_name, nip, position, pangkat, unit_id,
  unit_name, was_head, head_kind, signed_at, ip, user_agent, signature_png, signature_sha256, pact_body_sha256,
  receipt_code
  ON signatures
BEGIN
  SELECT RAISE(ABORT, 'a signature cannot be changed');
END;

-- The public list names an acting head as such: a change of kind alone moves the compliance numbers' epoch too.
DROP TRIGGER compliance_unit_update;
CREATE TRIGGER compliance_unit_update AFTER UPDATE OF head_user_id, head_kind, parent_id, active, name, kind, code ON units
BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
