import { sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../../db/database.js';
import type { ExemptionReason } from './reasons.js';

export interface NewExemption {
  pactId: number;
  userId: number;
  reason: ExemptionReason;
  note: string | null;
  startsOn: string;
  endsOn: string | null;
  startsAt: Date;
  endsAt: Date | null;
  createdBy: number | null;
  createdAt: Date;
}

/** An exemption not lifted, as the reports list it: the person, why, from and until when, and whether in force now. */
export interface ExemptionListing {
  id: number;
  userId: number;
  fullName: string;
  nip: string | null;
  position: string;
  reason: ExemptionReason;
  note: string | null;
  startsOn: string;
  endsOn: string | null;
  inForce: boolean;
  createdByName: string | null;
}

interface ListingRow {
  id: number;
  user_id: number;
  full_name: string;
  nip: string | null;
  position: string;
  reason: ExemptionReason;
  note: string | null;
  starts_on: string;
  ends_on: string | null;
  in_force: number;
  created_by_name: string | null;
}

export function exemptionRepository(db: Db) {
  return {
    insert: async (exemption: NewExemption): Promise<number> =>
      (
        (await firstRow(
          db,
          sql<{ id: number }>`
            INSERT INTO pact_exemptions (pact_id, user_id, reason, note, starts_on, ends_on, starts_at, ends_at,
                                         created_by, created_at)
            VALUES (${exemption.pactId}, ${exemption.userId}, ${exemption.reason}, ${exemption.note},
                    ${exemption.startsOn}, ${exemption.endsOn}, ${exemption.startsAt.toISOString()},
                    ${exemption.endsAt?.toISOString() ?? null}, ${exemption.createdBy},
                    ${exemption.createdAt.toISOString()})
            RETURNING id`,
        )) as { id: number }
      ).id,
    /** The person's exemption from the pact that is not lifted (in force, or to begin or ended), if any. */
    unliftedOf: async (pactId: number, userId: number): Promise<{ id: number } | undefined> =>
      firstRow(
        db,
        sql<{ id: number }>`SELECT id FROM pact_exemptions
                            WHERE pact_id = ${pactId} AND user_id = ${userId} AND lifted_at IS NULL`,
      ),
    findById: async (
      id: number,
    ): Promise<{ id: number; pactId: number; userId: number; lifted: boolean } | undefined> => {
      const row = await firstRow(
        db,
        sql<{ id: number; pact_id: number; user_id: number; lifted_at: string | null }>`
          SELECT id, pact_id, user_id, lifted_at FROM pact_exemptions WHERE id = ${id}`,
      );
      return row && { id: row.id, pactId: row.pact_id, userId: row.user_id, lifted: row.lifted_at !== null };
    },
    /** Lifts an exemption; false when it was lifted already. */
    lift: async (id: number, by: number | null, at: Date, reason: string | null): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE pact_exemptions SET lifted_at = ${at.toISOString()}, lifted_by = ${by}, lift_reason = ${reason}
            WHERE id = ${id} AND lifted_at IS NULL`,
      )) > 0,
    /** The unlifted exemptions from a pact of the people now in a unit, by name. */
    ofUnit: async (pactId: number, unitId: number): Promise<ExemptionListing[]> =>
      (
        await allRows(
          db,
          sql<ListingRow>`
            SELECT e.id, e.user_id, m.full_name, m.nip, m.position, e.reason, e.note, e.starts_on, e.ends_on,
                   CASE WHEN EXISTS (SELECT 1 FROM pact_exempt_now x WHERE x.id = e.id) THEN 1 ELSE 0 END AS in_force,
                   c.full_name AS created_by_name
            FROM pact_exemptions e
            JOIN users m ON m.id = e.user_id
            LEFT JOIN users c ON c.id = e.created_by
            WHERE e.pact_id = ${pactId} AND m.unit_id = ${unitId} AND e.lifted_at IS NULL
            ORDER BY m.full_name, m.id`,
        )
      ).map((row) => ({
        id: row.id,
        userId: row.user_id,
        fullName: row.full_name,
        nip: row.nip,
        position: row.position,
        reason: row.reason,
        note: row.note,
        startsOn: row.starts_on,
        endsOn: row.ends_on,
        inForce: row.in_force === 1,
        createdByName: row.created_by_name,
      })),
  };
}

export type ExemptionRepository = ReturnType<typeof exemptionRepository>;
