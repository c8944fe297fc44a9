-- Signings per UTC hour instead of per Jakarta day. Migration 011 kept pact_daily_signings by
-- date(signed_at, '+7 hours'): a WIB day baked into stored data, wrong for an instance in WITA or WIT
-- (TIME_ZONE). Hours are the same everywhere; the dashboard adds them up into days of the instance's
-- zone when it reads them (src/reports/daily-chart.ts), which for Asia/Jakarta gives the same numbers.
--
-- Like the table it replaces, this is an event history per pact and unit at the time of signing: a
-- signature stays in the hour and unit it was made in; a void takes it off again.

DROP TRIGGER daily_signature_insert;
DROP TRIGGER daily_signature_void;
DROP TABLE pact_daily_signings;

CREATE TABLE pact_hourly_signings (
  pact_id  INTEGER NOT NULL REFERENCES pacts(id),
  unit_id  INTEGER NOT NULL,  -- 0: signed by someone in no unit
  hour     TEXT    NOT NULL,  -- the UTC hour of the signing: 'YYYY-MM-DDTHH'
  signed   INTEGER NOT NULL CHECK (signed >= 0),
  PRIMARY KEY (pact_id, hour, unit_id)
) WITHOUT ROWID;

INSERT INTO pact_hourly_signings (pact_id, unit_id, hour, signed)
SELECT pact_id, coalesce(unit_id, 0), strftime('%Y-%m-%dT%H', signed_at), count(*)
FROM signatures WHERE status = 'valid'
GROUP BY pact_id, coalesce(unit_id, 0), strftime('%Y-%m-%dT%H', signed_at);

CREATE TRIGGER hourly_signature_insert AFTER INSERT ON signatures
WHEN NEW.status = 'valid'
BEGIN
  INSERT INTO pact_hourly_signings (pact_id, unit_id, hour, signed)
  VALUES (NEW.pact_id, coalesce(NEW.unit_id, 0), strftime('%Y-%m-%dT%H', NEW.signed_at), 1)
  ON CONFLICT (pact_id, hour, unit_id) DO UPDATE SET signed = signed + 1;
END;

CREATE TRIGGER hourly_signature_void AFTER UPDATE OF status ON signatures
WHEN OLD.status = 'valid' AND NEW.status <> 'valid'
BEGIN
  UPDATE pact_hourly_signings SET signed = signed - 1
  WHERE pact_id = NEW.pact_id AND unit_id = coalesce(NEW.unit_id, 0)
    AND hour = strftime('%Y-%m-%dT%H', NEW.signed_at);
END;
