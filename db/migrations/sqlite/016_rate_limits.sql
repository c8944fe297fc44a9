-- Rate-limit counters kept in the database, shared by every app node of a PostgreSQL deployment. A SQLite
-- deployment counts in memory instead (one process, or the cluster's primary: see docs/ARCHITECTURE.md), but has
-- the table too, so that both engines keep one schema.
CREATE TABLE rate_limit_hits (
  key        TEXT    PRIMARY KEY,
  hits       INTEGER NOT NULL CHECK (hits >= 0),
  resets_at  INTEGER NOT NULL  -- epoch milliseconds: the end of the counting window
) WITHOUT ROWID;
CREATE INDEX rate_limit_hits_resets ON rate_limit_hits(resets_at);
