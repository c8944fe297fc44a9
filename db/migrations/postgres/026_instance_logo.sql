-- The instance's logo (issue 20); the reasons are in the SQLite twin.
CREATE TABLE instance_logo (
  id          integer PRIMARY KEY CHECK (id = 1),
  sha256      text    NOT NULL CHECK (length(sha256) = 64),
  mime        text    NOT NULL CHECK (mime IN ('image/png', 'image/svg+xml')),
  bytes       bytea   NOT NULL,
  width       integer NOT NULL CHECK (width BETWEEN 1 AND 512),
  height      integer NOT NULL CHECK (height BETWEEN 1 AND 512),
  print_png   bytea   NOT NULL,
  updated_at  text    NOT NULL
);
CREATE TRIGGER instance_logo_insert AFTER INSERT ON instance_logo
FOR EACH ROW EXECUTE FUNCTION bump_cache_epoch('settings');
CREATE TRIGGER instance_logo_update AFTER UPDATE ON instance_logo
FOR EACH ROW EXECUTE FUNCTION bump_cache_epoch('settings');
CREATE TRIGGER instance_logo_delete AFTER DELETE ON instance_logo
FOR EACH ROW EXECUTE FUNCTION bump_cache_epoch('settings');
