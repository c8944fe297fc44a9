-- "Which units does this person head?" is asked on every signing of a heads pact.
CREATE INDEX units_head ON units(head_user_id) WHERE head_user_id IS NOT NULL;
