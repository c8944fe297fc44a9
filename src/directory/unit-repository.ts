import type { Db } from '../db/database.js';
import type { Role, Unit } from './types.js';

interface UnitRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  head_user_id: number | null;
  active: number;
}

export interface NewUnit {
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
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
  active: row.active === 1,
});

export function unitRepository(db: Db) {
  const byId = db.prepare<[number], UnitRow>('SELECT * FROM units WHERE id = ?');
  const byCode = db.prepare<[string], UnitRow>('SELECT * FROM units WHERE code = ?');
  const insert = db.prepare(
    `INSERT INTO units (code, name, kind, parent_id, created_at, updated_at)
     VALUES (@code, @name, @kind, @parentId, @now, @now)`,
  );
  const setHead = db.prepare('UPDATE units SET head_user_id = @userId, updated_at = @now WHERE id = @id');
  const listActive = db.prepare<[], UnitRow>('SELECT * FROM units WHERE active = 1 ORDER BY name');
  const countActive = db.prepare<[], number>('SELECT count(*) FROM units WHERE active = 1').pluck();
  const listAll = db.prepare<[], UnitRow>('SELECT * FROM units ORDER BY name');
  // One query for the whole page: the units under @rootId (every root when it is null) with their depth, the
  // head's name and the number of active users, counted in one GROUP BY rather than once per unit.
  const tree = db.prepare<{ rootId: number | null; maxDepth: number }, UnitTreeRow>(
    `WITH RECURSIVE subtree(id, depth) AS (
       SELECT id, 0 FROM units WHERE (@rootId IS NULL AND parent_id IS NULL) OR id = @rootId
       UNION ALL
       SELECT u.id, s.depth + 1 FROM units u JOIN subtree s ON u.parent_id = s.id WHERE s.depth < @maxDepth
     ),
     counts(unit_id, n) AS (
       SELECT unit_id, count(*) FROM users WHERE status = 'active' AND unit_id IS NOT NULL GROUP BY unit_id
     )
     SELECT u.*, s.depth, h.full_name AS head_name,
            (u.head_user_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM unit_heads uh WHERE uh.unit_id = u.id AND uh.user_id = u.head_user_id
             )) AS head_stale,
            coalesce(c.n, 0) AS active_users
     FROM subtree s
     JOIN units u ON u.id = s.id
     LEFT JOIN users h ON h.id = u.head_user_id
     LEFT JOIN counts c ON c.unit_id = u.id`,
  );
  const descendantIds = db
    .prepare<{ id: number; maxDepth: number }, number>(
      `WITH RECURSIVE below(id, depth) AS (
         SELECT id, 1 FROM units WHERE parent_id = @id
         UNION
         SELECT u.id, b.depth + 1 FROM units u JOIN below b ON u.parent_id = b.id WHERE b.depth < @maxDepth
       )
       SELECT DISTINCT id FROM below`,
    )
    .pluck();
  const ancestorIds = db
    .prepare<{ id: number; maxDepth: number }, number>(
      `WITH RECURSIVE above(id, depth) AS (
         SELECT parent_id, 1 FROM units WHERE id = @id AND parent_id IS NOT NULL
         UNION
         SELECT u.parent_id, a.depth + 1 FROM units u JOIN above a ON u.id = a.id
         WHERE u.parent_id IS NOT NULL AND a.depth < @maxDepth
       )
       SELECT id FROM above ORDER BY depth`,
    )
    .pluck();
  const update = db.prepare(
    'UPDATE units SET code = @code, name = @name, kind = @kind, updated_at = @now WHERE id = @id',
  );
  const setParent = db.prepare('UPDATE units SET parent_id = @parentId, updated_at = @now WHERE id = @id');
  const setActive = db.prepare('UPDATE units SET active = @active, updated_at = @now WHERE id = @id');
  const countActiveChildren = db
    .prepare<[number], number>('SELECT count(*) FROM units WHERE parent_id = ? AND active = 1')
    .pluck();
  const countActiveMembers = db
    .prepare<[number], number>("SELECT count(*) FROM users WHERE unit_id = ? AND status = 'active'")
    .pluck();
  // The head as the rule of who must sign knows them (migration 013), or null.
  const ruleHead = db.prepare<[number], number>('SELECT user_id FROM unit_heads WHERE unit_id = ?').pluck();
  const activeMembers = db.prepare<
    [number],
    { id: number; full_name: string; position: string; nip: string | null; role: string }
  >(
    `SELECT id, full_name, position, nip, role FROM users WHERE unit_id = ? AND status = 'active'
     ORDER BY full_name COLLATE NOCASE, id`,
  );
  return {
    findById: (id: number): Unit | undefined => {
      const row = byId.get(id);
      return row && toUnit(row);
    },
    findByCode: (code: string): Unit | undefined => {
      const row = byCode.get(code);
      return row && toUnit(row);
    },
    insert: (unit: NewUnit, at: Date): number =>
      Number(insert.run({ ...unit, now: at.toISOString() }).lastInsertRowid),
    setHead: (id: number, userId: number | null, at: Date): void => {
      setHead.run({ id, userId, now: at.toISOString() });
    },
    /** The active units, by name. */
    listActive: (): Unit[] => listActive.all().map(toUnit),
    /**
     * Who heads the unit for the pacts (the view unit_heads): its head_user_id while that person is active and a
     * member, and the unit active; null otherwise (a head who moved or was disabled is stale, not the head).
     */
    headFor: (id: number): number | null => ruleHead.get(id) ?? null,
    countActive: (): number => countActive.get() as number,
    /** Every unit, active or not, by name. */
    listAll: (): Unit[] => listAll.all().map(toUnit),
    /**
     * The units under `rootId` (itself included), or every unit reachable from a root when it is null, in tree
     * order: each unit followed by its children, siblings by name.
     */
    tree: (rootId: number | null): UnitTreeEntry[] => {
      const entries = tree.all({ rootId, maxDepth: MAX_DEPTH }).map(
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
    descendantIds: (id: number): number[] => descendantIds.all({ id, maxDepth: MAX_DEPTH }),
    /** Ids of the units above this one, from its parent up to the root. */
    ancestorIds: (id: number): number[] => ancestorIds.all({ id, maxDepth: MAX_DEPTH }),
    update: (id: number, fields: { code: string; name: string; kind: string }, at: Date): void => {
      update.run({ id, ...fields, now: at.toISOString() });
    },
    setParent: (id: number, parentId: number | null, at: Date): void => {
      setParent.run({ id, parentId, now: at.toISOString() });
    },
    setActive: (id: number, active: boolean, at: Date): void => {
      setActive.run({ id, active: active ? 1 : 0, now: at.toISOString() });
    },
    countActiveChildren: (id: number): number => countActiveChildren.get(id) as number,
    countActiveMembers: (id: number): number => countActiveMembers.get(id) as number,
    /** The unit's active users, by name: the people who may be made its head. */
    activeMembers: (id: number): UnitMember[] =>
      activeMembers.all(id).map((row) => ({
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
