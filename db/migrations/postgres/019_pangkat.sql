-- Pangkat/golongan (rank and grade, e.g. 'Pembina Tk. I, IV/b'): kept for each person, editable, read from SIASN's
-- GOL_AKHIR_NAMA, and copied onto each signature with the other facts of the signer, which cannot change after.
ALTER TABLE users ADD COLUMN pangkat TEXT CHECK (pangkat IS NULL OR length(pangkat) BETWEEN 1 AND 60);
ALTER TABLE signatures ADD COLUMN pangkat TEXT;

DROP TRIGGER signatures_facts_frozen ON signatures;
CREATE TRIGGER signatures_facts_frozen BEFORE UPDATE OF pact_id, user_id, full_name, nip, position, pangkat, unit_id,
  unit_name, was_head, signed_at, ip, user_agent, signature_png, signature_sha256, pact_body_sha256, receipt_code
  ON signatures
FOR EACH ROW EXECUTE FUNCTION ikrar_refuse('a signature cannot be changed');
