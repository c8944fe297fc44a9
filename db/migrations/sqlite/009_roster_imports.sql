-- Roster imports: an uploaded roster is read and checked (the preview), kept here, and applied only when its creator
-- confirms it. Kept server-side rather than in the session: a 50 000-row preview is megabytes, and the session is
-- read on every request.
CREATE TABLE roster_imports (
  id           INTEGER PRIMARY KEY,
  created_by   INTEGER NOT NULL REFERENCES users(id),
  created_at   TEXT    NOT NULL,
  -- A preview can be confirmed until then (an hour); the data may have changed since.
  expires_at   TEXT    NOT NULL,
  file_name    TEXT    NOT NULL,
  status       TEXT    NOT NULL DEFAULT 'previewed' CHECK (status IN ('previewed', 'applied')),
  -- Counts of the preview (new, changed, unchanged, rejected), JSON.
  summary      TEXT    NOT NULL,
  -- The rows as read (header, cells) with the decision on each, JSON; NULL once pruned (a day later): they hold
  -- personal data that the directory itself now keeps.
  rows         TEXT,
  applied_at   TEXT,
  -- What applying did (created, updated, heads set) and how the invitations went, JSON.
  result       TEXT
);
CREATE INDEX roster_imports_created ON roster_imports(created_at);
