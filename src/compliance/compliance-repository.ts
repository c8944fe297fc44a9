import type { Db } from '../db/database.js';

/** One active unit in a pact's scope, with its head and its members' signing on that pact. */
export interface UnitComplianceRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  /** The current head if there is one and their account is active. */
  headId: number | null;
  headName: string | null;
  headPosition: string | null;
  headNip: string | null;
  /** When the current head signed this pact version (valid signatures only). */
  headSignedAt: string | null;
  /** Active users whose unit this is. */
  members: number;
  membersSigned: number;
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
  members: number | null;
  members_signed: number | null;
  last_signed_at: string | null;
}

/**
 * The numbers behind every compliance view, computed from the current directory (DESIGN.md): the units in scope
 * are those the pact names with their subtrees (every unit when it names none); only active units and active
 * users count; a signature counts only while it is valid.
 */
export function complianceRepository(db: Db) {
  const epoch = db.prepare<[], number>("SELECT n FROM cache_epochs WHERE name = 'compliance'").pluck();
  // Per active unit in scope: its head and whether they signed, and the maintained member and signature counts
  // (migration 011). Cost grows with the number of units, not of people or signatures.
  const perUnit = db.prepare<{ pactId: number }, Row>(
    `WITH RECURSIVE scope(id) AS (
       SELECT id FROM units WHERE NOT EXISTS (SELECT 1 FROM pact_units WHERE pact_id = @pactId)
       UNION
       SELECT unit_id FROM pact_units WHERE pact_id = @pactId
       UNION
       SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id
     )
     SELECT u.id AS unit_id, u.code, u.name, u.kind, u.parent_id,
            h.id AS head_id, h.full_name AS head_name, h.position AS head_position, h.nip AS head_nip,
            hs.signed_at AS head_signed_at,
            mc.active AS members, ps.signed AS members_signed, ps.last_signed_at
     FROM scope
     JOIN units u ON u.id = scope.id AND u.active = 1
     LEFT JOIN users h ON h.id = u.head_user_id AND h.status = 'active'
     LEFT JOIN signatures hs ON hs.pact_id = @pactId AND hs.user_id = h.id AND hs.status = 'valid'
     LEFT JOIN unit_member_counts mc ON mc.unit_id = u.id
     LEFT JOIN pact_unit_signed ps ON ps.pact_id = @pactId AND ps.unit_id = u.id
     ORDER BY u.name, u.id`,
  );

  // Hours, not days: which day an hour belongs to depends on the instance's time zone (migration 014).
  const hourly = db.prepare<{ pactId: number; unitIds: string | null }, { hour: string; signed: number }>(
    `SELECT hour, sum(signed) AS signed FROM pact_hourly_signings
     WHERE pact_id = @pactId AND (@unitIds IS NULL OR unit_id IN (SELECT value FROM json_each(@unitIds)))
     GROUP BY hour HAVING sum(signed) > 0 ORDER BY hour`,
  );

  return {
    /**
     * Valid signings per UTC hour (`at`: the hour's first instant), of every unit or of these units (the unit at
     * the time of signing), oldest first.
     */
    signingsPerHour: (pactId: number, unitIds: readonly number[] | null): { at: Date; signed: number }[] =>
      hourly
        .all({ pactId, unitIds: unitIds === null ? null : JSON.stringify(unitIds) })
        .map((row) => ({ at: new Date(`${row.hour}:00:00Z`), signed: row.signed })),
    /** Bumped (by triggers) with every change that can move a compliance number; see migration 010. */
    epoch: (): number => epoch.get() as number,
    perUnit: (pactId: number): UnitComplianceRow[] =>
      perUnit.all({ pactId }).map((row) => ({
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
        members: row.members ?? 0,
        membersSigned: row.members_signed ?? 0,
        lastSignedAt: row.last_signed_at,
      })),
  };
}

export type ComplianceRepository = ReturnType<typeof complianceRepository>;
