-- Compliance counts kept up to date by triggers, so that a pact's numbers are read per unit (hundreds of rows)
-- instead of counted over every user and signature (millions at national scale).
--
--   unit_member_counts:  active users per unit (what an all-ASN pact requires of the unit);
--   pact_unit_signed:    per pact and unit, the valid signatures of users who are active members of the unit now,
--                        and the latest of them. A signature counts where its signer belongs today: when someone
--                        moves, is disabled or enabled, their signatures move with them.
--
-- The triggers below are the only writers. A test compares every count with a fresh count after each kind of change.

CREATE TABLE unit_member_counts (
  unit_id  INTEGER PRIMARY KEY REFERENCES units(id),
  active   INTEGER NOT NULL CHECK (active >= 0)
) WITHOUT ROWID;

CREATE TABLE pact_unit_signed (
  pact_id         INTEGER NOT NULL REFERENCES pacts(id),
  unit_id         INTEGER NOT NULL REFERENCES units(id),
  signed          INTEGER NOT NULL CHECK (signed >= 0),
  last_signed_at  TEXT,
  PRIMARY KEY (pact_id, unit_id)
) WITHOUT ROWID;

INSERT INTO unit_member_counts (unit_id, active)
SELECT unit_id, count(*) FROM users WHERE status = 'active' AND unit_id IS NOT NULL GROUP BY unit_id;

INSERT INTO pact_unit_signed (pact_id, unit_id, signed, last_signed_at)
SELECT s.pact_id, u.unit_id, count(*), max(s.signed_at)
FROM signatures s JOIN users u ON u.id = s.user_id
WHERE s.status = 'valid' AND u.status = 'active' AND u.unit_id IS NOT NULL
GROUP BY s.pact_id, u.unit_id;

-- A new active member.
CREATE TRIGGER counts_user_insert AFTER INSERT ON users
WHEN NEW.status = 'active' AND NEW.unit_id IS NOT NULL
BEGIN
  INSERT INTO unit_member_counts (unit_id, active) VALUES (NEW.unit_id, 1)
  ON CONFLICT (unit_id) DO UPDATE SET active = active + 1;
END;

-- Someone leaves the count of their old unit (moved or disabled) and joins the new one (moved or enabled), with
-- their valid signatures. The latest signing of the unit they left is looked up again among its members.
CREATE TRIGGER counts_user_update AFTER UPDATE OF status, unit_id ON users
WHEN OLD.status IS NOT NEW.status OR OLD.unit_id IS NOT NEW.unit_id
BEGIN
  UPDATE unit_member_counts SET active = active - 1
  WHERE OLD.status = 'active' AND unit_id = OLD.unit_id;
  INSERT INTO unit_member_counts (unit_id, active)
  SELECT NEW.unit_id, 1 WHERE NEW.status = 'active' AND NEW.unit_id IS NOT NULL
  ON CONFLICT (unit_id) DO UPDATE SET active = active + 1;

  UPDATE pact_unit_signed
  SET signed = signed - 1,
      last_signed_at = (
        SELECT max(s.signed_at) FROM users m
        JOIN signatures s ON s.pact_id = pact_unit_signed.pact_id AND s.user_id = m.id AND s.status = 'valid'
        WHERE m.unit_id = OLD.unit_id AND m.status = 'active' AND m.id <> OLD.id
      )
  WHERE OLD.status = 'active' AND unit_id = OLD.unit_id
    AND pact_id IN (SELECT pact_id FROM signatures WHERE user_id = OLD.id AND status = 'valid');
  INSERT INTO pact_unit_signed (pact_id, unit_id, signed, last_signed_at)
  SELECT pact_id, NEW.unit_id, 1, signed_at FROM signatures
  WHERE user_id = NEW.id AND status = 'valid' AND NEW.status = 'active' AND NEW.unit_id IS NOT NULL
  ON CONFLICT (pact_id, unit_id) DO UPDATE
  SET signed = signed + 1, last_signed_at = max(coalesce(last_signed_at, ''), excluded.last_signed_at);
END;

-- A signing counts for the signer's unit if they are an active member of one.
CREATE TRIGGER counts_signature_insert AFTER INSERT ON signatures
WHEN NEW.status = 'valid'
BEGIN
  INSERT INTO pact_unit_signed (pact_id, unit_id, signed, last_signed_at)
  SELECT NEW.pact_id, u.unit_id, 1, NEW.signed_at FROM users u
  WHERE u.id = NEW.user_id AND u.status = 'active' AND u.unit_id IS NOT NULL
  ON CONFLICT (pact_id, unit_id) DO UPDATE
  SET signed = signed + 1, last_signed_at = max(coalesce(last_signed_at, ''), excluded.last_signed_at);
END;

-- A void takes the signature out, and the unit's latest signing is looked up again.
CREATE TRIGGER counts_signature_void AFTER UPDATE OF status ON signatures
WHEN OLD.status = 'valid' AND NEW.status <> 'valid'
BEGIN
  UPDATE pact_unit_signed
  SET signed = signed - 1,
      last_signed_at = (
        SELECT max(s.signed_at) FROM users m
        JOIN signatures s ON s.pact_id = NEW.pact_id AND s.user_id = m.id AND s.status = 'valid'
        WHERE m.unit_id = pact_unit_signed.unit_id AND m.status = 'active'
      )
  WHERE pact_id = NEW.pact_id
    AND unit_id = (SELECT unit_id FROM users WHERE id = NEW.user_id AND status = 'active');
END;

-- Signings per day (Jakarta calendar day) per pact and unit at the time of signing, for the dashboard's chart: an
-- event history, so a signature stays on the day and unit it was made in; a void takes it off again.
CREATE TABLE pact_daily_signings (
  pact_id  INTEGER NOT NULL REFERENCES pacts(id),
  unit_id  INTEGER NOT NULL,  -- 0: signed by someone in no unit
  day      TEXT    NOT NULL,  -- YYYY-MM-DD in WIB
  signed   INTEGER NOT NULL CHECK (signed >= 0),
  PRIMARY KEY (pact_id, day, unit_id)
) WITHOUT ROWID;

INSERT INTO pact_daily_signings (pact_id, unit_id, day, signed)
SELECT pact_id, coalesce(unit_id, 0), date(signed_at, '+7 hours'), count(*)
FROM signatures WHERE status = 'valid'
GROUP BY pact_id, coalesce(unit_id, 0), date(signed_at, '+7 hours');

CREATE TRIGGER daily_signature_insert AFTER INSERT ON signatures
WHEN NEW.status = 'valid'
BEGIN
  INSERT INTO pact_daily_signings (pact_id, unit_id, day, signed)
  VALUES (NEW.pact_id, coalesce(NEW.unit_id, 0), date(NEW.signed_at, '+7 hours'), 1)
  ON CONFLICT (pact_id, day, unit_id) DO UPDATE SET signed = signed + 1;
END;

CREATE TRIGGER daily_signature_void AFTER UPDATE OF status ON signatures
WHEN OLD.status = 'valid' AND NEW.status <> 'valid'
BEGIN
  UPDATE pact_daily_signings SET signed = signed - 1
  WHERE pact_id = NEW.pact_id AND unit_id = coalesce(NEW.unit_id, 0) AND day = date(NEW.signed_at, '+7 hours');
END;

-- People are disabled, never deleted: their signatures, receipts and audit history point at them, and the counts
-- above would go wrong.
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
  SELECT RAISE(ABORT, 'users are disabled, never deleted');
END;
