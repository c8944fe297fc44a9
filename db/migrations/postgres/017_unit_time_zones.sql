-- A unit may read instants in its own time zone (a unit in Papua reads WIT while the instance reads WIB). NULL:
-- follow the parent unit, and at the top the instance's zone (config TIME_ZONE). Deadlines stay instants; only how
-- they are shown changes. The three zones of Indonesia only, as the unit form offers them (see the SQLite twin).
ALTER TABLE units ADD COLUMN time_zone text
  CONSTRAINT units_time_zone CHECK (time_zone IS NULL OR time_zone IN ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'));
