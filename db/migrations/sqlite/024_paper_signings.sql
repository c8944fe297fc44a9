-- Paper signings, ceremonies and archived pacts (issue 19).
--
-- Scans: a scanned page or photo (PDF, JPEG or PNG) kept in the database like covers are, so that a backup holds
-- them. One scan may stand behind many records (a ceremony's sheet behind everyone ticked on it; a unit agreement's
-- document). A scan is evidence: never changed, never deleted.
CREATE TABLE scans (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),
  mime        TEXT    NOT NULL CHECK (mime IN ('application/pdf', 'image/jpeg', 'image/png')),
  size        INTEGER NOT NULL CHECK (size > 0),
  file_name   TEXT    NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  bytes       BLOB    NOT NULL,
  -- NULL: the command line or the demo seed.
  created_by  INTEGER REFERENCES users(id),
  created_at  TEXT    NOT NULL
);
CREATE TRIGGER scans_frozen BEFORE UPDATE ON scans
BEGIN
  SELECT RAISE(ABORT, 'a scan cannot be changed');
END;
CREATE TRIGGER scans_no_delete BEFORE DELETE ON scans
BEGIN
  SELECT RAISE(ABORT, 'a scan cannot be deleted');
END;

-- A pact may record the ceremony where it is read and signed together (ikrar bersama): a day and a place, shown on
-- its page, its receipts and its signing sheet. Not frozen when the pact opens: a ceremony is often set later.
ALTER TABLE pacts ADD COLUMN ceremony_on TEXT
  CONSTRAINT pacts_ceremony_on CHECK (ceremony_on IS NULL OR ceremony_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE pacts ADD COLUMN ceremony_place TEXT
  CONSTRAINT pacts_ceremony_place CHECK (ceremony_place IS NULL OR length(ceremony_place) BETWEEN 1 AND 200);
-- An archived pact records a past period: published straight to closed, never signed online, filled in with paper
-- signings and exemptions only.
ALTER TABLE pacts ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CONSTRAINT pacts_archived CHECK (archived IN (0, 1));
CREATE TRIGGER pacts_archived_frozen BEFORE UPDATE OF archived ON pacts
WHEN OLD.status <> 'draft' AND NEW.archived IS NOT OLD.archived
BEGIN
  SELECT RAISE(ABORT, 'an opened pact cannot be changed');
END;

-- A signing is made online by the person, or on paper and recorded by an operator or admin: the day and place it
-- was signed, who witnessed it, the scan, who recorded it and when. signed_at of a paper signing is noon of that day
-- in the instance's zone, kept within the pact's period (src/pledges/paper/paper-signing-time.ts).
ALTER TABLE signatures ADD COLUMN method TEXT NOT NULL DEFAULT 'online'
  CONSTRAINT signatures_method CHECK (method IN ('online', 'paper'));
ALTER TABLE signatures ADD COLUMN paper_signed_on TEXT;
ALTER TABLE signatures ADD COLUMN paper_place TEXT;
ALTER TABLE signatures ADD COLUMN paper_witness TEXT;
ALTER TABLE signatures ADD COLUMN paper_scan_id INTEGER REFERENCES scans(id);
ALTER TABLE signatures ADD COLUMN recorded_by INTEGER REFERENCES users(id);
-- SQLite adds no table constraint to an existing table: the rule of a paper signing rides on the last new column.
ALTER TABLE signatures ADD COLUMN recorded_at TEXT
  CONSTRAINT signatures_paper CHECK (
    (method = 'online' AND paper_signed_on IS NULL AND paper_place IS NULL AND paper_witness IS NULL
      AND paper_scan_id IS NULL AND recorded_by IS NULL AND recorded_at IS NULL)
    OR (method = 'paper' AND signature_png IS NULL
      AND paper_signed_on IS NOT NULL AND paper_place IS NOT NULL AND paper_witness IS NOT NULL
      AND paper_signed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
      AND length(paper_place) BETWEEN 1 AND 200 AND length(paper_witness) BETWEEN 1 AND 200
      AND paper_scan_id IS NOT NULL AND recorded_at IS NOT NULL));
CREATE INDEX signatures_paper_scan ON signatures(paper_scan_id) WHERE paper_scan_id IS NOT NULL;

DROP TRIGGER signatures_facts_frozen;
CREATE TRIGGER signatures_facts_frozen BEFORE UPDATE OF pact_id, user_id, full_name, nip, position, pangkat, unit_id,
  unit_name, was_head, head_kind, signed_at, ip, user_agent, signature_png, signature_sha256, pact_body_sha256,
  receipt_code, method, paper_signed_on, paper_place, paper_witness, paper_scan_id, recorded_by, recorded_at
  ON signatures
BEGIN
  SELECT RAISE(ABORT, 'a signature cannot be changed');
END;

-- The ledger gains a kind: 'paper', a signing on paper recorded by someone else. SQLite cannot change a CHECK, so
-- the table is rebuilt with its rows and triggers (nothing refers to it; its own triggers go with the old table).
CREATE TABLE ledger_new (
  seq           INTEGER PRIMARY KEY CHECK (seq >= 1),
  kind          TEXT    NOT NULL CHECK (kind IN ('sign', 'paper', 'void')),
  signature_id  INTEGER NOT NULL REFERENCES signatures(id),
  at            TEXT    NOT NULL,
  payload       TEXT    NOT NULL,  -- canonical JSON (RFC 8785) of the facts recorded
  prev_hash     TEXT    NOT NULL CHECK (length(prev_hash) = 64),
  hash          TEXT    NOT NULL CHECK (length(hash) = 64)
);
INSERT INTO ledger_new (seq, kind, signature_id, at, payload, prev_hash, hash)
  SELECT seq, kind, signature_id, at, payload, prev_hash, hash FROM ledger ORDER BY seq;
DROP TABLE ledger;
ALTER TABLE ledger_new RENAME TO ledger;
CREATE INDEX ledger_signature ON ledger(signature_id, kind);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only');
END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only');
END;
CREATE TRIGGER ledger_gapless BEFORE INSERT ON ledger
WHEN NEW.seq <> coalesce((SELECT max(seq) FROM ledger), 0) + 1
BEGIN
  SELECT RAISE(ABORT, 'ledger seq must follow the head');
END;
