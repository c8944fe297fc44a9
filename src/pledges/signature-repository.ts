import type { Db } from '../db/database.js';
import type { Signature, SignatureStatus } from './types.js';

interface SignatureRow {
  id: number;
  pact_id: number;
  user_id: number;
  full_name: string;
  nip: string | null;
  position: string;
  unit_id: number | null;
  unit_name: string;
  was_head: number;
  signed_at: string;
  ip: string | null;
  user_agent: string | null;
  signature_sha256: string | null;
  pact_body_sha256: string;
  receipt_code: string;
  ledger_seq: number | null;
  status: SignatureStatus;
  voided_at: string | null;
  voided_by: number | null;
  void_reason: string | null;
}

const toSignature = (row: SignatureRow): Signature => ({
  id: row.id,
  pactId: row.pact_id,
  userId: row.user_id,
  fullName: row.full_name,
  nip: row.nip,
  position: row.position,
  unitId: row.unit_id,
  unitName: row.unit_name,
  wasHead: row.was_head === 1,
  signedAt: row.signed_at,
  ip: row.ip,
  userAgent: row.user_agent,
  signatureSha256: row.signature_sha256,
  pactBodySha256: row.pact_body_sha256,
  receiptCode: row.receipt_code,
  ledgerSeq: row.ledger_seq,
  status: row.status,
  voidedAt: row.voided_at,
  voidedBy: row.voided_by,
  voidReason: row.void_reason,
});

interface SignatureLedgerRow extends SignatureRow {
  signature_png: Buffer | null;
  pact_version: number;
  sign_kind: string | null;
  sign_signature_id: number | null;
  sign_payload: string | null;
  void_payload: string | null;
  void_seq: number | null;
}

export interface SignatureWithLedger {
  signature: Signature;
  png: Buffer | null;
  pactVersion: number;
  sign: { kind: string | null; signatureId: number | null; payload: string } | null;
  void: { seq: number; payload: string } | null;
}

/** What a signing stores: the facts of a Signature that exist at that moment, and the drawing itself. */
export type NewSignature = Pick<
  Signature,
  | 'pactId'
  | 'userId'
  | 'fullName'
  | 'nip'
  | 'position'
  | 'unitId'
  | 'unitName'
  | 'wasHead'
  | 'signedAt'
  | 'ip'
  | 'userAgent'
  | 'signatureSha256'
  | 'pactBodySha256'
  | 'receiptCode'
> & { signaturePng: Buffer | null };

// Every column but the image, which only the receipt page of its owner or an admin needs.
const COLUMNS = `id, pact_id, user_id, full_name, nip, position, unit_id, unit_name, was_head, signed_at, ip,
  user_agent, signature_sha256, pact_body_sha256, receipt_code, ledger_seq, status, voided_at, voided_by, void_reason`;

export function signatureRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO signatures (pact_id, user_id, full_name, nip, position, unit_id, unit_name, was_head, signed_at, ip,
                             user_agent, signature_png, signature_sha256, pact_body_sha256, receipt_code)
     VALUES (@pactId, @userId, @fullName, @nip, @position, @unitId, @unitName, @wasHead, @signedAt, @ip,
             @userAgent, @signaturePng, @signatureSha256, @pactBodySha256, @receiptCode)`,
  );
  const setLedgerSeq = db.prepare('UPDATE signatures SET ledger_seq = ? WHERE id = ?');
  const byId = db.prepare<[number], SignatureRow>(`SELECT ${COLUMNS} FROM signatures WHERE id = ?`);
  const byReceipt = db.prepare<[string], SignatureRow>(
    `SELECT ${COLUMNS} FROM signatures WHERE receipt_code = ?`,
  );
  const validFor = db.prepare<[number, number], SignatureRow>(
    `SELECT ${COLUMNS} FROM signatures WHERE pact_id = ? AND user_id = ? AND status = 'valid'`,
  );
  const forUser = db.prepare<[number], SignatureRow>(
    `SELECT ${COLUMNS} FROM signatures WHERE user_id = ? ORDER BY signed_at DESC`,
  );
  const image = db
    .prepare<[number], Buffer | null>('SELECT signature_png FROM signatures WHERE id = ?')
    .pluck();
  const voidOne = db.prepare(
    `UPDATE signatures SET status = 'voided', voided_at = @at, voided_by = @by, void_reason = @reason
     WHERE id = @id AND status = 'valid'`,
  );
  const latest = db.prepare<[number, number], SignatureRow>(
    `SELECT ${COLUMNS} FROM signatures WHERE pact_id = ? ORDER BY signed_at DESC, id DESC LIMIT ?`,
  );
  const countValid = db
    .prepare<[number], number>("SELECT count(*) FROM signatures WHERE pact_id = ? AND status = 'valid'")
    .pluck();
  const withLedger = db.prepare<[], SignatureLedgerRow>(
    `SELECT ${COLUMNS.replace(/(\w+)/g, 's.$1')}, s.signature_png, p.version AS pact_version,
            l.kind AS sign_kind, l.signature_id AS sign_signature_id, l.payload AS sign_payload,
            v.payload AS void_payload, v.seq AS void_seq
     FROM signatures s
     JOIN pacts p ON p.id = s.pact_id
     LEFT JOIN ledger l ON l.seq = s.ledger_seq
     LEFT JOIN ledger v ON v.signature_id = s.id AND v.kind = 'void'
     ORDER BY s.id`,
  );
  const receiptExists = db
    .prepare<[string], number>('SELECT count(*) FROM signatures WHERE receipt_code = ?')
    .pluck();

  return {
    insert: (signature: NewSignature): number =>
      Number(insert.run({ ...signature, wasHead: signature.wasHead ? 1 : 0 }).lastInsertRowid),
    setLedgerSeq: (id: number, seq: number): void => {
      setLedgerSeq.run(seq, id);
    },
    findById: (id: number): Signature | undefined => {
      const row = byId.get(id);
      return row && toSignature(row);
    },
    findByReceiptCode: (code: string): Signature | undefined => {
      const row = byReceipt.get(code);
      return row && toSignature(row);
    },
    findValid: (pactId: number, userId: number): Signature | undefined => {
      const row = validFor.get(pactId, userId);
      return row && toSignature(row);
    },
    forUser: (userId: number): Signature[] => forUser.all(userId).map(toSignature),
    image: (id: number): Buffer | null => image.get(id) ?? null,
    /** Marks a valid signature voided; false when it was not valid (nothing changed). */
    void: (id: number, by: number, reason: string, at: Date): boolean =>
      voidOne.run({ id, by, reason, at: at.toISOString() }).changes > 0,
    /** The most recent signings of a pact, voided ones included. */
    latest: (pactId: number, limit: number): Signature[] => latest.all(pactId, limit).map(toSignature),
    countValid: (pactId: number): number => countValid.get(pactId) as number,
    /** Every signature with its image, its pact's version and the ledger entries that record it (for the check). */
    *withLedger(): Generator<SignatureWithLedger> {
      for (const row of withLedger.iterate()) {
        yield {
          signature: toSignature(row),
          png: row.signature_png,
          pactVersion: row.pact_version,
          sign:
            row.sign_payload === null
              ? null
              : { kind: row.sign_kind, signatureId: row.sign_signature_id, payload: row.sign_payload },
          void: row.void_payload === null ? null : { seq: row.void_seq as number, payload: row.void_payload },
        };
      }
    },
    receiptCodeExists: (code: string): boolean => (receiptExists.get(code) as number) > 0,
  };
}

export type SignatureRepository = ReturnType<typeof signatureRepository>;
