import { type RawBuilder, sql } from 'kysely';
import { allRows, countOf, type Db, firstRow, run } from '../db/database.js';
import type { HeadKind } from '../directory/head-kind.js';
import type { PaperFacts, Signature, SignatureStatus, SigningMethod } from './types.js';

interface SignatureRow {
  id: number;
  pact_id: number;
  user_id: number;
  full_name: string;
  nip: string | null;
  position: string;
  pangkat: string | null;
  unit_id: number | null;
  unit_name: string;
  was_head: number;
  head_kind: HeadKind | null;
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
  method: SigningMethod;
  paper_signed_on: string | null;
  paper_place: string | null;
  paper_witness: string | null;
  paper_scan_id: number | null;
  recorded_by: number | null;
  recorded_at: string | null;
  paper_scan_sha256: string | null;
}

const toPaper = (row: SignatureRow): PaperFacts | null =>
  row.method === 'paper'
    ? {
        signedOn: row.paper_signed_on as string,
        place: row.paper_place as string,
        witness: row.paper_witness as string,
        scanId: row.paper_scan_id as number,
        scanSha256: row.paper_scan_sha256 as string,
        recordedBy: row.recorded_by,
        recordedAt: row.recorded_at as string,
      }
    : null;

const toSignature = (row: SignatureRow): Signature => ({
  id: row.id,
  pactId: row.pact_id,
  userId: row.user_id,
  fullName: row.full_name,
  nip: row.nip,
  position: row.position,
  pangkat: row.pangkat,
  unitId: row.unit_id,
  unitName: row.unit_name,
  wasHead: row.was_head === 1,
  headKind: row.head_kind,
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
  method: row.method,
  paper: toPaper(row),
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
  | 'pangkat'
  | 'unitId'
  | 'unitName'
  | 'wasHead'
  | 'headKind'
  | 'signedAt'
  | 'ip'
  | 'userAgent'
  | 'signatureSha256'
  | 'pactBodySha256'
  | 'receiptCode'
  | 'method'
  | 'paper'
> & { signaturePng: Buffer | null };

// Every column but the image, which only the receipt page of its owner or an admin needs.
const COLUMNS = `id, pact_id, user_id, full_name, nip, position, pangkat, unit_id, unit_name, was_head, head_kind,
  signed_at, ip, user_agent, signature_sha256, pact_body_sha256, receipt_code, ledger_seq, status, voided_at, voided_by,
  void_reason, method, paper_signed_on, paper_place, paper_witness, paper_scan_id, recorded_by, recorded_at`;

/** The hash of a paper signing's scan, which its ledger entry commits to; `s` is the signatures table's alias. */
const scanSha256Of = (s: string) =>
  `(SELECT sc.sha256 FROM scans sc WHERE sc.id = ${s}paper_scan_id) AS paper_scan_sha256`;

const columns = sql.raw(`${COLUMNS}, ${scanSha256Of('')}`);

export function signatureRepository(db: Db) {
  const withLedgerPage = (afterId: number, limit: number) =>
    allRows(
      db,
      sql<SignatureLedgerRow>`
        SELECT ${sql.raw(COLUMNS.replace(/(\w+)/g, 's.$1'))}, ${sql.raw(scanSha256Of('s.'))}, s.signature_png, p.version AS pact_version,
               l.kind AS sign_kind, l.signature_id AS sign_signature_id, l.payload AS sign_payload,
               v.payload AS void_payload, v.seq AS void_seq
        FROM signatures s
        JOIN pacts p ON p.id = s.pact_id
        LEFT JOIN ledger l ON l.seq = s.ledger_seq
        LEFT JOIN ledger v ON v.signature_id = s.id AND v.kind = 'void'
        WHERE s.id > ${afterId}
        ORDER BY s.id
        LIMIT ${limit}`,
    );
  const one = async (query: RawBuilder<SignatureRow>): Promise<Signature | undefined> => {
    const row = await firstRow(db, query);
    return row && toSignature(row);
  };

  return {
    insert: async (s: NewSignature): Promise<number> => {
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO signatures (pact_id, user_id, full_name, nip, position, pangkat, unit_id, unit_name, was_head,
                                  head_kind, signed_at, ip, user_agent, signature_png, signature_sha256, pact_body_sha256,
                                  receipt_code, method, paper_signed_on, paper_place, paper_witness, paper_scan_id,
                                  recorded_by, recorded_at)
          VALUES (${s.pactId}, ${s.userId}, ${s.fullName}, ${s.nip}, ${s.position}, ${s.pangkat}, ${s.unitId}, ${s.unitName},
                  ${s.wasHead ? 1 : 0}, ${s.headKind}, ${s.signedAt}, ${s.ip}, ${s.userAgent}, ${s.signaturePng},
                  ${s.signatureSha256}, ${s.pactBodySha256}, ${s.receiptCode}, ${s.method},
                  ${s.paper?.signedOn ?? null}, ${s.paper?.place ?? null}, ${s.paper?.witness ?? null},
                  ${s.paper?.scanId ?? null}, ${s.paper?.recordedBy ?? null}, ${s.paper?.recordedAt ?? null})
          RETURNING id`,
      );
      return (row as { id: number }).id;
    },
    setLedgerSeq: async (id: number, seq: number): Promise<void> => {
      await run(db, sql`UPDATE signatures SET ledger_seq = ${seq} WHERE id = ${id}`);
    },
    findById: (id: number) => one(sql`SELECT ${columns} FROM signatures WHERE id = ${id}`),
    findByReceiptCode: (code: string) =>
      one(sql`SELECT ${columns} FROM signatures WHERE receipt_code = ${code}`),
    findValid: (pactId: number, userId: number) =>
      one(
        sql`SELECT ${columns} FROM signatures WHERE pact_id = ${pactId} AND user_id = ${userId} AND status = 'valid'`,
      ),
    forUser: async (userId: number): Promise<Signature[]> =>
      (
        await allRows(
          db,
          sql<SignatureRow>`SELECT ${columns} FROM signatures WHERE user_id = ${userId} ORDER BY signed_at DESC`,
        )
      ).map(toSignature),
    image: async (id: number): Promise<Buffer | null> =>
      (
        await firstRow(
          db,
          sql<{ png: Buffer | null }>`SELECT signature_png AS png FROM signatures WHERE id = ${id}`,
        )
      )?.png ?? null,
    /** Marks a valid signature voided; false when it was not valid (nothing changed). */
    void: async (id: number, by: number, reason: string, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE signatures SET status = 'voided', voided_at = ${at.toISOString()}, voided_by = ${by},
                                  void_reason = ${reason}
            WHERE id = ${id} AND status = 'valid'`,
      )) > 0,
    /** The most recent signings of a pact, voided ones included. */
    latest: async (pactId: number, limit: number): Promise<Signature[]> =>
      (
        await allRows(
          db,
          sql<SignatureRow>`SELECT ${columns} FROM signatures WHERE pact_id = ${pactId}
                            ORDER BY signed_at DESC, id DESC LIMIT ${limit}`,
        )
      ).map(toSignature),
    countValid: (pactId: number): Promise<number> =>
      countOf(db, sql`SELECT count(*) AS n FROM signatures WHERE pact_id = ${pactId} AND status = 'valid'`),
    /**
     * Every signature with its image, its pact's version and the ledger entries that record it (for the check), read
     * a page at a time.
     */
    async *withLedger(): AsyncGenerator<SignatureWithLedger> {
      for (let afterId = 0; ; ) {
        const page = await withLedgerPage(afterId, LEDGER_PAGE);
        for (const row of page) {
          yield {
            signature: toSignature(row),
            png: row.signature_png,
            pactVersion: row.pact_version,
            sign:
              row.sign_payload === null
                ? null
                : { kind: row.sign_kind, signatureId: row.sign_signature_id, payload: row.sign_payload },
            void:
              row.void_payload === null ? null : { seq: row.void_seq as number, payload: row.void_payload },
          };
        }
        if (page.length < LEDGER_PAGE) return;
        afterId = (page.at(-1) as SignatureLedgerRow).id;
      }
    },
    /** The units (as signed) of the pact's paper signings that a scan stands behind, voided ones included. */
    unitsOfScan: async (pactId: number, scanId: number): Promise<(number | null)[]> =>
      (
        await allRows(
          db,
          sql<{ unit_id: number | null }>`SELECT DISTINCT unit_id FROM signatures
                                          WHERE pact_id = ${pactId} AND paper_scan_id = ${scanId}`,
        )
      ).map((row) => row.unit_id),
    receiptCodeExists: async (code: string): Promise<boolean> =>
      (await firstRow(db, sql`SELECT 1 AS found FROM signatures WHERE receipt_code = ${code}`)) !== undefined,
  };
}

/** Signatures with their images read at once by the ledger check. */
const LEDGER_PAGE = 500;

export type SignatureRepository = ReturnType<typeof signatureRepository>;
