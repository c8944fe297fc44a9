-- The language a person chose (issue 21); the reasons are in the SQLite twin.
ALTER TABLE users ADD COLUMN language text CHECK (language IS NULL OR language IN ('id', 'en'));
