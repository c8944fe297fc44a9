-- The instance's logo (issue 20): uploaded in the settings, it replaces the generic shield in the page header and is
-- drawn in the letterhead of every PDF (receipts, reports, signing sheets, activation letters). One row or none (none:
-- the shield). Kept in the database like covers and scans, so that one backup holds it.
--   bytes      what /logo/<hash>.<ext> serves: the sanitised SVG, or the PNG re-encoded by sharp (at most 512 px)
--   width, height  the size of the raster below, in pixels: the aspect the header's <img> reserves
--   print_png  the logo flattened on white as a PNG of at most 512 px, rasterised at upload (an SVG too): PDFs embed it
--              as it is, and never parse SVG while a request waits
-- The instance settings are cached per process on the `settings` epoch, and the logo rides with them: every change
-- here moves that epoch, as a change of `settings` does (migration 010).
CREATE TABLE instance_logo (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),
  mime        TEXT    NOT NULL CHECK (mime IN ('image/png', 'image/svg+xml')),
  bytes       BLOB    NOT NULL,
  width       INTEGER NOT NULL CHECK (width BETWEEN 1 AND 512),
  height      INTEGER NOT NULL CHECK (height BETWEEN 1 AND 512),
  print_png   BLOB    NOT NULL,
  -- Who uploaded it is in the audit log (settings.updated), as for every setting.
  updated_at  TEXT    NOT NULL
);
CREATE TRIGGER instance_logo_insert AFTER INSERT ON instance_logo BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'settings';
END;
CREATE TRIGGER instance_logo_update AFTER UPDATE ON instance_logo BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'settings';
END;
CREATE TRIGGER instance_logo_delete AFTER DELETE ON instance_logo BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'settings';
END;
