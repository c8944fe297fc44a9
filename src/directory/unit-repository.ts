import { type RawBuilder, sql } from 'kysely';
import { allRows, countOf, type Db, firstRow, run } from '../db/database.js';
import { anyCase, inIds } from '../db/dialect.js';
import { DEFINITIVE, type HeadAppointment, type HeadKind } from './head-kind.js';
import type { Role, Unit } from './types.js';

interface UnitRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  head_user_id: number | null;
  head_kind: HeadKind;
  head_since: string | null;
  head_decree: string | null;
  active: number;
  time_zone: string | null;
}

export interface NewUnit {
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  /** The unit's own zone (an IANA name of UNIT_TIME_ZONES); absent or null: follow the parent. */
  timeZone?: string | null;
}

/** What the tree page shows for one unit, with its depth below the root of the listing. */
export interface UnitTreeEntry extends Unit {
  depth: number;
  headName: string | null;
  /** The head is disabled or no longer belongs to this unit: worth a second look. */
  headStale: boolean;
  activeUsers: number;
}

/** An active member of a unit, as offered when choosing its head. */
export interface UnitMember {
  id: number;
  fullName: string;
  position: string;
  nip: string | null;
  role: Role;
}

interface UnitTreeRow extends UnitRow {
  depth: number;
  head_name: string | null;
  head_stale: number;
  active_users: number;
}

/** Guards the recursive queries against a cycle that could only come from data edited by hand. */
const MAX_DEPTH = 64;

const toUnit = (row: UnitRow): Unit => ({
  id: row.id,
  code: row.code,
  name: row.name,
  kind: row.kind,
  parentId: row.parent_id,
  headUserId: row.head_user_id,
  headKind: row.head_kind,
  headSince: row.head_since,
  headDecree: row.head_decree,
  active: row.active === 1,
  timeZone: row.time_zone,
});

export function unitRepository(db: Db) {
  const one = async (query: RawBuilder<UnitRow>): Promise<Unit | undefined> => {
    const row = await firstRow(db, query);
    return row && toUnit(row);
  };
  const many = async (query: RawBuilder<UnitRow>): Promise<Unit[]> => (await allRows(db, query)).map(toUnit);
  const count = (query: RawBuilder<{ n: number }>) => countOf(db, query);
  const ids = async (query: RawBuilder<{ id: number }>): Promise<number[]> =>
    (await allRows(db, query)).map((row) => row.id);
  return {
    findById: (id: number): Promise<Unit | undefined> => one(sql`SELECT * FROM units WHERE id = ${id}`),
    findByCode: (code: string): Promise<Unit | undefined> =>
      one(sql`SELECT * FROM units WHERE code = ${code}`),
    insert: async (unit: NewUnit, at: Date): Promise<number> => {
      const now = at.toISOString();
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO units (code, name, kind, parent_id, time_zone, created_at, updated_at)
          VALUES (${unit.code}, ${unit.name}, ${unit.kind}, ${unit.parentId}, ${unit.timeZone ?? null}, ${now}, ${now})
          RETURNING id`,
      );
      return (row as { id: number }).id;
    },
    /** Makes `userId` (null: nobody) the unit's head as appointed: definitive unless said otherwise. */
    setHead: async (
      id: number,
      userId: number | null,
      at: Date,
      { kind, since, decree }: HeadAppointment = DEFINITIVE,
    ): Promise<void> => {
      await run(
        db,
        sql`UPDATE units SET head_user_id = ${userId}, head_kind = ${kind}, head_since = ${since},
                             head_decree = ${decree}, updated_at = ${at.toISOString()}
            WHERE id = ${id}`,
      );
    },
    /** The active units, by name. */
    listActive: (): Promise<Unit[]> => many(sql`SELECT * FROM units WHERE active = 1 ORDER BY name`),
    /**
     * Who heads the unit for the pacts (the view unit_heads): its head_user_id while that person is active and a
     * member, and the unit active; null otherwise (a head who moved or was disabled is stale, not the head).
     */
    headFor: async (id: number): Promise<number | null> => {
      // The head as the rule of who must sign knows them (migration 013), or null.
      const row = await firstRow(
        db,
        sql<{ user_id: number }>`SELECT user_id FROM unit_heads WHERE unit_id = ${id}`,
      );
      return row?.user_id ?? null;
    },
    countActive: (): Promise<number> => count(sql`SELECT count(*) AS n FROM units WHERE active = 1`),
    /** How many of these units are active: an operator's "Unit aktif", over their subtree's ids. */
    countActiveAmong: (ids: readonly number[]): Promise<number> =>
      ids.length === 0
        ? Promise.resolve(0)
        : count(sql`SELECT count(*) AS n FROM units WHERE active = 1 AND ${inIds(db, sql`id`, ids)}`),
    /** Every unit, active or not, by name. */
    listAll: (): Promise<Unit[]> => many(sql`SELECT * FROM units ORDER BY name`),
    /**
     * The units under `rootId` (itself included), or every unit reachable from a root when it is null, in tree
     * order: each unit followed by its children, siblings by name.
     */
    tree: async (rootId: number | null): Promise<UnitTreeEntry[]> => {
      // One query for the whole page: the units under rootId (every root when it is null) with their depth, the
      // head's name and the number of active users, counted in one GROUP BY rather than once per unit.
      const rows = await allRows(
        db,
        sql<UnitTreeRow>`
          WITH RECURSIVE subtree(id, depth) AS (
            SELECT id, 0 FROM units WHERE ${rootId === null ? sql`parent_id IS NULL` : sql`id = ${rootId}`}
            UNION ALL
            SELECT u.id, s.depth + 1 FROM units u JOIN subtree s ON u.parent_id = s.id WHERE s.depth < ${MAX_DEPTH}
          ),
          counts(unit_id, n) AS (
            SELECT unit_id, count(*) AS n FROM users WHERE status = 'active' AND unit_id IS NOT NULL GROUP BY unit_id
          )
          SELECT u.*, s.depth, h.full_name AS head_name,
                 CASE WHEN u.head_user_id IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM unit_heads uh WHERE uh.unit_id = u.id AND uh.user_id = u.head_user_id
                 ) THEN 1 ELSE 0 END AS head_stale,
                 coalesce(c.n, 0) AS active_users
          FROM subtree s
          JOIN units u ON u.id = s.id
          LEFT JOIN users h ON h.id = u.head_user_id
          LEFT JOIN counts c ON c.unit_id = u.id`,
      );
      const entries = rows.map(
        (row): UnitTreeEntry => ({
          ...toUnit(row),
          depth: row.depth,
          headName: row.head_name,
          headStale: row.head_stale === 1,
          activeUsers: row.active_users,
        }),
      );
      return inTreeOrder(entries);
    },
    /** Ids of every unit below this one (children, grandchildren …), not the unit itself. */
    descendantIds: (id: number): Promise<number[]> =>
      ids(sql`
        WITH RECURSIVE below(id, depth) AS (
          SELECT id, 1 FROM units WHERE parent_id = ${id}
          UNION
          SELECT u.id, b.depth + 1 FROM units u JOIN below b ON u.parent_id = b.id WHERE b.depth < ${MAX_DEPTH}
        )
        SELECT DISTINCT id FROM below`),
    /** Ids of the units above this one, from its parent up to the root. */
    ancestorIds: (id: number): Promise<number[]> =>
      ids(sql`
        WITH RECURSIVE above(id, depth) AS (
          SELECT parent_id, 1 FROM units WHERE id = ${id} AND parent_id IS NOT NULL
          UNION
          SELECT u.parent_id, a.depth + 1 FROM units u JOIN above a ON u.id = a.id
          WHERE u.parent_id IS NOT NULL AND a.depth < ${MAX_DEPTH}
        )
        SELECT id FROM above ORDER BY depth`),
    /**
     * The zone the unit's people read instants in: its own time_zone, else that of its nearest ancestor that has one,
     * else null (the instance's zone). Walks up by primary key and stops at the first zone found.
     */
    timeZoneOf: async (id: number): Promise<string | null> => {
      const row = await firstRow(
        db,
        sql<{ time_zone: string }>`
          WITH RECURSIVE above(parent_id, time_zone, depth) AS (
            SELECT parent_id, time_zone, 0 FROM units WHERE id = ${id}
            UNION ALL
            SELECT u.parent_id, u.time_zone, a.depth + 1 FROM units u JOIN above a ON u.id = a.parent_id
            WHERE a.time_zone IS NULL AND a.depth < ${MAX_DEPTH}
          )
          SELECT time_zone FROM above WHERE time_zone IS NOT NULL`,
      );
      return row?.time_zone ?? null;
    },
    update: async (
      id: number,
      fields: { code: string; name: string; kind: string; timeZone: string | null },
      at: Date,
    ): Promise<void> => {
      await run(
        db,
        sql`UPDATE units SET code = ${fields.code}, name = ${fields.name}, kind = ${fields.kind},
                             time_zone = ${fields.timeZone}, updated_at = ${at.toISOString()}
            WHERE id = ${id}`,
      );
    },
    setParent: async (id: number, parentId: number | null, at: Date): Promise<void> => {
      await run(
        db,
        sql`UPDATE units SET parent_id = ${parentId}, updated_at = ${at.toISOString()} WHERE id = ${id}`,
      );
    },
    setActive: async (id: number, active: boolean, at: Date): Promise<void> => {
      await run(
        db,
        sql`UPDATE units SET active = ${active ? 1 : 0}, updated_at = ${at.toISOString()} WHERE id = ${id}`,
      );
    },
    countActiveChildren: (id: number): Promise<number> =>
      count(sql`SELECT count(*) AS n FROM units WHERE parent_id = ${id} AND active = 1`),
    countActiveMembers: (id: number): Promise<number> =>
      count(sql`SELECT count(*) AS n FROM users WHERE unit_id = ${id} AND status = 'active'`),
    /** The unit's active users, by name: the people who may be made its head. */
    activeMembers: async (id: number): Promise<UnitMember[]> =>
      (
        await allRows(
          db,
          sql<{ id: number; full_name: string; position: string; nip: string | null; role: string }>`
            SELECT id, full_name, position, nip, role FROM users WHERE unit_id = ${id} AND status = 'active'
            ORDER BY ${anyCase(db, sql`full_name`)}, id`,
        )
      ).map((row) => ({
        id: row.id,
        fullName: row.full_name,
        position: row.position,
        nip: row.nip,
        role: row.role as Role,
      })),
  };
}

const byName = new Intl.Collator('id', { sensitivity: 'base', numeric: true });

/** Orders a listing depth-first: each unit followed by its children, siblings by name then code. */
function inTreeOrder(entries: UnitTreeEntry[]): UnitTreeEntry[] {
  const ids = new Set(entries.map((entry) => entry.id));
  const children = new Map<number | null, UnitTreeEntry[]>();
  for (const entry of entries) {
    // The listing's own roots: a unit whose parent is outside it.
    const key = entry.parentId !== null && ids.has(entry.parentId) ? entry.parentId : null;
    const list = children.get(key) ?? [];
    list.push(entry);
    children.set(key, list);
  }
  for (const list of children.values()) {
    list.sort((a, b) => byName.compare(a.name, b.name) || byName.compare(a.code, b.code));
  }
  const ordered: UnitTreeEntry[] = [];
  const visit = (parent: number | null) => {
    for (const entry of children.get(parent) ?? []) {
      ordered.push(entry);
      visit(entry.id);
    }
  };
  visit(null);
  return ordered;
}

export type UnitRepository = ReturnType<typeof unitRepository>;
