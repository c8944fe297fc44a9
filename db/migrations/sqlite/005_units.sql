-- The units page counts the active users of every unit in one GROUP BY; with this index that is a scan of the
-- index alone, never of the users table.
CREATE INDEX users_unit_status ON users(unit_id, status);
