-- The rows of a roster import, one record each, instead of one JSON document in roster_imports.rows: an upload is
-- decided and written a slice at a time, a page of the preview reads only the rows it shows, and the confirm reads
-- the rows back in batches, keeping only those it writes (docs/CAPACITY.md). Previews made before this release show
-- as gone: upload the file again.
CREATE TABLE roster_import_rows (
  import_id  INTEGER NOT NULL REFERENCES roster_imports(id) ON DELETE CASCADE,
  -- The row number a spreadsheet shows for it.
  line       INTEGER NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('new', 'changed', 'unchanged', 'rejected')),
  -- The row as read (its cells under the import's headers, and a problem found while reading), JSON.
  row        TEXT    NOT NULL,
  -- The decision the preview showed (status, reason, changes), JSON.
  outcome    TEXT    NOT NULL,
  PRIMARY KEY (import_id, line)
) WITHOUT ROWID;
CREATE INDEX roster_import_rows_status ON roster_import_rows(import_id, status, line);

-- The header of the file (the headers as written and the roster column of each), JSON; NULL while the rows are
-- being written, and once they are pruned (a day later).
ALTER TABLE roster_imports ADD COLUMN header TEXT;
ALTER TABLE roster_imports DROP COLUMN rows;
