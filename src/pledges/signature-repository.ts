import { type RawBuilder, sql } from 'kysely';
import { allRows, countOf, type Db, firstRow, run } from '../db/database.js';
import { inIds } from '../db/dialect.js';
import type { HeadKind } from '../directory/head-kind.js';
import type {
  ImageRemovedWhy,
  PaperFacts,
  Signature,
  SignatureStatus,
  SignerSnapshot,
  SigningMethod,
} from './types.js';

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
  person_salt: string | null;
  anonymised_at: string | null;
  image_removed_at: string | null;
  image_removed_why: ImageRemovedWhy | null;
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
  personSalt: row.person_salt,
  anonymisedAt: row.anonymised_at,
  imageRemoved:
    row.image_removed_at === null
      ? null
      : { at: row.image_removed_at, why: row.image_removed_why as ImageRemovedWhy },
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

/** A person's signing as their own data page shows it: with its pact, the people named and whether the drawing is kept. */
export interface PersonSigning {
  signature: Signature;
  pactTitle: string;
  pactVersion: number;
  /** Who recorded a signing on paper (null: online, or recorded by the system). */
  recordedByName: string | null;
  /** The admin who voided it, if voided. */
  voidedByName: string | null;
  /** Whether the drawn image is still stored (it may have been deleted under the retention rule; its hash stays). */
  imageKept: boolean;
}

interface PersonSigningRow extends SignatureRow {
  pact_title: string;
  pact_version: number;
  recorded_by_name: string | null;
  voided_by_name: string | null;
  image_kept: number;
}

/** What a signing stores: the facts of a Signature that exist at that moment, and the drawing itself. */
export type NewSignature = SignerSnapshot &
  Pick<
    Signature,
    | 'pactId'
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
  void_reason, method, paper_signed_on, paper_place, paper_witness, paper_scan_id, recorded_by, recorded_at, person_salt,
  anonymised_at, image_removed_at, image_removed_why`;

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
                                  recorded_by, recorded_at, person_salt)
          VALUES (${s.pactId}, ${s.userId}, ${s.fullName}, ${s.nip}, ${s.position}, ${s.pangkat}, ${s.unitId}, ${s.unitName},
                  ${s.wasHead ? 1 : 0}, ${s.headKind}, ${s.signedAt}, ${s.ip}, ${s.userAgent}, ${s.signaturePng},
                  ${s.signatureSha256}, ${s.pactBodySha256}, ${s.receiptCode}, ${s.method},
                  ${s.paper?.signedOn ?? null}, ${s.paper?.place ?? null}, ${s.paper?.witness ?? null},
                  ${s.paper?.scanId ?? null}, ${s.paper?.recordedBy ?? null}, ${s.paper?.recordedAt ?? null},
                  ${s.personSalt})
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
    /** Every signing of one person, voided ones included, newest first, with what their data page shows beside it. */
    ofPerson: async (userId: number): Promise<PersonSigning[]> =>
      (
        await allRows(
          db,
          sql<PersonSigningRow>`
            SELECT ${sql.raw(COLUMNS.replace(/(\w+)/g, 's.$1'))}, ${sql.raw(scanSha256Of('s.'))},
                   p.title AS pact_title, p.version AS pact_version, r.full_name AS recorded_by_name,
                   v.full_name AS voided_by_name, CASE WHEN s.signature_png IS NULL THEN 0 ELSE 1 END AS image_kept
            FROM signatures s
            JOIN pacts p ON p.id = s.pact_id
            LEFT JOIN users r ON r.id = s.recorded_by
            LEFT JOIN users v ON v.id = s.voided_by
            WHERE s.user_id = ${userId}
            ORDER BY s.signed_at DESC, s.id DESC`,
        )
      ).map((row) => ({
        signature: toSignature(row),
        pactTitle: row.pact_title,
        pactVersion: row.pact_version,
        recordedByName: row.recorded_by_name,
        voidedByName: row.voided_by_name,
        imageKept: Number(row.image_kept) === 1,
      })),
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
    /**
     * Up to `limit` signatures whose drawing is still kept and whose pact was closed before `closedBefore` (ISO):
     * what the retention rule deletes next. Only a closed pact: one still open, even past its deadline, may be
     * extended and signed again.
     */
    imagesPastRetention: async (closedBefore: string, limit: number): Promise<number[]> =>
      (
        await allRows(
          db,
          sql<{ id: number }>`
            SELECT s.id FROM pacts p
            JOIN signatures s ON s.pact_id = p.id AND s.signature_png IS NOT NULL
            WHERE p.status = 'closed' AND p.closed_at IS NOT NULL AND p.closed_at < ${closedBefore}
            ORDER BY s.id LIMIT ${limit}`,
        )
      ).map((row) => row.id),
    /** Deletes the drawings of these signatures (their hashes stay); returns how many were still there. */
    removeImages: (ids: readonly number[], why: ImageRemovedWhy, at: Date): Promise<number> =>
      ids.length === 0
        ? Promise.resolve(0)
        : run(
            db,
            sql`UPDATE signatures SET signature_png = NULL, image_removed_at = ${at.toISOString()},
                                      image_removed_why = ${why}
                WHERE ${inIds(db, sql`id`, ids)} AND signature_png IS NOT NULL`,
          ),
    /**
     * Replaces the personal data of a person's signatures with `fullName` and removes the rest (NIP, position,
     * pangkat, device, the commitment's salt) and their drawings (their hashes stay). Signatures already anonymised
     * are left as they are. Returns how many were anonymised now.
     */
    anonymiseSigner: async (userId: number, fullName: string, at: Date): Promise<number> => {
      const now = at.toISOString();
      // The drawings first, on their own: the guard on a signature allows each change once and as a whole.
      await run(
        db,
        sql`UPDATE signatures SET signature_png = NULL, image_removed_at = ${now}, image_removed_why = 'anonymised'
            WHERE user_id = ${userId} AND signature_png IS NOT NULL`,
      );
      return run(
        db,
        sql`UPDATE signatures SET full_name = ${fullName}, nip = NULL, position = '', pangkat = NULL, ip = NULL,
                                  user_agent = NULL, person_salt = NULL, anonymised_at = ${now}
            WHERE user_id = ${userId} AND anonymised_at IS NULL`,
      );
    },
    /**
     * How many of a person's signatures (not anonymised) cannot be anonymised without breaking the check of their
     * ledger entry: those without a salt or recorded by a format-1 entry (the ledger's upgrade has not run).
     */
    countNotCommitted: (userId: number): Promise<number> =>
      countOf(
        db,
        sql`SELECT count(*) AS n FROM signatures s LEFT JOIN ledger l ON l.seq = s.ledger_seq
            WHERE s.user_id = ${userId} AND s.anonymised_at IS NULL AND (s.person_salt IS NULL OR l.format = 1)`,
      ),
    /** The ids of the signatures (not anonymised) that have no salt yet: those made before migration 028. */
    idsWithoutSalt: async (): Promise<number[]> =>
      (
        await allRows(
          db,
          sql<{ id: number }>`SELECT id FROM signatures WHERE person_salt IS NULL AND anonymised_at IS NULL
                              ORDER BY id`,
        )
      ).map((row) => row.id),
    /** Gives a signature made before migration 028 its salt (the ledger's upgrade; once). */
    setPersonSalt: async (id: number, salt: string): Promise<void> => {
      await run(
        db,
        sql`UPDATE signatures SET person_salt = ${salt} WHERE id = ${id} AND person_salt IS NULL`,
      );
    },
    /** Every signature's salt by id (those that have one): what the ledger's upgrade commits with. */
    personSalts: async (): Promise<Map<number, string>> =>
      new Map(
        (
          await allRows(
            db,
            sql<{ id: number; person_salt: string }>`SELECT id, person_salt FROM signatures
                                                    WHERE person_salt IS NOT NULL`,
          )
        ).map((row) => [row.id, row.person_salt]),
      ),
    receiptCodeExists: async (code: string): Promise<boolean> =>
      (await firstRow(db, sql`SELECT 1 AS found FROM signatures WHERE receipt_code = ${code}`)) !== undefined,
  };
}

/** Signatures with their images read at once by the ledger check. */
const LEDGER_PAGE = 500;

export type SignatureRepository = ReturnType<typeof signatureRepository>;
