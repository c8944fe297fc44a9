import { sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../../db/database.js';
import { nowIso } from '../../db/dialect.js';
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

/** An exemption as the unit report lists it: the person, why, from and until when, and whether in force now. */
export interface ExemptionListing {
  id: number;
  userId: number;
  fullName: string;
  nip: string | null;
  reason: ExemptionReason;
  note: string | null;
  startsOn: string;
  endsOn: string | null;
  inForce: boolean;
}

interface ListingRow {
  id: number;
  user_id: number;
  full_name: string;
  nip: string | null;
  reason: ExemptionReason;
  note: string | null;
  starts_on: string;
  ends_on: string | null;
  in_force: number;
}

/** One exemption of a person, as their own data page lists it: lifted and ended ones too, with who decided. */
export interface PersonExemption {
  id: number;
  pactId: number;
  pactTitle: string;
  reason: ExemptionReason;
  note: string | null;
  startsOn: string;
  endsOn: string | null;
  createdAt: string;
  /** null: the command line or a job. */
  createdByName: string | null;
  liftedAt: string | null;
  liftedByName: string | null;
  /** 'berakhir' when it was closed because it had ended. */
  liftReason: string | null;
}

interface PersonExemptionRow {
  id: number;
  pact_id: number;
  pact_title: string;
  reason: ExemptionReason;
  note: string | null;
  starts_on: string;
  ends_on: string | null;
  created_at: string;
  created_by_name: string | null;
  lifted_at: string | null;
  lifted_by_name: string | null;
  lift_reason: string | null;
}

export function exemptionRepository(db: Db) {
  return {
    /**
     * Stores an exemption; undefined when the person has one from the pact not lifted already (two submits at once
     * included: the unique index decides).
     */
    insert: async (exemption: NewExemption): Promise<number | undefined> =>
      (
        await firstRow(
          db,
          sql<{ id: number }>`
            INSERT INTO pact_exemptions (pact_id, user_id, reason, note, starts_on, ends_on, starts_at, ends_at,
                                         created_by, created_at)
            VALUES (${exemption.pactId}, ${exemption.userId}, ${exemption.reason}, ${exemption.note},
                    ${exemption.startsOn}, ${exemption.endsOn}, ${exemption.startsAt.toISOString()},
                    ${exemption.endsAt?.toISOString() ?? null}, ${exemption.createdBy},
                    ${exemption.createdAt.toISOString()})
            ON CONFLICT DO NOTHING
            RETURNING id`,
        )
      )?.id,
    /** The person's exemption from the pact that is not lifted (in force, or still to begin), if any. */
    unliftedOf: async (pactId: number, userId: number): Promise<{ id: number } | undefined> =>
      firstRow(
        db,
        sql<{ id: number }>`SELECT id FROM pact_exemptions
                            WHERE pact_id = ${pactId} AND user_id = ${userId} AND lifted_at IS NULL`,
      ),
    /** Closes the person's exemption from the pact that has ended (lifted as of its end), so that a new one may start. */
    closeEnded: async (pactId: number, userId: number, at: Date): Promise<void> => {
      await run(
        db,
        sql`UPDATE pact_exemptions SET lifted_at = ends_at, lift_reason = 'berakhir'
            WHERE pact_id = ${pactId} AND user_id = ${userId} AND lifted_at IS NULL AND ends_at <= ${at.toISOString()}`,
      );
    },
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
    /** Every exemption of this person from any pact, newest first. */
    ofPerson: async (userId: number): Promise<PersonExemption[]> =>
      (
        await allRows(
          db,
          sql<PersonExemptionRow>`
            SELECT e.id, e.pact_id, p.title AS pact_title, e.reason, e.note, e.starts_on, e.ends_on, e.created_at,
                   c.full_name AS created_by_name, e.lifted_at, l.full_name AS lifted_by_name, e.lift_reason
            FROM pact_exemptions e
            JOIN pacts p ON p.id = e.pact_id
            LEFT JOIN users c ON c.id = e.created_by
            LEFT JOIN users l ON l.id = e.lifted_by
            WHERE e.user_id = ${userId}
            ORDER BY e.created_at DESC, e.id DESC`,
        )
      ).map((row) => ({
        id: row.id,
        pactId: row.pact_id,
        pactTitle: row.pact_title,
        reason: row.reason,
        note: row.note,
        startsOn: row.starts_on,
        endsOn: row.ends_on,
        createdAt: row.created_at,
        createdByName: row.created_by_name,
        liftedAt: row.lifted_at,
        liftedByName: row.lifted_by_name,
        liftReason: row.lift_reason,
      })),
    /** Lifts an exemption; false when it was lifted already. */
    lift: async (id: number, by: number | null, at: Date, reason: string | null): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE pact_exemptions SET lifted_at = ${at.toISOString()}, lifted_by = ${by}, lift_reason = ${reason}
            WHERE id = ${id} AND lifted_at IS NULL`,
      )) > 0,
    /**
     * The unit's exemptions from a pact in force now (pact_exempted: whom the numbers leave out) and those still to
     * begin of people it requires, by name; ended and lifted ones are not listed.
     */
    ofUnit: async (pactId: number, unitId: number): Promise<ExemptionListing[]> =>
      (
        await allRows(
          db,
          sql<ListingRow>`
            SELECT e.id, e.user_id, m.full_name, m.nip, e.reason, e.note, e.starts_on, e.ends_on,
                   CASE WHEN pe.user_id IS NULL THEN 0 ELSE 1 END AS in_force
            FROM pact_exemptions e
            JOIN users m ON m.id = e.user_id
            LEFT JOIN pact_exempted pe ON pe.exemption_id = e.id AND pe.unit_id = ${unitId}
            WHERE e.pact_id = ${pactId} AND e.lifted_at IS NULL
              AND (pe.user_id IS NOT NULL
                   OR (e.starts_at > ${nowIso(db)}
                       AND EXISTS (SELECT 1 FROM pact_required r WHERE r.pact_id = e.pact_id AND r.unit_id = ${unitId}
                                     AND r.user_id = e.user_id)))
            ORDER BY m.full_name, m.id`,
        )
      ).map((row) => ({
        id: row.id,
        userId: row.user_id,
        fullName: row.full_name,
        nip: row.nip,
        reason: row.reason,
        note: row.note,
        startsOn: row.starts_on,
        endsOn: row.ends_on,
        inForce: row.in_force === 1,
      })),
  };
}

export type ExemptionRepository = ReturnType<typeof exemptionRepository>;
