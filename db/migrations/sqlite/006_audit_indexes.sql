-- The audit log page filters by action, newest first. Without this index a rare action (say settings.updated among
-- a million logins) is found only by reading the whole table; with it, as for the actor, target and time filters
-- of 001, a page is read from the index alone (entries end in `at` and carry the rowid: the page's order).
CREATE INDEX audit_events_action ON audit_events(action, at);
