-- What Ikrar holds about one person (issue 21); the reasons are in the SQLite twin.
CREATE INDEX reminders_by_user ON reminders (user_id, id);
CREATE INDEX outbox_by_address ON outbox (lower(to_address), id);
