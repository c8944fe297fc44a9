-- The user list is ordered by name and paged: an index in that order lets a page be read without sorting 50k rows.
CREATE INDEX users_name ON users(full_name, id);
