import { sql } from 'kysely';
import { allRows, type Db } from '../db/database.js';
import { activationCondition } from '../directory/activation-sql.js';
import type { ExemptionReason } from '../pledges/exemptions/reasons.js';

/** A person as the compliance reports list them (admins and operators only: NIP and email in full). */
export interface ReportPerson {
  userId: number;
  fullName: string;
  nip: string | null;
  pangkat: string | null;
  position: string;
  email: string | null;
}

/** One signature of a person on the pact, valid or voided. */
export interface ReportSigning extends ReportPerson {
  signatureId: number;
  signedAt: string;
  receiptCode: string;
  status: 'valid' | 'voided';
}

/** One line of the detail export: a required person of a unit and whether they signed, or one exempt now. */
export interface DetailRow extends ReportPerson {
  unitCode: string;
  unitName: string;
  signedAt: string | null;
  receiptCode: string | null;
  /** Set for a person exempt from the pact now (after the unit's required people): why. */
  exemption?: { reason: ExemptionReason; note: string | null };
}

interface PersonRow {
  user_id: number;
  full_name: string;
  nip: string | null;
  pangkat: string | null;
  position: string;
  email: string | null;
}

const toPerson = (row: PersonRow): ReportPerson => ({
  userId: row.user_id,
  fullName: row.full_name,
  nip: row.nip,
  pangkat: row.pangkat,
  position: row.position,
  email: row.email,
});

/** People read at a time for an export. */
export const DETAIL_PAGE = 1000;

const PERSON_SELECT = sql`m.id AS user_id, m.full_name, m.nip, m.pangkat, m.position, m.email`;

/** FROM and WHERE of a unit's required people `m` who have no valid signature on the pact. */
const outstandingOf = (pactId: number, unitId: number) =>
  sql`FROM pact_required r JOIN users m ON m.id = r.user_id
      WHERE r.pact_id = ${pactId} AND r.unit_id = ${unitId}
        AND NOT EXISTS (SELECT 1 FROM signatures s
                        WHERE s.pact_id = r.pact_id AND s.user_id = m.id AND s.status = 'valid')`;

const idsOf = (rows: readonly { id: number }[]): Int32Array => Int32Array.from(rows, (row) => row.id);

/** Rows read by id (none read for no ids), made into items and put back in the order of the ids asked for. */
async function byIds<Row, T>(
  ids: readonly number[],
  read: (ids: readonly number[]) => Promise<Row[]>,
  make: (row: Row) => T,
  idOf: (item: T) => number,
): Promise<T[]> {
  const items = ids.length === 0 ? [] : (await read(ids)).map(make);
  const byId = new Map(items.map((item) => [idOf(item), item]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** FROM and WHERE of the signatures `s` (valid and voided) on the pact by a unit's required people `m`. */
const signingsOf = (pactId: number, unitId: number) =>
  sql`FROM pact_required r JOIN users m ON m.id = r.user_id
      JOIN signatures s ON s.pact_id = r.pact_id AND s.user_id = m.id
      WHERE r.pact_id = ${pactId} AND r.unit_id = ${unitId}`;

/** Who, person by person: a unit's outstanding signers and signatures (drill-down), every required person (export). */
export function peopleRepository(db: Db) {
  // The unit's required people are pact_required's rows for it (migration 013): the one rule, for either audience.
  const detailIds = async (pactId: number, unitId: number): Promise<number[]> =>
    (
      await allRows(
        db,
        sql<{ id: number }>`SELECT m.id AS id FROM pact_required r JOIN users m ON m.id = r.user_id
                            WHERE r.pact_id = ${pactId} AND r.unit_id = ${unitId}
                            ORDER BY m.full_name, m.id`,
      )
    ).map((row) => row.id);
  /** A detail line's columns, and its signature's, from people `m` of units `u` with their valid signature `s`. */
  const DETAIL_SELECT = sql`u.code AS unit_code, u.name AS unit_name, m.id AS user_id, m.full_name, m.nip, m.pangkat,
                            m.position, m.email, s.signed_at, s.receipt_code`;
  type DetailLine = PersonRow & {
    unit_code: string;
    unit_name: string;
    signed_at: string | null;
    receipt_code: string | null;
  };
  const detailPage = (pactId: number, unitId: number, ids: readonly number[]) =>
    allRows(
      db,
      sql<DetailLine>`
        SELECT ${DETAIL_SELECT}
        FROM pact_required r JOIN users m ON m.id = r.user_id JOIN units u ON u.id = r.unit_id
        LEFT JOIN signatures s ON s.pact_id = r.pact_id AND s.user_id = m.id AND s.status = 'valid'
        WHERE r.pact_id = ${pactId} AND r.unit_id = ${unitId} AND m.id IN (${sql.join(ids)})`,
    );
  // The unit's exempt people (pact_exempted, migration 023), with why.
  const exemptOf = (pactId: number, unitId: number) =>
    allRows(
      db,
      sql<DetailLine & { reason: ExemptionReason; note: string | null }>`
        SELECT ${DETAIL_SELECT}, e.reason, e.note
        FROM pact_exempted pe JOIN pact_exemptions e ON e.id = pe.exemption_id
        JOIN users m ON m.id = pe.user_id
        JOIN units u ON u.id = pe.unit_id
        LEFT JOIN signatures s ON s.pact_id = pe.pact_id AND s.user_id = m.id AND s.status = 'valid'
        WHERE pe.pact_id = ${pactId} AND pe.unit_id = ${unitId}
        ORDER BY m.full_name, m.id`,
    );

  return {
    /** Required people of the unit without a valid signature, by name. */
    outstanding: async (pactId: number, unitId: number): Promise<ReportPerson[]> =>
      (
        await allRows(
          db,
          sql<PersonRow>`SELECT ${PERSON_SELECT} ${outstandingOf(pactId, unitId)} ORDER BY m.full_name, m.id`,
        )
      ).map(toPerson),
    /** The ids of a unit's outstanding people in name order (the drill-down pages through them). */
    outstandingIds: async (pactId: number, unitId: number): Promise<Int32Array> =>
      idsOf(
        await allRows(
          db,
          sql<{ id: number }>`SELECT m.id ${outstandingOf(pactId, unitId)} ORDER BY m.full_name, m.id`,
        ),
      ),
    /** The same, of those who have a letter and never came ("belum aktivasi"). */
    notActivatedIds: async (pactId: number, unitId: number): Promise<Int32Array> =>
      idsOf(
        await allRows(
          db,
          sql<{
            id: number;
          }>`SELECT m.id ${outstandingOf(pactId, unitId)} AND ${activationCondition('letter', 'm')}
                              ORDER BY m.full_name, m.id`,
        ),
      ),
    /** These people as the reports list them, in the order given. */
    peopleByIds: (ids: readonly number[]): Promise<ReportPerson[]> =>
      byIds(
        ids,
        (some) =>
          allRows(db, sql<PersonRow>`SELECT ${PERSON_SELECT} FROM users m WHERE m.id IN (${sql.join(some)})`),
        toPerson,
        (person) => person.userId,
      ),
    /** The ids of the signatures (valid and voided) on the pact by a unit's required people, newest first. */
    signingIds: async (pactId: number, unitId: number): Promise<Int32Array> =>
      idsOf(
        await allRows(
          db,
          sql<{ id: number }>`SELECT s.id ${signingsOf(pactId, unitId)} ORDER BY s.signed_at DESC, s.id DESC`,
        ),
      ),
    /** These signatures with their signers, in the order given. */
    signingsByIds: (ids: readonly number[]): Promise<ReportSigning[]> =>
      byIds(
        ids,
        (some) =>
          allRows(
            db,
            sql<
              PersonRow & { id: number; signed_at: string; receipt_code: string; status: 'valid' | 'voided' }
            >`
              SELECT s.id, ${PERSON_SELECT}, s.signed_at, s.receipt_code, s.status
              FROM signatures s JOIN users m ON m.id = s.user_id WHERE s.id IN (${sql.join(some)})`,
          ),
        (row) => ({
          signatureId: row.id,
          ...toPerson(row),
          signedAt: row.signed_at,
          receiptCode: row.receipt_code,
          status: row.status,
        }),
        (signing) => signing.signatureId,
      ),
    /**
     * Every required person of these units (in the order given, each unit's by name) with their valid signing, for
     * exports. Read a page at a time: an export waits on a slow reader between rows, and an open SQLite cursor
     * would keep the connection busy (no signing could be written) for as long as it waits; a unit's people read
     * at once were 25 MB of the worker's heap for a unit of 50,000. Each page is as the directory is when it is
     * read; a person who left the unit meanwhile is left out.
     */
    async *detail(pactId: number, unitIds: readonly number[]): AsyncGenerator<DetailRow> {
      for (const unitId of unitIds) {
        const ids = await detailIds(pactId, unitId);
        for (let start = 0; start < ids.length; start += DETAIL_PAGE) {
          const page = ids.slice(start, start + DETAIL_PAGE);
          const rows = new Map((await detailPage(pactId, unitId, page)).map((row) => [row.user_id, row]));
          for (const id of page) {
            const row = rows.get(id);
            if (!row) continue;
            yield {
              ...toPerson(row),
              unitCode: row.unit_code,
              unitName: row.unit_name,
              signedAt: row.signed_at,
              receiptCode: row.receipt_code,
            };
          }
        }
        // Then those of the unit exempt now (few): every report shows them, with why.
        for (const row of await exemptOf(pactId, unitId)) {
          yield {
            ...toPerson(row),
            unitCode: row.unit_code,
            unitName: row.unit_name,
            signedAt: row.signed_at,
            receiptCode: row.receipt_code,
            exemption: { reason: row.reason, note: row.note },
          };
        }
      }
    },
  };
}

export type PeopleRepository = ReturnType<typeof peopleRepository>;
