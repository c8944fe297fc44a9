-- An admin may extend an open pact's deadline (issue 19): with a reason, audited, the people still required told.
-- Its text, audience and start stay frozen as before; the deadline may now move, but only later, and only while
-- the pact is open: never shortened (someone may have planned by it) and never after it was closed.
DROP TRIGGER pacts_frozen_once_open;
CREATE TRIGGER pacts_frozen_once_open BEFORE UPDATE OF title, body, place, version, supersedes_id, audience, opens_at,
  body_sha256 ON pacts
WHEN OLD.status <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'an opened pact cannot be changed');
END;

CREATE TRIGGER pacts_deadline_only_later BEFORE UPDATE OF deadline ON pacts
WHEN OLD.status <> 'draft' AND NEW.deadline IS NOT OLD.deadline
  AND (OLD.status <> 'open' OR NEW.deadline < OLD.deadline)
BEGIN
  SELECT RAISE(ABORT, 'an opened pact''s deadline can only be extended while it is open');
END;

-- Every extension, for the pact's page and the public one: from when, to when, why, by whom.
CREATE TABLE pact_deadline_extensions (
  id            INTEGER PRIMARY KEY,
  pact_id       INTEGER NOT NULL REFERENCES pacts(id),
  from_deadline TEXT    NOT NULL,
  to_deadline   TEXT    NOT NULL CHECK (to_deadline > from_deadline),
  reason        TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  extended_by   INTEGER NOT NULL REFERENCES users(id),
  extended_at   TEXT    NOT NULL
);
CREATE INDEX pact_deadline_extensions_pact ON pact_deadline_extensions(pact_id, extended_at);

-- The people still required are told of the extension by mail: a reminder of a third kind, 'notice', sent through
-- the reminders' claims and runs (one per person and extension: its slot names the new deadline), and not held back
-- by a reminder they had the same day, which named the old deadline. A reminder also records the deadline it was
-- sent for: 'H-3' before the new deadline is another reminder than 'H-3' before the old one (and the same for the
-- escalations after it), so the schedule runs again in full. SQLite cannot widen a CHECK in place: the table is
-- rebuilt with its rows and indexes.
CREATE TABLE reminders_new (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES reminder_runs(id),
  pact_id     INTEGER NOT NULL REFERENCES pacts(id),
  -- The person the mail goes to.
  user_id     INTEGER NOT NULL REFERENCES users(id),
  -- A reminder or notice: the unit the person belonged to. An escalation: the unit it is about (NULL: the admins'
  -- digest).
  unit_id     INTEGER REFERENCES units(id),
  kind        TEXT NOT NULL CHECK (kind IN ('reminder', 'escalation', 'notice')),
  slot        TEXT NOT NULL,
  day         TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'kept', 'failed', 'unknown', 'skipped')),
  owner       TEXT NOT NULL,
  claimed_at  TEXT NOT NULL,
  done_at     TEXT,
  -- The pact's deadline when the mail was claimed (NULL for mails claimed before this migration).
  deadline    TEXT
);
INSERT INTO reminders_new (id, run_id, pact_id, user_id, unit_id, kind, slot, day, status, owner, claimed_at, done_at)
  SELECT id, run_id, pact_id, user_id, unit_id, kind, slot, day, status, owner, claimed_at, done_at FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
CREATE UNIQUE INDEX reminders_once_per_slot ON reminders (pact_id, user_id, slot, ifnull(deadline, ''))
  WHERE kind = 'reminder' AND slot <> 'manual' AND status <> 'failed';
CREATE UNIQUE INDEX reminders_once_per_day ON reminders (pact_id, user_id, day)
  WHERE kind = 'reminder' AND status <> 'failed';
CREATE UNIQUE INDEX escalations_once_per_slot
  ON reminders (pact_id, user_id, ifnull(unit_id, 0), slot, ifnull(deadline, ''))
  WHERE kind = 'escalation' AND status <> 'failed';
CREATE UNIQUE INDEX notices_once_per_slot ON reminders (pact_id, user_id, slot)
  WHERE kind = 'notice' AND status <> 'failed';
CREATE INDEX reminders_by_run ON reminders (run_id, status);
CREATE INDEX reminders_by_run_unit ON reminders (run_id, unit_id);
CREATE INDEX reminders_open ON reminders (status, claimed_at) WHERE status IN ('pending', 'sending');
