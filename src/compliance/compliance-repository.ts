import { sql } from 'kysely';
import { complianceEpoch } from '../db/cache-epoch-repository.js';
import { allRows, type Db } from '../db/database.js';
import type { HeadKind } from '../directory/head-kind.js';

/** One active unit in a pact's scope, with its head and its members' signing on that pact. */
export interface UnitComplianceRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  /** The head as the rule knows them (unit_heads): set, active, and still a member of the unit. */
  headId: number | null;
  headName: string | null;
  headPosition: string | null;
  headNip: string | null;
  /** When the current head signed this pact version (valid signatures only). */
  headSignedAt: string | null;
  /**
   * How the current head heads the unit: as their signature recorded it once they have signed (null for one made
   * before acting heads were recorded), as the unit says until then.
   */
  headKind: HeadKind | null;
  /** Active users whose unit this is. */
  members: number;
  membersSigned: number;
  /** Of the members, those exempt from the pact now (not required), and those of them who signed it anyway. */
  exempt: number;
  exemptSigned: number;
  /** Whether the current head is exempt from the pact now (a heads pact then requires nobody of the unit). */
  headExempt: boolean;
  lastSignedAt: string | null;
}

interface Row {
  unit_id: number;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  head_id: number | null;
  head_name: string | null;
  head_position: string | null;
  head_nip: string | null;
  head_signed_at: string | null;
  head_kind: HeadKind | null;
  members: number | null;
  members_signed: number | null;
  last_signed_at: string | null;
  exempt: number | string | null;
  exempt_signed: number | string | null;
  head_exempt: number;
}

/**
 * The numbers behind every compliance view, computed from the current directory by the rule of migration 013 (who
 * must sign: pact_scope, unit_heads, pact_required); a signature counts only while it is valid.
 */
export function complianceRepository(db: Db) {
  return {
    /**
     * Valid signings per UTC hour (`at`: the hour's first instant), of every unit or of these units (the unit at
     * the time of signing), oldest first.
     */
    signingsPerHour: async (
      pactId: number,
      unitIds: readonly number[] | null,
    ): Promise<{ at: Date; signed: number }[]> => {
      // No unit: no signing (and `IN ()` is no SQL on PostgreSQL).
      if (unitIds !== null && unitIds.length === 0) return [];
      // Hours, not days: which day an hour belongs to depends on the instance's time zone (migration 014).
      const rows = await allRows(
        db,
        sql<{ hour: string; signed: number }>`
          SELECT hour, sum(signed) AS signed FROM pact_hourly_signings
          WHERE pact_id = ${pactId} ${unitIds === null ? sql`` : sql`AND unit_id IN (${sql.join(unitIds)})`}
          GROUP BY hour HAVING sum(signed) > 0 ORDER BY hour`,
      );
      return rows.map((row) => ({ at: new Date(`${row.hour}:00:00Z`), signed: row.signed }));
    },
    /** Moves with every change that can move a compliance number (triggers, migration 010), and as exemptions begin or end. */
    epoch: (): Promise<string> => complianceEpoch(db),
    perUnit: async (pactId: number): Promise<UnitComplianceRow[]> =>
      (
        await allRows(
          db,
          // Per active unit in the pact's scope (the view pact_scope, migration 013): its head as the rule knows them
          // (unit_heads) and whether they signed, and the maintained member and signature counts (migration 011).
          // Cost grows with the number of units, not of people or signatures.
          sql<Row>`
            SELECT u.id AS unit_id, u.code, u.name, u.kind, u.parent_id,
                   h.id AS head_id, h.full_name AS head_name, h.position AS head_position, h.nip AS head_nip,
                   hs.signed_at AS head_signed_at,
                   CASE WHEN h.id IS NULL THEN NULL WHEN hs.id IS NULL THEN u.head_kind ELSE hs.head_kind END
                     AS head_kind,
                   mc.active AS members, ps.signed AS members_signed, ps.last_signed_at,
                   ex.exempt, ex.exempt_signed,
                   CASE WHEN EXISTS (SELECT 1 FROM pact_exempt_now hx WHERE hx.pact_id = ${pactId}
                                       AND hx.user_id = h.id) THEN 1 ELSE 0 END AS head_exempt
            FROM pact_scope scope
            JOIN units u ON u.id = scope.unit_id
            LEFT JOIN unit_heads uh ON uh.unit_id = u.id
            LEFT JOIN users h ON h.id = uh.user_id
            LEFT JOIN signatures hs ON hs.pact_id = ${pactId} AND hs.user_id = h.id AND hs.status = 'valid'
            LEFT JOIN unit_member_counts mc ON mc.unit_id = u.id
            LEFT JOIN pact_unit_signed ps ON ps.pact_id = ${pactId} AND ps.unit_id = u.id
            -- Those of the unit exempt from this pact now (pact_exempted, migration 023), and how many of them
            -- signed it anyway (a signature before the exemption stays valid, but counts no more than its signer).
            LEFT JOIN (
              SELECT pe.unit_id, count(*) AS exempt, count(es.id) AS exempt_signed
              FROM pact_exempted pe
              LEFT JOIN signatures es ON es.pact_id = pe.pact_id AND es.user_id = pe.user_id AND es.status = 'valid'
              WHERE pe.pact_id = ${pactId}
              GROUP BY pe.unit_id
            ) ex ON ex.unit_id = u.id
            WHERE scope.pact_id = ${pactId}
            ORDER BY u.name, u.id`,
        )
      ).map((row) => ({
        unitId: row.unit_id,
        code: row.code,
        name: row.name,
        kind: row.kind,
        parentId: row.parent_id,
        headId: row.head_id,
        headName: row.head_name,
        headPosition: row.head_position,
        headNip: row.head_nip,
        headSignedAt: row.head_signed_at,
        headKind: row.head_kind,
        members: row.members ?? 0,
        membersSigned: row.members_signed ?? 0,
        exempt: Number(row.exempt ?? 0),
        exemptSigned: Number(row.exempt_signed ?? 0),
        headExempt: row.head_exempt === 1,
        lastSignedAt: row.last_signed_at,
      })),
  };
}

export type ComplianceRepository = ReturnType<typeof complianceRepository>;
