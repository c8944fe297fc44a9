-- Acting heads: a unit's head is definitive ('definitif'), or acts for it as Plt (Pelaksana Tugas, the post is vacant)
-- or Plh (Pelaksana Harian, the head is away), from a day and by a decree (SK) that an acting head always has. Who
-- must sign is unchanged: whoever head_user_id names heads the unit, acting or not (migration 013). A signature made
-- as head keeps the kind it was made under, frozen with the signer's other facts, so that a receipt signed as Plt
-- still says so after the head changes; NULL: not signed as head, or signed before this migration (see the SQLite
-- twin).
ALTER TABLE units ADD COLUMN head_kind text NOT NULL DEFAULT 'definitif'
  CONSTRAINT units_head_kind CHECK (head_kind IN ('definitif', 'plt', 'plh'));
ALTER TABLE units ADD COLUMN head_since text
  CONSTRAINT units_head_since CHECK (head_since IS NULL OR head_since ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
ALTER TABLE units ADD COLUMN head_decree text
  CONSTRAINT units_head_decree CHECK (head_decree IS NULL OR length(head_decree) BETWEEN 1 AND 100);
ALTER TABLE units ADD CONSTRAINT units_acting_head
  CHECK (head_kind = 'definitif' OR (head_since IS NOT NULL AND head_decree IS NOT NULL));
ALTER TABLE signatures ADD COLUMN head_kind text;
ALTER TABLE signatures ADD CONSTRAINT signatures_head_kind
  CHECK (head_kind IS NULL OR (was_head = 1 AND head_kind IN ('definitif', 'plt', 'plh')));

DROP TRIGGER signatures_facts_frozen ON signatures;
CREATE TRIGGER signatures_facts_frozen BEFORE UPDATE OF pact_id, user_id, full_name, nip, position, pangkat, unit_id,
  unit_name, was_head, head_kind, signed_at, ip, user_agent, signature_png, signature_sha256, pact_body_sha256,
  receipt_code
  ON signatures
FOR EACH ROW EXECUTE FUNCTION ikrar_refuse('a signature cannot be changed');

-- The public list names an acting head as such: a change of kind alone moves the compliance numbers' epoch too.
DROP TRIGGER compliance_unit_update ON units;
CREATE TRIGGER compliance_unit_update AFTER UPDATE OF head_user_id, head_kind, parent_id, active, name, kind, code ON units
FOR EACH ROW EXECUTE FUNCTION bump_cache_epoch('compliance');
