-- Pacts, signatures and the append-only ledger that chains every signing and void.

CREATE TABLE pacts (
  id             INTEGER PRIMARY KEY,
  title          TEXT    NOT NULL,
  body           TEXT    NOT NULL,             -- Markdown; frozen once the pact opens
  place          TEXT    NOT NULL DEFAULT '',  -- "Semarang" in "Semarang, 26 September 2023"
  version        INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  supersedes_id  INTEGER REFERENCES pacts(id),
  body_sha256    TEXT    CHECK (body_sha256 IS NULL OR length(body_sha256) = 64),
  audience       TEXT    NOT NULL CHECK (audience IN ('heads', 'all')),
  opens_at       TEXT    NOT NULL,
  deadline       TEXT    NOT NULL,
  status         TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  created_by     INTEGER REFERENCES users(id),
  created_at     TEXT    NOT NULL,
  updated_at     TEXT    NOT NULL,
  opened_at      TEXT,
  closed_at      TEXT,
  CHECK (deadline > opens_at),
  CHECK (status = 'draft' OR body_sha256 IS NOT NULL)
);
CREATE INDEX pacts_status ON pacts(status);
-- One revision at a time: a pact is superseded by at most one newer version.
CREATE UNIQUE INDEX pacts_supersedes ON pacts(supersedes_id) WHERE supersedes_id IS NOT NULL;

-- The units a pact is for, each with its whole subtree. No rows: every unit.
CREATE TABLE pact_units (
  pact_id  INTEGER NOT NULL REFERENCES pacts(id) ON DELETE CASCADE,
  unit_id  INTEGER NOT NULL REFERENCES units(id),
  PRIMARY KEY (pact_id, unit_id)
) WITHOUT ROWID;

CREATE TABLE signatures (
  id                INTEGER PRIMARY KEY,
  pact_id           INTEGER NOT NULL REFERENCES pacts(id),
  user_id           INTEGER NOT NULL REFERENCES users(id),
  -- Who signed, as they were at that moment (the directory may change later).
  full_name         TEXT    NOT NULL,
  nip               TEXT,
  position          TEXT    NOT NULL,
  unit_id           INTEGER REFERENCES units(id),
  unit_name         TEXT    NOT NULL,
  was_head          INTEGER NOT NULL CHECK (was_head IN (0, 1)),
  signed_at         TEXT    NOT NULL,
  ip                TEXT,
  user_agent        TEXT,
  signature_png     BLOB,
  signature_sha256  TEXT,
  pact_body_sha256  TEXT    NOT NULL,
  receipt_code      TEXT    NOT NULL UNIQUE,
  ledger_seq        INTEGER,
  status            TEXT    NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'voided')),
  voided_at         TEXT,
  voided_by         INTEGER REFERENCES users(id),
  void_reason       TEXT,
  CHECK ((signature_png IS NULL) = (signature_sha256 IS NULL)),
  CHECK (status = 'valid' OR (voided_at IS NOT NULL AND void_reason IS NOT NULL))
);
-- At most one valid signature per person and pact version: a double submit cannot make two.
CREATE UNIQUE INDEX signatures_one_valid ON signatures(pact_id, user_id) WHERE status = 'valid';
CREATE INDEX signatures_pact ON signatures(pact_id, status, signed_at);
CREATE INDEX signatures_user ON signatures(user_id);

CREATE TABLE ledger (
  seq           INTEGER PRIMARY KEY CHECK (seq >= 1),
  kind          TEXT    NOT NULL CHECK (kind IN ('sign', 'void')),
  signature_id  INTEGER NOT NULL REFERENCES signatures(id),
  at            TEXT    NOT NULL,
  payload       TEXT    NOT NULL,  -- canonical JSON (RFC 8785) of the facts recorded
  prev_hash     TEXT    NOT NULL CHECK (length(prev_hash) = 64),
  hash          TEXT    NOT NULL CHECK (length(hash) = 64)
);

-- History is never rewritten: a void is a new entry, never an UPDATE or DELETE.
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only');
END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only');
END;
-- Gapless: an entry must follow the current head.
CREATE TRIGGER ledger_gapless BEFORE INSERT ON ledger
WHEN NEW.seq <> coalesce((SELECT max(seq) FROM ledger), 0) + 1
BEGIN
  SELECT RAISE(ABORT, 'ledger seq must follow the head');
END;

-- The results of chain checks, for /admin/ledger.
CREATE TABLE ledger_checks (
  id              INTEGER PRIMARY KEY,
  at              TEXT    NOT NULL,
  ok              INTEGER NOT NULL CHECK (ok IN (0, 1)),
  entries         INTEGER NOT NULL,
  head_seq        INTEGER,
  head_hash       TEXT,
  first_bad_seq   INTEGER,
  problem         TEXT
);
