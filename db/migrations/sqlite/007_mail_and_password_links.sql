-- Outgoing mail, and the single-use links that let someone set a password (invitation, reset).

-- Every message sent or that could not be sent. Without SMTP the body is kept so that an admin can deliver it by
-- hand (/admin/outbox); with SMTP only who, what and whether it went — the links in bodies are secrets.
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY,
  created_at   TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  to_address   TEXT    NOT NULL,
  subject      TEXT    NOT NULL,
  body         TEXT,
  status       TEXT    NOT NULL CHECK (status IN ('kept', 'sent', 'failed')),
  error        TEXT
);
CREATE INDEX outbox_created ON outbox(created_at);

CREATE TABLE password_links (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  purpose       TEXT    NOT NULL CHECK (purpose IN ('invitation', 'reset')),
  token_sha256  TEXT    NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
  created_at    TEXT    NOT NULL,
  expires_at    TEXT    NOT NULL,
  used_at       TEXT,
  created_by    INTEGER REFERENCES users(id)
);
CREATE INDEX password_links_user ON password_links(user_id, used_at);
