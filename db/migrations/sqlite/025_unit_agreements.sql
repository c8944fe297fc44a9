-- Unit agreements (issue 19), "kesepakatan unit": an agreement that a unit signs as a unit, not a person, such as the
-- NPHD (Naskah Perjanjian Hibah Daerah) each kabupaten/kota signs with its KPU and Bawaslu before an election. Each
-- unit in the agreement's scope has at most one record (signed or not, the day, the document's number, the other
-- parties, the scan), entered by an admin. Tables of their own rather than a kind of pact: every rule of pacts is
-- about persons (who must sign, signatures, the ledger, reminders, receipts), and each would otherwise have to leave
-- this kind out.
CREATE TABLE unit_agreements (
  id              INTEGER PRIMARY KEY,
  title           TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- Plain text, shown as written (no Markdown).
  description     TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  -- The units in scope: 'kabkota' (kabupaten and kota together, as a province counts its regencies and cities) or
  -- one kind of unit (src/directory/units/kinds.ts), active, counted from the directory as it is now.
  unit_kind       TEXT    NOT NULL CHECK (unit_kind IN ('kabkota', 'sekretariat', 'biro', 'dinas', 'badan',
                                                        'inspektorat', 'satpol', 'rsud', 'kabupaten', 'kota',
                                                        'bagian', 'bidang', 'lainnya')),
  -- Only the units of that kind in this unit's subtree (itself included); NULL: in the whole directory.
  parent_unit_id  INTEGER REFERENCES units(id),
  -- A day of the instance's calendar, if the agreement has one; shown, never enforced (the records are entered after
  -- the fact, from paper).
  deadline_on     TEXT    CHECK (deadline_on IS NULL
                                 OR deadline_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  -- A draft is the admin's alone; an open one is public and takes records; a closed one is public and final.
  status          TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  opened_at       TEXT,
  closed_at       TEXT,
  -- NULL: the command line or the demo seed.
  created_by      INTEGER REFERENCES users(id),
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL,
  CHECK (status = 'draft' OR opened_at IS NOT NULL),
  CHECK (status <> 'draft' OR opened_at IS NULL),
  CHECK (status = 'closed' OR closed_at IS NULL),
  CHECK (status <> 'closed' OR closed_at IS NOT NULL)
);
CREATE INDEX unit_agreements_status ON unit_agreements(status);

-- Draft → open → closed, never back: what the public has seen stays public.
CREATE TRIGGER unit_agreements_status_forward BEFORE UPDATE OF status ON unit_agreements
WHEN NOT (NEW.status = OLD.status OR (OLD.status = 'draft' AND NEW.status = 'open')
          OR (OLD.status = 'open' AND NEW.status = 'closed'))
BEGIN
  SELECT RAISE(ABORT, 'an agreement only moves from draft to open to closed');
END;
-- The scope decides the public count ("33 dari 35"): fixed once the agreement is public.
CREATE TRIGGER unit_agreements_scope_frozen BEFORE UPDATE OF unit_kind, parent_unit_id ON unit_agreements
WHEN OLD.status <> 'draft'
  AND (NEW.unit_kind IS NOT OLD.unit_kind OR NEW.parent_unit_id IS NOT OLD.parent_unit_id)
BEGIN
  SELECT RAISE(ABORT, 'the scope of an opened agreement cannot be changed');
END;
CREATE TRIGGER unit_agreements_closed_frozen BEFORE UPDATE ON unit_agreements
WHEN OLD.status = 'closed'
BEGIN
  SELECT RAISE(ABORT, 'a closed agreement cannot be changed');
END;
CREATE TRIGGER unit_agreements_kept BEFORE DELETE ON unit_agreements
BEGIN
  SELECT RAISE(ABORT, 'an agreement cannot be deleted');
END;

-- A unit's record in an agreement, as it stands now: one per unit at most (no row: outstanding, as is 'not_signed',
-- which an admin sets to take back a record made in error or to note why a unit has not signed). A signed record
-- names the day, the document's number, the other parties and the scan of the signed document (src/scans/).
CREATE TABLE unit_agreement_records (
  id               INTEGER PRIMARY KEY,
  agreement_id     INTEGER NOT NULL REFERENCES unit_agreements(id),
  unit_id          INTEGER NOT NULL REFERENCES units(id),
  status           TEXT    NOT NULL CHECK (status IN ('signed', 'not_signed')),
  signed_on        TEXT,
  document_number  TEXT,
  -- The other parties as written, e.g. 'KPU Kabupaten Pemalang; Bawaslu Kabupaten Pemalang'.
  parties          TEXT    CHECK (parties IS NULL OR length(parties) BETWEEN 1 AND 300),
  scan_id          INTEGER REFERENCES scans(id),
  -- The admin's own remark; never public.
  note             TEXT    CHECK (note IS NULL OR length(note) BETWEEN 1 AND 300),
  recorded_by      INTEGER REFERENCES users(id),
  recorded_at      TEXT    NOT NULL,
  UNIQUE (agreement_id, unit_id),
  CHECK ((status = 'signed' AND signed_on IS NOT NULL
          AND signed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
          AND document_number IS NOT NULL AND length(document_number) BETWEEN 1 AND 100
          AND parties IS NOT NULL AND scan_id IS NOT NULL)
         OR (status = 'not_signed' AND signed_on IS NULL AND document_number IS NULL AND scan_id IS NULL))
);

-- Every version of every record, the first included, written with it in one transaction: a correction never loses
-- what was recorded before (nor the scan it named: scans are never deleted). Append-only.
CREATE TABLE unit_agreement_record_history (
  id               INTEGER PRIMARY KEY,
  agreement_id     INTEGER NOT NULL REFERENCES unit_agreements(id),
  unit_id          INTEGER NOT NULL REFERENCES units(id),
  status           TEXT    NOT NULL CHECK (status IN ('signed', 'not_signed')),
  signed_on        TEXT,
  document_number  TEXT,
  parties          TEXT,
  scan_id          INTEGER REFERENCES scans(id),
  note             TEXT,
  recorded_by      INTEGER REFERENCES users(id),
  recorded_at      TEXT    NOT NULL
);
CREATE INDEX unit_agreement_record_history_unit ON unit_agreement_record_history(agreement_id, unit_id);

-- Records are written while the agreement is a draft or open; a closed one is final.
CREATE TRIGGER unit_agreement_records_insert_open BEFORE INSERT ON unit_agreement_records
WHEN (SELECT status FROM unit_agreements WHERE id = NEW.agreement_id) = 'closed'
BEGIN
  SELECT RAISE(ABORT, 'a closed agreement cannot be changed');
END;
CREATE TRIGGER unit_agreement_records_update_open BEFORE UPDATE ON unit_agreement_records
WHEN (SELECT status FROM unit_agreements WHERE id = OLD.agreement_id) = 'closed'
BEGIN
  SELECT RAISE(ABORT, 'a closed agreement cannot be changed');
END;
CREATE TRIGGER unit_agreement_records_place BEFORE UPDATE OF agreement_id, unit_id ON unit_agreement_records
WHEN NEW.agreement_id IS NOT OLD.agreement_id OR NEW.unit_id IS NOT OLD.unit_id
BEGIN
  SELECT RAISE(ABORT, 'a record stays with its agreement and unit');
END;
CREATE TRIGGER unit_agreement_records_kept BEFORE DELETE ON unit_agreement_records
BEGIN
  SELECT RAISE(ABORT, 'a record cannot be deleted, only corrected');
END;
CREATE TRIGGER unit_agreement_record_history_frozen BEFORE UPDATE ON unit_agreement_record_history
BEGIN
  SELECT RAISE(ABORT, 'the history of a record cannot be changed');
END;
CREATE TRIGGER unit_agreement_record_history_kept BEFORE DELETE ON unit_agreement_record_history
BEGIN
  SELECT RAISE(ABORT, 'the history of a record cannot be changed');
END;

-- The public pages, the home card and the API show these: cached pages are made again when they change
-- (cache_epochs, migration 010). A unit's name is the compliance epoch's already.
INSERT INTO cache_epochs (name, n) VALUES ('agreements', 0);
CREATE TRIGGER agreements_agreement_insert AFTER INSERT ON unit_agreements BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'agreements';
END;
CREATE TRIGGER agreements_agreement_update AFTER UPDATE ON unit_agreements BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'agreements';
END;
CREATE TRIGGER agreements_record_insert AFTER INSERT ON unit_agreement_records BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'agreements';
END;
CREATE TRIGGER agreements_record_update AFTER UPDATE ON unit_agreement_records BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'agreements';
END;
