import type { Db } from '../db/database.js';
import type { Unit } from './types.js';

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
  const headedBy = db.prepare<[number], UnitRow>('SELECT * FROM units WHERE head_user_id = ? AND active = 1');
  const listActive = db.prepare<[], UnitRow>('SELECT * FROM units WHERE active = 1 ORDER BY name');
  const countActive = db.prepare<[], number>('SELECT count(*) FROM units WHERE active = 1').pluck();
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
    /** The active units this user is the head of (usually one). */
    headedBy: (userId: number): Unit[] => headedBy.all(userId).map(toUnit),
    listActive: (): Unit[] => listActive.all().map(toUnit),
    countActive: (): number => countActive.get() as number,
  };
}

export type UnitRepository = ReturnType<typeof unitRepository>;
