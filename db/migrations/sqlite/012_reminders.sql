-- Reminders to people who have not signed, and escalations to unit heads and admins after the deadline.
--
--   reminder_runs:  one press of "Kirim pengingat" or one scheduled slot of one day; the counts are kept up to date
--                   while its mail goes out, so the report can show progress and history.
--   reminders:      one mail to one person. Each row is claimed ('pending', owner = the claiming process,
--                   claimed_at) before its mail is sent, and the unique indexes below decide which process, if any,
--                   may claim it: whoever inserts the row sends it, so two processes never send the same mail.
--                   Just before sending it becomes 'sending'; a mail left 'sending' (its process died mid-send) is
--                   marked 'unknown' (it may have left) and still counts below, so a mail goes out at most once.

CREATE TABLE reminder_runs (
  id                INTEGER PRIMARY KEY,
  pact_id           INTEGER NOT NULL REFERENCES pacts(id),
  kind              TEXT NOT NULL CHECK (kind IN ('manual', 'scheduled')),
  -- 'H-7', 'H-3', 'H-1', 'H+1', 'H+2', … for the schedule; 'manual' for a press of the button.
  slot              TEXT NOT NULL,
  -- The calendar day in Asia/Jakarta (YYYY-MM-DD) the run belongs to.
  day               TEXT NOT NULL,
  -- The one unit asked for, or NULL for every unit the requester may see.
  unit_id           INTEGER REFERENCES units(id),
  -- For "every unit" asked by an operator: the root of their subtree (whose runs other operators must not see).
  scope_unit_id     INTEGER REFERENCES units(id),
  requested_by      INTEGER REFERENCES users(id),
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  outstanding       INTEGER NOT NULL DEFAULT 0 CHECK (outstanding >= 0),
  no_email          INTEGER NOT NULL DEFAULT 0 CHECK (no_email >= 0),
  already_reminded  INTEGER NOT NULL DEFAULT 0 CHECK (already_reminded >= 0),
  recipients        INTEGER NOT NULL DEFAULT 0 CHECK (recipients >= 0),
  escalations       INTEGER NOT NULL DEFAULT 0 CHECK (escalations >= 0),
  sent              INTEGER NOT NULL DEFAULT 0 CHECK (sent >= 0),
  kept              INTEGER NOT NULL DEFAULT 0 CHECK (kept >= 0),
  failed            INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
  skipped           INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0),
  CHECK ((kind = 'manual') = (requested_by IS NOT NULL))
);

-- One scheduled run per pact, slot and day, whichever process starts it first.
CREATE UNIQUE INDEX reminder_runs_scheduled_once ON reminder_runs (pact_id, slot, day) WHERE kind = 'scheduled';
CREATE INDEX reminder_runs_by_pact ON reminder_runs (pact_id, id);

CREATE TABLE reminders (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES reminder_runs(id),
  pact_id     INTEGER NOT NULL REFERENCES pacts(id),
  -- The person the mail goes to.
  user_id     INTEGER NOT NULL REFERENCES users(id),
  -- A reminder: the unit the person belonged to. An escalation: the unit it is about (NULL: the admins' digest).
  unit_id     INTEGER REFERENCES units(id),
  kind        TEXT NOT NULL CHECK (kind IN ('reminder', 'escalation')),
  slot        TEXT NOT NULL,
  day         TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'kept', 'failed', 'unknown', 'skipped')),
  owner       TEXT NOT NULL,
  claimed_at  TEXT NOT NULL,
  done_at     TEXT
);

-- A person gets a pact's reminder for a scheduled slot once, and at most one reminder of a pact a day (a press of
-- the button included). A mail that certainly failed does not count: it may be tried again.
CREATE UNIQUE INDEX reminders_once_per_slot ON reminders (pact_id, user_id, slot)
  WHERE kind = 'reminder' AND slot <> 'manual' AND status <> 'failed';
CREATE UNIQUE INDEX reminders_once_per_day ON reminders (pact_id, user_id, day)
  WHERE kind = 'reminder' AND status <> 'failed';
-- An escalation about a unit (or the admins' digest, unit NULL) reaches each recipient once per slot.
CREATE UNIQUE INDEX escalations_once_per_slot ON reminders (pact_id, user_id, ifnull(unit_id, 0), slot)
  WHERE kind = 'escalation' AND status <> 'failed';
CREATE INDEX reminders_by_run ON reminders (run_id, status);
CREATE INDEX reminders_by_run_unit ON reminders (run_id, unit_id);
CREATE INDEX reminders_open ON reminders (status, claimed_at) WHERE status IN ('pending', 'sending');
