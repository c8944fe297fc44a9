import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';

/** A person as the compliance reports list them (admins and operators only: NIP and email in full). */
export interface ReportPerson {
  userId: number;
  fullName: string;
  nip: string | null;
  position: string;
  email: string | null;
}

/** One signature of a person on the pact, valid or voided. */
export interface ReportSigning extends ReportPerson {
  signedAt: string;
  receiptCode: string;
  status: 'valid' | 'voided';
}

/** One line of the detail export: a required person of a unit and whether they signed. */
export interface DetailRow extends ReportPerson {
  unitCode: string;
  unitName: string;
  signedAt: string | null;
  receiptCode: string | null;
}

interface PersonRow {
  user_id: number;
  full_name: string;
  nip: string | null;
  position: string;
  email: string | null;
}

const toPerson = (row: PersonRow): ReportPerson => ({
  userId: row.user_id,
  fullName: row.full_name,
  nip: row.nip,
  position: row.position,
  email: row.email,
});

type Audience = 'heads' | 'all';

/**
 * Who a unit requires, as a join from `units u` to `users m` (DESIGN.md, and as compliance-repository counts):
 * for an all-ASN pact its active members; for a heads pact its current head, wherever their own account sits.
 */
const REQUIRED: Record<Audience, string> = {
  all: "JOIN users m ON m.unit_id = u.id AND m.status = 'active'",
  heads: "JOIN users m ON m.id = u.head_user_id AND m.status = 'active'",
};

/** The condition, on a required person `m` of pact @pactId, of not having signed it (no valid signature). */
export const NOT_SIGNED =
  "NOT EXISTS (SELECT 1 FROM signatures s WHERE s.pact_id = @pactId AND s.user_id = m.id AND s.status = 'valid')";

/**
 * One statement per audience from SQL written around the join to a unit's required people (`units u` to `users m`):
 * `statementsByAudience(db, (required) => \`SELECT … FROM units u ${required} WHERE …\`)`.
 */
export function statementsByAudience<P extends object, R = unknown>(
  db: Db,
  sql: (required: string) => string,
): Record<Audience, Statement<P, R>> {
  return { all: db.prepare<P, R>(sql(REQUIRED.all)), heads: db.prepare<P, R>(sql(REQUIRED.heads)) };
}

/** Who, person by person: a unit's outstanding signers and signatures (drill-down), every required person (export). */
export function peopleRepository(db: Db) {
  const byAudience = <P extends object, R>(sql: (required: string) => string) =>
    statementsByAudience<P, R>(db, sql);
  const outstanding = byAudience<{ pactId: number; unitId: number }, PersonRow>(
    (required) => `SELECT m.id AS user_id, m.full_name, m.nip, m.position, m.email
     FROM units u ${required}
     WHERE u.id = @unitId AND u.active = 1 AND ${NOT_SIGNED}
     ORDER BY m.full_name, m.id`,
  );
  const signings = byAudience<
    { pactId: number; unitId: number },
    PersonRow & { signed_at: string; receipt_code: string; status: 'valid' | 'voided' }
  >(
    (
      required,
    ) => `SELECT m.id AS user_id, m.full_name, m.nip, m.position, m.email, s.signed_at, s.receipt_code, s.status
     FROM units u ${required}
     JOIN signatures s ON s.pact_id = @pactId AND s.user_id = m.id
     WHERE u.id = @unitId AND u.active = 1
     ORDER BY s.signed_at DESC, s.id DESC`,
  );
  const detail = byAudience<
    { pactId: number; unitId: number },
    PersonRow & {
      unit_code: string;
      unit_name: string;
      signed_at: string | null;
      receipt_code: string | null;
    }
  >(
    (
      required,
    ) => `SELECT u.code AS unit_code, u.name AS unit_name, m.id AS user_id, m.full_name, m.nip, m.position,
            m.email, s.signed_at, s.receipt_code
     FROM units u ${required}
     LEFT JOIN signatures s ON s.pact_id = @pactId AND s.user_id = m.id AND s.status = 'valid'
     WHERE u.id = @unitId AND u.active = 1
     ORDER BY m.full_name, m.id`,
  );

  return {
    /** Required people of the unit without a valid signature, by name. */
    outstanding: (pactId: number, unitId: number, audience: Audience): ReportPerson[] =>
      outstanding[audience].all({ pactId, unitId }).map(toPerson),
    /** Signatures (valid and voided) on the pact by the unit's required people, newest first. */
    signings: (pactId: number, unitId: number, audience: Audience): ReportSigning[] =>
      signings[audience].all({ pactId, unitId }).map((row) => ({
        ...toPerson(row),
        signedAt: row.signed_at,
        receiptCode: row.receipt_code,
        status: row.status,
      })),
    /**
     * Every required person of these units (in the order given) with their valid signing, for exports. Read one
     * unit at a time: an export waits on a slow reader between rows, and an open SQLite cursor would keep the
     * connection busy (no signing could be written) for as long as it waits.
     */
    *detail(pactId: number, unitIds: readonly number[], audience: Audience): Generator<DetailRow> {
      for (const unitId of unitIds) {
        for (const row of detail[audience].all({ pactId, unitId })) {
          yield {
            ...toPerson(row),
            unitCode: row.unit_code,
            unitName: row.unit_name,
            signedAt: row.signed_at,
            receiptCode: row.receipt_code,
          };
        }
      }
    },
  };
}

export type PeopleRepository = ReturnType<typeof peopleRepository>;
