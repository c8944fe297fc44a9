-- Who must sign a pact: the one rule (DESIGN.md, "Compliance of a pact"), as views that every reader uses — the
-- signing check, the compliance numbers and lists, reminders, the directory's "kepala" marks. Nothing else in the
-- code decides it.
--
--   unit_heads     the head of an active unit, as the rule knows them: units.head_user_id while that person is
--                  active and still a member of the unit. A head who moves to another unit, or is disabled, heads
--                  nothing until set again (units.head_user_id keeps the stale choice, which the unit page shows).
--   pact_scope     the active units each pact requires signatures from: every active unit when the pact names none,
--                  else the units it names and everything below them.
--   pact_required  per pact and unit in scope, who must sign: for an all-ASN pact ('all') the unit's active members,
--                  for a heads pact ('heads') its head; is_head says whether the person is the unit's head.
--
-- Signed means a valid signature on that pact version (signatures.status = 'valid'); a void puts the person back on
-- the list. New hires, moves and disablings count at once: the views read the directory as it is now.
-- Migration 011's counts (active members and their valid signatures per unit) are a cache that the compliance
-- numbers combine with pact_scope and unit_heads, so that a pact's totals cost the number of units, not of people.
-- Tests compare them with fresh counts, and every compliance summary with this rule applied person by person.

-- Each unit's place in the tree as '/<root id>/…/<own id>/', kept by the triggers below, so that "in the subtree of"
-- is a prefix test that a query can apply to one row without walking the tree.
ALTER TABLE units ADD COLUMN path TEXT NOT NULL DEFAULT '';

WITH RECURSIVE tree(id, path) AS (
  SELECT id, '/' || id || '/' FROM units WHERE parent_id IS NULL
  UNION ALL
  SELECT u.id, tree.path || u.id || '/' FROM units u JOIN tree ON u.parent_id = tree.id
)
UPDATE units SET path = (SELECT path FROM tree WHERE tree.id = units.id);

CREATE TRIGGER units_path_insert AFTER INSERT ON units
BEGIN
  UPDATE units SET path = coalesce((SELECT path FROM units WHERE id = NEW.parent_id), '/') || NEW.id || '/'
  WHERE id = NEW.id;
END;

-- No unit below itself: moveUnit refuses it, and this refuses a hand edit that would make a ring (every path in it
-- would be wrong, and so would every pact's scope).
CREATE TRIGGER units_no_ring BEFORE UPDATE OF parent_id ON units
WHEN NEW.parent_id IS NOT NULL
  AND (SELECT substr(path, 1, length(OLD.path)) FROM units WHERE id = NEW.parent_id) = OLD.path
BEGIN
  SELECT RAISE(ABORT, 'a unit cannot be moved below itself');
END;

-- A move carries the unit's whole subtree with it.
CREATE TRIGGER units_path_move AFTER UPDATE OF parent_id ON units
WHEN OLD.parent_id IS NOT NEW.parent_id
BEGIN
  UPDATE units
  SET path = coalesce((SELECT path FROM units WHERE id = NEW.parent_id), '/') || NEW.id || '/'
             || substr(path, length(OLD.path) + 1)
  WHERE substr(path, 1, length(OLD.path)) = OLD.path;
END;

-- One table, no join: the planner can read it through units' primary key from any query, and LEFT JOIN it cheaply.
CREATE VIEW unit_heads AS
SELECT u.id AS unit_id, u.head_user_id AS user_id
FROM units u
WHERE u.active = 1
  AND EXISTS (SELECT 1 FROM users h WHERE h.id = u.head_user_id AND h.status = 'active' AND h.unit_id = u.id);

CREATE VIEW pact_scope AS
SELECT p.id AS pact_id, u.id AS unit_id
FROM pacts p
JOIN units u ON u.active = 1
WHERE NOT EXISTS (SELECT 1 FROM pact_units pu WHERE pu.pact_id = p.id)
   OR EXISTS (
     SELECT 1 FROM pact_units pu JOIN units named ON named.id = pu.unit_id
     WHERE pu.pact_id = p.id AND substr(u.path, 1, length(named.path)) = named.path
   );

-- Two arms so that a heads pact reaches the head through unit_heads, never through every member of a large unit.
CREATE VIEW pact_required AS
SELECT s.pact_id, s.unit_id, m.id AS user_id, (h.user_id IS NOT NULL) AS is_head
FROM pact_scope s
JOIN pacts p ON p.id = s.pact_id AND p.audience = 'all'
JOIN users m ON m.unit_id = s.unit_id AND m.status = 'active'
LEFT JOIN unit_heads h ON h.unit_id = s.unit_id AND h.user_id = m.id
UNION ALL
SELECT s.pact_id, s.unit_id, h.user_id, 1 AS is_head
FROM pact_scope s
JOIN pacts p ON p.id = s.pact_id AND p.audience = 'heads'
JOIN unit_heads h ON h.unit_id = s.unit_id;

-- What the rule reads, and so what makes the cached compliance summaries stale (cache_epochs, migration 010): these
-- triggers moved here from 010 unchanged, beside the rule they serve.
DROP TRIGGER compliance_signature_insert;
DROP TRIGGER compliance_signature_update;
DROP TRIGGER compliance_user_insert;
DROP TRIGGER compliance_user_update;
DROP TRIGGER compliance_unit_insert;
DROP TRIGGER compliance_unit_update;
DROP TRIGGER compliance_pact_insert;
DROP TRIGGER compliance_pact_update;
DROP TRIGGER compliance_pact_units_insert;
DROP TRIGGER compliance_pact_units_delete;

CREATE TRIGGER compliance_signature_insert AFTER INSERT ON signatures BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_signature_update AFTER UPDATE OF status ON signatures BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_user_insert AFTER INSERT ON users BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_user_update AFTER UPDATE OF status, unit_id, full_name, position, nip ON users BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_unit_insert AFTER INSERT ON units BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_unit_update AFTER UPDATE OF head_user_id, parent_id, active, name, kind, code ON units BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_pact_insert AFTER INSERT ON pacts BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_pact_update AFTER UPDATE ON pacts BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_pact_units_insert AFTER INSERT ON pact_units BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_pact_units_delete AFTER DELETE ON pact_units BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
