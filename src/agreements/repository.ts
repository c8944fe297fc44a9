import { type RawBuilder, sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../db/database.js';
import { anyCase, inTexts } from '../db/dialect.js';
import {
  type Agreement,
  type AgreementScope,
  type AgreementStatus,
  type AgreementUnit,
  kindsOf,
  type RecordFacts,
  type RecordStatus,
  type RecordVersion,
} from './types.js';

/** What an admin writes of an agreement. */
export interface AgreementFields {
  title: string;
  description: string;
  scope: AgreementScope;
  parentUnitId: number | null;
  deadlineOn: string | null;
}

interface AgreementRow {
  id: number;
  title: string;
  description: string;
  unit_kind: AgreementScope;
  parent_unit_id: number | null;
  deadline_on: string | null;
  status: AgreementStatus;
  opened_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

const toAgreement = (row: AgreementRow): Agreement => ({
  id: row.id,
  title: row.title,
  description: row.description,
  scope: row.unit_kind,
  parentUnitId: row.parent_unit_id,
  deadlineOn: row.deadline_on,
  status: row.status,
  openedAt: row.opened_at,
  closedAt: row.closed_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

interface FactsRow {
  status: RecordStatus;
  signed_on: string | null;
  document_number: string | null;
  parties: string | null;
  scan_id: number | null;
  note: string | null;
}

const toFacts = (row: FactsRow): RecordFacts => ({
  status: row.status,
  signedOn: row.signed_on,
  documentNumber: row.document_number,
  parties: row.parties,
  scanId: row.scan_id,
  note: row.note,
});

interface UnitRow {
  unit_id: number;
  code: string;
  name: string;
  kind: string;
  // The record's columns, all null when the unit has none.
  status: RecordStatus | null;
  signed_on: string | null;
  document_number: string | null;
  parties: string | null;
  scan_id: number | null;
  note: string | null;
  recorded_at: string | null;
}

const toUnit = (row: UnitRow): AgreementUnit => {
  const record =
    row.status === null ? null : { ...toFacts(row as FactsRow), recordedAt: row.recorded_at as string };
  return {
    unitId: row.unit_id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    state: record?.status === 'signed' ? 'signed' : 'outstanding',
    record,
  };
};

export type AgreementRepository = ReturnType<typeof agreementRepository>;

export function agreementRepository(db: Db) {
  const one = async (query: RawBuilder<AgreementRow>) => {
    const row = await firstRow(db, query);
    return row && toAgreement(row);
  };
  const many = async (query: RawBuilder<AgreementRow>) => (await allRows(db, query)).map(toAgreement);

  /**
   * The active units an agreement counts (its scope's kinds, under its parent unit when it names one), each with its
   * record, optionally only `unitId`. A prefix test on `units.path` (migration 013) for the subtree.
   */
  const unitsInScope = (agreement: Agreement, unitId: number | null) =>
    allRows(
      db,
      sql<UnitRow>`
        SELECT u.id AS unit_id, u.code, u.name, u.kind, r.status, r.signed_on, r.document_number, r.parties,
               r.scan_id, r.note, r.recorded_at
        FROM units u
        LEFT JOIN unit_agreement_records r ON r.agreement_id = ${agreement.id} AND r.unit_id = u.id
        WHERE u.active = 1 AND ${inTexts(db, sql`u.kind`, kindsOf(agreement.scope))}
          ${
            agreement.parentUnitId === null
              ? sql``
              : sql`AND EXISTS (SELECT 1 FROM units p
                                WHERE p.id = ${agreement.parentUnitId}
                                  AND substr(u.path, 1, length(p.path)) = p.path)`
          }
          ${unitId === null ? sql`` : sql`AND u.id = ${unitId}`}
        ORDER BY ${anyCase(db, sql`u.name`)}, u.id`,
    );

  return {
    findById: (id: number): Promise<Agreement | undefined> =>
      one(sql`SELECT * FROM unit_agreements WHERE id = ${id}`),

    /** Every agreement, the newest first (the admin's list). */
    list: (): Promise<Agreement[]> => many(sql`SELECT * FROM unit_agreements ORDER BY id DESC`),

    /** The agreements the public sees: the open ones, then the closed, each the newest first. */
    listPublished: (): Promise<Agreement[]> =>
      many(sql`
        SELECT * FROM unit_agreements WHERE status <> 'draft'
        ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, id DESC`),

    insert: async (fields: AgreementFields, createdBy: number | null, at: Date): Promise<number> => {
      const now = at.toISOString();
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO unit_agreements (title, description, unit_kind, parent_unit_id, deadline_on, created_by,
                                       created_at, updated_at)
          VALUES (${fields.title}, ${fields.description}, ${fields.scope}, ${fields.parentUnitId},
                  ${fields.deadlineOn}, ${createdBy}, ${now}, ${now})
          RETURNING id`,
      );
      return (row as { id: number }).id;
    },

    /** Writes the fields of an agreement that is not closed; false when it is (the caller re-reads it first). */
    update: async (id: number, fields: AgreementFields, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE unit_agreements
            SET title = ${fields.title}, description = ${fields.description}, unit_kind = ${fields.scope},
                parent_unit_id = ${fields.parentUnitId}, deadline_on = ${fields.deadlineOn},
                updated_at = ${at.toISOString()}
            WHERE id = ${id} AND status <> 'closed'`,
      )) === 1,

    /** Draft → open; false when it was not a draft. */
    open: async (id: number, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE unit_agreements SET status = 'open', opened_at = ${at.toISOString()},
                                       updated_at = ${at.toISOString()}
            WHERE id = ${id} AND status = 'draft'`,
      )) === 1,

    /** Open → closed; false when it was not open. */
    close: async (id: number, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE unit_agreements SET status = 'closed', closed_at = ${at.toISOString()},
                                       updated_at = ${at.toISOString()}
            WHERE id = ${id} AND status = 'open'`,
      )) === 1,

    /** Every unit the agreement counts, with its record: the outstanding and the signed alike, by name. */
    units: async (agreement: Agreement): Promise<AgreementUnit[]> =>
      (await unitsInScope(agreement, null)).map(toUnit),

    /** One unit with its record, if the agreement counts it. */
    unit: async (agreement: Agreement, unitId: number): Promise<AgreementUnit | undefined> => {
      const [row] = await unitsInScope(agreement, unitId);
      return row && toUnit(row);
    },

    /** Writes a unit's record as it now stands (made or corrected) and adds it to the record's history. */
    setRecord: async (
      agreementId: number,
      unitId: number,
      facts: RecordFacts,
      recordedBy: number | null,
      at: Date,
    ): Promise<void> => {
      const now = at.toISOString();
      await run(
        db,
        sql`INSERT INTO unit_agreement_records (agreement_id, unit_id, status, signed_on, document_number, parties,
                                                scan_id, note, recorded_by, recorded_at)
            VALUES (${agreementId}, ${unitId}, ${facts.status}, ${facts.signedOn}, ${facts.documentNumber},
                    ${facts.parties}, ${facts.scanId}, ${facts.note}, ${recordedBy}, ${now})
            ON CONFLICT (agreement_id, unit_id) DO UPDATE
            SET status = excluded.status, signed_on = excluded.signed_on, document_number = excluded.document_number,
                parties = excluded.parties, scan_id = excluded.scan_id, note = excluded.note,
                recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
      );
      await run(
        db,
        sql`INSERT INTO unit_agreement_record_history (agreement_id, unit_id, status, signed_on, document_number,
                                                       parties, scan_id, note, recorded_by, recorded_at)
            VALUES (${agreementId}, ${unitId}, ${facts.status}, ${facts.signedOn}, ${facts.documentNumber},
                    ${facts.parties}, ${facts.scanId}, ${facts.note}, ${recordedBy}, ${now})`,
      );
    },

    /** Every version of a unit's record, the newest first, with who recorded it. */
    history: async (agreementId: number, unitId: number): Promise<RecordVersion[]> =>
      (
        await allRows(
          db,
          sql<
            FactsRow & {
              id: number;
              recorded_by: number | null;
              full_name: string | null;
              recorded_at: string;
            }
          >`
            SELECT h.id, h.status, h.signed_on, h.document_number, h.parties, h.scan_id, h.note, h.recorded_by,
                   u.full_name, h.recorded_at
            FROM unit_agreement_record_history h LEFT JOIN users u ON u.id = h.recorded_by
            WHERE h.agreement_id = ${agreementId} AND h.unit_id = ${unitId}
            ORDER BY h.id DESC`,
        )
      ).map((row) => ({
        ...toFacts(row),
        id: row.id,
        recordedBy: row.recorded_by,
        recordedByName: row.full_name,
        recordedAt: row.recorded_at,
      })),

    /** Whether a version of this unit's record ever named the scan (so that it may be downloaded from here). */
    namesScan: async (agreementId: number, unitId: number, scanId: number): Promise<boolean> =>
      (await firstRow(
        db,
        sql<{ one: number }>`
          SELECT 1 AS one FROM unit_agreement_record_history
          WHERE agreement_id = ${agreementId} AND unit_id = ${unitId} AND scan_id = ${scanId}
          LIMIT 1`,
      )) !== undefined,
  };
}
