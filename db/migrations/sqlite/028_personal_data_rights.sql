-- migrate: foreign keys off
-- Personal-data rights (issue 21): drawn signatures deleted after the retention period, people who left anonymised,
-- and a ledger that commits to a signer's personal data instead of holding it.
--
-- users        anonymised_at: when an admin anonymised the person (name replaced, NIP, email, password gone);
--              nip_hmac: the NIP kept only as HMAC-SHA-256 under the instance's key (settings), so that a roster
--              import of the same NIP is recognised (src/directory/anonymise/). An anonymised person has neither NIP
--              nor email, so the two rules "a NIP unless admin" and "a NIP or an email" now leave them out.
-- signatures   person_salt: 16 random bytes (hex) the ledger entry's `person` commitment is salted with; removed with
--              the personal data when the signer is anonymised (anonymised_at). image_removed_at, image_removed_why:
--              the drawn image was deleted (retention, or anonymisation); its hash (signature_sha256) stays, so the
--              rule "an image exactly when a hash" becomes "a hash for every image, an image for every hash not
--              removed".
-- ledger       format: 1, the entries written before this migration (the signer's NIP, name, position and pangkat in
--              the payload); 2, the entries written since (no other is appended now) or upgraded (a salted
--              commitment instead). legacy_hash: the hash an entry had before the one-time upgrade rewrote it
--              (src/pledges/verification/ledger-upgrade.ts), which is allowed only until the upgrade is recorded.
-- ledger_format_upgrades  the record of that upgrade: the old head and the new one.
--
-- SQLite cannot change a table's CHECK rules in place: users and signatures are rebuilt (SQLite's documented
-- procedure: foreign keys off for this migration, as its first line asks the runner, and checked before it commits;
-- legacy_alter_table keeps the views naming these tables untouched while they are replaced). Their indexes and
-- triggers go with the old tables and are made again here, as they were, but for the signature guards, which now
-- allow exactly the two changes above.

PRAGMA legacy_alter_table = ON;

-- Users ------------------------------------------------------------------------------------------------------------

CREATE TABLE users_new (
  id                    INTEGER PRIMARY KEY,
  nip                   TEXT    UNIQUE CHECK (nip IS NULL OR (length(nip) = 18 AND nip NOT GLOB '*[^0-9]*')),
  employee_type         TEXT    NOT NULL DEFAULT 'PNS' CHECK (employee_type IN ('PNS', 'PPPK')),
  email                 TEXT    UNIQUE COLLATE NOCASE,
  full_name             TEXT    NOT NULL,
  position              TEXT    NOT NULL DEFAULT '',
  unit_id               INTEGER REFERENCES units(id),
  role                  TEXT    NOT NULL DEFAULT 'signer' CHECK (role IN ('admin', 'operator', 'signer')),
  password_hash         TEXT,
  status                TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins         INTEGER NOT NULL DEFAULT 0,
  locked_until          TEXT,
  must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  password_changed_at   TEXT,
  last_login_at         TEXT,
  created_at            TEXT    NOT NULL,
  updated_at            TEXT    NOT NULL,
  pangkat               TEXT    CHECK (pangkat IS NULL OR length(pangkat) BETWEEN 1 AND 60),
  anonymised_at         TEXT,
  nip_hmac              TEXT    CHECK (nip_hmac IS NULL OR length(nip_hmac) = 64),
  -- Only technical admin accounts may lack a NIP; every account needs some way to log in. An anonymised person has
  -- neither, and no way in.
  CONSTRAINT users_nip_unless_admin CHECK (nip IS NOT NULL OR role = 'admin' OR anonymised_at IS NOT NULL),
  CONSTRAINT users_some_login CHECK (nip IS NOT NULL OR email IS NOT NULL OR anonymised_at IS NOT NULL),
  CONSTRAINT users_anonymised CHECK (anonymised_at IS NULL
    OR (status = 'disabled' AND nip IS NULL AND email IS NULL AND password_hash IS NULL)),
  CONSTRAINT users_nip_hmac CHECK (nip_hmac IS NULL OR anonymised_at IS NOT NULL)
);
INSERT INTO users_new (id, nip, employee_type, email, full_name, position, unit_id, role, password_hash, status,
                       failed_logins, locked_until, must_change_password, password_changed_at, last_login_at,
                       created_at, updated_at, pangkat)
  SELECT id, nip, employee_type, email, full_name, position, unit_id, role, password_hash, status, failed_logins,
         locked_until, must_change_password, password_changed_at, last_login_at, created_at, updated_at, pangkat
  FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE INDEX users_unit ON users(unit_id);
CREATE INDEX users_role ON users(role);
CREATE INDEX users_unit_status ON users(unit_id, status);
CREATE INDEX users_name ON users(full_name, id);
CREATE UNIQUE INDEX users_nip_hmac_unique ON users(nip_hmac) WHERE nip_hmac IS NOT NULL;

CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
  SELECT RAISE(ABORT, 'users are disabled, never deleted');
END;
CREATE TRIGGER compliance_user_insert AFTER INSERT ON users BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_user_update AFTER UPDATE OF status, unit_id, full_name, position, nip ON users BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER counts_user_insert AFTER INSERT ON users
WHEN NEW.status = 'active' AND NEW.unit_id IS NOT NULL
BEGIN
  INSERT INTO unit_member_counts (unit_id, active) VALUES (NEW.unit_id, 1)
  ON CONFLICT (unit_id) DO UPDATE SET active = active + 1;
END;
CREATE TRIGGER counts_user_update AFTER UPDATE OF status, unit_id ON users
WHEN OLD.status IS NOT NEW.status OR OLD.unit_id IS NOT NEW.unit_id
BEGIN
  UPDATE unit_member_counts SET active = active - 1
  WHERE OLD.status = 'active' AND unit_id = OLD.unit_id;
  INSERT INTO unit_member_counts (unit_id, active)
  SELECT NEW.unit_id, 1 WHERE NEW.status = 'active' AND NEW.unit_id IS NOT NULL
  ON CONFLICT (unit_id) DO UPDATE SET active = active + 1;

  UPDATE pact_unit_signed
  SET signed = signed - 1,
      last_signed_at = (
        SELECT max(s.signed_at) FROM users m
        JOIN signatures s ON s.pact_id = pact_unit_signed.pact_id AND s.user_id = m.id AND s.status = 'valid'
        WHERE m.unit_id = OLD.unit_id AND m.status = 'active' AND m.id <> OLD.id
      )
  WHERE OLD.status = 'active' AND unit_id = OLD.unit_id
    AND pact_id IN (SELECT pact_id FROM signatures WHERE user_id = OLD.id AND status = 'valid');
  INSERT INTO pact_unit_signed (pact_id, unit_id, signed, last_signed_at)
  SELECT pact_id, NEW.unit_id, 1, signed_at FROM signatures
  WHERE user_id = NEW.id AND status = 'valid' AND NEW.status = 'active' AND NEW.unit_id IS NOT NULL
  ON CONFLICT (pact_id, unit_id) DO UPDATE
  SET signed = signed + 1, last_signed_at = max(coalesce(last_signed_at, ''), excluded.last_signed_at);
END;

-- Signatures -------------------------------------------------------------------------------------------------------

CREATE TABLE signatures_new (
  id                 INTEGER PRIMARY KEY,
  pact_id            INTEGER NOT NULL REFERENCES pacts(id),
  user_id            INTEGER NOT NULL REFERENCES users(id),
  -- Who signed, as they were at that moment (the directory may change later); 'Anonim #<user>' once anonymised.
  full_name          TEXT    NOT NULL,
  nip                TEXT,
  position           TEXT    NOT NULL,
  unit_id            INTEGER REFERENCES units(id),
  unit_name          TEXT    NOT NULL,
  was_head           INTEGER NOT NULL CHECK (was_head IN (0, 1)),
  signed_at          TEXT    NOT NULL,
  ip                 TEXT,
  user_agent         TEXT,
  signature_png      BLOB,
  signature_sha256   TEXT,
  pact_body_sha256   TEXT    NOT NULL,
  receipt_code       TEXT    NOT NULL UNIQUE,
  ledger_seq         INTEGER,
  status             TEXT    NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'voided')),
  voided_at          TEXT,
  voided_by          INTEGER REFERENCES users(id),
  void_reason        TEXT,
  pangkat            TEXT,
  head_kind          TEXT
    CONSTRAINT signatures_head_kind CHECK (head_kind IS NULL OR (was_head = 1 AND head_kind IN ('definitif', 'plt', 'plh'))),
  method             TEXT    NOT NULL DEFAULT 'online'
    CONSTRAINT signatures_method CHECK (method IN ('online', 'paper')),
  paper_signed_on    TEXT,
  paper_place        TEXT,
  paper_witness      TEXT,
  paper_scan_id      INTEGER REFERENCES scans(id),
  recorded_by        INTEGER REFERENCES users(id),
  recorded_at        TEXT,
  person_salt        TEXT    CHECK (person_salt IS NULL OR (length(person_salt) = 32 AND person_salt NOT GLOB '*[^0-9a-f]*')),
  anonymised_at      TEXT,
  image_removed_at   TEXT,
  image_removed_why  TEXT    CHECK (image_removed_why IS NULL OR image_removed_why IN ('retention', 'anonymised')),
  CONSTRAINT signatures_paper CHECK (
    (method = 'online' AND paper_signed_on IS NULL AND paper_place IS NULL AND paper_witness IS NULL
      AND paper_scan_id IS NULL AND recorded_by IS NULL AND recorded_at IS NULL)
    OR (method = 'paper' AND signature_png IS NULL
      AND paper_signed_on IS NOT NULL AND paper_place IS NOT NULL AND paper_witness IS NOT NULL
      AND paper_signed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
      AND length(paper_place) BETWEEN 1 AND 200 AND length(paper_witness) BETWEEN 1 AND 200
      AND paper_scan_id IS NOT NULL AND recorded_at IS NOT NULL)),
  CONSTRAINT signatures_void CHECK (status = 'valid' OR (voided_at IS NOT NULL AND void_reason IS NOT NULL)),
  -- Every stored image has its hash; a hash without its image only once the image was removed, and then for good.
  CONSTRAINT signatures_image_hash CHECK (signature_png IS NULL OR signature_sha256 IS NOT NULL),
  CONSTRAINT signatures_image_kept CHECK (signature_sha256 IS NULL OR signature_png IS NOT NULL OR image_removed_at IS NOT NULL),
  CONSTRAINT signatures_image_removed CHECK ((image_removed_at IS NULL) = (image_removed_why IS NULL)
    AND (image_removed_at IS NULL OR (signature_png IS NULL AND signature_sha256 IS NOT NULL))),
  -- An anonymised signing keeps no personal data: not the NIP, pangkat, device, drawing or the salt of its commitment.
  CONSTRAINT signatures_anonymised CHECK (anonymised_at IS NULL OR (nip IS NULL AND pangkat IS NULL AND ip IS NULL
    AND user_agent IS NULL AND signature_png IS NULL AND person_salt IS NULL))
);
INSERT INTO signatures_new (id, pact_id, user_id, full_name, nip, position, unit_id, unit_name, was_head, signed_at, ip,
                            user_agent, signature_png, signature_sha256, pact_body_sha256, receipt_code, ledger_seq,
                            status, voided_at, voided_by, void_reason, pangkat, head_kind, method, paper_signed_on,
                            paper_place, paper_witness, paper_scan_id, recorded_by, recorded_at)
  SELECT id, pact_id, user_id, full_name, nip, position, unit_id, unit_name, was_head, signed_at, ip, user_agent,
         signature_png, signature_sha256, pact_body_sha256, receipt_code, ledger_seq, status, voided_at, voided_by,
         void_reason, pangkat, head_kind, method, paper_signed_on, paper_place, paper_witness, paper_scan_id,
         recorded_by, recorded_at
  FROM signatures;
DROP TABLE signatures;
ALTER TABLE signatures_new RENAME TO signatures;

CREATE UNIQUE INDEX signatures_one_valid ON signatures(pact_id, user_id) WHERE status = 'valid';
CREATE INDEX signatures_pact ON signatures(pact_id, status, signed_at);
CREATE INDEX signatures_user ON signatures(user_id);
CREATE INDEX signatures_paper_scan ON signatures(paper_scan_id) WHERE paper_scan_id IS NOT NULL;
-- The drawings still kept, per pact: what the nightly retention job looks for (nothing to read once they are gone).
CREATE INDEX signatures_images_kept ON signatures(pact_id, id) WHERE signature_png IS NOT NULL;

-- A signature's facts are fixed; its ledger seq is written once, a void once. Two changes are allowed since this
-- migration, each once and only as a whole: the drawing removed (its hash stays), and the signer's personal data
-- replaced when they are anonymised (the salt goes with it); the upgrade of the ledger gives an older row its salt.
CREATE TRIGGER signatures_facts_frozen BEFORE UPDATE OF pact_id, user_id, unit_id, unit_name, was_head, head_kind,
  signed_at, signature_sha256, pact_body_sha256, receipt_code, method, paper_signed_on, paper_place, paper_witness,
  paper_scan_id, recorded_by, recorded_at
  ON signatures
BEGIN
  SELECT RAISE(ABORT, 'a signature cannot be changed');
END;
CREATE TRIGGER signatures_image_removed_once BEFORE UPDATE OF signature_png, image_removed_at, image_removed_why
  ON signatures
WHEN NOT (OLD.signature_png IS NOT NULL AND NEW.signature_png IS NULL AND OLD.image_removed_at IS NULL
          AND NEW.image_removed_at IS NOT NULL)
BEGIN
  SELECT RAISE(ABORT, 'a signature cannot be changed');
END;
CREATE TRIGGER signatures_anonymised_once BEFORE UPDATE OF full_name, nip, position, pangkat, ip, user_agent,
  anonymised_at ON signatures
WHEN NOT (OLD.anonymised_at IS NULL AND NEW.anonymised_at IS NOT NULL)
BEGIN
  SELECT RAISE(ABORT, 'a signature cannot be changed');
END;
CREATE TRIGGER signatures_salt_once BEFORE UPDATE OF person_salt ON signatures
WHEN NOT ((OLD.person_salt IS NULL AND NEW.person_salt IS NOT NULL AND OLD.anonymised_at IS NULL
           AND NEW.anonymised_at IS NULL)
          OR (NEW.person_salt IS NULL AND OLD.anonymised_at IS NULL AND NEW.anonymised_at IS NOT NULL))
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

CREATE TRIGGER compliance_signature_insert AFTER INSERT ON signatures BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_signature_update AFTER UPDATE OF status ON signatures BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER counts_signature_insert AFTER INSERT ON signatures
WHEN NEW.status = 'valid'
BEGIN
  INSERT INTO pact_unit_signed (pact_id, unit_id, signed, last_signed_at)
  SELECT NEW.pact_id, u.unit_id, 1, NEW.signed_at FROM users u
  WHERE u.id = NEW.user_id AND u.status = 'active' AND u.unit_id IS NOT NULL
  ON CONFLICT (pact_id, unit_id) DO UPDATE
  SET signed = signed + 1, last_signed_at = max(coalesce(last_signed_at, ''), excluded.last_signed_at);
END;
CREATE TRIGGER counts_signature_void AFTER UPDATE OF status ON signatures
WHEN OLD.status = 'valid' AND NEW.status <> 'valid'
BEGIN
  UPDATE pact_unit_signed
  SET signed = signed - 1,
      last_signed_at = (
        SELECT max(s.signed_at) FROM users m
        JOIN signatures s ON s.pact_id = NEW.pact_id AND s.user_id = m.id AND s.status = 'valid'
        WHERE m.unit_id = pact_unit_signed.unit_id AND m.status = 'active'
      )
  WHERE pact_id = NEW.pact_id
    AND unit_id = (SELECT unit_id FROM users WHERE id = NEW.user_id AND status = 'active');
END;
CREATE TRIGGER hourly_signature_insert AFTER INSERT ON signatures
WHEN NEW.status = 'valid'
BEGIN
  INSERT INTO pact_hourly_signings (pact_id, unit_id, hour, signed)
  VALUES (NEW.pact_id, coalesce(NEW.unit_id, 0), strftime('%Y-%m-%dT%H', NEW.signed_at), 1)
  ON CONFLICT (pact_id, hour, unit_id) DO UPDATE SET signed = signed + 1;
END;
CREATE TRIGGER hourly_signature_void AFTER UPDATE OF status ON signatures
WHEN OLD.status = 'valid' AND NEW.status <> 'valid'
BEGIN
  UPDATE pact_hourly_signings SET signed = signed - 1
  WHERE pact_id = NEW.pact_id AND unit_id = coalesce(NEW.unit_id, 0)
    AND hour = strftime('%Y-%m-%dT%H', NEW.signed_at);
END;

PRAGMA legacy_alter_table = OFF;

-- The ledger ---------------------------------------------------------------------------------------------------------

-- The default 1 is for the entries already there: every entry appended from now on must be format 2 (below).
ALTER TABLE ledger ADD COLUMN format INTEGER NOT NULL DEFAULT 1 CONSTRAINT ledger_format CHECK (format IN (1, 2));
ALTER TABLE ledger ADD COLUMN legacy_hash TEXT CONSTRAINT ledger_legacy_hash CHECK (legacy_hash IS NULL OR length(legacy_hash) = 64);

CREATE TABLE ledger_format_upgrades (
  id             INTEGER PRIMARY KEY,
  at             TEXT    NOT NULL,
  entries        INTEGER NOT NULL CHECK (entries >= 1),
  -- Signatures given a salt for their commitment (every signature made before the upgrade that is not anonymised).
  salts_given    INTEGER NOT NULL CHECK (salts_given >= 0),
  old_head_seq   INTEGER NOT NULL CHECK (old_head_seq >= 1),
  old_head_hash  TEXT    NOT NULL CHECK (length(old_head_hash) = 64),
  new_head_hash  TEXT    NOT NULL CHECK (length(new_head_hash) = 64)
);
CREATE TRIGGER ledger_format_upgrades_no_update BEFORE UPDATE ON ledger_format_upgrades
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only');
END;
CREATE TRIGGER ledger_format_upgrades_no_delete BEFORE DELETE ON ledger_format_upgrades
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only');
END;

-- Only format 2 is appended: an app of an earlier version still running on another node (stop them all before
-- migrating) would append format-1 entries, with the signer's data, after the upgrade or among format-2 ones, where
-- no upgrade could reach them; its signing fails instead. The app's upgrade runs at start, before it appends.
CREATE TRIGGER ledger_format_two BEFORE INSERT ON ledger
WHEN NEW.format IS NOT 2
BEGIN
  SELECT RAISE(ABORT, 'ledger entries are written in format 2');
END;

-- Still append-only, but for the one-time upgrade: an entry of format 1 may be rewritten once to format 2, keeping
-- its old hash in legacy_hash, its place, kind, signature and time; and only until the upgrade is recorded (in the
-- same transaction, after the rewrite), so that no format-1 entry is rewritable after it.
DROP TRIGGER ledger_no_update;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
WHEN NOT (OLD.format = 1 AND NEW.format = 2 AND OLD.legacy_hash IS NULL AND NEW.legacy_hash IS OLD.hash
          AND NEW.seq = OLD.seq AND NEW.kind = OLD.kind AND NEW.signature_id = OLD.signature_id AND NEW.at = OLD.at
          AND NOT EXISTS (SELECT 1 FROM ledger_format_upgrades))
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only');
END;
