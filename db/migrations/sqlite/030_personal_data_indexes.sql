-- What Ikrar holds about one person, read for their own page and export (/akun/data, issue 21): the reminders sent to
-- them and the mail sent to their address. Without these indexes both are found only by reading the whole table (the
-- reminders' unique indexes lead with the pact, the outbox's only index is its time), once per view of the page.
-- The outbox keeps addresses as they were written; people are found by their address in any case.
CREATE INDEX reminders_by_user ON reminders (user_id, id);
CREATE INDEX outbox_by_address ON outbox (lower(to_address), id);
