-- The zone a unit's people read instants in (migration 017) is shown on every page they open, so each process keeps
-- it in memory beside the instance settings and reads both again when the `settings` epoch moves: a unit's own zone,
-- or its place in the tree (a zone is inherited from the parent), changing moves it too (see the PostgreSQL twin).
CREATE TRIGGER settings_unit_zone_update AFTER UPDATE OF time_zone, parent_id ON units BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'settings';
END;
