-- Rate-limit counters shared by every app node (see the SQLite twin). UNLOGGED: a count is written on every
-- counted request, and these need no write-ahead log, no fsync and no copy on the standby; after a crash or a
-- failover the counters start again from zero, as they do in memory after a restart.
CREATE UNLOGGED TABLE rate_limit_hits (
  key        text    PRIMARY KEY,
  hits       integer NOT NULL CHECK (hits >= 0),
  resets_at  bigint  NOT NULL  -- epoch milliseconds: the end of the counting window
);
CREATE INDEX rate_limit_hits_resets ON rate_limit_hits(resets_at);
