-- The instance's seal (issue 21): the certificates whose keys sign receipt and report PDFs (PAdES). One is active,
-- the one new PDFs are sealed with; the others are retired and kept, so that a PDF sealed before a change of key is
-- still recognised as this instance's when it is uploaded to /verifikasi.
--   fingerprint      SHA-256 of the certificate (DER), upper-case hex in pairs joined by ':', as openssl shows it
--   subject          the certificate's subject, 'CN=…, O=…', for pages and the API
--   not_before, not_after  its validity, UTC ISO 8601
--   source           'generated': made by Ikrar on first start (or when the instance's name changed), its key kept in
--                    private_key_pem; 'p12': the agency's own (SEAL_P12_PATH), its key never stored here
--   private_key_pem  PKCS#8 PEM of a generated certificate's key while it is active; emptied when it is retired (a
--                    retired certificate only has to verify, never to seal again)
--   active           1 for the one certificate sealing now, else 0 (a partial unique index allows one)
-- A certificate is never deleted, and what it is never changes: only its state (active, retired_at, the key dropped).
CREATE TABLE seal_certificates (
  id               INTEGER PRIMARY KEY,
  fingerprint      TEXT    NOT NULL UNIQUE CHECK (length(fingerprint) = 95),
  subject          TEXT    NOT NULL,
  not_before       TEXT    NOT NULL,
  not_after        TEXT    NOT NULL,
  certificate_pem  TEXT    NOT NULL,
  source           TEXT    NOT NULL CHECK (source IN ('generated', 'p12')),
  private_key_pem  TEXT    CHECK (private_key_pem IS NULL OR source = 'generated'),
  active           INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  created_at       TEXT    NOT NULL,
  retired_at       TEXT
);
CREATE UNIQUE INDEX seal_certificates_one_active ON seal_certificates (active) WHERE active = 1;
CREATE TRIGGER seal_certificates_frozen
BEFORE UPDATE OF fingerprint, subject, not_before, not_after, certificate_pem, source, created_at ON seal_certificates
BEGIN
  SELECT RAISE(ABORT, 'a seal certificate cannot be changed');
END;
CREATE TRIGGER seal_certificates_key_kept BEFORE UPDATE OF private_key_pem ON seal_certificates
WHEN NEW.private_key_pem IS NOT NULL AND NEW.private_key_pem IS NOT OLD.private_key_pem
BEGIN
  SELECT RAISE(ABORT, 'a seal certificate cannot be changed');
END;
CREATE TRIGGER seal_certificates_no_delete BEFORE DELETE ON seal_certificates
BEGIN
  SELECT RAISE(ABORT, 'a seal certificate cannot be deleted');
END;
