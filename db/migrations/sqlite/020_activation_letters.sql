-- Activation letters: a printed letter carries a one-time code with which a person who has a NIP and no email
-- sets their first password (docs/ARCHITECTURE.md, "Activation letters"). The code is one more kind of password
-- link, so that every rule that retires links (a newer letter, a password set, the account disabled) covers it.
-- SQLite cannot widen a CHECK in place: the table is rebuilt with its rows.
CREATE TABLE password_links_new (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  purpose       TEXT    NOT NULL CHECK (purpose IN ('invitation', 'reset', 'activation')),
  token_sha256  TEXT    NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
  created_at    TEXT    NOT NULL,
  expires_at    TEXT    NOT NULL,
  used_at       TEXT,
  created_by    INTEGER REFERENCES users(id)
);
INSERT INTO password_links_new (id, user_id, purpose, token_sha256, created_at, expires_at, used_at, created_by)
  SELECT id, user_id, purpose, token_sha256, created_at, expires_at, used_at, created_by FROM password_links;
DROP TABLE password_links;
ALTER TABLE password_links_new RENAME TO password_links;
CREATE INDEX password_links_user ON password_links(user_id, used_at);
-- The report's "letter printed on" per person: the newest activation link of each.
CREATE INDEX password_links_purpose_user ON password_links(purpose, user_id, created_at);

-- A print run of letters: who asked, for whom (the people confirmed on the preview, JSON array of user ids), how
-- far printing got (read by the progress bar from any node), and when it ended.
CREATE TABLE activation_letter_batches (
  id             INTEGER PRIMARY KEY,
  created_by     INTEGER NOT NULL REFERENCES users(id),
  created_at     TEXT    NOT NULL,
  description    TEXT    NOT NULL CHECK (length(description) BETWEEN 1 AND 300),
  layout         TEXT    NOT NULL CHECK (layout IN ('a4', 'a5')),
  resets         INTEGER NOT NULL CHECK (resets IN (0, 1)),
  recipient_ids  TEXT    NOT NULL,
  total          INTEGER NOT NULL CHECK (total >= 1),
  printed        INTEGER NOT NULL DEFAULT 0 CHECK (printed >= 0),
  status         TEXT    NOT NULL DEFAULT 'prepared' CHECK (status IN ('prepared', 'printing', 'done', 'failed')),
  started_at     TEXT,
  finished_at    TEXT
);
CREATE INDEX activation_letter_batches_created ON activation_letter_batches(created_by, created_at);

-- Who an applied roster import added or changed, so that letters can be printed for "the people of that file".
CREATE TABLE roster_import_people (
  import_id  INTEGER NOT NULL REFERENCES roster_imports(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (import_id, user_id)
) WITHOUT ROWID;
