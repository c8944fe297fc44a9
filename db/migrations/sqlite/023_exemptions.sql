-- Exemptions (issue 19): an operator or admin excuses a person from a pact for a reason from a fixed list, from a
-- day and optionally until one (days of the instance's calendar, kept also as the instants they begin and end, so
-- that the rule can compare them with the time now). An exempt person is not required: the one rule (pact_required,
-- migration 013) leaves them out, and so every reader does (signing, lists, reminders, the numbers). Lifting one
-- keeps the row (who, when, why). At most one exemption of a person from a pact is in force at a time.
CREATE TABLE pact_exemptions (
  id           INTEGER PRIMARY KEY,
  pact_id      INTEGER NOT NULL REFERENCES pacts(id),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  reason       TEXT    NOT NULL CHECK (reason IN ('cltn', 'tugas_belajar', 'cuti_panjang', 'pensiun', 'meninggal',
                                                  'diberhentikan_sementara', 'lainnya')),
  note         TEXT    CHECK (note IS NULL OR length(note) BETWEEN 1 AND 300),
  starts_on    TEXT    NOT NULL,
  ends_on      TEXT    CHECK (ends_on IS NULL OR ends_on >= starts_on),
  starts_at    TEXT    NOT NULL,
  ends_at      TEXT    CHECK (ends_at IS NULL OR ends_at > starts_at),
  -- NULL: the command line or a job.
  created_by   INTEGER REFERENCES users(id),
  created_at   TEXT    NOT NULL,
  lifted_at    TEXT,
  lifted_by    INTEGER REFERENCES users(id),
  lift_reason  TEXT    CHECK (lift_reason IS NULL OR length(lift_reason) BETWEEN 1 AND 300),
  CHECK (reason <> 'lainnya' OR note IS NOT NULL)
);
CREATE UNIQUE INDEX pact_exemptions_one_unlifted ON pact_exemptions(pact_id, user_id) WHERE lifted_at IS NULL;
CREATE INDEX pact_exemptions_user ON pact_exemptions(user_id);
-- The caches' compliance epoch counts the exemptions begun and ended by now (src/db/cache-epoch-repository.ts).
CREATE INDEX pact_exemptions_starts ON pact_exemptions(starts_at);
CREATE INDEX pact_exemptions_ends ON pact_exemptions(ends_at);

-- The exemptions in force now: not lifted, begun, not ended.
CREATE VIEW pact_exempt_now AS
SELECT e.id, e.pact_id, e.user_id, e.reason
FROM pact_exemptions e
WHERE e.lifted_at IS NULL
  AND e.starts_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  AND (e.ends_at IS NULL OR e.ends_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

DROP VIEW pact_required;
CREATE VIEW pact_required AS
SELECT s.pact_id, s.unit_id, m.id AS user_id, (h.user_id IS NOT NULL) AS is_head
FROM pact_scope s
JOIN pacts p ON p.id = s.pact_id AND p.audience = 'all'
JOIN users m ON m.unit_id = s.unit_id AND m.status = 'active'
LEFT JOIN unit_heads h ON h.unit_id = s.unit_id AND h.user_id = m.id
WHERE NOT EXISTS (SELECT 1 FROM pact_exempt_now x WHERE x.pact_id = s.pact_id AND x.user_id = m.id)
UNION ALL
SELECT s.pact_id, s.unit_id, h.user_id, 1 AS is_head
FROM pact_scope s
JOIN pacts p ON p.id = s.pact_id AND p.audience = 'heads'
JOIN unit_heads h ON h.unit_id = s.unit_id
WHERE NOT EXISTS (SELECT 1 FROM pact_exempt_now x WHERE x.pact_id = s.pact_id AND x.user_id = h.user_id);

-- Who is exempt, by the same arms as pact_required: per pact and unit in scope, an active member (an all-ASN pact)
-- or the head (a heads pact) with an exemption in force. What the numbers subtract, the lists and exports show.
CREATE VIEW pact_exempted AS
SELECT s.pact_id, s.unit_id, m.id AS user_id, x.id AS exemption_id
FROM pact_scope s
JOIN pacts p ON p.id = s.pact_id AND p.audience = 'all'
JOIN users m ON m.unit_id = s.unit_id AND m.status = 'active'
JOIN pact_exempt_now x ON x.pact_id = s.pact_id AND x.user_id = m.id
UNION ALL
SELECT s.pact_id, s.unit_id, h.user_id, x.id AS exemption_id
FROM pact_scope s
JOIN pacts p ON p.id = s.pact_id AND p.audience = 'heads'
JOIN unit_heads h ON h.unit_id = s.unit_id
JOIN pact_exempt_now x ON x.pact_id = s.pact_id AND x.user_id = h.user_id;

CREATE TRIGGER compliance_exemption_insert AFTER INSERT ON pact_exemptions BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_exemption_update AFTER UPDATE ON pact_exemptions BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;

-- An exemption is history: only its lifting is ever written after it is made, and none is deleted (the caches'
-- epoch counts on its moments only moving forward).
CREATE TRIGGER pact_exemptions_frozen BEFORE UPDATE OF pact_id, user_id, reason, note, starts_on, ends_on, starts_at,
  ends_at, created_by, created_at ON pact_exemptions
BEGIN
  SELECT RAISE(ABORT, 'an exemption cannot be changed, only lifted');
END;
CREATE TRIGGER pact_exemptions_kept BEFORE DELETE ON pact_exemptions
BEGIN
  SELECT RAISE(ABORT, 'an exemption cannot be deleted');
END;
